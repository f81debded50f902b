// Transactions on the partition side, against real brokers: transactional batches produced raw,
// markers written with raw WriteTxnMarkers (as a transaction coordinator sends them), and real
// read_committed consumers (kcat/librdkafka, kafkajs) that must see committed records only.
// Also: the LSO holds while a transaction is open, including on a new leader after the old one
// is killed; bad markers get Kafka's codes and write nothing.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { Fetch } from '../../../broker/protocol/messages/fetch';
import { ListOffsets } from '../../../broker/protocol/messages/list-offsets';
import { Produce } from '../../../broker/protocol/messages/produce';
import { WriteTxnMarkers } from '../../../broker/protocol/messages/write-txn-markers';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

const PID_A = 900001;
const PID_B = 900002;
const PID_C = 900003;
const EPOCH = 2;

function txnBatch(producerId: number, seq: number, values: string[]): Buffer {
  return encodeRecordBatch({ producerId, producerEpoch: EPOCH, baseSequence: seq, isTransactional: true, records: values.map((value) => ({ value })) });
}

function plainBatch(values: string[]): Buffer {
  return encodeRecordBatch({ records: values.map((value) => ({ value })) });
}

async function produce(client: KafkaClient, topic: string, batch: Buffer, transactionalId: string | null = 'txn-log-test') {
  const r = await client.send(Produce, 7, { transactionalId, acks: -1, timeoutMs: 10000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] });
  return r.responses[0].partitionResponses[0];
}

interface MarkerSpec {
  producerId: number;
  producerEpoch?: number;
  commit: boolean;
  coordinatorEpoch: number;
  topic: string;
  partitions?: number[];
}

async function writeMarkers(client: KafkaClient, specs: MarkerSpec[]): Promise<Map<string, number>> {
  const r = await client.send(WriteTxnMarkers, 0, {
    markers: specs.map((s) => ({
      producerId: s.producerId,
      producerEpoch: s.producerEpoch ?? EPOCH,
      transactionResult: s.commit,
      coordinatorEpoch: s.coordinatorEpoch,
      topics: [{ name: s.topic, partitionIndexes: s.partitions ?? [0] }],
    })),
  });
  const codes = new Map<string, number>();
  for (const m of r.markers) for (const t of m.topics) for (const p of t.partitions) codes.set(`${m.producerId}/${t.name}-${p.partitionIndex}`, p.errorCode);
  return codes;
}

async function latest(client: KafkaClient, topic: string, isolationLevel: number): Promise<number> {
  const r = await client.send(ListOffsets, 2, { replicaId: -1, isolationLevel, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] } as never);
  const p = (r as { topics: { partitions: { errorCode: number; offset: number }[] }[] }).topics[0].partitions[0];
  expect(p.errorCode).toBe(0);
  return p.offset;
}

async function fetchCommitted(client: KafkaClient, topic: string) {
  const r = await client.send(Fetch, 4, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
  } as never);
  return (r as { responses: { partitions: { errorCode: number; highWatermark: number; lastStableOffset: number; abortedTransactions: { producerId: number; firstOffset: number }[] | null }[] }[] }).responses[0].partitions[0];
}

async function kcatValues(bootstrap: string, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const r = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%s\n'], { timeoutMs: 60000 });
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

async function kafkajsCommittedValues(bootstrap: string, topic: string, expectedCount: number): Promise<string[]> {
  const consumer = kafkajs(bootstrap).consumer({ groupId: `txn-log-${topic}-${Date.now()}`, readUncommitted: false });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
  try {
    await waitFor(`kafkajs read_committed reads ${expectedCount} records`, () => values.length >= expectedCount, 60000, 100);
    await new Promise((r) => setTimeout(r, 1500)); // anything beyond the expected would show up now
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('transactions, partition side (WriteTxnMarkers, LSO, read_committed)', () => {
  let cluster: TestCluster;
  const clients: KafkaClient[] = [];
  const connect = async (brokerId: number) => {
    const c = await KafkaClient.connect('127.0.0.1', cluster.broker(brokerId).port, { clientId: 'txn-log-test' });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 2, config: { 'replica.lag.time.max.ms': 5000, 'group.initial.rebalance.delay.ms': 0, 'offsets.topic.replication.factor': 1 } });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await cluster?.stop();
  });

  test('commit and abort: read_committed consumers (kcat, kafkajs) see committed records only; the LSO holds at the first open transaction', async () => {
    const topic = 'txn-commit-abort';
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const leaderId = (await partitionsOf(cluster, topic))[0].leader;
    const leader = await connect(leaderId);

    expect((await produce(leader, topic, plainBatch(['plain-0', 'plain-1', 'plain-2']), null)).errorCode).toBe(0);
    expect(await produce(leader, topic, txnBatch(PID_A, 0, ['a-0', 'a-1']))).toMatchObject({ errorCode: 0, baseOffset: 3 });
    expect(await produce(leader, topic, txnBatch(PID_B, 0, ['b-0', 'b-1']))).toMatchObject({ errorCode: 0, baseOffset: 5 });
    // A non-transactional batch from a producer with an open transaction: INVALID_TXN_STATE.
    expect((await produce(leader, topic, encodeRecordBatch({ producerId: PID_A, producerEpoch: EPOCH, baseSequence: 2, records: [{ value: 'x' }] }))).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);

    expect(await latest(leader, topic, 0)).toBe(7);
    expect(await latest(leader, topic, 1)).toBe(3);
    const open = await fetchCommitted(leader, topic);
    expect(open).toMatchObject({ errorCode: 0, highWatermark: 7, lastStableOffset: 3, abortedTransactions: [] });
    expect(await kcatValues(cluster.bootstrap, topic, 'read_committed')).toEqual(['plain-0', 'plain-1', 'plain-2']);

    const codes = await writeMarkers(leader, [
      { producerId: PID_A, commit: true, coordinatorEpoch: 1, topic },
      { producerId: PID_B, commit: false, coordinatorEpoch: 1, topic },
    ]);
    expect([...codes.values()]).toEqual([0, 0]);
    expect(await latest(leader, topic, 1)).toBe(9);
    const done = await fetchCommitted(leader, topic);
    expect(done).toMatchObject({ highWatermark: 9, lastStableOffset: 9, abortedTransactions: [{ producerId: PID_B, firstOffset: 5 }] });

    expect(await kcatValues(cluster.bootstrap, topic, 'read_committed')).toEqual(['plain-0', 'plain-1', 'plain-2', 'a-0', 'a-1']);
    expect(await kcatValues(cluster.bootstrap, topic, 'read_uncommitted')).toEqual(['plain-0', 'plain-1', 'plain-2', 'a-0', 'a-1', 'b-0', 'b-1']);
    expect(await kafkajsCommittedValues(cluster.bootstrap, topic, 5)).toEqual(['plain-0', 'plain-1', 'plain-2', 'a-0', 'a-1']);
  });

  test('bad markers: stale coordinator epoch gets TRANSACTION_COORDINATOR_FENCED, older producer epoch INVALID_PRODUCER_EPOCH, a follower NOT_LEADER_FOR_PARTITION, an unknown partition UNKNOWN_TOPIC_OR_PARTITION; nothing is written', async () => {
    const topic = 'txn-bad-markers';
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const view = (await partitionsOf(cluster, topic))[0];
    const leader = await connect(view.leader);
    const follower = await connect(view.replicas.find((r) => r !== view.leader) as number);

    expect((await produce(leader, topic, txnBatch(PID_A, 0, ['a-0']))).errorCode).toBe(0);
    expect([...(await writeMarkers(leader, [{ producerId: PID_A, commit: true, coordinatorEpoch: 5, topic }])).values()]).toEqual([0]);
    expect((await produce(leader, topic, txnBatch(PID_A, 1, ['a-1']))).errorCode).toBe(0);
    const leo = await latest(leader, topic, 0);
    expect(leo).toBe(3);

    const fenced = await writeMarkers(leader, [{ producerId: PID_A, commit: false, coordinatorEpoch: 4, topic }]);
    expect(fenced.get(`${PID_A}/${topic}-0`)).toBe(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    const oldEpoch = await writeMarkers(leader, [{ producerId: PID_A, producerEpoch: EPOCH - 1, commit: false, coordinatorEpoch: 5, topic }]);
    expect(oldEpoch.get(`${PID_A}/${topic}-0`)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const notLeader = await writeMarkers(follower, [{ producerId: PID_A, commit: false, coordinatorEpoch: 5, topic }]);
    expect(notLeader.get(`${PID_A}/${topic}-0`)).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const unknown = await writeMarkers(leader, [{ producerId: PID_A, commit: false, coordinatorEpoch: 5, topic: 'txn-no-such-topic', partitions: [0] }]);
    expect(unknown.get(`${PID_A}/txn-no-such-topic-0`)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    expect(await latest(leader, topic, 0)).toBe(leo);
    expect(await latest(leader, topic, 1)).toBe(2); // a-1's transaction is still open
    // The right marker still works afterwards.
    expect([...(await writeMarkers(leader, [{ producerId: PID_A, commit: false, coordinatorEpoch: 5, topic }])).values()]).toEqual([0]);
    expect(await latest(leader, topic, 1)).toBe(4);
    expect(await kcatValues(cluster.bootstrap, topic, 'read_committed')).toEqual(['a-0']);
  });

  test('leader kill -9 with a transaction open: the new leader holds the LSO at the transaction start until its marker', async () => {
    const topic = 'txn-failover';
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const view = (await partitionsOf(cluster, topic))[0];
    const oldLeader = await connect(view.leader);
    expect((await produce(oldLeader, topic, plainBatch(['before-0', 'before-1']), null)).errorCode).toBe(0);
    expect((await produce(oldLeader, topic, txnBatch(PID_C, 0, ['c-0', 'c-1']))).errorCode).toBe(0);
    expect(await latest(oldLeader, topic, 1)).toBe(2);
    await waitFor('both replicas in the ISR', async () => (await partitionsOf(cluster, topic))[0].isr.length === 2, 30000, 200);

    await cluster.kill(view.leader);
    const newLeaderId = view.replicas.find((r) => r !== view.leader) as number;
    await waitFor(`broker ${newLeaderId} leads`, async () => (await partitionsOf(cluster, topic))[0]?.leader === newLeaderId, 30000, 200);
    const newLeader = await connect(newLeaderId);
    await waitFor('the new leader has the high watermark at 4', async () => (await latest(newLeader, topic, 0)) === 4, 30000, 200);
    expect(await latest(newLeader, topic, 1)).toBe(2);
    expect(await kcatValues(`127.0.0.1:${cluster.broker(newLeaderId).port}`, topic, 'read_committed')).toEqual(['before-0', 'before-1']);

    expect([...(await writeMarkers(newLeader, [{ producerId: PID_C, commit: true, coordinatorEpoch: 1, topic }])).values()]).toEqual([0]);
    expect(await latest(newLeader, topic, 1)).toBe(5);
    expect(await kcatValues(`127.0.0.1:${cluster.broker(newLeaderId).port}`, topic, 'read_committed')).toEqual(['before-0', 'before-1', 'c-0', 'c-1']);
    await cluster.startBroker(view.leader);
  });
});
