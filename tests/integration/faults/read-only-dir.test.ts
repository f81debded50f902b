// Issue 8.1, read-only dir: a broker's log dir is a real ext4 on a loop device that turns
// read-only mid-run (a filesystem error under errors=remount-ro, as a failing disk does; every
// write then gets EROFS). Kafka's rule applies: the log dir goes offline. With other dirs left the
// broker keeps serving them and tells the controller (/log_dir_event_notification), which moves
// leadership of the offline replicas to healthy in-sync ones; with no dir left the broker halts.
// Either way every acknowledged record reads back, in order, before and after the broker comes
// back (after e2fsck). The single broker fsyncs every append (flush.interval.messages=1): a
// filesystem that turns read-only drops pages not yet written back, so on one broker only
// fsynced records can survive it; three brokers rely on replication instead, as Kafka does.
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { LoopExt4 } from '../../helpers/small-filesystems';
import { waitFor } from '../../helpers/wait';
import { errorLines, setLogDirs } from './storage-helpers';
import * as fs from 'fs';
import * as path from 'path';

const mounts: LoopExt4[] = [];
function ext4(): LoopExt4 {
  const m = LoopExt4.mount(64, 'zafka-ro-dir-');
  if (typeof m === 'string') throw new Error(`this test needs a loop-mounted ext4: ${m}`);
  mounts.push(m);
  return m;
}

afterAll(() => {
  for (const m of mounts) m.unmount();
});

describe('a log dir that turns read-only during an acks=all run', () => {
  let cluster: TestCluster | undefined;
  let stream: AckedStream | undefined;
  afterEach(async () => {
    await stream?.stop(); // also when an expectation failed mid-test: jest would wait on it forever
    stream = undefined;
    await cluster?.stop();
    cluster = undefined;
  });

  test('1 broker, its only dir read-only: the broker halts (Kafka); after e2fsck and a restart every acknowledged record is there', async () => {
    const disk = ext4();
    cluster = await TestCluster.create({ brokers: 1, config: { 'log.flush.interval.messages': 1 } });
    setLogDirs(cluster, 0, [disk.dir]);
    await cluster.startBroker(0);
    const topic = 'ro-dir-1';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const live = new AckedStream(client, topic, 2, 20);
    stream = live;
    await live.start();
    await waitFor('progress before the dir turns read-only', () => live.acked.length >= 1000, 60000, 50);
    const child = cluster.broker(0).process!;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    disk.failReadOnly();
    const code = await exited;
    cluster.broker(0).process = null;
    await live.stop();
    expect(code).toBe(1);
    expect(cluster.output(0)).toMatch(/Shutdown broker because all log dirs in .* have failed/);
    const errors = errorLines(cluster, 0);
    console.log(`1 broker, read-only dir: ${live.acked.length} records acknowledged; ${errors.length} ERROR lines:\n${errors.join('\n')}`);
    expect(errors.length).toBeLessThanOrEqual(6);

    disk.repair();
    await cluster.startBroker(0);
    const rows = await consumeUntilAll(cluster.bootstrap, topic, live.acked, 30000);
    checkAcknowledged(rows, live.acked);
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    checkAcknowledged(await consumeUntilAll(cluster.bootstrap, topic, live.acked, 30000), live.acked);
  });

  test('3 brokers, one of broker 1\'s two dirs read-only: that dir goes offline, the controller moves leadership, broker 1 keeps serving its other dir', async () => {
    const disk = ext4();
    cluster = await TestCluster.create({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': false } });
    const healthyDir = path.join(cluster.baseDir, 'broker-1', 'data-healthy');
    fs.mkdirSync(healthyDir, { recursive: true });
    // The failing dir first: broker 1 puts its first replica (partition 0) there, the next in the healthy one.
    setLogDirs(cluster, 1, [disk.dir, healthyDir]);
    await Promise.all(cluster.brokers.map((b) => cluster!.startBroker(b.id)));
    await cluster.waitForAllBrokers();
    const topic = 'ro-dir-3';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }, { partition: 1, replicas: [1, 3, 2] }], configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    expect(fs.existsSync(path.join(disk.dir, `${topic}-0`))).toBe(true);
    expect(fs.existsSync(path.join(healthyDir, `${topic}-1`))).toBe(true);

    const live = new AckedStream(client, topic, 2, 20, true);
    stream = live;
    await live.start();
    await waitFor('progress before the dir turns read-only', () => live.acked.length >= 1000, 60000, 50);
    const outputAtFailure = cluster.output(1).length;
    disk.failReadOnly();
    await waitFor('a new leader for partition 0, without broker 1 in its ISR', async () => {
      const p = (await partitionsOf(cluster!, topic))[0];
      return p.leader >= 0 && p.leader !== 1 && !p.isr.includes(1);
    }, 60000, 200);
    const atMove = live.acked.length;
    await waitFor('progress after the leadership move', () => live.acked.length >= atMove + 1000, 60000, 50);
    // Broker 1 is alive and still leads partition 1, whose log is in the healthy dir.
    expect(cluster.broker(1).process?.exitCode).toBeNull();
    const p1 = (await partitionsOf(cluster, topic))[1];
    expect(p1.leader).toBe(1);
    await live.stop();
    const errors = errorLines(cluster, 1, outputAtFailure);
    console.log(`3 brokers, read-only dir on broker 1: ${live.acked.length} records acknowledged; ${errors.length} ERROR lines on broker 1:\n${errors.join('\n')}`);
    expect(errors.length).toBeLessThanOrEqual(6);
    expect(cluster.output(1)).toMatch(/Notified the controller of the failure of log dir/);
    checkAcknowledged(await consumeUntilAll(cluster.bootstrap, topic, live.acked, 30000), live.acked);

    // The operator's repair: stop broker 1, fsck, start it; its replica catches up and rejoins.
    await cluster.stopBroker(1);
    disk.repair();
    await cluster.startBroker(1);
    await waitFor('broker 1 back in every ISR', async () => (await partitionsOf(cluster!, topic)).every((p) => p.isr.length === 3), 60000, 200);
    checkAcknowledged(await consumeUntilAll(cluster.bootstrap, topic, live.acked, 30000), live.acked);
  });
});
