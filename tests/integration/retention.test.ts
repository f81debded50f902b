// Log retention on a real broker (Kafka's LogManager.cleanupLogs every
// log.retention.check.interval.ms): size-based retention (retention.bytes as a topic override and
// log.retention.bytes as the broker default) and time-based retention (retention.ms with
// segment.ms rolls). Checked from outside: ListOffsets earliest (-2) moves up, the old segment files
// leave the partition dir, the remaining segments are named by their base offset (20 digits) with
// .index and .timeindex beside them, and a consumer starting at the beginning reads exactly what is
// left, from the new log start offset.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../broker/network/kafka-client';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { ListOffsets } from '../../broker/protocol/messages/list-offsets';
import { TestCluster } from '../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../helpers/kafkajs-client';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

const SEGMENT_BYTES = 2048;
const BROKER_RETENTION_BYTES = 8192;

describe('log retention', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: {
        'log.retention.check.interval.ms': 500,
        // Broker defaults, for topics without overrides.
        'log.segment.bytes': SEGMENT_BYTES,
        'log.retention.bytes': BROKER_RETENTION_BYTES,
      },
    });
    client = await KafkaClient.connect('127.0.0.1', cluster.broker(0).port, { clientId: 'retention-test' });
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  async function createTopic(name: string, configs: Record<string, string>): Promise<void> {
    const res = await client.send(CreateTopics, 3, {
      topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })) }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    expect(res.topics[0].errorCode).toBe(0);
    await waitFor(`${name}-0 to exist`, () => fs.existsSync(partitionDir(name)));
  }

  const partitionDir = (topic: string) => path.join(cluster.broker(0).logDir, `${topic}-0`);

  async function offsetAt(topic: string, timestamp: -1 | -2): Promise<number> {
    const res = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp }] }] });
    const p = res.topics[0].partitions[0];
    expect(p.errorCode).toBe(0);
    return p.offset;
  }

  /** count records in batches of `perBatch` (one kafkajs send = one batch), ~100-byte values. */
  async function produce(topic: string, from: number, count: number, perBatch = 5): Promise<void> {
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let i = from; i < from + count; i += perBatch) {
        const messages = Array.from({ length: Math.min(perBatch, from + count - i) }, (_, j) => ({ key: `k-${i + j}`, value: value(i + j) }));
        await producer.send({ topic, acks: 1, messages });
      }
    } finally {
      await producer.disconnect();
    }
  }

  const value = (i: number) => `v-${i}-`.padEnd(100, 'x');

  /** The partition dir's segments: base offsets from the .log names, checked against their files. */
  function segments(topic: string): Array<{ base: number; size: number }> {
    const dir = partitionDir(topic);
    const files = fs.readdirSync(dir);
    const logs = files.filter((f) => f.endsWith('.log')).sort();
    return logs.map((f) => {
      // Kafka's names: the base offset, zero-padded to 20 digits.
      expect(f).toMatch(/^\d{20}\.log$/);
      const stem = f.slice(0, 20);
      expect(files).toContain(`${stem}.index`);
      expect(files).toContain(`${stem}.timeindex`);
      const bytes = fs.readFileSync(path.join(dir, f));
      const base = Number(stem);
      // The first batch's baseOffset is the name (an empty active segment has no batch yet).
      if (bytes.length >= 8) expect(Number(bytes.readBigInt64BE(0))).toBe(base);
      return { base, size: bytes.length };
    });
  }

  async function consumeFromBeginning(topic: string): Promise<Array<{ offset: number; key: string; value: string }>> {
    const r = await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %k %s\n']);
    expect(r.code).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '').map((l) => {
      const [offset, key, v] = l.split(' ');
      return { offset: Number(offset), key, value: v };
    });
  }

  /** Waits until retention has run on what was produced and the partition is stable. */
  async function expectSizeRetention(topic: string, retentionBytes: number, produced: number): Promise<void> {
    const end = await offsetAt(topic, -1);
    expect(end).toBe(produced);
    const kept = await waitFor(`${topic} trimmed to ${retentionBytes} bytes`, async () => {
      const segs = segments(topic);
      const total = segs.reduce((n, s) => n + s.size, 0);
      return total < retentionBytes + SEGMENT_BYTES ? segs : undefined;
    }, 15000, 200);
    // Kafka deletes whole oldest segments while what stays is still at least retention.bytes.
    const total = kept.reduce((n, s) => n + s.size, 0);
    expect(total).toBeGreaterThanOrEqual(retentionBytes);
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.every((s) => s.size <= SEGMENT_BYTES)).toBe(true);
    expect(fs.existsSync(path.join(partitionDir(topic), '00000000000000000000.log'))).toBe(false);
    expect(fs.existsSync(path.join(partitionDir(topic), '00000000000000000000.index'))).toBe(false);

    const start = await offsetAt(topic, -2);
    expect(start).toBeGreaterThan(0);
    expect(start).toBe(kept[0].base); // the log start offset is the first remaining segment's base

    const records = await consumeFromBeginning(topic);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: end - start }, (_, i) => start + i));
    expect(records.every((r) => r.key === `k-${r.offset}` && r.value === value(r.offset))).toBe(true);
  }

  test('retention.bytes and segment.bytes topic overrides: old segments go, the rest is readable', async () => {
    const topic = 'ret-bytes';
    await createTopic(topic, { 'segment.bytes': String(SEGMENT_BYTES), 'retention.bytes': '4096' });
    await produce(topic, 0, 200);
    await expectSizeRetention(topic, 4096, 200);
  }, 40000);

  test('the broker default log.retention.bytes applies to a topic without overrides', async () => {
    const topic = 'ret-default';
    await createTopic(topic, {});
    expect(await cluster.output(0)).not.toMatch(/Invalid/);
    await produce(topic, 0, 300);
    await expectSizeRetention(topic, BROKER_RETENTION_BYTES, 300);
  }, 40000);

  test('retention.ms with segment.ms: expired segments go, including the active one', async () => {
    const topic = 'ret-time';
    await createTopic(topic, { 'retention.ms': '1000', 'segment.ms': '200' });
    // Three batches 300 ms apart: segment.ms rolls a new segment for each.
    for (let b = 0; b < 3; b++) {
      await produce(topic, b * 10, 10, 10);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await offsetAt(topic, -1)).toBe(30);
    // Everything is older than 1 s soon: the log start offset reaches the end of the log.
    await waitFor('every record to expire', async () => (await offsetAt(topic, -2)) === 30, 15000, 200);
    const left = segments(topic);
    expect(left.map((s) => s.base)).toEqual([30]); // one empty active segment, rolled at the end offset
    expect(left[0].size).toBe(0);
    expect(await consumeFromBeginning(topic)).toEqual([]);

    // New records start at 30 and are readable from the new beginning.
    await produce(topic, 30, 5, 5);
    const records = await consumeFromBeginning(topic);
    expect(records.map((r) => r.offset)).toEqual([30, 31, 32, 33, 34]);
    expect(records.map((r) => r.value)).toEqual([30, 31, 32, 33, 34].map(value));
  }, 40000);
});
