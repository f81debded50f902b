// Idempotent producers against one real broker: kafkajs (idempotent: true) and kcat/librdkafka
// (enable.idempotence=true) get producer ids from InitProducerId and every record lands exactly
// once, in order; raw requests with a wrong epoch, a sequence gap or an unknown producer get
// Kafka's error codes and write nothing; duplicates are answered with the original offsets, also
// after a kill -9 and restart of the broker.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { InitProducerId } from '../../../broker/protocol/messages/init-producer-id';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { waitFor } from '../../helpers/wait';
import { idempotentBatch, produceRaw, storedBatches } from './idempotence-helpers';

describe('idempotent producers (single broker)', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'num.partitions': 1 } });
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'idempotence-test' });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kjs', numPartitions: 3 }, { topic: 'kc' }, { topic: 'raw', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  test('ApiVersions advertises InitProducerId 0-2, as Kafka 2.4', async () => {
    const r = await client.send(ApiVersions, 2, {});
    expect(r.apiKeys.find((k) => k.apiKey === 22)).toEqual({ apiKey: 22, minVersion: 0, maxVersion: 2 });
  });

  test('InitProducerId v0/v1/v2 without a transactional id: a fresh id at epoch 0 each time; empty id INVALID_REQUEST; a transactional id NOT_COORDINATOR on a broker that is not its coordinator', async () => {
    const a = await client.send(InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 60000 });
    const b = await client.send(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    expect(a).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(b).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(b.producerId).not.toBe(a.producerId);
    const c = await client.send(InitProducerId, 2, { transactionalId: null, transactionTimeoutMs: 60000 }); // flexible (KIP-482)
    expect(c).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect([a.producerId, b.producerId]).not.toContain(c.producerId);
    expect((await client.send(InitProducerId, 1, { transactionalId: '', transactionTimeoutMs: 60000 })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    // No FindCoordinator(TRANSACTION) yet, so no __transaction_state and no coordinator here (tests/integration/transactions/).
    expect(await client.send(InitProducerId, 1, { transactionalId: 'txn', transactionTimeoutMs: 60000 })).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, producerId: -1, producerEpoch: -1 });
  });

  test('kafkajs idempotent producer: every partition reads back as exactly the sent sequence, stored with one producer id and consecutive sequences', async () => {
    const producer = kafkajs(cluster.bootstrap).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    const sent: string[][] = [[], [], []];
    for (let round = 0; round < 20; round++) {
      const messages = Array.from({ length: 15 }, (_, i) => ({ value: `r${round}-m${i}`, partition: i % 3 }));
      for (const m of messages) sent[m.partition].push(m.value);
      await producer.send({ topic: 'kjs', acks: -1, messages });
    }
    await producer.disconnect();
    const rows = await consumeAllRows(cluster.bootstrap, 'kjs');
    for (let p = 0; p < 3; p++) expect(rows.filter((r) => r.partition === p).map((r) => r.value)).toEqual(sent[p]);
    for (let p = 0; p < 3; p++) {
      const batches = await storedBatches(client, 'kjs', p);
      expect(new Set(batches.map((b) => b.producerId)).size).toBe(1);
      expect(batches[0].producerId).toBeGreaterThanOrEqual(0);
      let next = 0;
      for (const b of batches) {
        expect(b.baseSequence).toBe(next);
        next += b.lastOffset - b.baseOffset + 1;
      }
      expect(next).toBe(100);
    }
  });

  test('kcat -X enable.idempotence=true: the lines read back exactly once, in order, from an idempotent producer id', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line-${i}`);
    const r = await kcat(['-P', '-b', cluster.bootstrap, '-t', 'kc', '-p', '0', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5'], { input: lines.join('\n') + '\n', timeoutMs: 60000 });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/fatal|UNSUPPORTED|not supported/i);
    const rows = await consumeAllRows(cluster.bootstrap, 'kc');
    expect(rows.map((row) => row.value)).toEqual(lines);
    const batches = await storedBatches(client, 'kc', 0);
    expect(batches.every((b) => b.producerId >= 0 && b.producerEpoch === 0)).toBe(true);
  });

  test('bad input gets Kafka\'s codes and writes nothing: sequence gap OUT_OF_ORDER_SEQUENCE_NUMBER, older epoch INVALID_PRODUCER_EPOCH, unknown producer UNKNOWN_PRODUCER_ID; a retry gets the original offset', async () => {
    const { producerId: pid } = await client.send(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    const first = await produceRaw(client, 'raw', 0, idempotentBatch(pid, 1, 0, ['a', 'b']));
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await produceRaw(client, 'raw', 0, idempotentBatch(pid, 1, 2, ['c']))).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2 });
    // The retry of the first batch: NONE with its original offset, nothing new written.
    expect(await produceRaw(client, 'raw', 0, idempotentBatch(pid, 1, 0, ['a', 'b']))).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await produceRaw(client, 'raw', 0, idempotentBatch(pid, 1, 5, ['gap']))).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1, logStartOffset: 0 });
    expect((await produceRaw(client, 'raw', 0, idempotentBatch(pid, 0, 3, ['old epoch']))).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await produceRaw(client, 'raw', 0, idempotentBatch(pid, 2, 7, ['new epoch not at 0']))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await produceRaw(client, 'raw', 0, idempotentBatch(pid + 500, 0, 9, ['who']))).errorCode).toBe(ErrorCode.UNKNOWN_PRODUCER_ID);
    const batches = await storedBatches(client, 'raw', 0);
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.baseSequence])).toEqual([[0, 1, 0], [2, 2, 2]]);
    // The next in-order batch still fits after all that.
    expect(await produceRaw(client, 'raw', 0, idempotentBatch(pid, 1, 3, ['d']))).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3 });
    await waitFor('one log line per refused batch', () => cluster.output(0).split('\n').filter((l) => l.includes('Error processing append operation on partition raw-0')).length === 4);
  });

  test('after kill -9 and restart the broker still answers a retry with the original offset and expects the next sequence (state from the log)', async () => {
    const { producerId: pid } = await client.send(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    for (let seq = 0; seq < 6; seq++) expect((await produceRaw(client, 'raw', 1, idempotentBatch(pid, 0, seq, [`v${seq}`]))).baseOffset).toBe(seq);
    client.close();
    await cluster.kill(0);
    await cluster.startBroker(0);
    await cluster.waitUntilServing(0);
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'idempotence-test' });
    await waitFor('raw-1 led again', async () => (await produceRaw(client, 'raw', 1, idempotentBatch(pid, 0, 5, ['v5']))).errorCode === ErrorCode.NONE, 30000, 300);
    for (let seq = 1; seq < 6; seq++) expect(await produceRaw(client, 'raw', 1, idempotentBatch(pid, 0, seq, [`v${seq}`]))).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: seq });
    expect((await produceRaw(client, 'raw', 1, idempotentBatch(pid, 0, 7, ['gap']))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produceRaw(client, 'raw', 1, idempotentBatch(pid, 0, 6, ['v6']))).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 6 });
    // And the new broker process hands out ids from a new block, never one given before the crash.
    const after = await client.send(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    expect(after.producerId).toBeGreaterThanOrEqual(1000);
    const rows = await consumeAllRows(cluster.bootstrap, 'raw');
    expect(rows.filter((r) => r.partition === 1).map((r) => r.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
  });
});
