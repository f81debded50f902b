// A failed append leaves nothing behind (issue 8.1): on a real, tiny tmpfs, filled to the last
// page or remounted read-only, appends fail with KAFKA_STORAGE_ERROR and the log (segment file,
// indexes, leader epoch cache, LEO) is exactly as before; once space returns, the next append
// takes the same offsets, and every acknowledged batch reads back in order, also after reopening.
import * as fs from 'fs';
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { LogManager } from '../../../broker/log/log-manager';
import { ErrorCode } from '../../../broker/protocol/errors';
import { LoopExt4, Tmpfs } from '../../helpers/small-filesystems';
import { batchOffsets, buildBatch, config } from './batch-builder';

const fsys = Tmpfs.mount(2048, 'zafka-unit-tmpfs-');
const describeOnTmpfs = typeof fsys === 'string' ? describe.skip : describe;
if (typeof fsys === 'string') console.warn(`failed-append tests skipped: ${fsys}`);
const tmpfs = fsys as Tmpfs;

const ext4 = LoopExt4.mount(16, 'zafka-unit-ext4-');
const describeOnExt4 = typeof ext4 === 'string' ? describe.skip : describe;
if (typeof ext4 === 'string') console.warn(`read-only tests skipped: ${ext4}`);

// At the top level, so the filesystems are unmounted even when a -t filter skips their tests.
afterAll(() => {
  if (typeof fsys !== 'string') fsys.unmount();
  if (typeof ext4 !== 'string') ext4.unmount();
});

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
}

/** Every batch of the log, in order: [baseOffset, lastOffset, fill byte of its first value]. */
function readAll(log: Log): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20, log.logEndOffset);
    if (records.length === 0) break;
    let pos = 0;
    for (const [base, last] of batchOffsets(records)) {
      const size = 12 + records.readInt32BE(pos + 8);
      out.push([base, last, records[pos + size - 2]]); // the last value byte (before the headers count)
      pos += size;
      offset = last + 1;
    }
  }
  return out;
}

/** What the files say: .log size and index lengths must match what the log holds in memory. */
function expectFilesMatchMemory(log: Log): void {
  const seg = log.activeSegment;
  expect(fs.statSync(seg.log.path).size).toBe(seg.size);
  expect(fs.statSync(seg.offsetIndex.path).size).toBe(seg.offsetIndex.entries * 8);
  expect(fs.statSync(seg.timeIndex.path).size).toBe(seg.timeIndex.entries * 12);
}

describeOnTmpfs('a failed append on a real full or read-only filesystem', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => {
    dir = path.join(tmpfs.dir, `orders-${n++}`);
  });
  afterEach(() => {
    tmpfs.free();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ENOSPC part way through a batch: KAFKA_STORAGE_ERROR, nothing kept, the same offsets go to the next append once space is back', () => {
    const log = Log.open(dir, config({ indexIntervalBytes: 1024 }));
    const acked: Array<[number, number, number]> = [];
    const append = (fill: number) => {
      const info = log.appendAsLeader(buildBatch({ count: 20, valueSize: 500, fill }), 0);
      acked.push([info.firstOffset, info.lastOffset, fill]);
    };
    for (let i = 0; i < 5; i++) append(0x41 + i);
    tmpfs.fill();
    // Give back less than one batch (10 KB): the next write is short, then ENOSPC.
    fs.truncateSync(path.join(tmpfs.dir, 'filler-0'), fs.statSync(path.join(tmpfs.dir, 'filler-0')).size - 6000);
    const leo = log.logEndOffset;
    const sizeBefore = log.activeSegment.size;
    let failures = 0;
    for (let i = 0; i < 3; i++) {
      const code = codeOf(() => log.appendAsLeader(buildBatch({ count: 20, valueSize: 500, fill: 0x7a }), 0));
      expect(code).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      failures++;
      expect(log.logEndOffset).toBe(leo);
      expect(log.activeSegment.size).toBe(sizeBefore);
      expectFilesMatchMemory(log);
    }
    expect(failures).toBe(3);
    tmpfs.free();
    append(0x50);
    expect(acked[acked.length - 1][0]).toBe(leo); // the refused appends' offsets were not used up
    append(0x51);
    expect(readAll(log)).toEqual(acked);
    expectFilesMatchMemory(log);
    log.close();
    // A restart without a clean shutdown re-validates every batch: nothing is out of order or torn.
    const reopened = Log.open(dir, config({ indexIntervalBytes: 1024 }), { hadCleanShutdown: false });
    expect(reopened.logEndOffset).toBe(acked[acked.length - 1][1] + 1);
    expect(readAll(reopened)).toEqual(acked);
    reopened.close();
  });

  it('an index entry that cannot be written undoes the batch already written to the .log file', () => {
    const log = Log.open(dir, config({ indexIntervalBytes: 100 }));
    log.appendAsLeader(buildBatch({ count: 1, valueSize: 150, fill: 0x41 }), 0);
    expect(log.activeSegment.offsetIndex.entries).toBe(0);
    // Full to the last page: the next batch fits in the .log file's last page, but the first
    // index entry (due: more than index.interval.bytes since the last one) needs a new page.
    tmpfs.fill();
    expect(codeOf(() => log.appendAsLeader(buildBatch({ count: 1, valueSize: 150, fill: 0x42 }), 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(log.logEndOffset).toBe(1);
    expect(log.activeSegment.offsetIndex.entries).toBe(0);
    expectFilesMatchMemory(log);
    tmpfs.free();
    log.appendAsLeader(buildBatch({ count: 1, valueSize: 150, fill: 0x43 }), 0);
    expect(log.activeSegment.offsetIndex.entries).toBe(1);
    expect(readAll(log)).toEqual([
      [0, 0, 0x41],
      [1, 1, 0x43],
    ]);
    expectFilesMatchMemory(log);
    log.close();
  });

  it('a follower append whose leader-epoch checkpoint cannot be written is undone as a whole', () => {
    const log = Log.open(dir, config());
    log.appendAsFollower(buildBatch({ count: 1, valueSize: 50, baseOffset: 0, partitionLeaderEpoch: 1 }));
    const epochsBefore = [...log.leaderEpochCache.entries()];
    // Full to the last page: the next batch still fits in the .log file's last page, but the
    // checkpoint's new file does not.
    tmpfs.fill();
    const batch = buildBatch({ count: 1, valueSize: 50, baseOffset: 1, partitionLeaderEpoch: 2 });
    expect(codeOf(() => log.appendAsFollower(Buffer.from(batch)))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(log.logEndOffset).toBe(1);
    expect(log.leaderEpochCache.entries()).toEqual(epochsBefore);
    expectFilesMatchMemory(log);
    tmpfs.free();
    log.appendAsFollower(Buffer.from(batch));
    expect(log.logEndOffset).toBe(2);
    expect(log.leaderEpochCache.entries()).toEqual([...epochsBefore, { epoch: 2, startOffset: 1 }]);
    log.close();
    const reopened = Log.open(dir, config(), { hadCleanShutdown: false });
    expect(readAll(reopened).map(([b, l]) => [b, l])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    reopened.close();
  });

});

describeOnExt4('an append on a filesystem that turned read-only (ext4 errors=remount-ro)', () => {
  it('EROFS: KAFKA_STORAGE_ERROR, the log goes offline (Kafka), and after fsck every flushed batch is there', () => {
    const fsys = ext4 as LoopExt4;
    const dir = path.join(fsys.dir, 'orders-0');
    const log = Log.open(dir, config({ flushMessages: 1 }));
    log.appendAsLeader(buildBatch({ count: 3, fill: 0x41 }), 0);
    log.appendAsLeader(buildBatch({ count: 2, fill: 0x42 }), 0);
    fsys.failReadOnly();
    expect(codeOf(() => log.appendAsLeader(buildBatch({ count: 3, fill: 0x43 }), 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(log.isOffline).toBe(true);
    expect(codeOf(() => log.read(0, 1000))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(codeOf(() => log.appendAsLeader(buildBatch({ count: 1 }), 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    log.close();
    fsys.repair();
    const reopened = Log.open(dir, config(), { hadCleanShutdown: false });
    expect(readAll(reopened)).toEqual([
      [0, 2, 0x41],
      [3, 4, 0x42],
    ]);
    reopened.close();
  });
});

describe('LogManager.handleLogDirFailure (Kafka: an IOException takes the whole log dir offline)', () => {
  it('its logs answer KAFKA_STORAGE_ERROR, only new replicas get logs (in the other dir), and with no dir left the broker halts', () => {
    const roots = [fs.mkdtempSync('/tmp/zafka-dirs-a-'), fs.mkdtempSync('/tmp/zafka-dirs-b-')];
    const failed: string[] = [];
    let halted = 0;
    const manager = new LogManager({ logDirs: roots, defaultConfig: config(), cleanerEnable: false, onLogDirFailure: (d) => failed.push(d), halt: () => halted++ });
    try {
      manager.startup();
      const a = manager.getOrCreateLog('t', 0);
      const b = manager.getOrCreateLog('t', 1);
      const dirA = path.dirname(a.dir);
      a.appendAsLeader(buildBatch({ count: 2 }), 0);
      manager.handleLogDirFailure(dirA, Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
      expect(failed).toEqual([dirA]);
      expect(codeOf(() => a.appendAsLeader(buildBatch({ count: 1 }), 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      expect(codeOf(() => a.read(0, 1000))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      b.appendAsLeader(buildBatch({ count: 1 }), 0);
      expect(path.dirname(manager.getOrCreateLog('t', 2).dir)).toBe(path.dirname(b.dir));
      // An existing replica (LeaderAndIsr isNew=false) whose log is not loaded may live in the offline dir: no empty stand-in.
      expect(codeOf(() => manager.getOrCreateLog('t', 3, config(), false))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      expect(halted).toBe(0);
      manager.handleLogDirFailure(path.dirname(b.dir), new Error('EIO'));
      expect(halted).toBe(1);
      manager.shutdown();
      // No clean-shutdown marker in an offline dir: the next start recovers it.
      expect(fs.existsSync(path.join(dirA, '.kafka_cleanshutdown'))).toBe(false);
    } finally {
      for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
    }
  });
});
