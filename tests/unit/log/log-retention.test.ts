import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { buildBatch, config, rmDir, tmpDir } from './batch-builder';

describe('Log retention', () => {
  let root: string;
  const size = buildBatch({ count: 2 }).length;
  beforeEach(() => (root = tmpDir()));
  afterEach(() => rmDir(root));

  // Three full segments of two batches each plus an active one with one batch; batch i has timestamp 1000*i.
  function fill(cfg = {}): Log {
    const log = Log.open(path.join(root, 't-0'), config({ segmentBytes: size * 2, ...cfg }));
    for (let i = 0; i < 7; i++) log.appendAsLeader(buildBatch({ count: 2, baseTimestamp: 1000 * i }), 0);
    log.updateHighWatermark(log.logEndOffset);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 4, 8, 12]);
    return log;
  }

  it('deletes segments whose largest timestamp is older than retention.ms', () => {
    const log = fill({ retentionMs: 10_000 });
    // Segment [0,4) ends at ts 1000, [4,8) at 3000, [8,12) at 5000.
    expect(log.deleteRetentionAndSizeBreached(13_500)).toBe(2);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([8, 12]);
    expect(log.logStartOffset).toBe(8);
    expect(() => log.read(7, 100)).toThrow(/range 8 to 14/);
    log.close();
  });

  it('rolls and deletes the active segment when everything has expired', () => {
    const log = fill({ retentionMs: 1000 });
    expect(log.deleteRetentionAndSizeBreached(100_000)).toBe(4);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([14]);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([14, 14]);
    expect(log.appendAsLeader(buildBatch(), 0).firstOffset).toBe(14);
    log.close();
  });

  it('deletes the oldest segments beyond retention.bytes', () => {
    const log = fill({ retentionMs: -1, retentionBytes: size * 4 });
    // 7 batches of data, at most 4 kept: deleting the first segment (2) leaves 5, the next would leave 3.
    expect(log.deleteRetentionAndSizeBreached(0)).toBe(1);
    expect(log.size).toBeLessThanOrEqual(size * 5);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([4, 8, 12]);
    log.close();
  });

  it('never deletes past the high watermark', () => {
    const log = fill({ retentionMs: 1000 });
    log.updateHighWatermark(6);
    expect(log.deleteRetentionAndSizeBreached(100_000)).toBe(1);
    expect(log.logStartOffset).toBe(4);
    log.close();
  });

  it('deletes segments below a log start offset moved by DeleteRecords, whatever the policy', () => {
    const log = fill({ retentionMs: -1, cleanupPolicy: 'compact' });
    expect(log.maybeIncrementLogStartOffset(9)).toBe(true);
    expect(log.maybeIncrementLogStartOffset(5)).toBe(false);
    expect(log.deleteRetentionAndSizeBreached(0)).toBe(2);
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([8, 12]);
    expect(log.logStartOffset).toBe(9);
    // The log start offset survives, and reads start there.
    expect(log.read(9, 1 << 20).firstEntryOffset).toBe(8);
    log.close();
  });
});
