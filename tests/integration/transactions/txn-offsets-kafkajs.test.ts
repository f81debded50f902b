// Exactly-once consume-transform-produce as kafkajs does it: transaction.sendOffsets() commits a
// group's offsets inside the transaction (AddOffsetsToTxn, then TxnOffsetCommit to the group
// coordinator). The offsets become visible only when the transaction commits (its marker reaches
// the group's __consumer_offsets partition), never when it aborts, and stay after a restart.
// Needs the transaction coordinator and the WriteTxnMarkers side (issue 10).
import type { Admin, Producer } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

const IN = 'eos-in';
const OUT = 'eos-out';

describe('kafkajs transaction.sendOffsets', () => {
  let cluster: TestCluster;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 3, 'transaction.state.log.num.partitions': 3, 'transaction.state.log.replication.factor': 1, 'transaction.state.log.min.isr': 1 } });
    admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: IN, numPartitions: 2 }, { topic: OUT, numPartitions: 1 }], waitForLeaders: true });
    producer = kafkajs(cluster.bootstrap).producer({ transactionalId: 'eos-app', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
  });

  const committed = async (groupId: string) => {
    const [t] = await admin.fetchOffsets({ groupId, topics: [IN] });
    return Object.fromEntries(t.partitions.map((p) => [p.partition, Number(p.offset)]));
  };

  /** One transaction: a record to OUT and the group's offsets for IN; commit or abort. */
  const transaction = async (groupId: string, offsets: Record<number, number>, commit: boolean) => {
    const txn = await producer.transaction();
    await txn.send({ topic: OUT, messages: [{ value: JSON.stringify(offsets) }] });
    await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: IN, partitions: Object.entries(offsets).map(([partition, offset]) => ({ partition: Number(partition), offset: String(offset) })) }] });
    const before = await committed(groupId);
    if (commit) await txn.commit();
    else await txn.abort();
    return before;
  };

  test('offsets sent in a transaction are invisible until it commits, then visible', async () => {
    const before = await transaction('eos-commit', { 0: 5, 1: 7 }, true);
    expect(before).toEqual({ 0: -1, 1: -1 });
    await waitFor('the committed offsets', async () => JSON.stringify(await committed('eos-commit')) === JSON.stringify({ 0: 5, 1: 7 }), 30000);
  });

  test('offsets of an aborted transaction never appear; the next committed ones do', async () => {
    await transaction('eos-abort', { 0: 3 }, true);
    await waitFor('the first commit', async () => (await committed('eos-abort'))[0] === 3, 30000);
    await transaction('eos-abort', { 0: 9 }, false);
    const seen: number[] = [];
    await transaction('eos-abort', { 0: 12 }, true);
    await waitFor('the third transaction', async () => {
      const o = (await committed('eos-abort'))[0];
      seen.push(o);
      return o === 12;
    }, 30000);
    expect(seen).not.toContain(9);
  });

  test('committed transactional offsets survive a broker restart; aborted ones stay away', async () => {
    await producer.disconnect();
    expect(await cluster.stopBroker(0)).toBe(0);
    await cluster.startBroker(0);
    await cluster.waitUntilServing(0);
    await waitFor('the offsets after the restart', async () => (await committed('eos-abort'))[0] === 12 && (await committed('eos-commit'))[1] === 7, 60000);
    producer = kafkajs(cluster.bootstrap).producer({ transactionalId: 'eos-app', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
});
