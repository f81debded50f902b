// Reading ssl.keystore.* and ssl.truststore.* as Node's TLS needs them. Kafka 2.4 reads JKS and
// PKCS12 through Java; Zafka reads PKCS12 and PEM (PEM keystores as in Kafka 2.7's KIP-651: one
// file holding the private key and its certificate chain). JKS cannot be read without Java, so a
// JKS store is a configuration error that names the conversion to PKCS12. A PKCS12 truststore
// holds certificates only, which Node cannot load as a pfx: its certificates are read with the
// openssl command (openssl pkcs12 -nokeys), with -legacy for stores made by older Java (RC2).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ConfigError } from '../config/config-error';

export type StoreType = 'PKCS12' | 'PEM';

export interface KeyMaterial {
  /** A PKCS12 keystore (with its password), or PEM key + chain. */
  readonly pfx?: Buffer;
  readonly passphrase?: string;
  readonly key?: string;
  readonly cert?: string;
}

const JKS_MAGIC = 0xfeedfeed;

/** The store's type: as configured; the JKS default is honoured only when the file really is JKS. */
function storeType(kind: 'keystore' | 'truststore', location: string, configured: string | undefined, data: Buffer): StoreType {
  const type = (configured ?? 'JKS').toUpperCase();
  const isJks = data.length >= 4 && data.readUInt32BE(0) === JKS_MAGIC;
  if (type === 'JKS' && (configured !== undefined || isJks)) {
    throw new ConfigError(
      `ssl.${kind}.type=JKS (${location}): Zafka cannot read JKS stores; convert it with ` +
        `keytool -importkeystore -srckeystore ${location} -destkeystore ${location}.p12 -deststoretype PKCS12 ` +
        `and set ssl.${kind}.type=PKCS12 (or use PEM)`,
    );
  }
  if (type === 'PEM' || (type === 'JKS' && data.includes('-----BEGIN'))) return 'PEM';
  if (type === 'PKCS12' || type === 'JKS') return 'PKCS12';
  throw new ConfigError(`Invalid value ${configured} for configuration ssl.${kind}.type: Zafka supports PKCS12 and PEM`);
}

function readStore(kind: 'keystore' | 'truststore', location: string): Buffer {
  try {
    return fs.readFileSync(location);
  } catch (err) {
    throw new ConfigError(`Invalid value ${location} for configuration ssl.${kind}.location: ${(err as Error).message}`);
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** ssl.keystore.*: the broker's own key and certificate chain. */
export function loadKeystore(location: string, type: string | undefined, password: string | undefined, keyPassword: string | undefined): KeyMaterial {
  const data = readStore('keystore', location);
  if (storeType('keystore', location, type, data) === 'PEM') {
    const text = data.toString('utf8');
    const blocks = [...text.matchAll(PEM_BLOCK)];
    const key = blocks.find((b) => b[1].endsWith('PRIVATE KEY'));
    const certs = blocks.filter((b) => b[1] === 'CERTIFICATE');
    if (!key || certs.length === 0) {
      throw new ConfigError(`ssl.keystore.location ${location}: a PEM keystore must hold a private key and its certificate chain`);
    }
    return { key: key[0], cert: certs.map((b) => b[0]).join('\n'), passphrase: keyPassword ?? password };
  }
  return { pfx: data, passphrase: password ?? '' };
}

/** ssl.truststore.*: the CA certificates (PEM text) that peers' certificates must chain to. */
export function loadTruststore(location: string, type: string | undefined, password: string | undefined): string {
  const data = readStore('truststore', location);
  if (storeType('truststore', location, type, data) === 'PEM') return data.toString('utf8');
  return pkcs12Certificates(location, password ?? '');
}

function pkcs12Certificates(location: string, password: string): string {
  const run = (legacy: boolean) =>
    execFileSync('openssl', ['pkcs12', '-in', location, '-nokeys', '-passin', 'env:ZAFKA_STORE_PASSWORD', ...(legacy ? ['-legacy'] : [])], {
      env: { ...process.env, ZAFKA_STORE_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8');
  let pem: string;
  try {
    pem = run(false);
  } catch {
    try {
      pem = run(true);
    } catch (err) {
      const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? (err as Error).message;
      throw new ConfigError(`ssl.truststore.location ${location}: cannot read the PKCS12 truststore (wrong ssl.truststore.password, or the openssl command is missing?): ${detail}`);
    }
  }
  const certs = [...pem.matchAll(PEM_BLOCK)].filter((b) => b[1] === 'CERTIFICATE').map((b) => b[0]);
  if (certs.length === 0) throw new ConfigError(`ssl.truststore.location ${location}: the truststore holds no certificates`);
  return certs.join('\n');
}
