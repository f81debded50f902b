// Transactions on one partition's log (KIP-98): markers appended by the broker, the last stable
// offset, the transaction index, and what survives truncation and a reopen.
import * as fs from 'fs';
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { AppendOrigin } from '../../../broker/log/producer/producer-append-info';
import { decodeAbortedTxns } from '../../../broker/log/transaction-index';
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { ControlRecordType, endTransactionMarkerBatch, readEndTransactionMarker } from '../../../broker/protocol/records/end-transaction-marker';
import { decodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { config, rmDir, tmpDir } from './batch-builder';
import { producerBatch } from './producer-batches';

const A = 7001;
const B = 7002;

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof KafkaError) return e.code;
    throw e;
  }
}

function marker(producerId: number, commit: boolean, coordinatorEpoch = 0, epoch = 0): Buffer {
  return endTransactionMarkerBatch(producerId, epoch, { type: commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch });
}

describe('EndTransactionMarker', () => {
  it('is one control, transactional batch without sequence whose record is Kafka key (0, type) and value (0, coordinator epoch)', () => {
    const buf = endTransactionMarkerBatch(42, 3, { type: ControlRecordType.COMMIT, coordinatorEpoch: 9 }, 1_700_000_000_000);
    const batch = decodeRecordBatch(buf);
    expect(batch).toMatchObject({ isControl: true, isTransactional: true, producerId: 42, producerEpoch: 3, baseSequence: -1, recordCount: 1 });
    expect(batch.records[0].key).toEqual(Buffer.from([0, 0, 0, 1]));
    expect(batch.records[0].value).toEqual(Buffer.from([0, 0, 0, 0, 0, 9]));
    expect(readEndTransactionMarker(buf, 0)).toEqual({ type: ControlRecordType.COMMIT, coordinatorEpoch: 9 });
  });
});

describe('transactions on the log', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = tmpDir();
    dir = path.join(root, 'txn-0');
  });
  afterEach(() => rmDir(root));

  const open = () => Log.open(dir, config());
  const txnBatch = (producerId: number, seq: number, count = 2) => producerBatch({ producerId, seq, count, transactional: true });

  it('a client may not write a control batch (INVALID_RECORD); the broker may, and it ends the transaction', () => {
    const log = open();
    log.appendAsLeader(txnBatch(A, 0), 0);
    expect(codeOf(() => log.appendAsLeader(marker(A, true), 0))).toBe(ErrorCode.INVALID_RECORD);
    expect(log.logEndOffset).toBe(2);
    log.appendAsLeader(marker(A, true), 0, AppendOrigin.Coordinator);
    expect(log.logEndOffset).toBe(3);
    expect(log.producerStateManager.lastEntry(A)?.currentTxnFirstOffset).toBeNull();
    log.close();
  });

  it('the LSO stays at the first open transaction until its marker is below the high watermark', () => {
    const log = open();
    log.appendAsLeader(producerBatch({ producerId: 1, seq: 0, count: 3 }), 0); // 0-2, plain
    log.updateHighWatermark(log.logEndOffset);
    expect(log.lastStableOffset).toBe(3);
    log.appendAsLeader(txnBatch(A, 0), 0); // 3-4
    log.appendAsLeader(txnBatch(B, 0), 0); // 5-6
    log.updateHighWatermark(log.logEndOffset);
    expect(log.firstUnstableOffset).toBe(3);
    expect(log.lastStableOffset).toBe(3);
    log.appendAsLeader(marker(A, true), 0, AppendOrigin.Coordinator); // 7
    // Decided, but not yet replicated: still unstable.
    expect(log.lastStableOffset).toBe(3);
    log.updateHighWatermark(log.logEndOffset);
    expect(log.lastStableOffset).toBe(5); // B's transaction holds it now
    log.appendAsLeader(marker(B, false), 0, AppendOrigin.Coordinator); // 8
    log.updateHighWatermark(log.logEndOffset);
    expect(log.firstUnstableOffset).toBeNull();
    expect(log.lastStableOffset).toBe(9);
    log.close();
  });

  it('an abort goes into the .txnindex with the LSO it left; fetch ranges collect the overlapping aborts', () => {
    const log = open();
    log.appendAsLeader(txnBatch(A, 0), 0); // 0-1
    log.appendAsLeader(txnBatch(B, 0), 0); // 2-3
    log.appendAsLeader(marker(A, false, 5), 0, AppendOrigin.Coordinator); // 4: abort A, B still open -> LSO 2
    log.appendAsLeader(marker(B, true), 0, AppendOrigin.Coordinator); // 5: commit B, not indexed
    log.appendAsLeader(txnBatch(B, 2), 0); // 6-7
    log.appendAsLeader(marker(B, false), 0, AppendOrigin.Coordinator); // 8: abort B -> LSO 9
    const file = path.join(dir, '00000000000000000000.txnindex');
    expect(fs.statSync(file).size).toBe(2 * 34);
    expect(decodeAbortedTxns(fs.readFileSync(file))).toEqual([
      { producerId: A, firstOffset: 0, lastOffset: 4, lastStableOffset: 2 },
      { producerId: B, firstOffset: 6, lastOffset: 8, lastStableOffset: 9 },
    ]);
    expect(log.collectAbortedTransactions(0, 9).map((t) => t.producerId)).toEqual([A, B]);
    expect(log.collectAbortedTransactions(5, 9).map((t) => t.producerId)).toEqual([B]);
    expect(log.collectAbortedTransactions(0, 2).map((t) => t.producerId)).toEqual([A]);
    log.close();
  });

  it('marker checks: older producer epoch INVALID_PRODUCER_EPOCH, older coordinator epoch TRANSACTION_COORDINATOR_FENCED, nothing written', () => {
    const log = open();
    log.appendAsLeader(producerBatch({ producerId: A, epoch: 2, seq: 0, count: 1, transactional: true }), 0);
    log.appendAsLeader(marker(A, true, 4, 2), 0, AppendOrigin.Coordinator);
    const leo = log.logEndOffset;
    expect(codeOf(() => log.appendAsLeader(marker(A, false, 4, 1), 0, AppendOrigin.Coordinator))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(codeOf(() => log.appendAsLeader(marker(A, false, 3, 2), 0, AppendOrigin.Coordinator))).toBe(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    expect(log.logEndOffset).toBe(leo);
    // The same coordinator epoch again is fine (Kafka only fences an older one).
    expect(codeOf(() => log.appendAsLeader(marker(A, false, 4, 2), 0, AppendOrigin.Coordinator))).toBe('no error');
    log.close();
  });

  it('a non-transactional write during an open transaction is INVALID_TXN_STATE', () => {
    const log = open();
    log.appendAsLeader(txnBatch(A, 0), 0);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: A, seq: 2 }), 0))).toBe(ErrorCode.INVALID_TXN_STATE);
    log.close();
  });

  it('an open transaction survives close and reopen (snapshot) and recovery without snapshot (replay)', () => {
    let log = open();
    log.appendAsLeader(producerBatch({ producerId: 1, seq: 0, count: 2 }), 0);
    log.appendAsLeader(txnBatch(A, 0), 0); // 2-3
    log.appendAsLeader(txnBatch(B, 0), 0); // 4-5
    log.appendAsLeader(marker(B, false), 0, AppendOrigin.Coordinator); // 6
    log.updateHighWatermark(log.logEndOffset);
    log.close();
    log = Log.open(dir, config(), { hadCleanShutdown: true, highWatermark: 7 });
    expect(log.lastStableOffset).toBe(2);
    expect(log.collectAbortedTransactions(0, 7).map((t) => t.producerId)).toEqual([B]);
    log.close();
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.snapshot')) fs.rmSync(path.join(dir, f));
    log = Log.open(dir, config(), { hadCleanShutdown: false, highWatermark: 7 });
    expect(log.lastStableOffset).toBe(2);
    expect(log.collectAbortedTransactions(0, 7).map((t) => t.producerId)).toEqual([B]);
    log.appendAsLeader(marker(A, true), 0, AppendOrigin.Coordinator);
    log.updateHighWatermark(log.logEndOffset);
    expect(log.lastStableOffset).toBe(8);
    log.close();
  });

  it('truncation removes the aborts and reopens the transactions past the truncation point', () => {
    const log = open();
    log.appendAsLeader(txnBatch(A, 0), 0); // 0-1
    log.appendAsLeader(marker(A, false), 0, AppendOrigin.Coordinator); // 2
    log.updateHighWatermark(log.logEndOffset);
    expect(log.lastStableOffset).toBe(3);
    log.truncateTo(2);
    expect(log.collectAbortedTransactions(0, 3)).toEqual([]);
    expect(fs.existsSync(path.join(dir, '00000000000000000000.txnindex'))).toBe(false);
    expect(log.firstUnstableOffset).toBe(0);
    expect(log.lastStableOffset).toBe(0);
    log.close();
  });

  it('a follower builds the same state from replicated batches', () => {
    const leader = open();
    const fdir = path.join(root, 'txn-1');
    const follower = Log.open(fdir, config());
    const appended: Buffer[] = [];
    const append = (buf: Buffer, origin = AppendOrigin.Client) => {
      leader.appendAsLeader(buf, 0, origin);
      appended.push(buf);
    };
    append(txnBatch(A, 0));
    append(txnBatch(B, 0));
    append(marker(A, false), AppendOrigin.Coordinator);
    for (const b of appended) follower.appendAsFollower(b);
    follower.updateHighWatermark(follower.logEndOffset);
    expect(follower.lastStableOffset).toBe(2);
    expect(follower.collectAbortedTransactions(0, 5)).toEqual(leader.collectAbortedTransactions(0, 5));
    leader.close();
    follower.close();
  });
});
