// One real broker process under a real ZooKeeper, driven by real clients: kcat (librdkafka) and
// kafkajs. Consumption here is by kcat -C (group consumers come with the consumer-groups issue).
import { CompressionTypes } from 'kafkajs';
import { TestCluster } from '../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../helpers/kafkajs-client';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

async function consumeAll(bootstrap: string, topic: string): Promise<KcatMessage[]> {
  const result = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-J', '-q']);
  expect(result.code).toBe(0);
  return result.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as KcatMessage);
}

describe('single broker with kcat and kafkajs', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'num.partitions': 3 } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('kcat -L shows the broker; producing auto-creates the topic; kcat -C reads it back', async () => {
    const list = await kcat(['-L', '-b', cluster.bootstrap]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/1 brokers:\s+broker 0 at 127\.0\.0\.1:\d+/);

    const lines = Array.from({ length: 50 }, (_, i) => `k${i % 5}:value-${i}`).join('\n') + '\n';
    const produced = await kcat(['-P', '-b', cluster.bootstrap, '-t', 'kcat-auto', '-K', ':'], { input: lines });
    expect(produced.code).toBe(0);

    const messages = await waitFor('50 records', async () => {
      const m = await consumeAll(cluster.bootstrap, 'kcat-auto');
      return m.length === 50 ? m : undefined;
    });
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);
    expect(messages.map((m) => m.payload).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `value-${i}`).sort());
    // Same key, same partition (librdkafka's consistent_random partitioner).
    const partitionOfKey = new Map<string, number>();
    for (const m of messages) {
      const seen = partitionOfKey.get(m.key!);
      if (seen !== undefined) expect(m.partition).toBe(seen);
      partitionOfKey.set(m.key!, m.partition);
    }
    const afterMetadata = await kcat(['-L', '-b', cluster.bootstrap, '-t', 'kcat-auto']);
    expect(afterMetadata.stdout).toMatch(/topic "kcat-auto" with 3 partitions/);
  });

  test.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('kafkajs producer (%s, acks=all) with keys and headers; kcat reads every record', async (name, compression) => {
    const topic = `kafkajs-${name}`;
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER, allowAutoTopicCreation: false });
    await producer.connect();
    const messages = Array.from({ length: 200 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}-${'x'.repeat(i % 50)}`, headers: { h: `hv-${i}` } }));
    const acks = await producer.send({ topic, acks: -1, compression, messages });
    await producer.disconnect();
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const consumed = await consumeAll(cluster.bootstrap, topic);
    expect(consumed).toHaveLength(200);
    const byKey = new Map(consumed.map((m) => [m.key, m]));
    for (const m of messages) {
      const got = byKey.get(m.key)!;
      expect(got.payload).toBe(m.value);
      expect(got.headers).toEqual(['h', m.headers.h]);
    }
    // Offsets in each partition are dense from 0.
    for (const p of [0, 1]) {
      const offsets = consumed.filter((m) => m.partition === p).map((m) => m.offset).sort((a, b) => a - b);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  test('kafkajs admin: create, list, describe metadata, delete', async () => {
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'admin-t', numPartitions: 4 }], waitForLeaders: true })).toBe(true);
      expect(await admin.listTopics()).toContain('admin-t');
      const meta = await admin.fetchTopicMetadata({ topics: ['admin-t'] });
      expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
      expect(meta.topics[0].partitions.every((p) => p.leader === 0)).toBe(true);
      await expect(admin.createTopics({ topics: [{ topic: 'admin-t' }] })).resolves.toBe(false);
      await admin.deleteTopics({ topics: ['admin-t'], timeout: 10000 });
      await waitFor('topic gone', async () => !(await admin.listTopics()).includes('admin-t'));
    } finally {
      await admin.disconnect();
    }
  });

  test('a restarted broker keeps every record', async () => {
    const topic = 'restart-keeps';
    const input = Array.from({ length: 300 }, (_, i) => `r-${i}`).join('\n') + '\n';
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', topic, '-p', '0'], { input })).code).toBe(0);
    await waitFor('300 records before restart', async () => (await consumeAll(cluster.bootstrap, topic)).length === 300);

    expect(await cluster.stopBroker(0)).toBe(0);
    await cluster.startBroker(0);
    const after = await waitFor('300 records after restart', async () => {
      const m = await consumeAll(cluster.bootstrap, topic);
      return m.length === 300 ? m : undefined;
    });
    expect(after.map((m) => m.payload)).toEqual(Array.from({ length: 300 }, (_, i) => `r-${i}`));
    expect(after.map((m) => m.offset)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});
