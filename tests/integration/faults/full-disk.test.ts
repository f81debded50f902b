// Issue 8.1: a log dir on a real 16 MB tmpfs fills up during an acks=all run and is freed again
// without any restart. Produces to it answer KAFKA_STORAGE_ERROR (retriable) meanwhile, the failed
// appends leave nothing behind, and once space is back the same broker carries on: every
// acknowledged record reads back, in order, never two at one offset, before and after a clean
// restart and after a kill -9 (full recovery). The broker logs one line per partition per
// incident, not one per request. With 1 broker, and with 3 brokers where one broker's disk fills.
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { Tmpfs } from '../../helpers/tmpfs';
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

async function checkEverything(cluster: TestCluster, topic: string, acked: string[]): Promise<void> {
  const rows = await consumeUntilAll(cluster.bootstrap, topic, acked, 30000);
  checkAcknowledged(rows, acked);
}

describe('a full disk during an acks=all run, freed without a restart', () => {
  let cluster: TestCluster | undefined;
  afterEach(async () => {
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

    const stream = new AckedStream(client, topic, 2, 50);
    await stream.start();
    await waitFor('progress before the disk fills', () => stream.acked.length >= 2000, 60000, 50);
    const outputAtFill = cluster.output(0).length;
    disk.fill();
    await waitForStall(stream, 3000);
    const ackedWhileFull = stream.acked.length;
    await new Promise((r) => setTimeout(r, 3000)); // thousands of refused produce requests
    expect(cluster.broker(0).process?.exitCode).toBeNull();
    disk.free();
    await waitFor('progress after space is freed', () => stream.acked.length >= ackedWhileFull + 2000, 90000, 50);
    await stream.stop();
    const incidentErrors = errorLines(cluster, 0, outputAtFill);
    const recovered = cluster.output(0).slice(outputAtFill).split('\n').filter((l) => l.includes('recovered from a storage error'));
    console.log(`1 broker: ${stream.acked.length} records acknowledged, ${stream.errors.length} sends failed while full; ${incidentErrors.length} ERROR lines for the incident:\n${[...incidentErrors, ...recovered].join('\n')}`);
    expect(recovered.length).toBeGreaterThanOrEqual(2); // both partitions refused appends, then recovered
    // One line per partition (2) and per checkpoint file the full disk refused; never one per request.
    expect(incidentErrors.length).toBeLessThanOrEqual(6);

    await checkEverything(cluster, topic, stream.acked);
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    await checkEverything(cluster, topic, stream.acked);
    await cluster.kill(0);
    await cluster.startBroker(0);
    await checkEverything(cluster, topic, stream.acked);
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

    const stream = new AckedStream(client, topic, 2, 50, true);
    await stream.start();
    await waitFor('progress before the disk fills', () => stream.acked.length >= 2000, 60000, 50);
    const outputAtFill = cluster.output(1).length;
    disk.fill();
    // Broker 1 refuses to append as follower of partition 1: the leader drops it from the ISR
    // (replica.lag.time.max.ms) and acks=all goes on with {2,3}.
    await waitFor('broker 1 out of the ISR of partition 1', async () => !(await partitionsOf(cluster!, topic))[1].isr.includes(1), 60000, 200);
    await new Promise((r) => setTimeout(r, 3000));
    const ackedWhileFull = stream.acked.length;
    expect(cluster.broker(1).process?.exitCode).toBeNull();
    disk.free();
    await waitFor('progress after space is freed', () => stream.acked.length >= ackedWhileFull + 2000, 90000, 50);
    await waitFor('broker 1 back in every ISR', async () => (await partitionsOf(cluster!, topic)).every((p) => p.isr.length === 3), 60000, 200);
    await stream.stop();
    const incidentErrors = errorLines(cluster, 1, outputAtFill);
    const recovered = cluster.output(1).slice(outputAtFill).split('\n').filter((l) => l.includes('recovered from a storage error'));
    console.log(`3 brokers: ${stream.acked.length} records acknowledged; ${incidentErrors.length} ERROR lines on broker 1 for the incident:\n${[...incidentErrors, ...recovered].join('\n')}`);
    expect(incidentErrors.length).toBeLessThanOrEqual(6);

    await checkEverything(cluster, topic, stream.acked);
    await cluster.stopBroker(1);
    await cluster.startBroker(1);
    await waitFor('broker 1 back in every ISR after restart', async () => (await partitionsOf(cluster!, topic)).every((p) => p.isr.length === 3), 60000, 200);
    await checkEverything(cluster, topic, stream.acked);
    // Broker 1's own copy (the one whose disk filled): with the other two stopped it leads both
    // partitions, and it alone must hold every acknowledged record.
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    await waitFor('broker 1 leading both partitions', async () => (await partitionsOf(cluster!, topic)).every((p) => p.leader === 1), 60000, 200);
    await checkEverything(cluster, topic, stream.acked);
  });
});
