import * as fs from 'fs';
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { ErrorCode } from '../../../broker/protocol/errors';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import { batchOffsets, buildBatch, config, rmDir, tmpDir } from './batch-builder';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
}

describe('Log append', () => {
  let root: string;
  let log: Log;
  beforeEach(() => {
    root = tmpDir();
    log = Log.open(path.join(root, 'orders-0'), config());
  });
  afterEach(() => {
    log.close();
    rmDir(root);
  });

  it('assigns offsets by patching baseOffset and the leader epoch in place; the CRC stays valid', () => {
    log.appendAsLeader(buildBatch({ count: 3 }), 5);
    const batch = buildBatch({ count: 2, fill: 0x7a });
    const original = Buffer.from(batch);
    const info = log.appendAsLeader(batch, 5);
    expect(info).toMatchObject({ firstOffset: 3, lastOffset: 4, recordCount: 2, validBytes: batch.length, logAppendTime: -1 });
    expect(info.maxTimestamp).toBe(1_700_000_000_000);
    expect(Number(batch.readBigInt64BE(0))).toBe(3);
    expect(batch.readInt32BE(12)).toBe(5);
    // Only baseOffset (0..8) and partitionLeaderEpoch (12..16) changed; the CRC covers neither.
    expect(batch.subarray(16).equals(original.subarray(16))).toBe(true);
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
    // The file holds exactly the patched bytes.
    const file = fs.readFileSync(path.join(root, 'orders-0', '00000000000000000000.log'));
    expect(file.subarray(file.length - batch.length).equals(batch)).toBe(true);
    expect(log.logEndOffset).toBe(5);
    expect(fs.readFileSync(path.join(root, 'orders-0', 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n1\n5 0\n');
  });

  it('stamps LogAppendTime into attributes and maxTimestamp and recomputes the CRC', () => {
    log.updateConfig(config({ messageTimestampType: 'LogAppendTime' }));
    const batch = buildBatch({ count: 2 });
    const before = Date.now();
    const info = log.appendAsLeader(batch, 0);
    expect(info.logAppendTime).toBeGreaterThanOrEqual(before);
    expect(info.maxTimestamp).toBe(info.logAppendTime);
    expect(info.offsetOfMaxTimestamp).toBe(1);
    expect(batch.readInt16BE(21) & 0x08).toBe(0x08);
    expect(Number(batch.readBigInt64BE(35))).toBe(info.logAppendTime);
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
  });

  it('rejects a bad batch with the code Kafka 2.4.0 answers and writes nothing', () => {
    log.appendAsLeader(buildBatch(), 0);
    const logFile = path.join(root, 'orders-0', '00000000000000000000.log');
    const sizeBefore = fs.statSync(logFile).size;
    const good = buildBatch({ count: 2 });
    const badCrc = buildBatch({ count: 2 });
    badCrc[badCrc.length - 1] ^= 0xff;
    const goodCopy = Buffer.from(good);
    // Log.analyzeAndValidateRecords checks every batch's CRC before LogValidator runs.
    expect(codeOf(() => log.appendAsLeader(Buffer.concat([good, badCrc]), 0))).toBe(ErrorCode.CORRUPT_MESSAGE);
    // LogValidator: a producer's v2 append is exactly one batch.
    expect(codeOf(() => log.appendAsLeader(Buffer.concat([good, buildBatch()]), 0))).toBe(ErrorCode.INVALID_RECORD);
    const countMismatch = buildBatch({ count: 2 });
    countMismatch.writeInt32BE(5, 57);
    countMismatch.writeUInt32BE(crc32c(countMismatch, 21), 17);
    expect(codeOf(() => log.appendAsLeader(countMismatch, 0))).toBe(ErrorCode.INVALID_RECORD);
    const withBaseOffset = buildBatch({ baseOffset: 7 });
    expect(codeOf(() => log.appendAsLeader(withBaseOffset, 0))).toBe(ErrorCode.INVALID_RECORD);
    const v1 = buildBatch();
    v1.writeInt8(1, 16);
    expect(codeOf(() => log.appendAsLeader(v1, 0))).toBe(ErrorCode.CORRUPT_MESSAGE);
    const badMagic = buildBatch();
    badMagic.writeInt8(9, 16);
    expect(codeOf(() => log.appendAsLeader(badMagic, 0))).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(codeOf(() => log.appendAsLeader(Buffer.alloc(0), 0))).toBe(ErrorCode.INVALID_RECORD);
    expect(codeOf(() => log.appendAsLeader(good.subarray(0, 70), 0))).toBe(ErrorCode.INVALID_RECORD); // no whole batch
    const appendTime = buildBatch();
    appendTime.writeInt16BE(0x08, 21);
    appendTime.writeUInt32BE(crc32c(appendTime, 21), 17);
    expect(codeOf(() => log.appendAsLeader(appendTime, 0))).toBe(ErrorCode.INVALID_TIMESTAMP);
    const unknownCodec = buildBatch();
    unknownCodec.writeInt16BE(6, 21);
    unknownCodec.writeUInt32BE(crc32c(unknownCodec, 21), 17);
    expect(codeOf(() => log.appendAsLeader(unknownCodec, 0))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    log.updateConfig(config({ maxMessageBytes: 100 }));
    expect(codeOf(() => log.appendAsLeader(buildBatch({ valueSize: 200 }), 0))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    log.updateConfig(config({ segmentBytes: 150 }));
    expect(codeOf(() => log.appendAsLeader(buildBatch({ count: 3, valueSize: 100 }), 0))).toBe(ErrorCode.RECORD_LIST_TOO_LARGE);
    expect(fs.statSync(logFile).size).toBe(sizeBefore);
    expect(log.logEndOffset).toBe(1);
    expect(good.equals(goodCopy)).toBe(true); // not even patched
  });

  it('drops a partial batch after a whole one, as Kafka trims invalid bytes', () => {
    const good = buildBatch({ count: 2 });
    const torn = buildBatch({ count: 2 }).subarray(0, 70);
    const info = log.appendAsLeader(Buffer.concat([good, torn]), 1);
    expect(info).toMatchObject({ firstOffset: 0, lastOffset: 1, recordCount: 2, validBytes: good.length });
    expect(batchOffsets(log.read(0, 1 << 20).records)).toEqual([[0, 1]]);
    expect(fs.statSync(path.join(root, 'orders-0', '00000000000000000000.log')).size).toBe(good.length);
  });

  it('keeps follower offsets and refuses batches below the log end', () => {
    const b = buildBatch({ count: 4, baseOffset: 0, partitionLeaderEpoch: 3 });
    expect(log.appendAsFollower(b)).toMatchObject({ firstOffset: 0, lastOffset: 3 });
    const gap = buildBatch({ count: 1, baseOffset: 10, partitionLeaderEpoch: 4 });
    expect(log.appendAsFollower(gap)).toMatchObject({ firstOffset: 10, lastOffset: 10 });
    expect(log.logEndOffset).toBe(11);
    expect(() => log.appendAsFollower(buildBatch({ baseOffset: 10 }))).toThrow(/less than the next offset/);
    expect(log.leaderEpochCache.entries()).toEqual([{ epoch: 3, startOffset: 0 }, { epoch: 4, startOffset: 10 }]);
    expect(log.leaderEpochCache.endOffsetFor(3, log.logEndOffset)).toEqual({ epoch: 3, endOffset: 10 });
  });
});

describe('Log read', () => {
  let root: string;
  let log: Log;
  let sizes: number[];
  beforeEach(() => {
    root = tmpDir();
    log = Log.open(path.join(root, 't-3'), config({ indexIntervalBytes: 100 }));
    sizes = [];
    // Ten batches of 5 records: offsets [0,4], [5,9], ... [45,49].
    for (let i = 0; i < 10; i++) {
      const b = buildBatch({ count: 5, valueSize: 20, fill: 0x30 + i });
      sizes.push(b.length);
      log.appendAsLeader(b, 0);
    }
  });
  afterEach(() => {
    log.close();
    rmDir(root);
  });

  it('returns whole batches from the one containing the start offset (index + scan)', () => {
    expect(log.activeSegment.offsetIndex.entries).toBeGreaterThan(0);
    const r = log.read(23, 1 << 20);
    expect(r.firstEntryOffset).toBe(20);
    expect(batchOffsets(r.records)).toEqual([[20, 24], [25, 29], [30, 34], [35, 39], [40, 44], [45, 49]]);
  });

  it('stops at maxBytes on a batch boundary', () => {
    const r = log.read(0, sizes[0] * 2 + 10);
    expect(batchOffsets(r.records)).toEqual([[0, 4], [5, 9]]);
    expect(r.records.length).toBe(sizes[0] * 2);
  });

  it('returns one whole batch above maxBytes only with minOneMessage (KIP-74)', () => {
    expect(log.read(7, 10, undefined, true).records.length).toBe(sizes[1]);
    expect(log.read(7, 10, undefined, false).records.length).toBe(0);
  });

  it('never returns batches at or above the high watermark', () => {
    expect(batchOffsets(log.read(0, 1 << 20, 15).records)).toEqual([[0, 4], [5, 9], [10, 14]]);
    // The batch holding the HW is withheld, even for minOneMessage.
    expect(log.read(15, 1 << 20, 17, true).records.length).toBe(0);
    expect(log.read(50, 1 << 20, 50).records.length).toBe(0);
  });

  it('fails outside [logStartOffset, LEO] with OFFSET_OUT_OF_RANGE', () => {
    expect(() => log.read(51, 100)).toThrow(expect.objectContaining({ code: ErrorCode.OFFSET_OUT_OF_RANGE }));
    log.maybeIncrementLogStartOffset(10);
    expect(() => log.read(9, 100)).toThrow(expect.objectContaining({ code: ErrorCode.OFFSET_OUT_OF_RANGE }));
    expect(log.read(10, 100).firstEntryOffset).toBe(10);
  });

  it('finds offsets by timestamp (first record at or after it) and the special ones', () => {
    log.close();
    rmDir(root);
    root = tmpDir();
    log = Log.open(path.join(root, 't-0'), config({ indexIntervalBytes: 0 }));
    for (let i = 0; i < 4; i++) log.appendAsLeader(buildBatch({ count: 3, baseTimestamp: 1000 + i * 100, timestampStep: 10 }), 0);
    expect(log.offsetForTimestamp(1215)).toEqual({ offset: 8, timestamp: 1220 });
    expect(log.offsetForTimestamp(1100)).toEqual({ offset: 3, timestamp: 1100 });
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(5000)).toBeNull();
    expect(log.offsetForTimestamp(-2)).toEqual({ offset: 0, timestamp: -1 });
    expect(log.offsetForTimestamp(-1)).toEqual({ offset: 12, timestamp: -1 });
  });
});

describe('Log segments', () => {
  let root: string;
  beforeEach(() => (root = tmpDir()));
  afterEach(() => rmDir(root));

  it('rolls on segment.bytes and reads across segments', () => {
    const size = buildBatch({ count: 2 }).length;
    const log = Log.open(path.join(root, 't-0'), config({ segmentBytes: size * 3 }));
    for (let i = 0; i < 7; i++) log.appendAsLeader(buildBatch({ count: 2 }), 0);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 6, 12]);
    expect(fs.readdirSync(path.join(root, 't-0')).filter((f) => f.endsWith('.log')).sort()).toEqual([
      '00000000000000000000.log',
      '00000000000000000006.log',
      '00000000000000000012.log',
    ]);
    // A read in the first segment stays within it.
    expect(batchOffsets(log.read(2, 1 << 20).records)).toEqual([[2, 3], [4, 5]]);
    expect(batchOffsets(log.read(6, 1 << 20).records)).toEqual([[6, 7], [8, 9], [10, 11]]);
    log.close();
  });

  it('rolls on segment.ms measured from the first batch timestamp', () => {
    let now = 1_700_000_000_000;
    const log = Log.open(path.join(root, 't-0'), config({ segmentMs: 1000 }), { time: () => now });
    log.appendAsLeader(buildBatch({ baseTimestamp: now }), 0);
    log.appendAsLeader(buildBatch({ baseTimestamp: now + 1000 }), 0);
    expect(log.numberOfSegments).toBe(1);
    now += 2000;
    log.appendAsLeader(buildBatch({ baseTimestamp: now }), 0);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 2]);
    log.close();
  });

  it('truncates to a batch boundary and fully', () => {
    const size = buildBatch({ count: 2 }).length;
    const log = Log.open(path.join(root, 't-0'), config({ segmentBytes: size * 2 }));
    for (let i = 0; i < 5; i++) log.appendAsLeader(buildBatch({ count: 2 }), i);
    expect(log.truncateTo(5)).toBe(true);
    expect(log.logEndOffset).toBe(4); // the batch [4,5] holding offset 5 goes as a whole
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 4]);
    expect(log.leaderEpochCache.entries().map((e) => e.epoch)).toEqual([0, 1]);
    expect(log.appendAsLeader(buildBatch(), 7).firstOffset).toBe(4);
    log.truncateFullyAndStartAt(100);
    expect([log.logStartOffset, log.logEndOffset, log.numberOfSegments]).toEqual([100, 100, 1]);
    expect(fs.readdirSync(path.join(root, 't-0')).filter((f) => f.endsWith('.log'))).toEqual(['00000000000000000100.log']);
    log.close();
  });
});
