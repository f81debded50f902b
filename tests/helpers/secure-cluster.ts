// Test clusters with TLS and SASL listeners: certificates made by scripts/make-local-ca.sh (plus
// an untrusted client certificate from a CA nobody trusts), brokers with a PLAINTEXT listener for
// the harness and any of SSL, SASL_PLAINTEXT and SASL_SSL on their own ports, and SCRAM users
// written to ZooKeeper as kafka-configs --zookeeper writes them.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatScramCredential, makeScramCredential, type ScramMechanism } from '../../broker/security/scram-credential';
import { NoNodeError } from '../../controller/zk/zk-errors';
import { CreateMode, ZooKeeperClient } from '../../controller/zk/zookeeper-client';
import { REPO_ROOT, TestCluster } from './cluster';
import { freePort } from './ports';

export const STORE_PASSWORD = 'test-store-pw';

export interface TestCerts {
  readonly dir: string;
  readonly caPem: string;
  readonly file: (name: string) => string;
}

/** A CA and certificates (scripts/make-local-ca.sh), and "untrusted.*": a client cert from another CA. */
export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-certs-'));
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts/make-local-ca.sh'), dir, STORE_PASSWORD, '30'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', 'untrusted.key', '-out', 'untrusted.pem', '-subj', '/CN=intruder'], {
    cwd: dir,
    stdio: 'ignore',
  });
  return { dir, caPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'), file: (name) => path.join(dir, name) };
}

export type SecureProtocol = 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

export interface SecureClusterOptions {
  brokers?: number;
  protocols: readonly SecureProtocol[];
  /** More listeners by name (e.g. MTLS: 'SSL'), added to listener.security.protocol.map. */
  extraListeners?: Record<string, SecureProtocol>;
  /** Extra server.properties for every broker (after the listener settings). */
  config?: Record<string, string>;
  /** Per-broker settings (e.g. a PEM keystore on one broker only). */
  brokerConfig?: (id: number) => Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Default settings of this helper to leave out (e.g. a listener's JAAS key, to test a JAAS file). */
  omit?: readonly string[];
}

export interface SecureCluster {
  readonly cluster: TestCluster;
  /** broker id -> listener name -> port. */
  readonly ports: Map<number, Record<string, number>>;
  /** host:port list of a listener (by name) on every broker. */
  bootstrap(listener: string): string;
}

/** A PlainLoginModule JAAS line with the test users. */
export const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";';

export async function startSecureCluster(certs: TestCerts, options: SecureClusterOptions): Promise<SecureCluster> {
  const cluster = await TestCluster.create({ brokers: options.brokers ?? 1 });
  const ports = new Map<number, Record<string, number>>();
  for (const b of cluster.brokers) {
    const mine: Record<string, number> = { PLAINTEXT: b.port };
    for (const p of options.protocols) mine[p] = await freePort();
    for (const name of Object.keys(options.extraListeners ?? {})) mine[name] = await freePort();
    const protocolMap = ['PLAINTEXT:PLAINTEXT', 'SSL:SSL', 'SASL_PLAINTEXT:SASL_PLAINTEXT', 'SASL_SSL:SASL_SSL', ...Object.entries(options.extraListeners ?? {}).map(([n, p]) => `${n}:${p}`)];
    ports.set(b.id, mine);
    const props: Record<string, string> = {
      'listener.security.protocol.map': protocolMap.join(','),
      listeners: Object.entries(mine).map(([name, port]) => `${name}://127.0.0.1:${port}`).join(','),
      'ssl.keystore.location': certs.file('broker.keystore.p12'),
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.password': STORE_PASSWORD,
      'ssl.key.password': STORE_PASSWORD,
      'ssl.truststore.location': certs.file('truststore.p12'),
      'ssl.truststore.type': 'PKCS12',
      'ssl.truststore.password': STORE_PASSWORD,
      'ssl.enabled.protocols': 'TLSv1.2,TLSv1.3',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
      'listener.name.sasl_ssl.plain.sasl.jaas.config': PLAIN_JAAS,
      ...options.config,
      ...(options.brokerConfig?.(b.id) ?? {}),
    };
    for (const key of options.omit ?? []) delete props[key];
    fs.appendFileSync(b.configFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  }
  const savedOpts = process.env.KAFKA_OPTS;
  if (options.env?.KAFKA_OPTS !== undefined) process.env.KAFKA_OPTS = options.env.KAFKA_OPTS;
  try {
    await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
  } finally {
    if (savedOpts === undefined) delete process.env.KAFKA_OPTS;
    else process.env.KAFKA_OPTS = savedOpts;
  }
  await cluster.waitForAllBrokers();
  return {
    cluster,
    ports,
    bootstrap: (listener) => cluster.brokers.map((b) => `127.0.0.1:${ports.get(b.id)![listener]}`).join(','),
  };
}

/**
 * What `kafka-configs --zookeeper --alter --add-config 'SCRAM-SHA-256=[password=...]' --entity-type
 * users --entity-name <user>` writes: /config/users/<user>, then a change notification.
 */
export async function writeScramUser(zkConnect: string, user: string, password: string, mechanisms: readonly ScramMechanism[]): Promise<void> {
  const zk = await ZooKeeperClient.connect(zkConnect, 10000);
  try {
    const config: Record<string, string> = {};
    for (const m of mechanisms) config[m] = formatScramCredential(makeScramCredential(m, password));
    const data = Buffer.from(JSON.stringify({ version: 1, config }));
    const znode = `/config/users/${encodeURIComponent(user)}`;
    try {
      await zk.setData(znode, data);
    } catch (e) {
      if (!(e instanceof NoNodeError)) throw e;
      await zk.createRecursive(znode, data);
    }
    await zk.create('/config/changes/config_change_', Buffer.from(JSON.stringify({ version: 2, entity_path: `users/${encodeURIComponent(user)}` })), CreateMode.PERSISTENT_SEQUENTIAL);
  } finally {
    await zk.close();
  }
}
