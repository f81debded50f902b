// Issue 14 point 5: one log dir, one broker.id, handed back and forth between an Apache Kafka 2.4
// broker and a Zafka broker — clean (SIGTERM) and unclean (kill -9) in both directions. Each
// side must open what the other wrote (segments, indexes, time indexes, leader-epoch-checkpoint,
// the four offset checkpoints, producer snapshots, meta.properties, a compacted topic and
// __consumer_offsets) and serve every acknowledged record, exactly once, at the offset it was
// given: nothing truncated, nothing rewritten, nothing lost.
//
// One idempotent kafkajs producer lives through every swap: if a broker did not take over the
// producer state (snapshots + log) its next batch would be rejected (OUT_OF_ORDER_SEQUENCE /
// UNKNOWN_PRODUCER_ID) or, for a retried batch, written twice.
import * as fs from 'fs';
import type { Admin, Producer } from 'kafkajs';
import * as path from 'path';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { describeWithKafka, isRegistered, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';
import { partitionFiles, readLeaderEpochs, readMetaProperties, readOffsetCheckpoint, readSegment } from './log-dir-facts';

const PLAIN = 'swap-plain';
const COMPACTED = 'swap-compacted';
const GROUP = 'swap-group';
const PLAIN_PARTITIONS = 3;
const KEYS = 40;
// Both kinds of broker get the same settings, so the cleaner runs under each within seconds.
// A JVM start plus recovery on a busy 2-core machine takes minutes, not the suite's default 2.
const PHASE_TIMEOUT_MS = 480000;
const SHARED_CONFIG = { 'offsets.topic.num.partitions': 4, 'log.cleaner.backoff.ms': 1000 };

describeWithKafka('one log dir swapped between Kafka 2.4 and Zafka (broker.id 1)', () => {
  let cluster: TestCluster;
  let kafka: ReferenceKafkaBroker;
  let logDir: string;
  let bootstrap: string;
  let producer: Producer;
  let admin: Admin;
  let round = 0;
  // What every later broker must serve.
  const plainAcked: string[][] = Array.from({ length: PLAIN_PARTITIONS }, () => []);
  const latestByKey = new Map<string, string>();
  let committed = new Map<number, number>();
  let kafkaFirstSegment: Buffer;
  let clusterId = '';
  let epochsBefore = new Map<string, string[]>();
  let cleanedUpTo = 0;

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 1, firstId: 1, config: SHARED_CONFIG });
    const broker = cluster.broker(1);
    logDir = broker.logDir;
    bootstrap = `127.0.0.1:${broker.port}`;
    kafka = await ReferenceKafkaBroker.create({ id: 1, zkConnect: cluster.zkConnect, port: broker.port, logDirs: [logDir], config: SHARED_CONFIG });
  }, PHASE_TIMEOUT_MS);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await kafka?.destroy();
    await cluster?.stop();
  });

  /** One round of acknowledged writes to both topics and a new committed offset per partition. */
  async function writeRound(): Promise<void> {
    round += 1;
    for (let batch = 0; batch < 10; batch++) {
      for (let p = 0; p < PLAIN_PARTITIONS; p++) {
        const values = Array.from({ length: 50 }, (_, i) => `r${round}-p${p}-b${batch}-${i}`);
        await producer.send({ topic: PLAIN, acks: -1, messages: values.map((value) => ({ value, partition: p })) });
        plainAcked[p].push(...values);
      }
      const records = Array.from({ length: 50 }, (_, i) => ({ key: `k${(batch * 50 + i) % KEYS}`, value: `r${round}-b${batch}-${i}`, partition: 0 }));
      await producer.send({ topic: COMPACTED, acks: -1, messages: records });
      for (const r of records) latestByKey.set(r.key, r.value);
    }
    // A tool's commit for an inactive group goes to the coordinator and into __consumer_offsets.
    committed = new Map(plainAcked.map((values, p) => [p, values.length - 7 * round]));
    await admin.setOffsets({ groupId: GROUP, topic: PLAIN, partitions: [...committed].map(([partition, offset]) => ({ partition, offset: String(offset) })) });
    // kafkajs commits through a short-lived member, whose LeaveGroup arrives after its last fetch
    // wait; the group must be Empty in the log before the broker goes, or the next one loads it
    // Stable and refuses the next tool commit until that member's session expires.
    await waitFor(`${GROUP} to be Empty`, async () => (await admin.describeGroups([GROUP])).groups[0].state === 'Empty', 30000, 300);
  }

  async function waitForLeaders(): Promise<void> {
    await waitFor('leaders for every partition', async () => {
      const md = await admin.fetchTopicMetadata({ topics: [PLAIN, COMPACTED, '__consumer_offsets'] });
      return md.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader === 1 && p.partitionErrorCode === 0));
    }, 60000, 500);
  }

  /** Everything acknowledged so far is served, exactly once, at contiguous offsets from 0. */
  async function expectEverythingServed(): Promise<void> {
    await waitForLeaders();
    const rows = await consumeAllRows(bootstrap, PLAIN);
    for (let p = 0; p < PLAIN_PARTITIONS; p++) {
      const mine = rows.filter((r) => r.partition === p).sort((a, b) => a.offset - b.offset);
      expect(mine.map((r) => r.offset)).toEqual(mine.map((_, i) => i));
      expect(mine.map((r) => r.value)).toEqual(plainAcked[p]);
    }
    const compacted = await kcat(['-C', '-b', bootstrap, '-t', COMPACTED, '-o', 'beginning', '-e', '-q', '-f', '%k %s\n'], { timeoutMs: 60000 });
    const latest = new Map(compacted.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ') as [string, string]));
    expect(latest).toEqual(latestByKey);
    const offsets = await admin.fetchOffsets({ groupId: GROUP, topics: [PLAIN] });
    expect(new Map(offsets[0].partitions.map((p) => [p.partition, Number(p.offset)]))).toEqual(committed);
  }

  /** Files the previous owner wrote are still there as it left them. */
  function expectFilesCarriedOver(): void {
    expect(readSegment(logDir, `${PLAIN}-0`, '00000000000000000000.log').subarray(0, kafkaFirstSegment.length).equals(kafkaFirstSegment)).toBe(true);
    expect(readMetaProperties(logDir)).toMatchObject({ version: '0', 'broker.id': '1', 'cluster.id': clusterId });
    for (const [dir, before] of epochsBefore) expect(readLeaderEpochs(logDir, dir).slice(0, before.length)).toEqual(before);
    // The cleaner resumes where the other broker's cleaner stopped (cleaner-offset-checkpoint).
    expect(readOffsetCheckpoint(logDir, 'cleaner-offset-checkpoint').get(`${COMPACTED}-0`) ?? 0).toBeGreaterThanOrEqual(cleanedUpTo);
  }

  function rememberFiles(): void {
    epochsBefore = new Map([`${PLAIN}-0`, `${PLAIN}-1`, `${PLAIN}-2`, `${COMPACTED}-0`].map((d) => [d, readLeaderEpochs(logDir, d)]));
    cleanedUpTo = readOffsetCheckpoint(logDir, 'cleaner-offset-checkpoint').get(`${COMPACTED}-0`) ?? 0;
  }

  async function waitUnregistered(): Promise<void> {
    // After kill -9 the ephemeral /brokers/ids/1 lives until the ZooKeeper session expires.
    await waitFor('/brokers/ids/1 to go', async () => !(await isRegistered(cluster.zkConnect, 1)), 30000, 300);
  }

  const zafkaErrors = (): string[] => cluster.output(1).split('\n').filter((l) => / (ERROR|FATAL) /.test(l));

  test('Kafka 2.4 writes: segments, a compacted topic cleaned by its cleaner, idempotent producer state, group offsets', async () => {
    await kafka.start();
    const client = kafkajs(bootstrap, 'log-dir-swap');
    admin = client.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: PLAIN, numPartitions: PLAIN_PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'segment.bytes', value: '8000' }] },
        {
          topic: COMPACTED, numPartitions: 1, replicationFactor: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '4096' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' }, { name: 'segment.ms', value: '1000' },
          ],
        },
      ],
    });
    producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await writeRound();
    await waitFor("Kafka's cleaner to clean the compacted topic", () => (readOffsetCheckpoint(logDir, 'cleaner-offset-checkpoint').get(`${COMPACTED}-0`) ?? 0) > 0, 60000, 500);
    await expectEverythingServed();
    clusterId = readMetaProperties(logDir)['cluster.id'];
    await kafka.stop(); // the JVM exits 143 after its shutdown hook; the marker says it was clean
    expect(fs.existsSync(path.join(logDir, '.kafka_cleanshutdown'))).toBe(true);
    // Kafka snapshots producer state at each segment roll and at a clean shutdown.
    expect(partitionFiles(logDir, `${PLAIN}-0`, '.snapshot').length).toBeGreaterThan(1);
    kafkaFirstSegment = readSegment(logDir, `${PLAIN}-0`, '00000000000000000000.log');
    rememberFiles();
  }, PHASE_TIMEOUT_MS);

  test('Zafka opens the dir after a clean Kafka shutdown: serves every record, keeps the producer state, then is killed -9 after more acknowledged writes', async () => {
    await waitUnregistered();
    await cluster.startBroker(1);
    await expectEverythingServed();
    expectFilesCarriedOver();
    await writeRound();
    await expectEverythingServed();
    expect(zafkaErrors()).toEqual([]);
    rememberFiles();
    await cluster.kill(1);
  }, PHASE_TIMEOUT_MS);

  test('Kafka 2.4 opens the dir after Zafka was killed -9: recovers without losing an acknowledged record, then is killed -9 itself', async () => {
    await waitUnregistered();
    await kafka.start();
    await expectEverythingServed();
    expectFilesCarriedOver();
    await writeRound();
    await expectEverythingServed();
    rememberFiles();
    await kafka.kill();
  }, PHASE_TIMEOUT_MS);

  test("Zafka opens the dir after Kafka was killed -9 (untrimmed preallocated indexes): recovers everything, then shuts down cleanly", async () => {
    await waitUnregistered();
    await cluster.startBroker(1);
    await expectEverythingServed();
    expectFilesCarriedOver();
    await writeRound();
    await expectEverythingServed();
    expect(zafkaErrors()).toEqual([]);
    rememberFiles();
    expect(await cluster.stopBroker(1)).toBe(0);
    expect(fs.existsSync(path.join(logDir, '.kafka_cleanshutdown'))).toBe(true);
  }, PHASE_TIMEOUT_MS);

  test('Kafka 2.4 opens the dir after a clean Zafka shutdown: no recovery needed, serves every record and accepts the producer', async () => {
    await waitUnregistered();
    const logBefore = kafka.output('server.log').length;
    await kafka.start();
    await expectEverythingServed();
    expectFilesCarriedOver();
    expect(kafka.output('server.log').slice(logBefore)).not.toMatch(/Recovering unflushed segment|Found invalid messages|Truncating/);
    await writeRound();
    await expectEverythingServed();
    await kafka.stop();
    expect(fs.existsSync(path.join(logDir, '.kafka_cleanshutdown'))).toBe(true);
  }, PHASE_TIMEOUT_MS);
});
