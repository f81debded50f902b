// Benchmark (prints figures; not a test): what TLS costs Zafka and what it costs the real Apache
// Kafka 2.4, same machine, same run, same client (Kafka's own kafka-producer-perf-test and
// kafka-consumer-perf-test, Java's TLS): one broker with a PLAINTEXT and an SSL listener (the
// certificates of scripts/make-local-ca.sh, PKCS12), produce (acks=1) and consume through each.
// Rounds alternate which side goes first; each side's best figure per cell is kept (shared, noisy
// machine). Prints one markdown table.
//
//   npm run bench:tls-vs-kafka -- [--rounds 2] [--records 300000] [--record-size 100]
//
// Needs dist/ (npm run build), Debian's zookeeper package and the reference Kafka 2.4 (as
// bench:vs-kafka: KREF_DIST or ../shared/tools/reference-kafka).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { makeTestCerts, startSecureCluster, STORE_PASSWORD, type SecureCluster, type TestCerts } from '../helpers/secure-cluster';
import { freePort } from '../helpers/ports';
import { startZooKeeper, type ZooKeeperProcess } from '../helpers/zookeeper';
import { createTopics } from './vs-kafka/broker-side';
import { KafkaSide, requireKafkaDist } from './vs-kafka/kafka-side';
import { consumerPerfTest, producerPerfTest, type ClientProps } from './vs-kafka/perf-tools';

type Listener = 'PLAINTEXT' | 'SSL';
type Cell = { produce?: number; consume?: number };
type Figures = Record<Listener, Cell>;

interface Options { rounds: number; records: number; recordSize: number }

function parseOptions(argv: string[]): Options {
  const o: Options = { rounds: 2, records: 300_000, recordSize: 100 };
  const names: Record<string, keyof Options> = { '--rounds': 'rounds', '--records': 'records', '--record-size': 'recordSize' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value) || value <= 0) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\nusage: bench:tls-vs-kafka [--rounds N] [--records N] [--record-size B]`);
      process.exit(1);
    }
    o[key] = value;
  }
  return o;
}

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** The broker's TLS settings, the same for both: PKCS12 keystore and truststore, TLS 1.2 and 1.3. */
function brokerTlsProps(certs: TestCerts): Record<string, string> {
  return {
    'ssl.keystore.location': certs.file('broker.keystore.p12'),
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.key.password': STORE_PASSWORD,
    'ssl.truststore.location': certs.file('truststore.p12'),
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.password': STORE_PASSWORD,
    'ssl.enabled.protocols': 'TLSv1.2,TLSv1.3',
  };
}

/**
 * Java ignores the certificate of an openssl-made PKCS12 truststore (it lacks Java's trusted-cert
 * attribute), so Java clients get one made by keytool from the same CA.
 */
function javaTruststore(certs: TestCerts): string {
  const file = certs.file('truststore-java.p12');
  if (!fs.existsSync(file)) {
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'zafka-local-ca', '-file', certs.file('ca.pem'), '-keystore', file, '-storetype', 'PKCS12', '-storepass', STORE_PASSWORD], { stdio: 'ignore' });
  }
  return file;
}

function clientProps(listener: Listener, certs: TestCerts): ClientProps {
  if (listener === 'PLAINTEXT') return {};
  return { 'security.protocol': 'SSL', 'ssl.truststore.location': javaTruststore(certs), 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.password': STORE_PASSWORD };
}

/** One broker of either kind with both listeners. */
interface TlsSide {
  readonly name: string;
  start(): Promise<void>;
  bootstrap(listener: Listener): string;
  stop(): Promise<void>;
}

class KafkaTlsSide implements TlsSide {
  readonly name = 'Kafka 2.4';
  private sslPort = 0;
  private plainPort = 0;
  private readonly side: KafkaSide;

  constructor(dist: string, tools: string, certs: TestCerts) {
    this.side = new KafkaSide(dist, tools, undefined, (plaintextPort) => {
      this.plainPort = plaintextPort;
      const listeners = `PLAINTEXT://127.0.0.1:${plaintextPort},SSL://127.0.0.1:${this.sslPort}`;
      const tls = { ...brokerTlsProps(certs), 'ssl.truststore.location': javaTruststore(certs) };
      return Object.entries({ listeners, 'advertised.listeners': listeners, ...tls }).map(([k, v]) => `${k}=${v}`).join('\n');
    });
  }

  async start(): Promise<void> {
    this.sslPort = await freePort();
    await this.side.start(1);
  }

  bootstrap(listener: Listener): string {
    return `127.0.0.1:${listener === 'SSL' ? this.sslPort : this.plainPort}`;
  }

  stop(): Promise<void> {
    return this.side.stop();
  }
}

class ZafkaTlsSide implements TlsSide {
  readonly name = 'Zafka';
  private zk: ZooKeeperProcess | null = null;
  private secure: SecureCluster | null = null;

  constructor(private readonly certs: TestCerts) {}

  async start(): Promise<void> {
    this.zk = await startZooKeeper();
    process.env.ZAFKA_TEST_ZK = this.zk.connectString;
    process.env.ZAFKA_BROKER_LOG_LEVEL ??= 'warn';
    this.secure = await startSecureCluster(this.certs, { protocols: ['SSL'], config: brokerTlsProps(this.certs) });
  }

  bootstrap(listener: Listener): string {
    return this.secure!.bootstrap(listener);
  }

  async stop(): Promise<void> {
    await this.secure?.cluster.stop();
    if (this.zk) {
      await this.zk.stop();
      fs.rmSync(this.zk.dataDir, { recursive: true, force: true });
    }
    this.secure = null;
    this.zk = null;
  }
}

async function oneRound(side: TlsSide, dist: string, certs: TestCerts, o: Options, round: number, figures: Figures): Promise<void> {
  await side.start();
  try {
    for (const listener of ['PLAINTEXT', 'SSL'] as const) {
      const topic = `tls-bench-${listener.toLowerCase()}`;
      await createTopics(side.bootstrap('PLAINTEXT'), [{ name: topic, partitions: 3, replicationFactor: 1 }]);
      const props = clientProps(listener, certs);
      const p = await producerPerfTest(dist, { bootstrap: side.bootstrap(listener), topic, records: o.records, recordSize: o.recordSize, acks: '1', props });
      const c = await consumerPerfTest(dist, { bootstrap: side.bootstrap(listener), topic, records: o.records, group: `tls-bench-${side.name.replace(/\W/g, '')}-${listener}-${round}`, props });
      const cell = figures[listener];
      cell.produce = Math.max(cell.produce ?? 0, p.recordsPerSec);
      cell.consume = Math.max(cell.consume ?? 0, c.recordsPerSec);
      log(`${side.name} ${listener}: produce ${p.recordsPerSec.toFixed(0)} records/s (${p.mbPerSec} MB/s, p99 ${p.p99Ms} ms), consume ${c.recordsPerSec.toFixed(0)} records/s (${c.mbPerSec} MB/s)`);
    }
  } finally {
    await side.stop();
  }
}

const fmt = (n?: number) => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const pct = (a?: number, b?: number) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${Math.round((100 * a) / b)}%`);

function table(kafka: Figures, zafka: Figures): string {
  const rows = [
    '| records/s (1 broker, 3 partitions, acks=1) | Kafka PLAINTEXT | Kafka SSL | Kafka SSL/PLAIN | Zafka PLAINTEXT | Zafka SSL | Zafka SSL/PLAIN | Zafka/Kafka over SSL |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const what of ['produce', 'consume'] as const) {
    rows.push(
      `| ${what} | ${fmt(kafka.PLAINTEXT[what])} | ${fmt(kafka.SSL[what])} | ${pct(kafka.SSL[what], kafka.PLAINTEXT[what])} | ` +
        `${fmt(zafka.PLAINTEXT[what])} | ${fmt(zafka.SSL[what])} | ${pct(zafka.SSL[what], zafka.PLAINTEXT[what])} | ${pct(zafka.SSL[what], kafka.SSL[what])} |`,
    );
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const { dist, tools } = await requireKafkaDist();
  const certs = makeTestCerts();
  const kafka = new KafkaTlsSide(dist, tools, certs);
  const zafka = new ZafkaTlsSide(certs);
  const figures = new Map<TlsSide, Figures>([[kafka, { PLAINTEXT: {}, SSL: {} }], [zafka, { PLAINTEXT: {}, SSL: {} }]]);
  log(`TLS vs PLAINTEXT, Kafka 2.4 vs Zafka: ${o.rounds} round(s), ${o.records} records of ${o.recordSize} B per listener, Kafka's perf tools as the client`);
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const side of round % 2 === 0 ? [kafka, zafka] : [zafka, kafka]) {
        try {
          await oneRound(side, dist, certs, o, round, figures.get(side)!);
        } catch (e) {
          log(`${side.name}: round ${round + 1} FAILED: ${(e as Error).message}`);
        }
      }
      console.log(`\nAfter round ${round + 1}:\n${table(figures.get(kafka)!, figures.get(zafka)!)}\n`);
    }
  } finally {
    fs.rmSync(certs.dir, { recursive: true, force: true });
  }
  console.log(`\nBest of ${o.rounds} round(s) per cell, ${o.records} x ${o.recordSize} B, Kafka's perf tools (Java TLS) as the client for both, 2-core shared machine:\n`);
  console.log(table(figures.get(kafka)!, figures.get(zafka)!));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
