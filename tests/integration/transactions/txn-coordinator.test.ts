// The transaction coordinator against one real broker: kafkajs transactional producers commit and
// abort (the COMMIT/ABORT markers land after the data in every partition, and __transaction_state
// records the states in Kafka's format, which Apache Kafka 2.4's own kafka-dump-log decodes); a second producer with the same transactional id fences
// the first (INVALID_PRODUCER_EPOCH); an open transaction past its timeout is aborted by the
// coordinator with an epoch bump; bad requests get Kafka's codes and write nothing to
// __transaction_state.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { AddOffsetsToTxn } from '../../../broker/protocol/messages/add-offsets-to-txn';
import { AddPartitionsToTxn } from '../../../broker/protocol/messages/add-partitions-to-txn';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { EndTxn } from '../../../broker/protocol/messages/end-txn';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { InitProducerId } from '../../../broker/protocol/messages/init-producer-id';
import { TRANSACTION_STATE_TOPIC_NAME, transactionPartitionFor } from '../../../broker/transaction/transaction-log';
import { TransactionState } from '../../../broker/transaction/transaction-state';
import { KAFKA_DIST } from '../../helpers/reference-kafka';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';
import { readPartition, transactionLogOf } from './txn-helpers';

const TXN_PARTITIONS = 4;
const execFileAsync = promisify(execFile);

describe('transaction coordinator (single broker)', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  /** InitProducerId until the coordinator has loaded its partition. */
  async function initProducerId(transactionalId: string, transactionTimeoutMs = 60000) {
    return waitFor(`InitProducerId ${transactionalId}`, async () => {
      const r = await client.send(InitProducerId, 1, { transactionalId, transactionTimeoutMs });
      const retriable = [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR, ErrorCode.CONCURRENT_TRANSACTIONS];
      return retriable.includes(r.errorCode) ? null : r;
    }, 30000, 200);
  }

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: {
        'num.partitions': 1,
        'transaction.state.log.num.partitions': TXN_PARTITIONS,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'transaction.abort.timed.out.transaction.cleanup.interval.ms': 500,
        'transaction.max.timeout.ms': 120000,
      },
    });
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'txn-coordinator-test' });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }, { topic: 'fenced' }, { topic: 'timeouts' }, { topic: 'raw' }], waitForLeaders: true });
    await admin.disconnect();
    // The first FindCoordinator(TRANSACTION) creates __transaction_state.
    await waitFor('transaction coordinator', async () => {
      const r = await client.send(FindCoordinator, 1, { key: 'any', keyType: 1 });
      return r.errorCode === ErrorCode.NONE;
    }, 30000, 200);
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  test('ApiVersions advertises AddPartitionsToTxn, AddOffsetsToTxn and EndTxn 0-1, as Kafka 2.4', async () => {
    const r = await client.send(ApiVersions, 2, {});
    for (const key of [24, 25, 26]) expect(r.apiKeys.find((k) => k.apiKey === key)).toEqual({ apiKey: key, minVersion: 0, maxVersion: 1 });
  });

  test('FindCoordinator key_type 1 names this broker', async () => {
    const r = await client.send(FindCoordinator, 2, { key: 'some-txn', keyType: 1 });
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: cluster.brokers[0].id, port: cluster.brokers[0].port });
  });

  test('kafkajs transaction() commit then abort: data then COMMIT marker in each partition, then ABORT; __transaction_state ends CompleteAbort', async () => {
    const producer = kafkajs(cluster.bootstrap).producer({ transactionalId: 'orders-txn', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'orders', messages: [{ value: 'c0', partition: 0 }, { value: 'c1', partition: 1 }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'orders', messages: [{ value: 'a0', partition: 0 }, { value: 'a1', partition: 1 }] });
    await aborted.abort();
    await producer.disconnect();

    for (const p of [0, 1]) {
      const batches = await waitFor(`markers of orders-${p}`, async () => {
        const b = await readPartition(client, 'orders', p);
        return b.length === 4 ? b : null;
      });
      expect(batches.map((b) => b.marker ?? b.values.join(','))).toEqual([`c${p}`, 'COMMIT', `a${p}`, 'ABORT']);
      expect(batches.every((b) => b.isTransactional && b.producerId === batches[0].producerId && b.producerEpoch === batches[0].producerEpoch)).toBe(true);
    }
    const states = await waitFor('CompleteAbort in __transaction_state', async () => {
      const s = await transactionLogOf(client, 'orders-txn', TXN_PARTITIONS);
      return s.at(-1)?.state === TransactionState.CompleteAbort ? s : null;
    });
    expect(states.map((s) => TransactionState[s!.state])).toEqual(['Empty', 'Ongoing', 'PrepareCommit', 'CompleteCommit', 'Ongoing', 'PrepareAbort', 'CompleteAbort']);
    expect(states[1]!.topicPartitions).toEqual(expect.arrayContaining([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]));
    expect(states.at(-1)!.topicPartitions).toEqual([]);
  });

  const kafkaDist = KAFKA_DIST;
  (kafkaDist ? test : test.skip)('Apache Kafka 2.4\'s kafka-dump-log --transaction-log-decoder reads the __transaction_state segment Zafka wrote', async () => {
    const p = transactionPartitionFor('orders-txn', TXN_PARTITIONS);
    const segment = path.join(cluster.brokers[0].logDir, `${TRANSACTION_STATE_TOPIC_NAME}-${p}`, '00000000000000000000.log');
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-dump-log-'));
    const { stdout } = await execFileAsync(path.join(kafkaDist!, 'bin/kafka-dump-log.sh'), ['--transaction-log-decoder', '--files', segment], {
      env: { ...process.env, LOG_DIR: logDir, KAFKA_HEAP_OPTS: '-Xmx256m -Xms64m' },
      timeout: 120000,
    });
    fs.rmSync(logDir, { recursive: true, force: true });
    const states = stdout.split('\n').filter((l) => l.includes('key: transactionalId=orders-txn')).map((l) => /state=(\w+)/.exec(l)?.[1]);
    expect(states).toEqual(['Empty', 'Ongoing', 'PrepareCommit', 'CompleteCommit', 'Ongoing', 'PrepareAbort', 'CompleteAbort']);
    expect(stdout).toMatch(/partitions=Set\(orders-[01], orders-[01]\)/);
  }, 150000);

  test('zombie fencing: a second producer with the same transactional id aborts the first one\'s open transaction, and the first gets INVALID_PRODUCER_EPOCH', async () => {
    const zombie = kafkajs(cluster.bootstrap).producer({ transactionalId: 'fenced-txn', maxInFlightRequests: 1, idempotent: true });
    await zombie.connect();
    const open = await zombie.transaction();
    await open.send({ topic: 'fenced', messages: [{ value: 'zombie' }] });

    const successor = kafkajs(cluster.bootstrap).producer({ transactionalId: 'fenced-txn', maxInFlightRequests: 1, idempotent: true });
    await successor.connect();
    // kafkajs sends the transactional InitProducerId here: it aborts the open transaction and bumps the epoch.
    const next = await successor.transaction();
    await expect(open.commit()).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    await next.send({ topic: 'fenced', messages: [{ value: 'successor' }] });
    await next.commit();
    await successor.disconnect();
    await zombie.disconnect().catch(() => undefined);

    const batches = await waitFor('markers of fenced-0', async () => {
      const b = await readPartition(client, 'fenced', 0);
      return b.length === 4 ? b : null;
    });
    expect(batches.map((b) => b.marker ?? b.values.join(','))).toEqual(['zombie', 'ABORT', 'successor', 'COMMIT']);
    // The abort is written under the bumped epoch, which the zombie never had.
    expect(batches[1].producerEpoch).toBe(batches[0].producerEpoch + 1);
    expect(batches[2].producerEpoch).toBeGreaterThan(batches[1].producerEpoch);
  });

  test('an open transaction past its timeout is aborted by the coordinator with an epoch bump; the late EndTxn gets INVALID_PRODUCER_EPOCH', async () => {
    const init = await initProducerId('timeout-txn', 1000);
    expect(init.errorCode).toBe(ErrorCode.NONE);
    const add = await client.send(AddPartitionsToTxn, 1, { transactionalId: 'timeout-txn', producerId: init.producerId, producerEpoch: init.producerEpoch, topics: [{ name: 'timeouts', partitions: [0] }] });
    expect(add.results[0].results[0].errorCode).toBe(ErrorCode.NONE);
    const batches = await waitFor('ABORT marker of the timed-out transaction', async () => {
      const b = await readPartition(client, 'timeouts', 0);
      return b.some((x) => x.marker === 'ABORT') ? b : null;
    }, 30000);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ marker: 'ABORT', producerId: init.producerId, producerEpoch: init.producerEpoch + 1 });
    const end = await client.send(EndTxn, 1, { transactionalId: 'timeout-txn', producerId: init.producerId, producerEpoch: init.producerEpoch, committed: true });
    expect(end.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  test('bad input gets Kafka\'s codes and writes nothing to __transaction_state: unknown id INVALID_PRODUCER_ID_MAPPING, wrong producer id INVALID_PRODUCER_ID_MAPPING, older epoch INVALID_PRODUCER_EPOCH, nothing to end INVALID_TXN_STATE, unknown topic UNKNOWN_TOPIC_OR_PARTITION (+ OPERATION_NOT_ATTEMPTED), internal topic TOPIC_AUTHORIZATION_FAILED, timeout above transaction.max.timeout.ms INVALID_TRANSACTION_TIMEOUT, empty id INVALID_REQUEST', async () => {
    const id = 'bad-input-txn';
    const init = await initProducerId(id);
    expect(init).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    const before = await transactionLogOf(client, id, TXN_PARTITIONS);
    expect(before.map((s) => TransactionState[s!.state])).toEqual(['Empty']);
    const { producerId, producerEpoch } = init;

    const end = (transactionalId: string, pid: number, epoch: number, committed = true) => client.send(EndTxn, 1, { transactionalId, producerId: pid, producerEpoch: epoch, committed });
    expect((await end('never-initialised-txn', producerId, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await end(id, producerId + 1, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await end(id, producerId, producerEpoch - 1)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await end(id, producerId, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    expect((await end(id, producerId, producerEpoch, false)).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);

    const add = await client.send(AddPartitionsToTxn, 1, { transactionalId: id, producerId, producerEpoch, topics: [{ name: 'raw', partitions: [0] }, { name: 'no-such-topic', partitions: [0] }, { name: '__consumer_offsets', partitions: [0] }] });
    expect(add.results.map((t) => [t.name, t.results.map((p) => p.errorCode)])).toEqual([
      ['raw', [ErrorCode.OPERATION_NOT_ATTEMPTED]],
      ['no-such-topic', [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
      ['__consumer_offsets', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
    ]);
    const wrongEpoch = await client.send(AddPartitionsToTxn, 1, { transactionalId: id, producerId, producerEpoch: producerEpoch + 1, topics: [{ name: 'raw', partitions: [0] }] });
    expect(wrongEpoch.results[0].results[0].errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const offsets = await client.send(AddOffsetsToTxn, 1, { transactionalId: id, producerId: producerId + 7, producerEpoch, groupId: 'g' });
    expect(offsets.errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);

    expect((await client.send(InitProducerId, 1, { transactionalId: id, transactionTimeoutMs: 120001 })).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await client.send(InitProducerId, 1, { transactionalId: id, transactionTimeoutMs: 0 })).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await end('', producerId, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_REQUEST);

    expect(await transactionLogOf(client, id, TXN_PARTITIONS)).toEqual(before);
    // The id still works after all that.
    const ok = await client.send(AddPartitionsToTxn, 1, { transactionalId: id, producerId, producerEpoch, topics: [{ name: 'raw', partitions: [0] }] });
    expect(ok.results[0].results[0].errorCode).toBe(ErrorCode.NONE);
    expect((await end(id, producerId, producerEpoch, false)).errorCode).toBe(ErrorCode.NONE);
  });

  test('AddOffsetsToTxn adds the group\'s __consumer_offsets partition to the transaction', async () => {
    const id = 'offsets-txn';
    const init = await initProducerId(id);
    const r = await client.send(AddOffsetsToTxn, 1, { transactionalId: id, producerId: init.producerId, producerEpoch: init.producerEpoch, groupId: 'txn-group' });
    expect(r.errorCode).toBe(ErrorCode.NONE);
    const states = await transactionLogOf(client, id, TXN_PARTITIONS);
    const ongoing = states.at(-1)!;
    expect(ongoing.state).toBe(TransactionState.Ongoing);
    expect(ongoing.topicPartitions).toHaveLength(1);
    expect(ongoing.topicPartitions[0].topic).toBe('__consumer_offsets');
    expect((await client.send(EndTxn, 1, { transactionalId: id, producerId: init.producerId, producerEpoch: init.producerEpoch, committed: false })).errorCode).toBe(ErrorCode.NONE);
  });
});
