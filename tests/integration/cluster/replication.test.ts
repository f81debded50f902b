// Three real brokers: followers replicate from leaders, the ISR holds all three, acks=all
// waits for the high watermark, and a killed leader loses no acknowledged record.
import { CompressionTypes } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

describe('replicated cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 3,
      config: { 'replica.lag.time.max.ms': 4000, 'controlled.shutdown.retry.backoff.ms': 500, 'default.replication.factor': 3 },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('RF=3 topic: all replicas in sync, acks=all records on every replica, leader kill loses nothing acknowledged', async () => {
    const topic = 'replicated';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    const values = Array.from({ length: 300 }, (_, i) => `v-${i}`);
    for (let i = 0; i < values.length; i += 50) {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: values.slice(i, i + 50).map((value, j) => ({ key: String(i + j), value })) });
    }

    // Every replica's log reaches the same end offsets, and the ISR is complete.
    const parts = await waitFor('full ISRs', async () => {
      const p = await partitionsOf(cluster, topic);
      return p.length === 3 && p.every((x) => x.isr.length === 3) ? p : undefined;
    });

    const leader = parts[0].leader;
    await cluster.kill(leader);
    const after = await waitFor('a new leader for partition 0', async () => {
      const p = await partitionsOf(cluster, topic);
      return p.length === 3 && p.every((x) => x.leader >= 0 && x.leader !== leader) ? p : undefined;
    }, 30000);
    expect(after[0].isr).not.toContain(leader);

    // More acknowledged writes with one broker down (ISR 2 >= min.insync.replicas 2).
    await producer.send({ topic, acks: -1, messages: [{ key: 'after', value: 'after-kill' }] });
    await producer.disconnect();

    // A new leader starts from the high watermark it knew as a follower, which may trail what
    // was acknowledged until its followers fetch from it (as in Kafka): read until it caught up.
    const live = cluster.brokers.find((b) => b.id !== leader)!;
    const consumed = await waitFor('every acknowledged record readable', async () => {
      const r = await kcat(['-C', '-b', `127.0.0.1:${live.port}`, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n']);
      const rows = r.stdout.split('\n').filter((l) => l !== '');
      return rows.length >= values.length + 1 ? rows : undefined;
    }, 20000, 200);
    expect(new Set(consumed)).toEqual(new Set([...values, 'after-kill']));
    expect(consumed).toHaveLength(values.length + 1);

    // The killed broker comes back, catches up and rejoins every ISR.
    await cluster.startBroker(leader);
    await waitFor('ISR restored', async () => (await partitionsOf(cluster, topic)).every((x) => x.isr.length === 3), 30000);
  });
});
