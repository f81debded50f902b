// Issue 14 point 4: a consumer group's coordinator moves between an Apache Kafka 2.4 broker and
// a Zafka broker and back while the group consumes — once by kill -9, once by a controlled
// shutdown. __consumer_offsets has one partition replicated on both, so the coordinator is
// whichever broker leads it, and each side must load the group and offsets the other wrote
// (same key/value formats). Committed offsets survive every move; a member re-reads at most
// the batch it had not committed; legacy ZooKeeper offsets (/consumers/<group>/offsets, OffsetCommit
// v0) are untouched by all of it.
import type { Consumer, Kafka } from 'kafkajs';
import { ConsumerOffset } from '../../../controller/zk/zk-data';
import { ZooKeeperClient } from '../../../controller/zk/zookeeper-client';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { OffsetCommit } from '../../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../../broker/protocol/messages/offset-fetch';
import { AckedStream } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { describeWithKafka, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';
import { partitionsVia } from './mixed-cluster';

const ZAFKA_ID = 1;
const KAFKA_ID = 2;
const TOPIC = 'moving-coordinator';
const GROUP = 'moving-group';
const LEGACY_GROUP = 'legacy-zk-group';
const LEGACY_OFFSETS = [42, 7];
// One __consumer_offsets partition on both brokers: its leader is every group's coordinator.
const SHARED_CONFIG = { 'offsets.topic.num.partitions': 1, 'offsets.topic.replication.factor': 2 };

describeWithKafka('group coordinator moving between Kafka 2.4 and Zafka', () => {
  let cluster: TestCluster;
  let kafka: ReferenceKafkaBroker;
  let client: Kafka;
  let stream: AckedStream;
  let consumer: Consumer;
  const consumed: string[] = [];
  let largestBatch = 0;
  const moves: string[] = [];

  const bootstrap = () => [cluster.bootstrap, kafka.bootstrap].join(',');
  // Asks either broker: the one being stopped does not answer.
  const coordinator = async () => (await partitionsVia([cluster.broker(ZAFKA_ID).port, kafka.port], '__consumer_offsets'))[0];

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 1, firstId: ZAFKA_ID, config: SHARED_CONFIG });
    kafka = await ReferenceKafkaBroker.create({ id: KAFKA_ID, zkConnect: cluster.zkConnect, config: SHARED_CONFIG });
    await kafka.start();
    await cluster.startBroker(ZAFKA_ID);
    await cluster.waitUntilServing(ZAFKA_ID, 2);
    client = kafkajs(bootstrap(), 'coordinator-swap');
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, replicaAssignment: [{ partition: 0, replicas: [ZAFKA_ID, KAFKA_ID] }, { partition: 1, replicas: [KAFKA_ID, ZAFKA_ID] }] }] });
    await admin.disconnect();
  }, 240000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await stream?.stop().catch(() => undefined);
    await cluster?.stop();
    await kafka?.destroy();
  });

  async function legacyFetch(port: number): Promise<number[]> {
    const c = await KafkaClient.connect('127.0.0.1', port);
    try {
      const r = await c.send(OffsetFetch, 0, { groupId: LEGACY_GROUP, topics: [{ name: TOPIC, partitionIndexes: [0, 1] }] });
      return r.topics[0].partitions.map((p) => p.committedOffset);
    } finally {
      c.close();
    }
  }

  async function legacyZnodes(): Promise<(number | null)[]> {
    const zk = await ZooKeeperClient.connect(cluster.zkConnect, 6000);
    try {
      return await Promise.all([0, 1].map(async (p) => ConsumerOffset.decode((await zk.getData(ConsumerOffset.path(LEGACY_GROUP, TOPIC, p))).data)));
    } finally {
      await zk.close();
    }
  }

  async function consumedMore(n: number): Promise<void> {
    const target = new Set(consumed).size + n;
    await waitFor(`${n} more distinct records consumed`, () => new Set(consumed).size >= target, 120000, 300);
  }

  /** Stops the coordinator (kill -9 or controlled), waits for the other broker to lead __consumer_offsets, restarts it. */
  async function moveCoordinator(how: 'kill -9' | 'controlled shutdown'): Promise<void> {
    const from = (await coordinator()).leader;
    const to = from === KAFKA_ID ? ZAFKA_ID : KAFKA_ID;
    if (from === KAFKA_ID) await (how === 'kill -9' ? kafka.kill() : kafka.stop());
    else await (how === 'kill -9' ? cluster.kill(ZAFKA_ID) : cluster.stopBroker(ZAFKA_ID));
    await waitFor(`broker ${to} to lead __consumer_offsets`, async () => (await coordinator()).leader === to, 60000, 500);
    moves.push(`${from === KAFKA_ID ? 'Kafka' : 'Zafka'} -> ${to === KAFKA_ID ? 'Kafka' : 'Zafka'} (${how})`);
    await consumedMore(300);
    if (from === KAFKA_ID) await kafka.start();
    else await cluster.startBroker(ZAFKA_ID);
    await waitFor('both brokers back in the __consumer_offsets ISR', async () => (await coordinator()).isr.length === 2, 90000, 500);
  }

  test('legacy ZooKeeper offsets committed with OffsetCommit v0 through the Kafka broker', async () => {
    const c = await KafkaClient.connect('127.0.0.1', kafka.port);
    try {
      const r = await c.send(OffsetCommit, 0, {
        groupId: LEGACY_GROUP,
        topics: [{ name: TOPIC, partitions: LEGACY_OFFSETS.map((committedOffset, partitionIndex) => ({ partitionIndex, committedOffset, committedMetadata: '' })) }],
      });
      expect(r.topics[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    } finally {
      c.close();
    }
    expect(await legacyZnodes()).toEqual(LEGACY_OFFSETS);
    expect(await legacyFetch(cluster.broker(ZAFKA_ID).port)).toEqual(LEGACY_OFFSETS);
  });

  test('the coordinator moves both ways (kill -9, then controlled shutdown) under a consuming group: offsets survive, at most one uncommitted batch re-read per move', async () => {
    stream = new AckedStream(kafkajs(bootstrap(), 'coordinator-swap-producer'), TOPIC, 2, 20, true);
    await stream.start();
    consumer = client.consumer({ groupId: GROUP, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        largestBatch = Math.max(largestBatch, batch.messages.length);
        consumed.push(...batch.messages.map((m) => m.value!.toString()));
      },
    });
    await consumedMore(300);

    await moveCoordinator('kill -9');
    await moveCoordinator('controlled shutdown');
    expect(moves).toHaveLength(2);
    expect(new Set(moves.map((m) => m.split(' (')[0]))).toEqual(new Set(['Kafka -> Zafka', 'Zafka -> Kafka']));

    await stream.stop();
    expect(stream.acked.length).toBeGreaterThan(0);
    await waitFor('the group to consume every acknowledged record', () => { const seen = new Set(consumed); return stream.acked.every((v) => seen.has(v)); }, 120000, 500);
    await consumer.disconnect();

    // Committed offsets, read from whichever broker coordinates now, are the end of the log.
    const admin = client.admin();
    await admin.connect();
    const ends = new Map((await admin.fetchTopicOffsets(TOPIC)).map((p) => [p.partition, Number(p.high)]));
    const committed = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(new Map(committed[0].partitions.map((p) => [p.partition, Number(p.offset)]))).toEqual(ends);
    await admin.disconnect();

    const rereads = consumed.length - new Set(consumed).size;
    console.log(`coordinator moves: ${moves.join(', ')}; consumed ${consumed.length} (${rereads} re-read), largest batch ${largestBatch}`);
    // Per move, each partition may re-read only what its member had fetched but not committed.
    expect(rereads).toBeLessThanOrEqual(moves.length * 2 * largestBatch);
  }, 900000);

  test('legacy ZooKeeper offsets are untouched by the moves, and both kinds of broker still serve them (OffsetFetch v0)', async () => {
    expect(await legacyZnodes()).toEqual(LEGACY_OFFSETS);
    expect(await legacyFetch(cluster.broker(ZAFKA_ID).port)).toEqual(LEGACY_OFFSETS);
    expect(await legacyFetch(kafka.port)).toEqual(LEGACY_OFFSETS);
  });
});
