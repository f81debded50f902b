import * as fs from 'fs';
import * as path from 'path';
import { LogCleaner } from '../../../broker/log/cleaner/log-cleaner';
import { Log } from '../../../broker/log/log';
import { LogManager } from '../../../broker/log/log-manager';
import type { LogConfig } from '../../../broker/log/log-config';
import type { LogSegment } from '../../../broker/log/log-segment';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { decodeRecordBatch, encodeRecordBatch, type RecordInput } from '../../../broker/protocol/records/record-batch';
import { config, rmDir, tmpDir } from './batch-builder';

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
}

function batch(records: RecordInput[], compression = CompressionType.NONE): Buffer {
  return encodeRecordBatch({ records, compression, timestamp: 1_700_000_000_000 });
}

/** One record per batch: key=value (value null = tombstone). */
function put(log: Log, key: string | null, value: string | null): number {
  const info = log.appendAsLeader(batch([{ key, value }]), 3);
  log.updateHighWatermark(log.logEndOffset);
  return info.firstOffset;
}

/** Every record from the log start to the LEO, with batch-level details. */
function readAll(log: Log): Rec[] {
  const out: Rec[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20, log.logEndOffset);
    if (records.length === 0) break;
    for (let pos = 0; pos < records.length; pos += 12 + records.readInt32BE(pos + 8)) {
      const b = decodeRecordBatch(records, pos);
      for (const r of b.records) out.push({ offset: b.baseOffset + r.offsetDelta, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null });
      offset = b.baseOffset + b.lastOffsetDelta + 1;
    }
  }
  return out;
}

function latestByKey(recs: Rec[]): Map<string, Rec> {
  const m = new Map<string, Rec>();
  for (const r of recs) if (r.key !== null) m.set(r.key, r);
  return m;
}

describe('log cleaner', () => {
  let root: string;
  const opened: Log[] = [];
  beforeEach(() => (root = tmpDir('zafka-cleaner-')));
  afterEach(() => {
    for (const l of opened.splice(0)) l.close();
    rmDir(root);
  });

  function open(overrides: Partial<LogConfig> = {}, name = 't-0'): Log {
    const log = Log.open(path.join(root, name), config({ cleanupPolicy: 'compact', ...overrides }));
    opened.push(log);
    return log;
  }

  function cleanerFor(...logs: Log[]): LogCleaner {
    return new LogCleaner({ logDirs: [root], logs: () => logs, stepBytes: 256 });
  }

  async function clean(cleaner: LogCleaner, log: Log) {
    const result = await cleaner.cleanLog(cleaner.logToClean(log));
    expect(result).not.toBeNull();
    return result!;
  }

  const segmentFiles = (log: Log) => fs.readdirSync(log.dir).filter((f) => f.endsWith('.log')).sort();

  it('keeps only the latest record of each key, with their offsets, and leaves the active segment alone', async () => {
    const log = open({ segmentBytes: 400 });
    const written: Rec[] = [];
    for (let i = 0; i < 60; i++) {
      const key = `key-${i % 4}`;
      const value = `value-${i}`;
      written.push({ offset: put(log, key, value), key, value });
    }
    expect(log.numberOfSegments).toBeGreaterThan(3);
    const active = log.activeSegment;
    const activeBytes = fs.readFileSync(active.log.path);
    const activeBase = active.baseOffset;

    const cleaner = cleanerFor(log);
    const result = await clean(cleaner, log);
    expect(result.endOffset).toBe(activeBase);

    const after = readAll(log);
    const cleanedPart = after.filter((r) => r.offset < activeBase);
    // One record per key below the active segment: the latest one written below it.
    const expected = latestByKey(written.filter((r) => r.offset < activeBase));
    expect(cleanedPart).toEqual([...expected.values()].sort((a, b) => a.offset - b.offset));
    // The active segment is byte for byte what it was, duplicates included.
    expect(log.activeSegment).toBe(active);
    expect(fs.readFileSync(active.log.path).equals(activeBytes)).toBe(true);
    expect(after.filter((r) => r.offset >= activeBase)).toEqual(written.filter((r) => r.offset >= activeBase));
    // Offsets strictly increase, with gaps; the LEO and log start did not move.
    for (let i = 1; i < after.length; i++) expect(after[i].offset).toBeGreaterThan(after[i - 1].offset);
    expect(after.length).toBeLessThan(written.length);
    expect(log.logEndOffset).toBe(60);
    expect(log.logStartOffset).toBe(0);
    // No leftovers of the swap.
    expect(fs.readdirSync(log.dir).filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
  });

  it('answers a read inside a removed gap with the next batch', async () => {
    const log = open({ segmentBytes: 300 });
    put(log, 'a', 'once');
    for (let i = 0; i < 20; i++) put(log, `k${i % 2}`, `v${i}`);
    await clean(cleanerFor(log), log);
    const kept = readAll(log).map((r) => r.offset);
    const gap = kept.findIndex((o, i) => i > 0 && o > kept[i - 1] + 1);
    expect(gap).toBeGreaterThan(0);
    const inGap = kept[gap - 1] + 1;
    const res = log.read(inGap, 1 << 20);
    expect(res.firstEntryOffset).toBe(kept[gap]);
    expect(Number(res.records.readBigInt64BE(0))).toBe(kept[gap]);
    expect(kept[0]).toBe(0);
  });

  it('drops records without a key', async () => {
    const log = open({ segmentBytes: 300 });
    put(log, null, 'no-key');
    put(log, 'a', '1');
    for (let i = 0; i < 10; i++) put(log, 'b', `${i}`);
    await clean(cleanerFor(log), log);
    const below = readAll(log).filter((r) => r.offset < log.activeSegment.baseOffset);
    expect(below.some((r) => r.key === null)).toBe(false);
    expect(below.find((r) => r.key === 'a')?.value).toBe('1');
  });

  it('never cleans at or above the high watermark', async () => {
    const log = open({ segmentBytes: 300 });
    for (let i = 0; i < 30; i++) put(log, 'k', `v${i}`);
    const bases = log.logSegments().map((s) => s.baseOffset);
    expect(bases.length).toBeGreaterThan(3);
    // HW inside the third segment: only the first two may be cleaned.
    log.updateHighWatermark(bases[2] + 1);
    const cleaner = cleanerFor(log);
    const ltc = cleaner.logToClean(log);
    expect(ltc.firstUncleanableOffset).toBe(bases[2]);
    await clean(cleaner, log);
    const recs = readAll(log);
    expect(recs.filter((r) => r.offset < bases[2])).toEqual([{ offset: bases[2] - 1, key: 'k', value: `v${bases[2] - 1}` }]);
    expect(recs.filter((r) => r.offset >= bases[2]).length).toBe(30 - bases[2]);
  });

  it('keeps tombstones until delete.retention.ms before the newest clean segment, then removes them', async () => {
    // segment.bytes fits three batches, so cleaned segments are never merged into one group.
    const size = batch([{ key: 'k0', value: 'v0' }]).length;
    const log = open({ segmentBytes: size * 3, deleteRetentionMs: 60_000 });
    put(log, 'k1', 'v0');
    put(log, 'k1', null);
    put(log, 'k2', 'v0');
    for (const k of ['k3', 'k4', 'k5', 'k6']) put(log, k, 'v0');
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 3, 6]);
    const cleaner = cleanerFor(log);

    // First run: nothing is clean yet, so no tombstone may go.
    await clean(cleaner, log);
    expect(readAll(log).filter((r) => r.key === 'k1')).toEqual([{ offset: 1, key: 'k1', value: null }]);
    expect(cleaner.checkpointOf('t', 0)).toBe(6);

    // The tombstone's segment is 10 s older than the rest; 60 s retention still keeps it.
    const setAge = (s: LogSegment, ageMs: number) => fs.utimesSync(s.log.path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    const segs = () => log.logSegments();
    setAge(segs()[0], 10_000);
    setAge(segs()[1], 0);
    for (const k of ['k7', 'k8', 'k9']) put(log, k, 'v0');
    expect(log.numberOfSegments).toBe(4);
    await clean(cleaner, log);
    expect(readAll(log).filter((r) => r.key === 'k1')).toEqual([{ offset: 1, key: 'k1', value: null }]);

    // With 1 s retention it is older than the horizon (newest clean segment - 1 s): it goes.
    log.updateConfig({ ...log.config, deleteRetentionMs: 1000 });
    setAge(segs()[0], 10_000);
    for (const k of ['k10', 'k11', 'k12']) put(log, k, 'v0');
    expect(log.numberOfSegments).toBe(5);
    await clean(cleaner, log);
    const recs = readAll(log);
    expect(recs.filter((r) => r.key === 'k1')).toEqual([]);
    expect(recs.find((r) => r.key === 'k2')).toEqual({ offset: 2, key: 'k2', value: 'v0' });
  });

  it.each([
    ['gzip', CompressionType.GZIP],
    ['snappy', CompressionType.SNAPPY],
    ['lz4', CompressionType.LZ4],
    ['zstd', CompressionType.ZSTD],
  ])('rewrites %s batches keeping compression, epoch, offsets, timestamps and headers', async (_name, compression) => {
    const log = open({ segmentBytes: 100_000 });
    const records = (round: number): RecordInput[] =>
      Array.from({ length: 6 }, (_, i) => ({
        key: `key-${i % 3}`,
        value: `value-${round}-${i}`,
        timestamp: 1_700_000_000_000 + round * 100 + i,
        headers: [{ key: 'h', value: Buffer.from(`hv-${round}-${i}`) }],
      }));
    log.appendAsLeader(batch(records(0), compression), 7);
    log.appendAsLeader(batch(records(1).slice(0, 2), compression), 8);
    log.roll();
    log.appendAsLeader(batch([{ key: 'x', value: 'y' }]), 8);
    log.updateHighWatermark(log.logEndOffset);
    await clean(cleanerFor(log), log);

    const { records: bytes } = log.read(0, 1 << 20);
    const first = decodeRecordBatch(bytes, 0);
    // Batch 0 (offsets 0-5) keeps only key-2's record at offset 5; key-0 and key-1 live on in batch 1.
    expect(first.compression).toBe(compression);
    expect(first.baseOffset).toBe(0);
    expect(first.lastOffsetDelta).toBe(5);
    expect(first.partitionLeaderEpoch).toBe(7);
    expect(first.records.map((r) => [r.offsetDelta, r.key?.toString(), r.value?.toString(), r.timestamp, r.headers[0].value?.toString()])).toEqual([
      [5, 'key-2', 'value-0-5', 1_700_000_000_005, 'hv-0-5'],
    ]);
    expect(first.maxTimestamp).toBe(1_700_000_000_005);
    // Batch 1 keeps all its records, so it is the very same bytes.
    const secondPos = 12 + bytes.readInt32BE(8);
    const second = decodeRecordBatch(bytes, secondPos);
    expect([second.baseOffset, second.partitionLeaderEpoch, second.records.length, second.compression]).toEqual([6, 8, 2, compression]);
  });

  it('lets produce and fetch run between its steps', async () => {
    const log = open({ segmentBytes: 600 });
    for (let i = 0; i < 100; i++) put(log, `k${i % 5}`, `v${i}`);
    const cleaner = cleanerFor(log);
    let steps = 0;
    let stop = false;
    const busy = (async () => {
      while (!stop) {
        await new Promise((r) => setImmediate(r));
        steps++;
        put(log, `k${steps % 5}`, `during-${steps}`);
        expect(readAll(log).length).toBeGreaterThan(0);
      }
    })();
    await clean(cleaner, log);
    stop = true;
    await busy;
    expect(steps).toBeGreaterThan(3);
    const recs = readAll(log);
    for (let i = 1; i < recs.length; i++) expect(recs[i].offset).toBeGreaterThan(recs[i - 1].offset);
    expect(recs[recs.length - 1].offset).toBe(log.logEndOffset - 1);
  });

  it('aborts, changing nothing, when the log is truncated mid-run', async () => {
    const log = open({ segmentBytes: 600 });
    for (let i = 0; i < 100; i++) put(log, `k${i % 5}`, `v${i}`);
    const cleaner = cleanerFor(log);
    log.onTruncated = (end) => cleaner.maybeTruncateCheckpoint(log, end);
    const before = readAll(log);
    const run = cleaner.cleanLog(cleaner.logToClean(log));
    await new Promise((r) => setImmediate(r));
    log.truncateTo(95);
    expect(await run).toBeNull();
    expect(readAll(log)).toEqual(before.filter((r) => r.offset < log.logEndOffset));
    expect(fs.readdirSync(log.dir).filter((f) => f.endsWith('.cleaned'))).toEqual([]);
  });

  describe('crash during the swap', () => {
    // Small segments by explicit rolls under a large segment.bytes: all of them form one group.
    function build(): { log: Log; expected: Rec[] } {
      const log = open({ segmentBytes: 1 << 20 });
      const written: Rec[] = [];
      for (let i = 0; i < 40; i++) {
        if (i > 0 && i % 8 === 0) log.roll();
        written.push({ offset: put(log, `k${i % 3}`, `v${i}`), key: `k${i % 3}`, value: `v${i}` });
      }
      const activeBase = log.activeSegment.baseOffset;
      const expected = [...latestByKey(written.filter((r) => r.offset < activeBase)).values()].sort((a, b) => a.offset - b.offset);
      return { log, expected: [...expected, ...written.filter((r) => r.offset >= activeBase)] };
    }

    async function crashAt(log: Log, stage: 'cleaned' | 'swap' | 'deleted'): Promise<Log> {
      // The "crash": the process dies inside replaceSegments after the given step.
      jest.spyOn(log, 'replaceSegments').mockImplementation((cleaned, old) => {
        if (stage === 'cleaned') throw new Error('crash');
        cleaned.changeFileSuffixes('.cleaned', '.swap');
        if (stage === 'deleted') for (const s of old) s.changeFileSuffixes('', '.deleted');
        return true;
      });
      const cleaner = cleanerFor(log);
      await cleaner.cleanLog(cleaner.logToClean(log));
      log.close();
      const reopened = Log.open(log.dir, log.config, { hadCleanShutdown: false, recoveryPoint: 0 });
      opened.push(reopened);
      return reopened;
    }

    it('a .cleaned segment that was never swapped is discarded: the log is as before', async () => {
      const { log } = build();
      const before = readAll(log);
      const fresh = await crashAt(log, 'cleaned');
      expect(readAll(fresh)).toEqual(before);
      expect(fs.readdirSync(fresh.dir).filter((f) => /\.(cleaned|swap)$/.test(f))).toEqual([]);
    });

    it.each(['swap', 'deleted'] as const)('a .swap segment (crash after the %s step) replaces the segments it was cleaned from', async (stage) => {
      const { log, expected } = build();
      const fresh = await crashAt(log, stage);
      expect(readAll(fresh)).toEqual(expected);
      expect(fs.readdirSync(fresh.dir).filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
      expect(fresh.logSegments().map((s) => s.baseOffset)).toEqual([0, 32]);
      // Still a working log: appends continue at the LEO.
      expect(fresh.appendAsLeader(batch([{ key: 'k0', value: 'after' }]), 3).firstOffset).toBe(40);
    });

    it('an empty cleaned segment replaces the segment at its base', async () => {
      const log = open({ segmentBytes: 1 << 20 });
      put(log, null, 'no-key');
      put(log, null, 'no-key');
      log.roll();
      put(log, 'a', '1');
      const fresh = await crashAt(log, 'swap');
      expect(readAll(fresh)).toEqual([{ offset: 2, key: 'a', value: '1' }]);
      expect(fresh.logSegments().map((s) => [s.baseOffset, s.size])).toEqual([[0, 0], [2, expect.any(Number)]]);
    });
  });

  it('writes cleaner-offset-checkpoint in Kafka\'s format, clamps it on truncation, drops deleted logs', async () => {
    const a = open({ segmentBytes: 300 }, 'compacted-0');
    const b = open({ segmentBytes: 300 }, 'compacted-1');
    for (let i = 0; i < 20; i++) {
      put(a, 'k', `${i}`);
      put(b, 'k', `${i}`);
    }
    const logs = [a, b];
    const cleaner = new LogCleaner({ logDirs: [root], logs: () => logs });
    for (const l of logs) l.onTruncated = (end) => cleaner.maybeTruncateCheckpoint(l, end);
    expect(await cleaner.cleanFilthiestLog()).toBe(true);
    expect(await cleaner.cleanFilthiestLog()).toBe(true);
    expect(await cleaner.cleanFilthiestLog()).toBe(false); // both clean now
    const file = path.join(root, 'cleaner-offset-checkpoint');
    const ea = a.activeSegment.baseOffset;
    const eb = b.activeSegment.baseOffset;
    expect(fs.readFileSync(file, 'utf8').split('\n').sort()).toEqual(['', '0', '2', `compacted 0 ${ea}`, `compacted 1 ${eb}`].sort());

    a.truncateTo(ea - 3);
    expect(cleaner.checkpointOf('compacted', 0)).toBe(a.logEndOffset);
    expect(fs.readFileSync(file, 'utf8')).toContain(`compacted 0 ${a.logEndOffset}\n`);

    logs.pop();
    cleaner.abortAndForget(b);
    expect(fs.readFileSync(file, 'utf8')).toBe(`0\n1\ncompacted 0 ${a.logEndOffset}\n`);
    // A new cleaner starts from the checkpoint it reads.
    expect(new LogCleaner({ logDirs: [root], logs: () => logs }).checkpointOf('compacted', 0)).toBe(a.logEndOffset);
  });

  it('only picks logs with cleanup.policy compact whose dirty ratio is above the minimum', async () => {
    const del = open({ segmentBytes: 300, cleanupPolicy: 'delete' }, 'del-0');
    const both = open({ segmentBytes: 300, cleanupPolicy: 'compact,delete', minCleanableDirtyRatio: 1 }, 'both-0');
    for (let i = 0; i < 20; i++) {
      put(del, 'k', `${i}`);
      put(both, 'k', `${i}`);
    }
    const cleaner = new LogCleaner({ logDirs: [root], logs: () => [del, both] });
    expect(await cleaner.cleanFilthiestLog()).toBe(false);
    both.updateConfig({ ...both.config, minCleanableDirtyRatio: 0.5 });
    expect(await cleaner.cleanFilthiestLog()).toBe(true);
    expect(cleaner.checkpointOf('both', 0)).toBe(both.activeSegment.baseOffset);
    expect(cleaner.checkpointOf('del', 0)).toBeUndefined();
  });
});

describe('log cleaner in the log manager', () => {
  let root: string;
  beforeEach(() => (root = tmpDir('zafka-cleaner-mgr-')));
  afterEach(() => rmDir(root));

  it('compacts compacted logs in the background and stops at shutdown', async () => {
    const manager = new LogManager({ logDirs: [root], defaultConfig: config(), cleanerBackoffMs: 20 });
    manager.startup();
    const log = manager.getOrCreateLog('__consumer_offsets', 0, config({ cleanupPolicy: 'compact', segmentBytes: 300 }));
    for (let i = 0; i < 50; i++) put(log, `g${i % 2}`, `${i}`);
    const activeBase = log.activeSegment.baseOffset;
    const file = path.join(root, 'cleaner-offset-checkpoint');
    for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.readFileSync(file, 'utf8')).toBe(`0\n1\n__consumer_offsets 0 ${activeBase}\n`);
    expect(readAll(log).filter((r) => r.offset < activeBase).length).toBe(2);
    manager.shutdown();
    expect(manager.cleaner).toBeNull();
  });

  it('works through a dirty section larger than its offset map over several runs', async () => {
    const log = Log.open(path.join(root, 't-0'), config({ cleanupPolicy: 'compact', segmentBytes: 300 }));
    for (let i = 0; i < 40; i++) put(log, `k${i % 4}`, `${i}`);
    const cleaner = new LogCleaner({ logDirs: [root], logs: () => [log], maxMapEntries: 2 });
    const first = await cleaner.cleanLog(cleaner.logToClean(log));
    expect(first!.endOffset).toBeLessThan(log.activeSegment.baseOffset);
    for (let i = 0; i < 40 && (cleaner.checkpointOf('t', 0) ?? 0) < log.activeSegment.baseOffset; i++) await cleaner.cleanLog(cleaner.logToClean(log));
    const activeBase = log.activeSegment.baseOffset;
    const below = readAll(log).filter((r) => r.offset < activeBase);
    // Each key once, the latest below the active segment (a key's newest record may be active).
    expect(new Set(below.map((r) => r.key)).size).toBe(below.length);
    for (const r of below) expect(Number(r.value)).toBeGreaterThanOrEqual(activeBase - 4);
    log.close();
  });
});
