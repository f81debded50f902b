// Benchmark (prints figures; not a test) for transactions (KIP-98): a kafkajs transactional
// producer runs back-to-back transactions of --messages records spread over --partitions
// partitions of a replicated topic (acks=all), committing each; printed: transactions per second,
// the commit (EndTxn) latency percentiles, and the time from commit until the COMMIT markers are
// in every partition (the coordinator's marker round: WriteTxnMarkers plus CompleteCommit).
//
//   npm run bench:transactions -- [--transactions 200] [--messages 10] [--partitions 3] [--brokers 3]
import * as fs from 'fs';
import { KafkaClient } from '../../broker/network/kafka-client';
import { TestCluster } from '../helpers/cluster';
import { kafkajs } from '../helpers/kafkajs-client';
import { startZooKeeper } from '../helpers/zookeeper';
import { readPartition } from '../integration/transactions/txn-helpers';

interface Options {
  transactions: number;
  messages: number;
  partitions: number;
  brokers: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { transactions: 200, messages: 10, partitions: 3, brokers: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in o) || !Number.isFinite(value)) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}`);
      process.exit(1);
    }
    o[key] = value;
  }
  return o;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  const rf = Math.min(3, o.brokers);
  const cluster = await TestCluster.start({
    brokers: o.brokers,
    config: {
      'transaction.state.log.num.partitions': 3,
      'transaction.state.log.replication.factor': rf,
      'transaction.state.log.min.isr': Math.min(2, rf),
      'min.insync.replicas': Math.min(2, rf),
    },
  });
  try {
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench-txn', numPartitions: o.partitions, replicationFactor: rf }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer({ transactionalId: 'bench', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const payload = 'x'.repeat(100);
    const commits: number[] = [];
    const started = performance.now();
    let lastCommitAt = 0;
    const sends: number[] = [];
    for (let t = 0; t < o.transactions; t++) {
      const sendStarted = performance.now();
      const txn = await producer.transaction();
      await txn.send({ topic: 'bench-txn', acks: -1, messages: Array.from({ length: o.messages }, (_, i) => ({ value: payload, partition: i % o.partitions })) });
      const before = performance.now();
      sends.push(before - sendStarted);
      await txn.commit();
      lastCommitAt = performance.now();
      commits.push(lastCommitAt - before);
    }
    const elapsed = performance.now() - started;
    // Markers of the last transaction: poll every partition's leader until each ends with COMMIT.
    const clients = await Promise.all(cluster.brokers.map((b) => KafkaClient.connect('127.0.0.1', b.port, { clientId: 'bench' })));
    const meta = kafkajs(cluster.bootstrap).admin();
    await meta.connect();
    const { topics } = await meta.fetchTopicMetadata({ topics: ['bench-txn'] });
    await meta.disconnect();
    for (;;) {
      let done = true;
      for (const p of topics[0].partitions) {
        const client = clients[cluster.brokers.findIndex((b) => b.id === p.leader)];
        const batches = await readPartition(client, 'bench-txn', p.partitionId);
        if (batches.at(-1)?.marker !== 'COMMIT') done = false;
      }
      if (done) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const markersAfter = performance.now() - lastCommitAt;
    for (const c of clients) c.close();
    await producer.disconnect();
    commits.sort((a, b) => a - b);
    sends.sort((a, b) => a - b);
    console.log(`${o.transactions} transactions of ${o.messages} records over ${o.partitions} partitions, ${o.brokers} brokers, replication ${rf}, acks=all`);
    console.log(`  ${(o.transactions / (elapsed / 1000)).toFixed(1)} transactions/s (${elapsed.toFixed(0)} ms)`);
    console.log(`  commit (EndTxn) latency ms: p50 ${percentile(commits, 50).toFixed(1)}, p99 ${percentile(commits, 99).toFixed(1)}, max ${commits.at(-1)!.toFixed(1)}`);
    // The first send of a transaction (AddPartitionsToTxn) waits, with the client's backoff, while
    // the previous transaction's markers are written (CONCURRENT_TRANSACTIONS), as with Kafka.
    console.log(`  begin + send latency ms: p50 ${percentile(sends, 50).toFixed(1)}, p99 ${percentile(sends, 99).toFixed(1)}`);
    console.log(`  last commit -> COMMIT markers in every partition (as polled): ${markersAfter.toFixed(0)} ms`);
  } finally {
    await cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
