// Benchmark (prints figures; not a test) for exactly-once (issue 10), Zafka side by side with the
// real Apache Kafka 2.4 on the same machine in the same run, alternating sides, each side's best
// of its rounds kept (the machine is shared and noisy):
//
// 1. acks=all throughput of an idempotent producer vs a plain one (Kafka's kafka-producer-perf-test,
//    enable.idempotence=true/false): the idempotent one should be within 10% of the plain one.
// 2. Transactional throughput: 1,000-record transactions committed one after the other (kafkajs,
//    exact size), and Kafka's perf tool with --transaction-duration-ms (transactions by age).
// 3. Producer-state recovery at start-up: a partition holding batches of 1,000,000 distinct
//    producer ids, crafted into the log while the broker is down, no snapshot and no clean
//    shutdown (the broker recovers the segment and replays it); then the same after a clean
//    restart (the snapshot written at shutdown is loaded). Both: ms from process start to serving,
//    next to a clean restart with the partition still empty (the broker's own start-up cost).
//
//   npm run bench:transactions -- [--rounds 2] [--records 500000] [--record-size 100]
//        [--transactions 100] [--producer-ids 1000000] [--brokers 1] [--zk-session-ms MS]
//        [--only kafka|zafka] [--quick]
//
// --zk-session-ms: Zafka recovers a log on its event loop, which also keeps its ZooKeeper session;
// replaying 1,000,000 producer ids takes longer than the test clusters' 6 s session, which then
// expires and the broker exits during start-up (Kafka's ZooKeeper client has threads of its own).
// A longer session measures the replay itself.
//
// Needs dist/ (npm run build), Debian's zookeeper package and the reference Kafka 2.4 (see
// bench:vs-kafka). A figure a side cannot produce (e.g. transactions before Zafka has a
// transaction coordinator) prints n/a and the reason is logged.
import { BrokerSide, createTopics } from './vs-kafka/broker-side';
import { KafkaSide, requireKafkaDist } from './vs-kafka/kafka-side';
import { producerPerfTest, type ClientProps } from './vs-kafka/perf-tools';
import { ZafkaSide } from './vs-kafka/zafka-side';
import { transactionalRecordsPerSec } from './transactions/kafkajs-transactions';
import { msUntilServing, writeProducerIdLog } from './transactions/producer-id-log';

interface Options {
  rounds: number;
  records: number;
  recordSize: number;
  transactions: number;
  producerIds: number;
  brokers: number;
  /** Zafka's zookeeper.session.timeout.ms (0: the test clusters' 6000). */
  zkSessionMs: number;
  only: 'kafka' | 'zafka' | null;
}

interface Figures {
  plain?: number;
  idempotent?: number;
  txnKafkajs?: number;
  txnPerfTool?: number;
  baselineMs?: number;
  replayMs?: number;
  snapshotMs?: number;
}

const RECORDS_PER_TRANSACTION = 1000;
const TRANSACTION_DURATION_MS = 100;

function parseOptions(argv: string[]): Options {
  const o: Options = { rounds: 2, records: 500_000, recordSize: 100, transactions: 100, producerIds: 1_000_000, brokers: 1, zkSessionMs: 0, only: null };
  const names: Record<string, keyof Omit<Options, 'only'>> = {
    '--rounds': 'rounds', '--records': 'records', '--record-size': 'recordSize', '--transactions': 'transactions', '--producer-ids': 'producerIds', '--brokers': 'brokers', '--zk-session-ms': 'zkSessionMs',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') {
      Object.assign(o, { rounds: 1, records: 100_000, transactions: 20, producerIds: 100_000 });
      continue;
    }
    if (argv[i] === '--only' && (argv[i + 1] === 'kafka' || argv[i + 1] === 'zafka')) {
      o.only = argv[++i] as 'kafka' | 'zafka';
      continue;
    }
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value <= 0) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\nusage: bench:transactions [--rounds N] [--records N] [--record-size B] [--transactions N] [--producer-ids N] [--brokers N] [--zk-session-ms MS] [--only kafka|zafka] [--quick]`);
      process.exit(1);
    }
    o[key] = value;
    i++;
  }
  return o;
}

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** Runs one measurement; a failure is logged and leaves the figure undefined. */
async function measure<T>(side: BrokerSide, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    const value = await fn();
    log(`${side.name}: ${what}: ${typeof value === 'number' ? value.toFixed(0) : value}`);
    return value;
  } catch (e) {
    log(`${side.name}: ${what} FAILED: ${(e as Error).message.split('\n').slice(0, 3).join(' | ')}`);
    return undefined;
  }
}

async function round(side: BrokerSide, dist: string, o: Options, n: number): Promise<Figures> {
  const f: Figures = {};
  await side.start(o.brokers);
  try {
    const rf = Math.min(o.brokers, 3);
    await createTopics(side.bootstrap, [
      { name: 'plain', partitions: 3, replicationFactor: rf, minInsync: Math.min(rf, 2) },
      { name: 'idempotent', partitions: 3, replicationFactor: rf, minInsync: Math.min(rf, 2) },
      { name: 'transactional', partitions: 3, replicationFactor: rf, minInsync: Math.min(rf, 2) },
      { name: 'producer-ids', partitions: 1, replicationFactor: 1 },
    ]);
    const perf = (topic: string, props: ClientProps, args: string[] = []) =>
      producerPerfTest(dist, { bootstrap: side.bootstrap, topic, records: o.records, recordSize: o.recordSize, acks: 'all', props, args }).then((r) => r.recordsPerSec);
    f.plain = await measure(side, 'acks=all, not idempotent (records/s)', () => perf('plain', { 'enable.idempotence': 'false' }));
    f.idempotent = await measure(side, 'acks=all, idempotent (records/s)', () => perf('idempotent', { 'enable.idempotence': 'true' }));
    f.txnKafkajs = await measure(side, `${RECORDS_PER_TRANSACTION}-record transactions, kafkajs (records/s)`, () =>
      transactionalRecordsPerSec(side.bootstrap, 'transactional', { transactions: o.transactions, recordsPerTransaction: RECORDS_PER_TRANSACTION, recordSize: o.recordSize }),
    );
    f.txnPerfTool = await measure(side, `transactions of ${TRANSACTION_DURATION_MS} ms, perf tool (records/s)`, () =>
      perf('transactional', { 'enable.idempotence': 'true' }, ['--transaction-duration-ms', String(TRANSACTION_DURATION_MS), '--transactional-id', `bench-perf-${n}`]),
    );

    // Producer-state recovery: a clean restart with the partition empty (the broker's own start-up
    // cost), then the crafted log, no snapshot, no clean shutdown; then a clean restart again.
    const restart = (endOffset: number) => async () => {
      const t0 = performance.now();
      await side.startBrokerOne();
      return msUntilServing(side.bootstrap, 'producer-ids', endOffset, t0);
    };
    await side.stopBrokerOne();
    f.baselineMs = await measure(side, 'start-up to serving, the partition empty (ms)', restart(0));
    await side.stopBrokerOne();
    writeProducerIdLog(side.brokerOneLogDir(), 'producer-ids', o.producerIds);
    f.replayMs = await measure(side, `start-up to serving, ${o.producerIds} producer ids replayed (ms)`, restart(o.producerIds));
    await side.stopBrokerOne();
    f.snapshotMs = await measure(side, `start-up to serving, ${o.producerIds} producer ids from the snapshot (ms)`, restart(o.producerIds));
  } finally {
    await side.stop();
  }
  return f;
}

const higher = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const lower = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

function best(a: Figures, b: Figures): Figures {
  return {
    plain: higher(a.plain, b.plain),
    idempotent: higher(a.idempotent, b.idempotent),
    txnKafkajs: higher(a.txnKafkajs, b.txnKafkajs),
    txnPerfTool: higher(a.txnPerfTool, b.txnPerfTool),
    baselineMs: lower(a.baselineMs, b.baselineMs),
    replayMs: lower(a.replayMs, b.replayMs),
    snapshotMs: lower(a.snapshotMs, b.snapshotMs),
  };
}

const fmt = (n?: number, digits = 0) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function table(k: Figures, z: Figures, o: Options): string {
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? a / b : undefined);
  const r = (x?: number) => (x === undefined ? 'n/a' : `${x.toFixed(2)}x`);
  const idem = (f: Figures) => ratio(f.idempotent, f.plain);
  const within = (x?: number) => (x === undefined ? 'n/a' : x >= 0.9 ? 'yes (>= 0.90x)' : 'NO (< 0.90x)');
  const n = fmt(o.records);
  const rows = [
    [`acks=all, not idempotent, ${n} x ${o.recordSize} B, perf tool (records/s)`, fmt(k.plain), fmt(z.plain), r(ratio(z.plain, k.plain)), '(baseline)'],
    [`acks=all, idempotent, same (records/s)`, fmt(k.idempotent), fmt(z.idempotent), r(ratio(z.idempotent, k.idempotent)), '(see next row)'],
    [`idempotent / not idempotent, each broker`, r(idem(k)), r(idem(z)), '', `Kafka ${within(idem(k))}; Zafka ${within(idem(z))}`],
    [`${fmt(o.transactions)} transactions of ${RECORDS_PER_TRANSACTION} records, acks=all, kafkajs (records/s)`, fmt(k.txnKafkajs), fmt(z.txnKafkajs), r(ratio(z.txnKafkajs, k.txnKafkajs)), '(no target)'],
    [`transactions of ${TRANSACTION_DURATION_MS} ms, ${n} records, perf tool (records/s)`, fmt(k.txnPerfTool), fmt(z.txnPerfTool), r(ratio(z.txnPerfTool, k.txnPerfTool)), '(no target)'],
    [`start-up to serving, the partition empty (baseline, ms)`, fmt(k.baselineMs), fmt(z.baselineMs), r(ratio(z.baselineMs, k.baselineMs)), '(no target)'],
    [`start-up to serving, ${fmt(o.producerIds)} producer ids, log replayed (ms)`, fmt(k.replayMs), fmt(z.replayMs), r(ratio(z.replayMs, k.replayMs)), '(no target)'],
    [`start-up to serving, same, snapshot after a clean shutdown (ms)`, fmt(k.snapshotMs), fmt(z.snapshotMs), r(ratio(z.snapshotMs, k.snapshotMs)), '(no target)'],
  ];
  const header = ['scenario', 'Kafka 2.4', 'Zafka', 'ratio (Zafka/Kafka)', 'target met?'];
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const { dist, tools } = await requireKafkaDist();
  const kafka = new KafkaSide(dist, tools);
  const zafka = new ZafkaSide(o.zkSessionMs ? { 'zookeeper.session.timeout.ms': o.zkSessionMs } : {});
  const figures = new Map<BrokerSide, Figures>([[kafka, {}], [zafka, {}]]);
  log(`Kafka ${dist} (heap ${kafka.heapNote}) vs Zafka; ${o.rounds} round(s), ${o.brokers} broker(s), ${o.records} x ${o.recordSize} B, ${o.transactions} transactions, ${o.producerIds} producer ids`);
  for (let n = 0; n < o.rounds; n++) {
    const order = (n % 2 === 0 ? [kafka, zafka] : [zafka, kafka]).filter((s) => !o.only || s === (o.only === 'kafka' ? kafka : zafka));
    for (const side of order) {
      try {
        figures.set(side, best(figures.get(side)!, await round(side, dist, o, n)));
      } catch (e) {
        log(`${side.name}: round ${n + 1} FAILED: ${(e as Error).message}`);
        await side.stop().catch(() => undefined);
      }
    }
  }
  console.log(`\nBest of ${o.rounds} round(s) each, ${o.brokers} broker(s), 2-core shared machine:\n`);
  console.log(table(figures.get(kafka)!, figures.get(zafka)!, o));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
