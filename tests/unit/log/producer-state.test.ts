import * as fs from 'fs';
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import { batchOffsets, config, rmDir, tmpDir } from './batch-builder';
import { producerBatch } from './producer-batches';

const PID = 4000;

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof KafkaError) return e.code;
    throw e;
  }
}

describe('idempotent producer state on the log', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = tmpDir();
    dir = path.join(root, 'idem-0');
  });
  afterEach(() => rmDir(root));

  /** Appends batches of `count` records with sequences 0, count, 2*count, ... */
  function appendRun(log: Log, batches: number, count = 2, epoch = 0, producerId = PID): number[] {
    const firsts: number[] = [];
    for (let i = 0; i < batches; i++) firsts.push(log.appendAsLeader(producerBatch({ producerId, epoch, seq: i * count, count }), 0).firstOffset);
    return firsts;
  }

  it('accepts sequences in order and answers a retry of any of the last 5 batches with its original offsets, writing nothing', () => {
    const log = Log.open(dir, config());
    const firsts = appendRun(log, 7);
    expect(firsts).toEqual([0, 2, 4, 6, 8, 10, 12]);
    const leo = log.logEndOffset;
    for (let i = 2; i < 7; i++) {
      const retry = log.appendAsLeader(producerBatch({ producerId: PID, seq: i * 2, count: 2 }), 0);
      expect([retry.firstOffset, retry.lastOffset]).toEqual([firsts[i], firsts[i] + 1]);
    }
    expect(log.logEndOffset).toBe(leo);
    // Older than the last 5: not a known duplicate, and out of sequence.
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, seq: 2, count: 2 }), 0))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(batchOffsets(log.read(0, 1 << 20).records)).toHaveLength(7);
    log.close();
  });

  it('bad input gets Kafka\'s codes and writes nothing: sequence gap OUT_OF_ORDER_SEQUENCE_NUMBER, older epoch INVALID_PRODUCER_EPOCH, unknown producer not at 0 UNKNOWN_PRODUCER_ID, new epoch not at 0 OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    const log = Log.open(dir, config());
    appendRun(log, 2, 2, 3);
    const leo = log.logEndOffset;
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, epoch: 3, seq: 5 }), 0))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, epoch: 2, seq: 4 }), 0))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID + 1, seq: 7 }), 0))).toBe(ErrorCode.UNKNOWN_PRODUCER_ID);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, epoch: 4, seq: 1 }), 0))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.logEndOffset).toBe(leo);
    // The refused batches changed nothing: the next in-order batch still fits.
    expect(log.appendAsLeader(producerBatch({ producerId: PID, epoch: 3, seq: 4 }), 0).firstOffset).toBe(leo);
    // A new epoch starts again at 0 and fences the old one.
    expect(log.appendAsLeader(producerBatch({ producerId: PID, epoch: 4, seq: 0 }), 0).firstOffset).toBe(leo + 1);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, epoch: 3, seq: 5 }), 0))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    log.close();
  });

  it('sequences wrap from Int.MaxValue to 0', () => {
    const log = Log.open(dir, config());
    log.appendAsLeader(producerBatch({ producerId: PID, seq: 0 }), 0);
    // Reach the wrap through a follower append (no checks), as a long-lived producer would.
    log.appendAsFollower(producerBatch({ producerId: PID, seq: 2147483646, count: 2, baseOffset: 1 }));
    expect(log.producerStateManager.lastEntry(PID)?.lastSeq).toBe(2147483647);
    expect(log.appendAsLeader(producerBatch({ producerId: PID, seq: 0, count: 3 }), 0).firstOffset).toBe(3);
    expect(log.producerStateManager.lastEntry(PID)?.lastSeq).toBe(2);
    log.close();
  });

  it('a follower builds the same state from replicated batches, unchecked', () => {
    const leader = Log.open(path.join(root, 'idem-1'), config());
    appendRun(leader, 3);
    const follower = Log.open(dir, config());
    follower.appendAsFollower(leader.read(0, 1 << 20).records);
    expect(follower.producerStateManager.lastEntry(PID)?.lastSeq).toBe(5);
    expect(follower.producerStateManager.lastEntry(PID)?.batchMetadata.map((b) => b.firstOffset)).toEqual([0, 2, 4]);
    // Promoted, it recognises the producer's retry.
    expect(follower.appendAsLeader(producerBatch({ producerId: PID, seq: 4, count: 2 }), 1).firstOffset).toBe(4);
    expect(follower.logEndOffset).toBe(6);
    leader.close();
    follower.close();
  });

  it('after a clean restart the state comes from the snapshot at the log end', () => {
    let log = Log.open(dir, config());
    appendRun(log, 3);
    log.close();
    expect(fs.existsSync(path.join(dir, '00000000000000000006.snapshot'))).toBe(true);
    log = Log.open(dir, config(), { hadCleanShutdown: true, recoveryPoint: 6 });
    expect(log.appendAsLeader(producerBatch({ producerId: PID, seq: 4, count: 2 }), 0).firstOffset).toBe(4); // duplicate of the last
    expect(log.appendAsLeader(producerBatch({ producerId: PID, seq: 6 }), 0).firstOffset).toBe(6);
    log.close();
  });

  it('after kill -9 (no close, no snapshot) the state is rebuilt by replaying the log: all 5 last batches are known', () => {
    const log = Log.open(dir, config());
    const firsts = appendRun(log, 6);
    log.flush();
    // No close(): as after kill -9.
    const reopened = Log.open(dir, config(), { hadCleanShutdown: false, recoveryPoint: 0 });
    for (let i = 1; i < 6; i++) expect(reopened.appendAsLeader(producerBatch({ producerId: PID, seq: i * 2, count: 2 }), 0).firstOffset).toBe(firsts[i]);
    expect(reopened.appendAsLeader(producerBatch({ producerId: PID, seq: 12 }), 0).firstOffset).toBe(12);
    reopened.close();
  });

  it('a roll takes a snapshot at the new segment\'s base; a restart replays only the segment after it', () => {
    const log = Log.open(dir, config({ segmentBytes: 400 }));
    appendRun(log, 12);
    expect(log.numberOfSegments).toBeGreaterThan(2);
    const bases = log.logSegments().slice(1).map((s) => s.baseOffset);
    for (const base of bases) expect(fs.existsSync(path.join(dir, `${String(base).padStart(20, '0')}.snapshot`))).toBe(true);
    log.flush();
    const reopened = Log.open(dir, config({ segmentBytes: 400 }), { hadCleanShutdown: false, recoveryPoint: bases[bases.length - 1] });
    expect(reopened.producerStateManager.lastEntry(PID)?.lastSeq).toBe(23);
    expect(reopened.appendAsLeader(producerBatch({ producerId: PID, seq: 24 }), 0).firstOffset).toBe(24);
    reopened.close();
    log.close();
  });

  it('truncation rebuilds the state: the producer is expected to continue after its last remaining batch', () => {
    const log = Log.open(dir, config());
    appendRun(log, 5);
    log.truncateTo(6);
    expect(log.logEndOffset).toBe(6);
    expect(log.producerStateManager.lastEntry(PID)?.lastSeq).toBe(5);
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, seq: 8 }), 1))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.appendAsLeader(producerBatch({ producerId: PID, seq: 6 }), 1).firstOffset).toBe(6);
    log.truncateFullyAndStartAt(100);
    expect(log.producerStateManager.isEmpty).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.snapshot'))).toEqual([]);
    log.close();
  });

  it('producers idle past transactional.id.expiration.ms are forgotten (their next batch not at 0 gets UNKNOWN_PRODUCER_ID)', () => {
    let now = 1_700_000_000_000;
    const log = Log.open(dir, config(), { time: () => now, maxProducerIdExpirationMs: 60_000 });
    log.appendAsLeader(producerBatch({ producerId: PID, seq: 0, timestamp: now }), 0);
    log.appendAsLeader(producerBatch({ producerId: PID + 1, seq: 0, timestamp: now + 50_000 }), 0);
    now += 70_000;
    expect(log.removeExpiredProducers()).toBe(1);
    expect(log.producerStateManager.lastEntry(PID)).toBeUndefined();
    expect(codeOf(() => log.appendAsLeader(producerBatch({ producerId: PID, seq: 1, timestamp: now }), 0))).toBe(ErrorCode.UNKNOWN_PRODUCER_ID);
    expect(log.appendAsLeader(producerBatch({ producerId: PID + 1, seq: 1, timestamp: now }), 0).firstOffset).toBe(2);
    log.close();
  });

  it('non-idempotent batches leave the state empty and still move its end offset', () => {
    const log = Log.open(dir, config());
    log.appendAsLeader(encodePlain(), 0);
    expect(log.producerStateManager.isEmpty).toBe(true);
    expect(log.producerStateManager.mapEndOffset).toBe(1);
    log.close();
  });
});

function encodePlain(): Buffer {
  const b = producerBatch({ producerId: 1, seq: 0 });
  // producerId -1, epoch -1, sequence -1, CRC recomputed.
  b.writeInt32BE(-1, 43);
  b.writeInt32BE(-1, 47);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
}
