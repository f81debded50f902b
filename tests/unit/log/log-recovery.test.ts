import * as fs from 'fs';
import * as path from 'path';
import { Log } from '../../../broker/log/log';
import { batchOffsets, buildBatch, config, rmDir, tmpDir } from './batch-builder';

describe('Log recovery', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = tmpDir();
    dir = path.join(root, 'events-2');
  });
  afterEach(() => rmDir(root));

  function writeLog(batches: number, cfg = config({ indexIntervalBytes: 50 })): { sizes: number[] } {
    const log = Log.open(dir, cfg);
    const sizes: number[] = [];
    for (let i = 0; i < batches; i++) {
      const b = buildBatch({ count: 3, valueSize: 15, fill: 0x41 + i, baseTimestamp: 1000 + i });
      sizes.push(b.length);
      log.appendAsLeader(b, 2);
    }
    log.close();
    return { sizes };
  }

  it('truncates a torn partial batch at the tail and keeps every complete batch', () => {
    const { sizes } = writeLog(6);
    const logFile = path.join(dir, '00000000000000000000.log');
    const goodSize = fs.statSync(logFile).size;
    // A batch whose write was cut in the middle (kill -9 / power loss).
    fs.appendFileSync(logFile, buildBatch({ count: 3, baseOffset: 18 }).subarray(0, 40));
    fs.rmSync(path.join(dir, '00000000000000000000.index')); // and a lost index
    const log = Log.open(dir, config({ indexIntervalBytes: 50 }), { recoveryPoint: 0, hadCleanShutdown: false });
    expect(fs.statSync(logFile).size).toBe(goodSize);
    expect(log.logEndOffset).toBe(18);
    expect(log.activeSegment.offsetIndex.entries).toBeGreaterThan(0);
    expect(batchOffsets(log.read(0, 1 << 20).records)).toEqual([[0, 2], [3, 5], [6, 8], [9, 11], [12, 14], [15, 17]]);
    expect(log.read(13, sizes[0]).records.length).toBe(sizes[4]);
    expect(log.appendAsLeader(buildBatch(), 2).firstOffset).toBe(18);
    log.close();
  });

  it('stops at a batch with a bad CRC and drops it and everything after', () => {
    writeLog(5);
    const logFile = path.join(dir, '00000000000000000000.log');
    const sizeAfter4 = fs.statSync(logFile).size - buildBatch({ count: 3, valueSize: 15 }).length;
    const bytes = fs.readFileSync(logFile);
    bytes[sizeAfter4 + 70] ^= 0x01; // flip a bit inside the 5th batch's records
    fs.writeFileSync(logFile, Buffer.concat([bytes, buildBatch({ count: 1, baseOffset: 15 })]));
    const log = Log.open(dir, config({ indexIntervalBytes: 50 }), { recoveryPoint: 0, hadCleanShutdown: false });
    expect(fs.statSync(logFile).size).toBe(sizeAfter4);
    expect(log.logEndOffset).toBe(12);
    expect(batchOffsets(log.read(0, 1 << 20).records)).toEqual([[0, 2], [3, 5], [6, 8], [9, 11]]);
    // The offset index was rebuilt against the truncated file.
    expect(log.activeSegment.indexProblem()).toBeNull();
    log.close();
  });

  it('recovers only from the recovery point on, and deletes later segments after corruption', () => {
    const size = buildBatch({ count: 3, valueSize: 15 }).length;
    writeLog(6, config({ segmentBytes: size * 2 }));
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    expect(names).toEqual(['00000000000000000000.log', '00000000000000000006.log', '00000000000000000012.log']);
    // Corrupt the tail of the middle segment: the last segment must go too.
    const middle = path.join(dir, names[1]);
    const bytes = fs.readFileSync(middle);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(middle, bytes);
    const log = Log.open(dir, config({ segmentBytes: size * 2 }), { recoveryPoint: 6, hadCleanShutdown: false });
    expect(log.logSegments().map((s) => s.baseOffset)).toEqual([0, 6]);
    expect(log.logEndOffset).toBe(9);
    expect(log.recoveryPoint).toBe(6);
    log.close();
  });

  it('skips recovery after a clean shutdown', () => {
    writeLog(3);
    const logFile = path.join(dir, '00000000000000000000.log');
    fs.appendFileSync(logFile, Buffer.alloc(30)); // would be truncated by a recovery
    const size = fs.statSync(logFile).size;
    const log = Log.open(dir, config(), { recoveryPoint: 9, hadCleanShutdown: true });
    expect(fs.statSync(logFile).size).toBe(size);
    expect(log.logEndOffset).toBe(9);
    expect(log.recoveryPoint).toBe(9);
    log.close();
  });

  it('removes leftovers of interrupted deletes and rebuilds a corrupt index even after a clean shutdown', () => {
    writeLog(4);
    fs.writeFileSync(path.join(dir, '00000000000000000099.log.deleted'), 'x');
    fs.writeFileSync(path.join(dir, '00000000000000000099.index.cleaned'), 'x');
    fs.writeFileSync(path.join(dir, '00000000000000000000.index'), Buffer.alloc(12)); // a torn entry
    const log = Log.open(dir, config({ indexIntervalBytes: 50 }), { recoveryPoint: 12, hadCleanShutdown: true });
    expect(fs.readdirSync(dir).sort()).toEqual([
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      '00000000000000000012.snapshot', // the producer snapshot Log.close writes at the log end, as Kafka
      'leader-epoch-checkpoint',
    ]);
    expect(log.activeSegment.indexProblem()).toBeNull();
    expect(log.activeSegment.offsetIndex.entries).toBeGreaterThan(0);
    expect(batchOffsets(log.read(7, 1 << 20).records)[0]).toEqual([6, 8]);
    log.close();
  });
});
