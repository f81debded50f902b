// Issue 8.1: a log dir on a real 16 MB tmpfs fills up during an acks=all run and is freed again
// without any restart. Produces to it answer KAFKA_STORAGE_ERROR (retriable) meanwhile, the failed
// appends leave nothing behind, and once space is back the same broker carries on: every
// acknowledged record reads back, in order, never two at one offset, before and after a clean
// restart and after a kill -9 (full recovery). The broker logs one line per partition per
// incident, not one per request. With 1 broker, and with 3 brokers where one broker's disk fills.
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import type { Kafka } from 'kafkajs';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { Tmpfs } from '../../helpers/small-filesystems';
import { waitFor } from '../../helpers/wait';
import { errorLines, setLogDirs } from './storage-helpers';

const mounts: Tmpfs[] = [];
function tmpfsOrSkip(): Tmpfs {
  const t = Tmpfs.mount(16 * 1024, 'zafka-full-disk-');
  if (typeof t === 'string') throw new Error(`this test needs a real tmpfs: ${t}`);
  mounts.push(t);
  return t;
}

afterAll(() => {
  for (const m of mounts) m.unmount();
});

/** Waits until the stream has not been acknowledged anything for quietMs (the disk is refusing). */
async function waitForStall(stream: AckedStream, quietMs: number): Promise<void> {
  let last = stream.acked.length;
  let since = Date.now();
  await waitFor('the producer to stall on the full disk', () => {
    if (stream.acked.length !== last) {
      last = stream.acked.length;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  }, 60000, 100);
}

/** The Kafka error name inside whatever kafkajs threw (its retrier wraps it as `cause`). */
function errorTypeOf(err: unknown): string {
  const e = err as { type?: string; cause?: unknown; errors?: unknown[]; name?: string };
  if (e.type) return e.type;
  if (e.cause) return errorTypeOf(e.cause);
  if (e.errors?.length) return errorTypeOf(e.errors[0]);
  return e.name ?? String(err);
}

/**
 * Sends `count` one-record produces (acks=all) without retries while the disk is full. Returns
 * the error type of each refused one, and the values of those that were acknowledged anyway (a
 * tiny batch can still fit in the unused end of a segment file's last page).
 */
async function produceWhileFull(client: Kafka, topic: string, count: number): Promise<{ refused: Record<string, number>; acked: string[] }> {
  const producer = client.producer({ retry: { retries: 0 }, createPartitioner: DEFAULT_PARTITIONER });
  await producer.connect();
  const refused: Record<string, number> = {};
  const acked: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      try {
        await producer.send({ topic, acks: -1, messages: [{ value: `refused-${i}`, partition: 0 }] });
        acked.push(`refused-${i}`);
      } catch (err) {
        const type = errorTypeOf(err);
        refused[type] = (refused[type] ?? 0) + 1;
      }
    }
  } finally {
    await producer.disconnect();
  }
  return { refused, acked };
}

async function checkEverything(cluster: TestCluster, topic: string, acked: string[]): Promise<void> {
  const rows = await consumeUntilAll(cluster.bootstrap, topic, acked, 30000);
  checkAcknowledged(rows, acked);
}

describe('a full disk during an acks=all run, freed without a restart', () => {
  let cluster: TestCluster | undefined;
  let stream: AckedStream | undefined;
  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
    await cluster?.stop();
    cluster = undefined;
  });

  test('1 broker: KAFKA_STORAGE_ERROR while full, then it carries on; nothing acknowledged is lost, before and after restarts', async () => {
    const disk = tmpfsOrSkip();
    cluster = await TestCluster.create({ brokers: 1, config: { 'replica.high.watermark.checkpoint.interval.ms': 500 } });
    setLogDirs(cluster, 0, [disk.dir]);
    await cluster.startBroker(0);
    const topic = 'full-disk-1';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const live = new AckedStream(client, topic, 2, 50);
    stream = live;
    await live.start();
    await waitFor('progress before the disk fills', () => live.acked.length >= 2000, 60000, 50);
    const outputAtFill = cluster.output(0).length;
    disk.fill();
    await waitForStall(live, 3000);
    const ackedWhileFull = live.acked.length;
    // Hundreds of refused produce requests: each answers KAFKA_STORAGE_ERROR, none logs a line.
    const whileFull = await produceWhileFull(client, topic, 300);
    expect(Object.keys(whileFull.refused)).toEqual(['KAFKA_STORAGE_ERROR']);
    expect(whileFull.refused.KAFKA_STORAGE_ERROR).toBeGreaterThanOrEqual(250);
    expect(cluster.broker(0).process?.exitCode).toBeNull();
    disk.free();
    await waitFor('progress after space is freed', () => live.acked.length >= ackedWhileFull + 2000, 90000, 50);
    await live.stop();
    const incidentErrors = errorLines(cluster, 0, outputAtFill);
    const recovered = cluster.output(0).slice(outputAtFill).split('\n').filter((l) => l.includes('recovered from a storage error'));
    console.log(`1 broker: ${live.acked.length} + ${whileFull.acked.length} records acknowledged, ${whileFull.refused.KAFKA_STORAGE_ERROR} produce requests refused with KAFKA_STORAGE_ERROR while full; ${incidentErrors.length} ERROR lines for the incident:\n${[...incidentErrors, ...recovered].join('\n')}`);
    expect(recovered.length).toBeGreaterThanOrEqual(2); // both partitions refused appends, then recovered
    // One line per partition (2) and per checkpoint file the full disk refused, never one per
    // request. An append that still fits in a segment's last page ends the partition's incident
    // (it works again), so a later refusal opens a new one: at most one line per recovery more.
    expect(incidentErrors.length).toBeLessThanOrEqual(3 + recovered.length);
    expect(incidentErrors.length).toBeLessThan(whileFull.refused.KAFKA_STORAGE_ERROR / 10);

    // Two producers: each one's acknowledged records are there, in its own order.
    const check = async () => {
      await checkEverything(cluster!, topic, live.acked);
      await checkEverything(cluster!, topic, whileFull.acked);
    };
    await check();
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    await check();
    await cluster.kill(0);
    await cluster.startBroker(0);
    await check();
    expect(cluster.output(0)).not.toMatch(/out of order or out of range offset/);
  });

  test("3 brokers: one broker's disk fills and is freed; nothing acknowledged is lost and it rejoins every ISR", async () => {
    const disk = tmpfsOrSkip();
    cluster = await TestCluster.create({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': false } });
    setLogDirs(cluster, 1, [disk.dir]);
    await Promise.all(cluster.brokers.map((b) => cluster!.startBroker(b.id)));
    await cluster.waitForAllBrokers();
    const topic = 'full-disk-3';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    // Broker 1 leads partition 0 and follows partition 1.
    await admin.createTopics({
      topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }, { partition: 1, replicas: [2, 1, 3] }], configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();

    const live = new AckedStream(client, topic, 2, 50, true);
    stream = live;
    await live.start();
    await waitFor('progress before the disk fills', () => live.acked.length >= 2000, 60000, 50);
    const outputAtFill = cluster.output(1).length;
    disk.fill();
    // Broker 1 refuses to append as follower of partition 1: the leader drops it from the ISR
    // (replica.lag.time.max.ms) and acks=all goes on with {2,3}.
    await waitFor('broker 1 out of the ISR of partition 1', async () => !(await partitionsOf(cluster!, topic))[1].isr.includes(1), 60000, 200);
    await new Promise((r) => setTimeout(r, 3000));
    const ackedWhileFull = live.acked.length;
    expect(cluster.broker(1).process?.exitCode).toBeNull();
    disk.free();
    await waitFor('progress after space is freed', () => live.acked.length >= ackedWhileFull + 2000, 90000, 50);
    await waitFor('broker 1 back in every ISR', async () => (await partitionsOf(cluster!, topic)).every((p) => p.isr.length === 3), 60000, 200);
    await live.stop();
    const incidentErrors = errorLines(cluster, 1, outputAtFill);
    const recovered = cluster.output(1).slice(outputAtFill).split('\n').filter((l) => l.includes('recovered from a storage error'));
    console.log(`3 brokers: ${live.acked.length} records acknowledged; ${incidentErrors.length} ERROR lines on broker 1 for the incident:\n${[...incidentErrors, ...recovered].join('\n')}`);
    expect(incidentErrors.length).toBeLessThanOrEqual(3 + recovered.length);

    await checkEverything(cluster, topic, live.acked);
    await cluster.stopBroker(1);
    await cluster.startBroker(1);
    await waitFor('broker 1 back in every ISR after restart', async () => (await partitionsOf(cluster!, topic)).every((p) => p.isr.length === 3), 60000, 200);
    await checkEverything(cluster, topic, live.acked);
    // Broker 1's own copy (the one whose disk filled): with the other two stopped it leads both
    // partitions, and it alone must hold every acknowledged record.
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    await waitFor('broker 1 leading both partitions', async () => (await partitionsOf(cluster!, topic)).every((p) => p.leader === 1), 60000, 200);
    await checkEverything(cluster, topic, live.acked);
  });
});
