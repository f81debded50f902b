// kill -9 the leader of an RF=3, min.insync.replicas=2 topic while a kafkajs idempotent producer
// (acks=all, retries) writes, three times over: afterwards every partition reads back as exactly
// the sequence that was sent to it, no gap and no duplicate. The new leader knows the producer's
// last batches from the replicated log, so a retry of a batch the dead leader had already
// replicated is answered with its original offset instead of being written again.
//
// Each send carries one partition only: kafkajs 2.2.4 can resolve a multi-partition send without
// a partition whose leader moved (see tests/helpers/acked-stream.ts), which would be a gap that
// no broker could prevent.
import { spawn } from 'child_process';
import type { Producer } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows, consumeUntilAll } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

const PARTITIONS = 3;

class PartitionWriter {
  readonly sent: string[] = [];
  readonly errors: string[] = [];
  private n = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly producer: Producer, private readonly topic: string, private readonly partition: number) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const values = Array.from({ length: 5 }, () => `p${this.partition}-${this.n++}`);
        try {
          const result = await this.producer.send({ topic: this.topic, acks: -1, timeout: 10000, messages: values.map((value) => ({ value, partition: this.partition })) });
          if (!result.some((r) => r.partition === this.partition && r.errorCode === 0)) throw new Error('send resolved without the partition');
          this.sent.push(...values);
        } catch (err) {
          // Not retried by the test: resending after the producer gave up would be the
          // application's own duplicate. The test expects none of these.
          this.errors.push((err as Error).message);
          this.stopped = true;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

describe('idempotent producer, leader kill -9', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': false } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('three leader kills: every partition reads back as exactly the sent sequence (no gap, no duplicate)', async () => {
    const topic = 'idem-kill';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    const producer = client.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: DEFAULT_PARTITIONER,
      metadataMaxAge: 1000,
      retry: { retries: 60, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    await producer.connect();
    const writers = Array.from({ length: PARTITIONS }, (_, p) => new PartitionWriter(producer, topic, p));
    writers.forEach((w) => w.start());
    const total = () => writers.reduce((n, w) => n + w.sent.length, 0);

    for (let round = 0; round < 3; round++) {
      const before = total();
      await waitFor('progress before the kill', () => total() >= before + 150, 60000, 20);
      const leader = (await partitionsOf(cluster, topic))[round % PARTITIONS].leader;
      await cluster.kill(leader);
      await waitFor(`new leaders after killing ${leader}`, async () => {
        const parts = await partitionsOf(cluster, topic);
        return parts.length === PARTITIONS && parts.every((p) => p.leader >= 0 && p.leader !== leader);
      }, 30000, 200);
      const atKill = total();
      await waitFor('progress with the leader dead', () => total() >= atKill + 75, 60000, 20);
      await cluster.startBroker(leader);
      await waitFor(`broker ${leader} back in every ISR`, async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 60000, 200);
    }
    await Promise.all(writers.map((w) => w.stop()));
    await producer.disconnect();
    expect(writers.flatMap((w) => w.errors)).toEqual([]);
    expect(total()).toBeGreaterThan(600);

    const rows = await consumeUntilAll(cluster.bootstrap, topic, writers.flatMap((w) => w.sent), 60000);
    for (const w of writers) {
      const p = writers.indexOf(w);
      expect(rows.filter((r) => r.partition === p).map((r) => r.value)).toEqual(w.sent);
    }
  });

  test('kcat (librdkafka, enable.idempotence=true) streaming keyed lines through a leader kill -9: each partition holds its lines exactly once, in order', async () => {
    const topic = 'idem-kill-kcat';
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    // Lines "k<n % 12>:<n>" (key:value), written to kcat's stdin a few at a time while a leader dies.
    const child = spawn('kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-K', ':', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5', '-X', 'message.timeout.ms=120000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let n = 0;
    const write = async (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        if (!child.stdin.write(`k${n % 12}:${n}\n`)) await new Promise((r) => child.stdin.once('drain', r));
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await write(2000);
    const leader = (await partitionsOf(cluster, topic))[0].leader;
    const killing = cluster.kill(leader);
    await write(2000);
    await killing;
    await waitFor(`new leaders after killing ${leader}`, async () => (await partitionsOf(cluster, topic)).every((p) => p.leader >= 0 && p.leader !== leader), 30000, 200);
    await write(2000);
    await cluster.startBroker(leader);
    await write(2000);
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/fatal|Delivery failed|failed to deliver/i);

    const expected = Array.from({ length: n }, (_, i) => String(i));
    const rows = await consumeUntilAll(cluster.bootstrap, topic, expected, 60000);
    // No line twice, none missing.
    expect(rows.map((r) => r.value).sort()).toEqual([...expected].sort());
    // Within a partition the lines keep the order they were written in (each key stays in one partition).
    for (let p = 0; p < PARTITIONS; p++) {
      const values = rows.filter((r) => r.partition === p).map((r) => Number(r.value));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    expect((await consumeAllRows(cluster.bootstrap, topic)).length).toBe(n);
  });
});
