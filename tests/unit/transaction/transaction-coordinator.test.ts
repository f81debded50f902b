// The transaction coordinator's state machine over an in-memory __transaction_state (the group
// tests' FakeOffsetsLog) and a fake WriteTxnMarkers sender: every transition Kafka 2.4 allows,
// the error code of every one it refuses, what is written to the log and when, loading a
// partition that holds PrepareCommit (markers sent again, then CompleteCommit), fencing,
// timeouts, expiry and marker retries.
import { ErrorCode } from '../../../broker/protocol/errors';
import type { WriteTxnMarkersRequestInput, WriteTxnMarkersResponse } from '../../../broker/protocol/messages/write-txn-markers';
import { TransactionCoordinator } from '../../../broker/transaction/transaction-coordinator';
import { readTxnRecordKey, readTxnRecordValue, txnRecordKey, txnRecordValue, type TxnLogValue } from '../../../broker/transaction/transaction-log';
import { TransactionMarkerChannelManager } from '../../../broker/transaction/transaction-marker-channel-manager';
import { TransactionMetadata } from '../../../broker/transaction/transaction-metadata';
import { TransactionStateManager } from '../../../broker/transaction/transaction-state-manager';
import { isValidTransition, TransactionState } from '../../../broker/transaction/transaction-state';
import { encodeRecordBatch, decodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { iterateEntries } from '../../../broker/protocol/records/log-entries';
import { FakeOffsetsLog } from '../group/fake-offsets-log';

const S = TransactionState;
const EPOCH = 5;

class FakeMarkerBroker {
  readonly requests: WriteTxnMarkersRequestInput[] = [];
  /** Error per "topic-partition" for the next answers (removed once used). */
  readonly failOnce = new Map<string, ErrorCode>();
  send = async (_broker: number, _endpoint: unknown, request: WriteTxnMarkersRequestInput): Promise<WriteTxnMarkersResponse> => {
    this.requests.push(request);
    return {
      markers: request.markers.map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((p) => {
            const key = `${t.name}-${p}`;
            const errorCode = this.failOnce.get(key) ?? ErrorCode.NONE;
            this.failOnce.delete(key);
            return { partitionIndex: p, errorCode };
          }),
        })),
      })),
    };
  };
  marked(): { result: boolean; partitions: string[] }[] {
    return this.requests.flatMap((r) => r.markers.map((m) => ({ result: m.transactionResult, partitions: m.topics.flatMap((t) => t.partitionIndexes.map((p) => `${t.name}-${p}`)) })));
  }
}

function setup(options: { known?: (topic: string) => boolean; now?: () => number } = {}) {
  const log = new FakeOffsetsLog();
  let nextPid = 1000;
  const now = options.now ?? Date.now;
  const stateManager = new TransactionStateManager(
    { brokerId: 1, numPartitions: 1, transactionMaxTimeoutMs: 900000, transactionalIdExpirationMs: 60000, removeExpiredTransactionalIdsIntervalMs: 1000, loadBufferSize: 1 << 20, requestTimeoutMs: 1000 },
    log,
    now,
  );
  const broker = new FakeMarkerBroker();
  const known = options.known ?? (() => true);
  const markers = new TransactionMarkerChannelManager({
    brokerId: 1,
    interBrokerListenerName: 'PLAINTEXT',
    metadataCache: {
      partitionState: (topic: string, partition: number) => (known(topic) ? ({ topic, partition, leader: 2 } as never) : undefined),
      endpointFor: () => ({ listener: 'PLAINTEXT', host: 'h', port: 1, securityProtocol: 0 }),
    },
    stateManager,
    send: broker.send,
    retryBackoffMs: 5,
  });
  const coordinator = new TransactionCoordinator(stateManager, markers, { generateProducerId: async () => nextPid++ }, 1000000, undefined, now);
  markers.start();
  (coordinator as unknown as { active: boolean }).active = true;
  return { log, stateManager, markers, coordinator, broker };
}

/** Every (transactional id, value) written to partition 0, in order. */
function written(log: FakeOffsetsLog): { id: string; value: TxnLogValue | null }[] {
  const out: { id: string; value: TxnLogValue | null }[] = [];
  for (const buf of log.batches.get(0) ?? []) {
    for (const e of iterateEntries(buf)) {
      for (const r of decodeRecordBatch(buf, e.pos).records) out.push({ id: readTxnRecordKey(r.key!), value: r.value === null ? null : readTxnRecordValue(r.value) });
    }
  }
  return out;
}

const states = (log: FakeOffsetsLog, id: string) => written(log).filter((w) => w.id === id).map((w) => (w.value === null ? 'tombstone' : S[w.value.state]));
const settle = () => new Promise((r) => setTimeout(r, 30));

async function loaded(s: ReturnType<typeof setup>, epoch = EPOCH) {
  s.coordinator.onElection(0, epoch);
  await settle();
}

describe('TransactionState transitions (Kafka 2.4 validPreviousStates)', () => {
  test.each([
    [S.Empty, S.Ongoing, true],
    [S.Ongoing, S.PrepareCommit, true],
    [S.Ongoing, S.PrepareEpochFence, true],
    [S.PrepareEpochFence, S.PrepareAbort, true],
    [S.PrepareCommit, S.CompleteCommit, true],
    [S.CompleteCommit, S.Empty, true],
    [S.CompleteAbort, S.Dead, true],
    [S.Empty, S.PrepareCommit, false],
    [S.PrepareCommit, S.PrepareAbort, false],
    [S.PrepareAbort, S.CompleteCommit, false],
    [S.Ongoing, S.Dead, false],
    [S.Dead, S.Empty, false],
  ])('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(isValidTransition(from, to)).toBe(allowed);
  });

  test('a second prepare while one is pending throws; epoch exhaustion stops at Short.MaxValue - 1', () => {
    const m = new TransactionMetadata('t', 1, 32765, 1000, S.Empty, -1, 0);
    m.prepareIncrementProducerEpoch(1000, 1);
    expect(() => m.prepareIncrementProducerEpoch(1000, 1)).toThrow(/pending state/);
    expect(new TransactionMetadata('t', 1, 32766, 1000, S.Empty, -1, 0).isProducerEpochExhausted).toBe(true);
  });
});

describe('TransactionCoordinator', () => {
  test('before a partition is loaded: NOT_COORDINATOR; while loading: COORDINATOR_LOAD_IN_PROGRESS', async () => {
    const s = setup();
    expect((await s.coordinator.handleInitProducerId('t', 1000)).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    s.coordinator.onElection(0, EPOCH);
    expect((await s.coordinator.handleEndTransaction('t', 1, 0, true))).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await settle();
    expect((await s.coordinator.handleInitProducerId('t', 1000)).errorCode).toBe(ErrorCode.NONE);
  });

  test('init, add, commit: Empty, Ongoing, PrepareCommit written before the answer; markers; CompleteCommit after them', async () => {
    const s = setup();
    await loaded(s);
    const init = await s.coordinator.handleInitProducerId('t', 1000);
    expect(init).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 0 });
    expect(await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }, { topic: 'b', partition: 1 }])).toBe(ErrorCode.NONE);
    // Adding what is already in the transaction writes nothing (Kafka's shortcut).
    expect(await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }])).toBe(ErrorCode.NONE);
    expect(states(s.log, 't')).toEqual(['Empty', 'Ongoing']);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    expect(s.broker.marked()).toEqual([{ result: true, partitions: ['a-0', 'b-1'] }]);
    expect(s.broker.requests[0].markers[0]).toMatchObject({ producerId: 1000, producerEpoch: 0, coordinatorEpoch: EPOCH });
    expect(states(s.log, 't')).toEqual(['Empty', 'Ongoing', 'PrepareCommit', 'CompleteCommit']);
    // A retried commit after completion is fine; an abort now is not.
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NONE);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    // Re-init bumps the epoch.
    expect((await s.coordinator.handleInitProducerId('t', 2000)).producerEpoch).toBe(1);
  });

  test('refusals write nothing: unknown id / producer id INVALID_PRODUCER_ID_MAPPING, older epoch INVALID_PRODUCER_EPOCH, Empty INVALID_TXN_STATE, timeout INVALID_TRANSACTION_TIMEOUT, empty id INVALID_REQUEST', async () => {
    const s = setup();
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 1000);
    await s.coordinator.handleInitProducerId('t', 1000); // epoch 1
    const before = written(s.log).length;
    expect(await s.coordinator.handleEndTransaction('unknown', 1000, 1, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await s.coordinator.handleEndTransaction('t', 999, 1, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 1, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 1, [{ topic: 'a', partition: 0 }]);
    const withOngoing = written(s.log).length;
    // A newer epoch than the coordinator gave out: refused before anything is written (Kafka 2.4
    // wrote PrepareCommit first and left the id stuck).
    expect(await s.coordinator.handleEndTransaction('t', 1000, 2, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(written(s.log).length).toBe(withOngoing);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 1, false)).toBe(ErrorCode.NONE);
    await settle();
    const afterAbort = written(s.log).length;
    expect(await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }])).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await s.coordinator.handleAddPartitionsToTransaction('unknown', 1000, 1, [{ topic: 'a', partition: 0 }])).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await s.coordinator.handleInitProducerId('t', 900001)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await s.coordinator.handleInitProducerId('', 1000)).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(written(s.log).length).toBe(afterAbort);
    expect(before).toBe(2);
  });

  test('re-init during an open transaction: CONCURRENT_TRANSACTIONS, the transaction aborted under epoch + 1, the retry gets epoch + 2', async () => {
    const s = setup();
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 1000);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }]);
    expect((await s.coordinator.handleInitProducerId('t', 1000)).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    await settle();
    expect(s.broker.requests.at(-1)!.markers[0]).toMatchObject({ transactionResult: false, producerEpoch: 1 });
    expect(states(s.log, 't')).toEqual(['Empty', 'Ongoing', 'PrepareAbort', 'CompleteAbort']);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await s.coordinator.handleInitProducerId('t', 1000)).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 2 });
  });

  test('epoch exhaustion: the next InitProducerId rotates to a new producer id at epoch 0', async () => {
    const s = setup();
    const key = txnRecordKey('t');
    const value = txnRecordValue({ producerId: 77, producerEpoch: 32766, txnTimeoutMs: 1000, state: S.CompleteCommit, topicPartitions: [], txnStartTimestamp: 1, txnLastUpdateTimestamp: 2 });
    await s.log.appendRecords(-1, 1000, [{ topic: '__transaction_state', partition: 0, records: encodeRecordBatch({ records: [{ key, value }] }) }]);
    await loaded(s);
    expect(await s.coordinator.handleInitProducerId('t', 1000)).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 0 });
  });

  test('loading a partition that holds PrepareCommit sends its markers with the new coordinator epoch, then writes CompleteCommit', async () => {
    const s = setup();
    const value = txnRecordValue({ producerId: 42, producerEpoch: 3, txnTimeoutMs: 1000, state: S.PrepareCommit, topicPartitions: [{ topic: 'x', partition: 2 }], txnStartTimestamp: 10, txnLastUpdateTimestamp: 11 });
    await s.log.appendRecords(-1, 1000, [{ topic: '__transaction_state', partition: 0, records: encodeRecordBatch({ records: [{ key: txnRecordKey('p'), value }] }) }]);
    await loaded(s, 9);
    await settle();
    expect(s.broker.requests).toHaveLength(1);
    expect(s.broker.requests[0].markers[0]).toMatchObject({ producerId: 42, producerEpoch: 3, transactionResult: true, coordinatorEpoch: 9 });
    expect(states(s.log, 'p')).toEqual(['PrepareCommit', 'CompleteCommit']);
  });

  test('loading skips what no coordinator writes (undecodable key, unknown version, Dead state) with a log line and loads the rest', async () => {
    const s = setup();
    const good = txnRecordValue({ producerId: 5, producerEpoch: 1, txnTimeoutMs: 1000, state: S.CompleteAbort, topicPartitions: [], txnStartTimestamp: 1, txnLastUpdateTimestamp: 2 });
    const dead = txnRecordValue({ producerId: 5, producerEpoch: 2, txnTimeoutMs: 1000, state: S.Dead, topicPartitions: [{ topic: 'a', partition: 0 }], txnStartTimestamp: 1, txnLastUpdateTimestamp: 3 });
    const badVersion = Buffer.from(good);
    badVersion.writeInt16BE(7, 0);
    const records = [
      { key: txnRecordKey('ok'), value: good },
      { key: Buffer.from([0xff]), value: good },
      { key: txnRecordKey('ok'), value: badVersion },
      { key: txnRecordKey('ok'), value: dead },
      { key: null, value: good },
    ];
    await s.log.appendRecords(-1, 1000, [{ topic: '__transaction_state', partition: 0, records: encodeRecordBatch({ records }) }]);
    await loaded(s);
    expect(s.stateManager.getTransactionState('ok').metadata).toMatchObject({ producerId: 5, producerEpoch: 1, state: S.CompleteAbort });
    expect(await s.coordinator.handleInitProducerId('ok', 1000)).toEqual({ errorCode: ErrorCode.NONE, producerId: 5, producerEpoch: 2 });
  });

  test('markers: NOT_LEADER_OR_FOLLOWER is retried until written; a deleted topic is dropped; INVALID_PRODUCER_EPOCH stops sending', async () => {
    const s = setup({ known: (topic) => topic !== 'gone' });
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 1000);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }, { topic: 'gone', partition: 0 }]);
    s.broker.failOnce.set('a-0', ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, false)).toBe(ErrorCode.NONE);
    await settle();
    expect(s.broker.marked()).toEqual([{ result: false, partitions: ['a-0'] }, { result: false, partitions: ['a-0'] }]);
    expect(states(s.log, 't').at(-1)).toBe('CompleteAbort');

    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'b', partition: 0 }]);
    s.broker.failOnce.set('b-0', ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    expect(s.markers.pendingTransactions).toBe(0);
    expect(states(s.log, 't').at(-1)).toBe('PrepareCommit');
  });

  test('resigning drops the cache and stops the markers; the next leader finishes from the log', async () => {
    const s = setup();
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 1000);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }]);
    s.coordinator.onResignation(0);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NOT_COORDINATOR);
    await loaded(s, EPOCH + 1);
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    expect(s.broker.requests.at(-1)!.markers[0].coordinatorEpoch).toBe(EPOCH + 1);
  });

  test('a leader epoch bump while we stay leader keeps the cache and the coordinator epoch (Kafka 2.4 only immigrates on a new leader)', async () => {
    const s = setup();
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 1000);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }]);
    s.coordinator.onElection(0, EPOCH + 3);
    expect(s.stateManager.getTransactionState('t')).toMatchObject({ error: ErrorCode.NONE, coordinatorEpoch: EPOCH });
    expect(await s.coordinator.handleEndTransaction('t', 1000, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    expect(s.broker.requests.at(-1)!.markers[0].coordinatorEpoch).toBe(EPOCH);
  });

  test('a transaction open past its timeout is aborted with an epoch bump', async () => {
    let clock = 1000;
    const s = setup({ now: () => clock });
    await loaded(s);
    await s.coordinator.handleInitProducerId('t', 500);
    await s.coordinator.handleAddPartitionsToTransaction('t', 1000, 0, [{ topic: 'a', partition: 0 }]);
    clock += 400;
    s.coordinator.abortTimedOutTransactions();
    await settle();
    expect(states(s.log, 't')).toEqual(['Empty', 'Ongoing']);
    clock += 200;
    s.coordinator.abortTimedOutTransactions();
    await settle();
    expect(states(s.log, 't')).toEqual(['Empty', 'Ongoing', 'PrepareAbort', 'CompleteAbort']);
    expect(s.broker.requests.at(-1)!.markers[0]).toMatchObject({ transactionResult: false, producerEpoch: 1 });
  });

  test('ids idle past transactional.id.expiration.ms get a tombstone and leave the cache; open ones stay', async () => {
    let clock = 1000;
    const s = setup({ now: () => clock });
    await loaded(s);
    await s.coordinator.handleInitProducerId('idle', 1000);
    await s.coordinator.handleInitProducerId('busy', 100000);
    await s.coordinator.handleAddPartitionsToTransaction('busy', 1001, 0, [{ topic: 'a', partition: 0 }]);
    clock += 60001;
    expect(await s.stateManager.removeExpiredTransactionalIds()).toBe(1);
    expect(states(s.log, 'idle')).toEqual(['Empty', 'tombstone']);
    expect(s.stateManager.getTransactionState('idle').metadata).toBeUndefined();
    expect(s.stateManager.getTransactionState('busy').metadata?.state).toBe(S.Ongoing);
  });
});
