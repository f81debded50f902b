// Benchmark (prints figures; not a test): produce and consume throughput through a PLAINTEXT
// listener and through an SSL (TLS) listener of the same broker, same machine, same client
// (Zafka's own producer and consumer, whose connections are TLS when the listener is), optionally
// SASL_SSL with SCRAM-SHA-512 too. The records are produced to a fresh topic per listener.
//
//   npm run bench:tls -- [--records 300000] [--record-size 100] [--partitions 3] [--rounds 3]
//
// The listeners take turns, round after round (after one warm-up round on PLAINTEXT, so the JIT
// does not favour whoever runs later); the median round of each is compared.
//
// Run after `npx tsc -p tsconfig.json` (needs dist/ and Debian's zookeeper package).
import * as fs from 'fs';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { PartitionConsumer } from '../../admin-cli/client/partition-consumer';
import { Producer } from '../../admin-cli/client/producer';
import type { ClientSecurity } from '../../broker/network/kafka-client';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { makeTestCerts, startSecureCluster, writeScramUser } from '../helpers/secure-cluster';
import { startZooKeeper } from '../helpers/zookeeper';

interface Options { records: number; recordSize: number; partitions: number; rounds: number }

function parseOptions(argv: string[]): Options {
  const o: Options = { records: 300_000, recordSize: 100, partitions: 3, rounds: 3 };
  const names: Record<string, keyof Options> = { '--records': 'records', '--record-size': 'recordSize', '--partitions': 'partitions', '--rounds': 'rounds' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || !Number.isFinite(Number(argv[i + 1]))) throw new Error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}`);
    o[key] = Number(argv[i + 1]);
  }
  return o;
}

let topicCounter = 0;

async function run(label: string, bootstrap: string, security: ClientSecurity | undefined, o: Options): Promise<{ produceMBs: number; consumeMBs: number }> {
  const client = await ClusterClient.connect(bootstrap, { clientId: 'tls-bench', security });
  try {
    const topic = `bench-${label.toLowerCase().replace(/[^a-z0-9]/g, '-')}-${++topicCounter}`;
    await client.sendToController(CreateTopics, {
      topics: [{ name: topic, numPartitions: o.partitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    await client.topicMetadata(topic, { requireLeaders: true });
    const producer = new Producer(client, { acks: 1, batchSize: 131072, lingerMs: 5, maxInFlightPerBroker: 5 });
    const record = { topic, value: Buffer.alloc(o.recordSize, 'x') };
    const mb = (o.records * o.recordSize) / (1024 * 1024);
    let start = process.hrtime.bigint();
    for (let i = 0; i < o.records; i++) if (!producer.append(record)) await producer.waitForRoom();
    await producer.flush();
    const produceSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (producer.failedRecords > 0) throw new Error(`${producer.failedRecords} records failed: ${producer.firstError?.message}`);
    await producer.close();

    const consumer = new PartitionConsumer(client, { maxWaitMs: 100, partitionMaxBytes: 4 * 1024 * 1024 });
    await consumer.assignTopic(topic, 'earliest');
    let count = 0;
    start = process.hrtime.bigint();
    while (count < o.records) count += (await consumer.poll()).length;
    const consumeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const result = { produceMBs: mb / produceSeconds, consumeMBs: mb / consumeSeconds };
    console.log(
      `${label.padEnd(24)} produce ${(o.records / produceSeconds).toFixed(0).padStart(8)} records/s ${result.produceMBs.toFixed(1).padStart(6)} MB/s   ` +
        `consume ${(o.records / consumeSeconds).toFixed(0).padStart(8)} records/s ${result.consumeMBs.toFixed(1).padStart(6)} MB/s`,
    );
    return result;
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  const certs = makeTestCerts();
  const secure = await startSecureCluster(certs, { protocols: ['SSL', 'SASL_SSL'] });
  try {
    await writeScramUser(secure.cluster.zkConnect, 'bench', 'bench-secret', ['SCRAM-SHA-512']);
    console.log(`1 broker, ${o.partitions} partitions, ${o.records} records of ${o.recordSize} bytes, acks=1, Zafka's producer/consumer`);
    const tls = { ca: certs.caPem };
    const listeners: Array<[string, string, ClientSecurity | undefined]> = [
      ['PLAINTEXT', secure.bootstrap('PLAINTEXT'), undefined],
      ['SSL', secure.bootstrap('SSL'), { tls }],
      ['SASL_SSL SCRAM-SHA-512', secure.bootstrap('SASL_SSL'), { tls, sasl: { mechanism: 'SCRAM-SHA-512', username: 'bench', password: 'bench-secret' } }],
    ];
    await run('warm-up (PLAINTEXT)', secure.bootstrap('PLAINTEXT'), undefined, o);
    const results = new Map<string, Array<{ produceMBs: number; consumeMBs: number }>>();
    for (let round = 0; round < o.rounds; round++) {
      for (const [label, bootstrap, security] of listeners) {
        const r = await run(label, bootstrap, security, o);
        results.set(label, [...(results.get(label) ?? []), r]);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const of = (label: string, k: 'produceMBs' | 'consumeMBs') => median(results.get(label)!.map((r) => r[k]));
    for (const [label] of listeners) {
      console.log(`median ${label.padEnd(24)} produce ${of(label, 'produceMBs').toFixed(1)} MB/s, consume ${of(label, 'consumeMBs').toFixed(1)} MB/s`);
    }
    console.log(
      `SSL / PLAINTEXT: produce ${((100 * of('SSL', 'produceMBs')) / of('PLAINTEXT', 'produceMBs')).toFixed(0)}%, consume ${((100 * of('SSL', 'consumeMBs')) / of('PLAINTEXT', 'consumeMBs')).toFixed(0)}%`,
    );
  } finally {
    await secure.cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
    fs.rmSync(certs.dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
