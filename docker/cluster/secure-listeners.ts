// zafka-docker up --secure: each broker also gets an SSL listener (port + 100) and a SASL_SSL one
// (port + 200, mechanisms PLAIN and SCRAM-SHA-256/512), with the certificates of
// scripts/make-local-ca.sh bind-mounted read-only from the host (the container reads them, nothing
// is baked into the image). SASL/PLAIN knows one user, "admin"; SCRAM users are added with
// kafka-configs --zookeeper as usual. Two client property files (client-ssl.properties,
// client-sasl-ssl.properties) next to the certificates serve kcat-free tools' --command-config.
import * as fs from 'fs';
import * as path from 'path';
import type { BindMount } from './docker-engine';

/** Where the broker image sees the host's certificate directory. */
export const SECRETS_TARGET = '/etc/zafka/secrets';
export const SSL_PORT_OFFSET = 100;
export const SASL_SSL_PORT_OFFSET = 200;
export const DEFAULT_STORE_PASSWORD = 'zafka-secret';
export const DEFAULT_ADMIN_PASSWORD = 'admin-secret';

export interface SecureOptions {
  /** Absolute host directory with make-local-ca.sh's files. */
  secretsDir: string;
  storePassword: string;
  adminPassword: string;
}

export interface SecurePorts {
  ssl: number;
  saslSsl: number;
}

export function securePorts(plaintextPort: number): SecurePorts {
  return { ssl: plaintextPort + SSL_PORT_OFFSET, saslSsl: plaintextPort + SASL_SSL_PORT_OFFSET };
}

/** A JAAS value quoted as Kafka's parser reads it (backslash and double quote escaped). */
const jaasQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The broker properties of the secure listeners (PLAINTEXT stays for health checks and the harness). */
export function secureBrokerProperties(plaintextPort: number, o: SecureOptions): Record<string, string> {
  const p = securePorts(plaintextPort);
  const listeners = `PLAINTEXT://127.0.0.1:${plaintextPort},SSL://127.0.0.1:${p.ssl},SASL_SSL://127.0.0.1:${p.saslSsl}`;
  return {
    listeners,
    'advertised.listeners': listeners,
    'ssl.keystore.location': `${SECRETS_TARGET}/broker.keystore.p12`,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.password': o.storePassword,
    'ssl.key.password': o.storePassword,
    // PEM: a certificate-only PKCS12 truststore is read with the openssl command, which the
    // image does not have (Node cannot load one itself).
    'ssl.truststore.location': `${SECRETS_TARGET}/truststore.pem`,
    'ssl.truststore.type': 'PEM',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_ssl.plain.sasl.jaas.config':
      `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${jaasQuote(o.adminPassword)} user_admin=${jaasQuote(o.adminPassword)};`,
  };
}

export function secretsMount(o: SecureOptions): BindMount {
  return { hostPath: o.secretsDir, target: SECRETS_TARGET, readOnly: true };
}

/**
 * Makes the certificates (scripts/make-local-ca.sh) unless the directory has them, and writes the
 * two client property files. Returns what it did, for the command's output.
 */
export function prepareSecrets(repoRoot: string, o: SecureOptions, run: (script: string, args: string[]) => void): string[] {
  const notes: string[] = [];
  if (!fs.existsSync(path.join(o.secretsDir, 'broker.keystore.p12'))) {
    run(path.join(repoRoot, 'scripts/make-local-ca.sh'), [o.secretsDir, o.storePassword]);
    notes.push(`Made a local CA and certificates in ${o.secretsDir} (scripts/make-local-ca.sh)`);
  }
  notes.push(...shareWithContainerUser(o.secretsDir));
  const truststore = [`ssl.truststore.location=${path.join(o.secretsDir, 'truststore.p12')}`, 'ssl.truststore.type=PKCS12', `ssl.truststore.password=${o.storePassword}`];
  const files: Record<string, string[]> = {
    'client-ssl.properties': ['security.protocol=SSL', ...truststore],
    'client-sasl-ssl.properties': [
      'security.protocol=SASL_SSL', ...truststore, 'sasl.mechanism=PLAIN',
      `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${jaasQuote(o.adminPassword)};`,
    ],
  };
  for (const [name, lines] of Object.entries(files)) fs.writeFileSync(path.join(o.secretsDir, name), `${lines.join('\n')}\n`, { mode: 0o600 });
  notes.push(`Client settings: ${path.join(o.secretsDir, 'client-ssl.properties')}, ${path.join(o.secretsDir, 'client-sasl-ssl.properties')} (--command-config)`);
  return notes;
}

/** The image runs the broker as uid 1000 (docker/Dockerfile's USER); it reads these bind-mounted files. */
const CONTAINER_UID = 1000;
const BROKER_READS = ['broker.keystore.p12', 'truststore.pem'];

/**
 * make-local-ca.sh leaves keys readable by their owner only. The broker in the container is uid
 * 1000, so the files it reads are handed to that uid (possible as root), or else made readable
 * by all (the secrets dir is a local CA for local clusters) with a note saying so.
 */
function shareWithContainerUser(secretsDir: string): string[] {
  const notes: string[] = [];
  for (const name of BROKER_READS) {
    const file = path.join(secretsDir, name);
    if (!fs.existsSync(file) || fs.statSync(file).uid === CONTAINER_UID) continue;
    try {
      fs.chownSync(file, CONTAINER_UID, CONTAINER_UID);
    } catch {
      fs.chmodSync(file, 0o644);
      notes.push(`${file} made readable by all: the broker in the container runs as uid ${CONTAINER_UID}`);
    }
  }
  return notes;
}
