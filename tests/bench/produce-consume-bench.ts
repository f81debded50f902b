// Benchmark (prints figures; not a test): one real ZooKeeper, real broker processes, then
// N records of S bytes produced to a topic by Zafka's own producer (batching and pipelining like
// Kafka's producer-perf-test), then consumed back.
//
//   npm run bench -- [--records 1000000] [--record-size 100] [--batch-size 131072] [--acks 1]
//                    [--in-flight 5] [--linger-ms 5] [--partitions 3]
//                    [--brokers 1] [--replication-factor 1] [--min-insync 1] [--metrics 0|1]
//                    [--compression 0]   (codec id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
//   npm run bench:replicated   (3 brokers, RF=3, min.insync.replicas=2, acks=all)
//
// Run after `bash scripts/install-deps.sh` (needs dist/ and Debian's zookeeper package).
import * as fs from 'fs';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { PartitionConsumer } from '../../admin-cli/client/partition-consumer';
import { Producer } from '../../admin-cli/client/producer';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { TestCluster } from '../helpers/cluster';
import { startZooKeeper } from '../helpers/zookeeper';

interface Options {
  records: number;
  recordSize: number;
  batchSize: number;
  acks: number;
  inFlight: number;
  lingerMs: number;
  partitions: number;
  brokers: number;
  replicationFactor: number;
  minInsync: number;
  compression: number;
  /** 1: every broker serves Prometheus metrics (metrics.prometheus.listener on a free port). */
  metrics: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { records: 1_000_000, recordSize: 100, batchSize: 131072, acks: 1, inFlight: 5, lingerMs: 5, partitions: 3, brokers: 1, replicationFactor: 1, minInsync: 1, compression: 0, metrics: 0 };
  const names: Record<string, keyof Options> = {
    '--records': 'records', '--record-size': 'recordSize', '--batch-size': 'batchSize', '--acks': 'acks',
    '--in-flight': 'inFlight', '--linger-ms': 'lingerMs', '--partitions': 'partitions',
    '--brokers': 'brokers', '--replication-factor': 'replicationFactor', '--min-insync': 'minInsync',
    '--compression': 'compression', '--metrics': 'metrics',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value)) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}`);
      process.exit(1);
    }
    options[key] = value;
  }
  return options;
}

/** CPU time (user + system, ms) the broker processes have used so far: robust on a busy machine. */
function brokerCpuMs(cluster: TestCluster): number {
  let ticks = 0;
  for (const b of cluster.brokers) {
    if (!b.process?.pid) continue;
    const fields = fs.readFileSync(`/proc/${b.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function produce(client: ClusterClient, topic: string, o: Options): Promise<void> {
  const producer = new Producer(client, { acks: o.acks, batchSize: o.batchSize, lingerMs: o.lingerMs, maxInFlightPerBroker: o.inFlight, compression: o.compression as CompressionType });
  const value = Buffer.alloc(o.recordSize, 'x');
  // Latency is sampled (one record in LATENCY_SAMPLE) so that timing closures do not become the
  // benchmark's own garbage-collection load.
  const LATENCY_SAMPLE = 16;
  const latencies = new Float64Array(Math.ceil(o.records / LATENCY_SAMPLE));
  let completed = 0;
  const record = { topic, value };
  const start = process.hrtime.bigint();
  for (let i = 0; i < o.records; i++) {
    let room: boolean;
    if (i % LATENCY_SAMPLE === 0) {
      const sentAt = performance.now();
      room = producer.append(record, (err) => {
        if (!err) latencies[completed++] = performance.now() - sentAt;
      });
    } else {
      room = producer.append(record);
    }
    if (!room) await producer.waitForRoom();
  }
  await producer.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (producer.failedRecords > 0) throw new Error(`${producer.failedRecords} records failed: ${producer.firstError?.message}`);
  const sorted = Array.from(latencies.subarray(0, completed)).sort((a, b) => a - b);
  const mb = (o.records * o.recordSize) / (1024 * 1024);
  console.log(
    `produce: ${o.records} records, ${(o.records / seconds).toFixed(0)} records/s, ${(mb / seconds).toFixed(1)} MB/s, ` +
      `latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (acks=${o.acks}, ${seconds.toFixed(2)} s)`,
  );
  await producer.close();
}

async function consume(client: ClusterClient, topic: string, o: Options): Promise<void> {
  const consumer = new PartitionConsumer(client, { maxWaitMs: 100, partitionMaxBytes: 4 * 1024 * 1024 });
  await consumer.assignTopic(topic, 'earliest');
  let count = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  while (count < o.records) {
    for (const r of await consumer.poll()) {
      count++;
      bytes += r.value ? r.value.length : 0;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`consume: ${count} records, ${(count / seconds).toFixed(0)} records/s, ${(bytes / (1024 * 1024) / seconds).toFixed(1)} MB/s (${seconds.toFixed(2)} s)`);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  const cluster = await TestCluster.start({ brokers: o.brokers, config: o.metrics ? { 'metrics.prometheus.listener': 'http://127.0.0.1:0' } : {} });
  let client: ClusterClient | undefined;
  try {
    client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'zafka-bench' });
    const topic = 'bench';
    await client.sendToController(CreateTopics, {
      topics: [{ name: topic, numPartitions: o.partitions, replicationFactor: o.replicationFactor, assignments: [], configs: [{ name: 'min.insync.replicas', value: String(o.minInsync) }] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    await client.topicMetadata(topic, { requireLeaders: true });
    console.log(`${o.brokers} broker(s), topic with ${o.partitions} partitions, RF ${o.replicationFactor}, min.insync.replicas ${o.minInsync}, ${o.records} records of ${o.recordSize} bytes, batch.size ${o.batchSize}, linger.ms ${o.lingerMs}, max in flight ${o.inFlight}, compression ${CompressionType[o.compression].toLowerCase()}${o.metrics ? ', Prometheus endpoint on' : ''}`);
    const cpuBefore = brokerCpuMs(cluster);
    await produce(client, topic, o);
    const cpuProduce = brokerCpuMs(cluster) - cpuBefore;
    console.log(`broker CPU during produce: ${cpuProduce.toFixed(0)} ms, ${((cpuProduce * 1e6) / (o.records * o.recordSize)).toFixed(1)} ms per MB of record values`);
    await consume(client, topic, o);
  } finally {
    client?.close();
    await cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
