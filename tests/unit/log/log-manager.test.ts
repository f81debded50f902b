import * as fs from 'fs';
import * as path from 'path';
import { LogManager } from '../../../broker/log/log-manager';
import { batchOffsets, buildBatch, config, rmDir, tmpDir } from './batch-builder';

describe('LogManager', () => {
  let dirs: string[];
  beforeEach(() => (dirs = [tmpDir('zafka-lm-a-'), tmpDir('zafka-lm-b-')]));
  afterEach(() => dirs.forEach(rmDir));

  const manager = () => new LogManager({ logDirs: dirs, defaultConfig: config() });

  it('spreads new logs over dirs, checkpoints them, and reloads after a clean shutdown', () => {
    const lm = manager();
    lm.startup();
    const a = lm.getOrCreateLog('orders', 0);
    const b = lm.getOrCreateLog('orders', 1);
    expect(lm.getOrCreateLog('orders', 0)).toBe(a);
    expect(new Set([path.dirname(a.dir), path.dirname(b.dir)])).toEqual(new Set(dirs));
    a.appendAsLeader(buildBatch({ count: 3 }), 0);
    a.appendAsLeader(buildBatch({ count: 2 }), 0);
    b.appendAsLeader(buildBatch({ count: 4 }), 0);
    a.maybeIncrementLogStartOffset(3);
    lm.writeHighWatermarks([
      { topic: 'orders', partition: 0, offset: 5 },
      { topic: 'orders', partition: 1, offset: 2 },
    ]);
    lm.shutdown();

    const aDir = path.dirname(a.dir);
    expect(fs.readFileSync(path.join(aDir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 5\n');
    expect(fs.readFileSync(path.join(aDir, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 3\n');
    expect(fs.readFileSync(path.join(aDir, 'replication-offset-checkpoint'), 'utf8')).toBe('0\n1\norders 0 5\n');
    expect(fs.existsSync(path.join(aDir, '.kafka_cleanshutdown'))).toBe(true);

    const again = manager();
    again.startup();
    expect(fs.existsSync(path.join(aDir, '.kafka_cleanshutdown'))).toBe(false);
    const a2 = again.getLog('orders', 0);
    expect(a2?.logEndOffset).toBe(5);
    expect(a2?.logStartOffset).toBe(3);
    expect(a2?.highWatermark).toBe(5);
    expect(batchOffsets(a2!.read(3, 1 << 20).records)).toEqual([[3, 4]]);
    expect(again.getLog('orders', 1)?.logEndOffset).toBe(4);
    expect(again.readHighWatermarks()).toEqual(new Map([['orders-0', 5], ['orders-1', 2]]));
    again.shutdown();
  });

  it('recovers logs when the clean-shutdown marker is missing', () => {
    const lm = manager();
    lm.startup();
    const log = lm.getOrCreateLog('t', 0);
    log.appendAsLeader(buildBatch({ count: 2 }), 0);
    lm.checkpointRecoveryPoints(); // recovery point 0: nothing flushed yet
    const file = path.join(log.dir, '00000000000000000000.log');
    log.close(); // "crash": no shutdown, no marker
    fs.appendFileSync(file, Buffer.alloc(20, 0xff));
    const again = manager();
    again.startup();
    expect(again.getLog('t', 0)?.logEndOffset).toBe(2);
    expect(fs.statSync(file).size).toBe(buildBatch({ count: 2 }).length);
    again.shutdown();
  });

  it('deletes a log by renaming it to -delete and removing it, and finishes such deletes at startup', async () => {
    const lm = manager();
    lm.startup();
    const log = lm.getOrCreateLog('gone', 0);
    const parent = path.dirname(log.dir);
    const done = lm.deleteLog('gone', 0);
    expect(lm.getLog('gone', 0)).toBeUndefined();
    expect(fs.readdirSync(parent).some((n) => /^gone-0\.[0-9a-f]{32}-delete$/.test(n))).toBe(true);
    await done;
    expect(fs.readdirSync(parent).some((n) => n.startsWith('gone-0'))).toBe(false);
    lm.shutdown();

    fs.mkdirSync(path.join(dirs[0], 'old-3.0123456789abcdef0123456789abcdef-delete'));
    const again = manager();
    again.startup();
    expect(fs.existsSync(path.join(dirs[0], 'old-3.0123456789abcdef0123456789abcdef-delete'))).toBe(false);
    expect(again.allLogs()).toEqual([]);
    again.shutdown();
  });
});
