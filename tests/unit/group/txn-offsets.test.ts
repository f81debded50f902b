// Transactional offset commits in the group coordinator (Kafka's TxnOffsetCommit, KIP-98): written
// as a transactional batch of the producer, invisible to OffsetFetch until the transaction's COMMIT
// marker, dropped on ABORT, and read back the same way when the partition is loaded.
import * as path from 'path';
import type { GroupCoordinator } from '../../../broker/group/group-coordinator';
import { GroupState } from '../../../broker/group/group-metadata';
import type { OffsetCommitEntry } from '../../../broker/group/group-metadata-manager';
import { offsetCommitKey, offsetCommitValue } from '../../../broker/group/group-records';
import { Log } from '../../../broker/log/log';
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { decodeRecordBatch, encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { config, rmDir, tmpDir } from '../log/batch-builder';
import { coordinatorOver, FakeOffsetsLog } from './fake-offsets-log';

const PID = 7000;
const EPOCH = 3;

const entry = (offset: number, partition = 0, topic = 't'): OffsetCommitEntry => ({
  topic,
  partition,
  offsetAndMetadata: { offset, leaderEpoch: -1, metadata: '', commitTimestamp: 1000, expireTimestamp: null },
});

/** A transaction marker as a transaction coordinator's WriteTxnMarkers writes it. */
function marker(baseOffset: number, producerId: number, commit: boolean, key?: Buffer): Buffer {
  return encodeRecordBatch({
    baseOffset,
    timestamp: 1000,
    producerId,
    producerEpoch: EPOCH,
    isTransactional: true,
    isControl: true,
    records: [{ key: key ?? Buffer.from([0, 0, 0, commit ? 1 : 0]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }],
  });
}

function txnCommitBatch(baseOffset: number, producerId: number, group: string, offset: number, partition = 0): Buffer {
  return encodeRecordBatch({
    baseOffset,
    timestamp: 1000,
    producerId,
    producerEpoch: EPOCH,
    baseSequence: 0,
    isTransactional: true,
    records: [{ key: offsetCommitKey(group, 't', partition), value: offsetCommitValue(entry(offset).offsetAndMetadata) }],
  });
}

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('TxnOffsetCommit in the group coordinator', () => {
  let log: FakeOffsetsLog;
  let c: GroupCoordinator;

  const load = async () => {
    c?.shutdown();
    c = coordinatorOver(log);
    c.onElection(0);
    await until(() => c.manager.isPartitionOwned(0) || !c.manager.isPartitionLoading(0));
    expect(c.manager.isPartitionOwned(0)).toBe(true);
  };
  const fetched = (group: string, partition = 0) => {
    const r = c.handleFetchOffsets(group, [{ topic: 't', partition }]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    return r.offsets[0].offset;
  };
  const txnCommit = async (group: string, offsets: OffsetCommitEntry[], producerId = PID) => {
    const result = await c.handleTxnCommitOffsets(group, producerId, EPOCH, offsets);
    expect([...result.values()]).toEqual(offsets.map(() => ErrorCode.NONE));
  };
  const nextOffset = () => log.logEndOffset(0);

  beforeEach(async () => {
    log = new FakeOffsetsLog();
    await load();
  });
  afterEach(() => c?.shutdown());

  it('writes one transactional batch with the producer id, epoch and base sequence 0', async () => {
    await txnCommit('g', [entry(5), entry(6, 1)]);
    const [batch] = log.batches.get(0)!;
    const decoded = decodeRecordBatch(batch, 0);
    expect([decoded.producerId, decoded.producerEpoch, decoded.baseSequence, decoded.isTransactional, decoded.isControl]).toEqual([PID, EPOCH, 0, true, false]);
    expect(decoded.records).toHaveLength(2);
  });

  it('keeps the commit invisible to OffsetFetch until the COMMIT marker, then serves it', async () => {
    await txnCommit('g', [entry(5)]);
    expect(fetched('g')).toBe(-1);
    expect(c.manager.getGroup('g')!.is(GroupState.Empty)).toBe(true);
    c.onTxnMarkerWritten(0, PID, true);
    expect(fetched('g')).toBe(5);
  });

  it('drops the commit on ABORT and keeps the offset committed before', async () => {
    await txnCommit('g', [entry(5)]);
    c.onTxnMarkerWritten(0, PID, true);
    await txnCommit('g', [entry(9)]);
    c.onTxnMarkerWritten(0, PID, false);
    expect(fetched('g')).toBe(5);
    expect(c.manager.getGroup('g')!.pendingTxnOffsets.isEmpty).toBe(true);
  });

  it('decides only the groups of the marker partition and of that producer', async () => {
    await txnCommit('g', [entry(5)], PID);
    await txnCommit('g', [entry(7, 1)], PID + 1);
    c.onTxnMarkerWritten(1, PID, true); // another offsets partition: not this group's
    expect(fetched('g')).toBe(-1);
    c.onTxnMarkerWritten(0, PID, true);
    expect([fetched('g', 0), fetched('g', 1)]).toEqual([5, -1]);
    c.onTxnMarkerWritten(0, PID + 1, true);
    expect(fetched('g', 1)).toBe(7);
  });

  it('lets a plain commit written after the transactional record win over it, in the cache and after a reload alike', async () => {
    await txnCommit('g', [entry(5)]);
    expect((await c.handleCommitOffsets('g', '', null, -1, [entry(8)])).get('t\u00000')).toBe(ErrorCode.NONE);
    c.onTxnMarkerWritten(0, PID, true);
    log.appendRaw(0, marker(nextOffset(), PID, true));
    expect(fetched('g')).toBe(8);
    await load();
    expect(fetched('g')).toBe(8);
  });

  it('answers INVALID_GROUP_ID for an empty group id, NOT_COORDINATOR when not leading the partition, COORDINATOR_LOAD_IN_PROGRESS while loading it', async () => {
    expect([...(await c.handleTxnCommitOffsets('', PID, EPOCH, [entry(1)])).values()]).toEqual([ErrorCode.INVALID_GROUP_ID]);
    c.onResignation(0);
    expect([...(await c.handleTxnCommitOffsets('g', PID, EPOCH, [entry(1)])).values()]).toEqual([ErrorCode.NOT_COORDINATOR]);
    c.onElection(0); // the load runs on a later turn of the event loop
    expect([...(await c.handleTxnCommitOffsets('g', PID, EPOCH, [entry(1)])).values()]).toEqual([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);
  });

  it('leaves a marker for a group that moved away to its next coordinator, which reads it from the log', async () => {
    await txnCommit('g', [entry(5)]);
    c.onResignation(0);
    expect(() => c.onTxnMarkerWritten(0, PID, true)).not.toThrow();
    log.appendRaw(0, marker(nextOffset(), PID, true));
    await load();
    expect(fetched('g')).toBe(5);
  });

  it('keeps a group whose only offsets are pending from expiring, and drops pending commits of a deleted partition', async () => {
    await txnCommit('g', [entry(5), entry(6, 1)]);
    const group = c.manager.getGroup('g')!;
    await c.manager.cleanupExpiredOffsets(); // an Empty group without offsets would turn Dead here
    expect(group.is(GroupState.Empty)).toBe(true);
    expect(c.manager.getGroup('g')).toBe(group);
    group.removeOffsets([{ topic: 't', partition: 0 }]);
    c.onTxnMarkerWritten(0, PID, true);
    expect([fetched('g', 0), fetched('g', 1)]).toEqual([-1, 6]);
  });

  describe('loading the partition', () => {
    it('applies a transaction committed in the log and never shows an aborted one', async () => {
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID, 'committed', 11));
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID + 1, 'aborted', 12));
      log.appendRaw(0, marker(nextOffset(), PID + 1, false));
      log.appendRaw(0, marker(nextOffset(), PID, true));
      await load();
      expect(fetched('committed')).toBe(11);
      expect(fetched('aborted')).toBe(-1);
    });

    it('keeps a transaction without marker pending, and decides it when the marker comes', async () => {
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID, 'open', 21));
      await load();
      expect(fetched('open')).toBe(-1);
      expect(c.manager.getGroup('open')!.pendingTxnOffsets.of(PID).map((o) => o.offsetAndMetadata.offset)).toEqual([21]);
      c.onTxnMarkerWritten(0, PID, true);
      expect(fetched('open')).toBe(21);
    });

    it('skips a marker whose key cannot be read and leaves the transaction undecided', async () => {
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID, 'g', 31));
      log.appendRaw(0, marker(nextOffset(), PID, true, Buffer.from([0])));
      log.appendRaw(0, marker(nextOffset(), PID, true, Buffer.from([0, 0, 0, 9])));
      await load();
      expect(fetched('g')).toBe(-1);
      expect(c.manager.getGroup('g')!.pendingTxnOffsets.hasProducer(PID)).toBe(true);
    });

    it('lets the last of two transactions of one producer win, and ignores an empty control batch', async () => {
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID, 'g', 1));
      log.appendRaw(0, marker(nextOffset(), PID, true));
      log.appendRaw(0, txnCommitBatch(nextOffset(), PID, 'g', 2));
      log.appendRaw(0, encodeRecordBatch({ baseOffset: nextOffset(), timestamp: 1000, producerId: PID, producerEpoch: EPOCH, isTransactional: true, isControl: true, lastOffsetDelta: 0, records: [] }));
      log.appendRaw(0, marker(nextOffset(), PID, true));
      await load();
      expect(fetched('g')).toBe(2);
    });
  });
});

describe('transactional offset commits on a __consumer_offsets log (ValidationType.EpochOnly)', () => {
  let root: string;
  beforeEach(() => (root = tmpDir()));
  afterEach(() => rmDir(root));

  it('writes every commit of the same epoch (no duplicate or sequence check) and refuses an older epoch with INVALID_PRODUCER_EPOCH', () => {
    const log = Log.open(path.join(root, '__consumer_offsets-0'), config());
    const first = log.appendAsLeader(txnCommitBatch(0, PID, 'g', 1), 0);
    // A second sendOffsets (or, after a marker, the next transaction's): same epoch, same base
    // sequence 0, same record count, yet a new commit that must be written.
    const second = log.appendAsLeader(txnCommitBatch(0, PID, 'g', 2), 0);
    expect(second.firstOffset).toBeGreaterThan(first.firstOffset);
    expect(second.recordCount).toBe(1);
    let code: ErrorCode | undefined;
    try {
      log.appendAsLeader(encodeRecordBatch({ timestamp: 1000, producerId: PID, producerEpoch: EPOCH - 1, baseSequence: 0, isTransactional: true, records: [{ key: offsetCommitKey('g', 't', 0), value: Buffer.from([0, 3]) }] }), 0);
    } catch (e) {
      code = (e as KafkaError).code;
    }
    expect(code).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    log.close();
  });
});
