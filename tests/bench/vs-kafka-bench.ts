// Benchmark (prints figures; not a test): Zafka side by side with the real Apache Kafka 2.4 on the
// same machine in the same run, both driven by Kafka's own kafka-producer-perf-test and
// kafka-consumer-perf-test. Runs alternate Kafka and Zafka and each side's best is kept, since the
// machine is shared and noisy. Prints one markdown table.
//
//   npm run bench:vs-kafka -- [--rounds 2] [--records 1000000] [--latency-seconds 20]
//                             [--startup-topics 100] [--only kafka|zafka] [--quick]
//
// Needs dist/ (npm run build), Debian's zookeeper package, and the reference Kafka 2.4
// (KREF_DIST, or ../shared/tools/reference-kafka; the command says how to get it and exits 2).
// ZAFKA_BROKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the Zafka brokers.
//
// Reading the table: on a 2-core machine the perf-test JVM shares the cores with the broker, so the
// 1-broker records/s are partly the client's limit; the "broker CPU s" rows (CPU the broker
// processes spent on the same records) show each broker's own cost independently of that.
import { BrokerSide, cpuSeconds, createTopics, partitionsWithLeaders, rssMiB } from './vs-kafka/broker-side';
import { KafkaSide, requireKafkaDist } from './vs-kafka/kafka-side';
import { consumerPerfTest, producerPerfTest } from './vs-kafka/perf-tools';
import { best, RoundFigures, table } from './vs-kafka/results';
import { ZafkaSide } from './vs-kafka/zafka-side';

interface Options {
  rounds: number;
  records: number;
  recordSize: number;
  latencyRate: number;
  latencySeconds: number;
  /** 100 topics x 10 partitions for the start-up figure. */
  startupTopics: number;
  /** Run one side only (e.g. to profile Zafka); the table then shows n/a for the other. */
  only: 'kafka' | 'zafka' | null;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { rounds: 2, records: 1_000_000, recordSize: 100, latencyRate: 20_000, latencySeconds: 20, startupTopics: 100, only: null };
  const names: Record<string, 'rounds' | 'records' | 'latencySeconds' | 'startupTopics'> = { '--rounds': 'rounds', '--records': 'records', '--latency-seconds': 'latencySeconds', '--startup-topics': 'startupTopics' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') {
      Object.assign(o, { rounds: 1, records: 100_000, latencySeconds: 5, startupTopics: 20 });
      continue;
    }
    if (argv[i] === '--only' && (argv[i + 1] === 'kafka' || argv[i + 1] === 'zafka')) {
      o.only = argv[++i] as 'kafka' | 'zafka';
      continue;
    }
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value) || value <= 0) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\nusage: bench:vs-kafka [--rounds N] [--records N] [--latency-seconds S] [--startup-topics N] [--only kafka|zafka] [--quick]`);
      process.exit(1);
    }
    o[key] = value;
    i++;
  }
  return o;
}

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/** 1 broker: produce and consume, broker RSS, then the start-up time with 1,000 partitions. */
async function oneBroker(side: BrokerSide, dist: string, o: Options, round: number): Promise<RoundFigures> {
  const f: RoundFigures = {};
  await side.start(1);
  try {
    await createTopics(side.bootstrap, [{ name: 'bench', partitions: 3, replicationFactor: 1 }]);
    const pid = side.brokerPids()[0];
    const cpu0 = cpuSeconds(pid);
    const p = await producerPerfTest(dist, { bootstrap: side.bootstrap, topic: 'bench', records: o.records, recordSize: o.recordSize, acks: '1' });
    f.produce = p.recordsPerSec;
    const cpu1 = cpuSeconds(pid);
    f.produceCpu = cpu1 - cpu0;
    log(`${side.name}: produce acks=1 ${p.recordsPerSec.toFixed(0)} records/s (${p.mbPerSec} MB/s), p99 ${p.p99Ms} ms; broker CPU ${f.produceCpu.toFixed(1)} s`);
    const c = await consumerPerfTest(dist, { bootstrap: side.bootstrap, topic: 'bench', records: o.records, group: `vs-kafka-${round}` });
    f.consume = c.recordsPerSec;
    f.consumeCpu = cpuSeconds(pid) - cpu1;
    f.rssOne = rssMiB(pid);
    log(`${side.name}: consume ${c.recordsPerSec.toFixed(0)} records/s (${c.mbPerSec} MB/s, group join included); broker CPU ${f.consumeCpu.toFixed(1)} s; broker RSS ${f.rssOne.toFixed(0)} MiB`);

    const topics = Array.from({ length: o.startupTopics }, (_, i) => ({ name: `startup-${String(i).padStart(3, '0')}`, partitions: 10, replicationFactor: 1 }));
    await createTopics(side.bootstrap, topics);
    await side.stopBrokerOne();
    const [host, port] = side.bootstrap.split(':');
    const names = new Set(topics.map((t) => t.name));
    const want = topics.length * 10;
    const t0 = performance.now();
    await side.startBrokerOne();
    const deadline = Date.now() + 300_000;
    while ((await partitionsWithLeaders(host, Number(port), names)) < want) {
      if (Date.now() > deadline) throw new Error(`${side.name}: ${want} partitions not all led 300 s after restart`);
      await new Promise((r) => setTimeout(r, 50));
    }
    f.startupMs = performance.now() - t0;
    log(`${side.name}: start-up to serving with ${want} partitions ${f.startupMs.toFixed(0)} ms`);
  } finally {
    await side.stop();
  }
  return f;
}

/** 3 brokers, RF 3, min.insync.replicas 2: acks=all throughput, then latency at a fixed rate; RSS. */
async function threeBrokers(side: BrokerSide, dist: string, o: Options): Promise<RoundFigures> {
  const f: RoundFigures = {};
  await side.start(3);
  try {
    await createTopics(side.bootstrap, [
      { name: 'bench-all', partitions: 3, replicationFactor: 3, minInsync: 2 },
      { name: 'latency', partitions: 3, replicationFactor: 3, minInsync: 2 },
    ]);
    const brokerCpu = () => side.brokerPids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const cpu0 = brokerCpu();
    const p = await producerPerfTest(dist, { bootstrap: side.bootstrap, topic: 'bench-all', records: o.records, recordSize: o.recordSize, acks: 'all' });
    f.produceAll = p.recordsPerSec;
    f.produceAllCpu = brokerCpu() - cpu0;
    log(`${side.name}: produce acks=all RF 3 ${p.recordsPerSec.toFixed(0)} records/s (${p.mbPerSec} MB/s); brokers' CPU ${f.produceAllCpu.toFixed(1)} s`);
    const l = await producerPerfTest(dist, { bootstrap: side.bootstrap, topic: 'latency', records: o.latencyRate * o.latencySeconds, recordSize: o.recordSize, acks: 'all', throughput: o.latencyRate });
    f.latency = { p50: l.p50Ms, p99: l.p99Ms, p999: l.p999Ms };
    f.rssThree = Math.max(...side.brokerPids().map(rssMiB));
    log(`${side.name}: ${l.recordsPerSec.toFixed(0)} records/s offered ${o.latencyRate}: p50 ${l.p50Ms} p99 ${l.p99Ms} p99.9 ${l.p999Ms} ms; largest broker RSS ${f.rssThree.toFixed(0)} MiB`);
  } finally {
    await side.stop();
  }
  return f;
}

async function attempt(side: BrokerSide, what: string, fn: () => Promise<RoundFigures>): Promise<RoundFigures> {
  try {
    return await fn();
  } catch (e) {
    log(`${side.name}: ${what} FAILED: ${(e as Error).message}`);
    return {};
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const { dist, tools } = await requireKafkaDist();
  const kafka = new KafkaSide(dist, tools);
  const zafka = new ZafkaSide();
  const figures = new Map<BrokerSide, RoundFigures>([[kafka, {}], [zafka, {}]]);
  log(`Kafka ${dist} (heap ${kafka.heapNote}) vs Zafka; ${o.rounds} round(s), ${o.records} x ${o.recordSize} B, latency ${o.latencyRate}/s for ${o.latencySeconds} s, start-up with ${o.startupTopics * 10} partitions`);
  for (let round = 0; round < o.rounds; round++) {
    // Kafka first in even rounds, Zafka first in odd ones; the 3-broker pass reverses the order
    // again, so neither side always runs right after the other's clean-up.
    const order = (round % 2 === 0 ? [kafka, zafka] : [zafka, kafka]).filter((s) => !o.only || s === (o.only === 'kafka' ? kafka : zafka));
    for (const side of order) figures.set(side, best(figures.get(side)!, await attempt(side, '1-broker run', () => oneBroker(side, dist, o, round))));
    for (const side of [...order].reverse()) figures.set(side, best(figures.get(side)!, await attempt(side, '3-broker run', () => threeBrokers(side, dist, o))));
  }
  const heapMiB = Number(/-Xmx(\d+)[mM]/.exec(kafka.heapNote)?.[1] ?? NaN);
  console.log(`\nBest of ${o.rounds} round(s) each, Kafka's perf tools as the client for both, 2-core shared machine:\n`);
  console.log(table(figures.get(kafka)!, figures.get(zafka)!, { records: o.records, recordSize: o.recordSize, latencyRate: o.latencyRate, startupPartitions: o.startupTopics * 10, heap: kafka.heapNote, heapMiB }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
