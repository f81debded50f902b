import * as fs from 'fs';
import * as path from 'path';
import { OffsetCheckpointFile } from '../../../broker/log/checkpoint-file';
import { LeaderEpochFileCache } from '../../../broker/log/leader-epoch-file-cache';
import { InconsistentBrokerIdError, checkAndWriteMetaProperties, readMetaProperties } from '../../../broker/log/meta-properties';
import { rmDir, tmpDir } from './batch-builder';

describe('checkpoint files', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('writes Kafka offset checkpoints byte for byte and leaves no temp file', () => {
    const file = path.join(dir, 'recovery-point-offset-checkpoint');
    const cp = new OffsetCheckpointFile(file);
    cp.write([
      { topic: 'my-topic', partition: 0, offset: 42 },
      { topic: '__consumer_offsets', partition: 17, offset: 0 },
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe('0\n2\nmy-topic 0 42\n__consumer_offsets 17 0\n');
    expect(fs.readdirSync(dir)).toEqual(['recovery-point-offset-checkpoint']);
    expect(cp.readMap()).toEqual(new Map([['my-topic-0', 42], ['__consumer_offsets-17', 0]]));
    cp.write([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('0\n0\n');
  });

  it('reads a missing file as empty and rejects malformed ones', () => {
    const file = path.join(dir, 'replication-offset-checkpoint');
    expect(new OffsetCheckpointFile(file).read()).toEqual([]);
    fs.writeFileSync(file, '0\n2\nt 0 5\n');
    expect(() => new OffsetCheckpointFile(file).read()).toThrow(/Malformed/);
    fs.writeFileSync(file, '1\n0\n');
    expect(() => new OffsetCheckpointFile(file).read()).toThrow(/version/);
  });
});

describe('LeaderEpochFileCache', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('keeps leader-epoch-checkpoint in Kafka format and answers end offsets per epoch', () => {
    const file = path.join(dir, 'leader-epoch-checkpoint');
    const cache = new LeaderEpochFileCache(file);
    cache.assign(0, 0);
    cache.assign(0, 10); // same epoch: no change
    cache.assign(2, 15);
    cache.assign(4, 40);
    expect(fs.readFileSync(file, 'utf8')).toBe('0\n3\n0 0\n2 15\n4 40\n');
    expect(cache.endOffsetFor(4, 55)).toEqual({ epoch: 4, endOffset: 55 });
    expect(cache.endOffsetFor(2, 55)).toEqual({ epoch: 2, endOffset: 40 });
    expect(cache.endOffsetFor(3, 55)).toEqual({ epoch: 2, endOffset: 40 });
    expect(cache.endOffsetFor(5, 55)).toEqual({ epoch: -1, endOffset: -1 });
    cache.truncateFromEnd(40);
    expect(cache.entries()).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 15 }]);
    cache.truncateFromStart(20);
    expect(new LeaderEpochFileCache(file).entries()).toEqual([{ epoch: 2, startOffset: 20 }]);
  });

  it('drops entries that a new epoch overlaps', () => {
    const cache = new LeaderEpochFileCache(path.join(dir, 'leader-epoch-checkpoint'));
    cache.assign(1, 0);
    cache.assign(3, 50);
    cache.assign(2, 30); // a stale leader's append below the latest: later entries go
    expect(cache.entries()).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 30 }]);
  });
});

describe('meta.properties', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('is written once and a different broker.id is refused', () => {
    checkAndWriteMetaProperties([dir], { brokerId: 1, clusterId: 'abcdefghijklmnopqrstuv' });
    const text = fs.readFileSync(path.join(dir, 'meta.properties'), 'utf8');
    expect(text).toMatch(/^#\n#.+\nversion=0\nbroker.id=1\ncluster.id=abcdefghijklmnopqrstuv\n$/);
    expect(readMetaProperties(dir)).toEqual({ brokerId: 1, clusterId: 'abcdefghijklmnopqrstuv' });
    expect(() => checkAndWriteMetaProperties([dir], { brokerId: 1, clusterId: 'abcdefghijklmnopqrstuv' })).not.toThrow();
    expect(() => checkAndWriteMetaProperties([dir], { brokerId: 2 })).toThrow(InconsistentBrokerIdError);
  });

  it('reads the file Kafka 2.4 writes', () => {
    fs.writeFileSync(path.join(dir, 'meta.properties'), '#\n#Sat Nov 22 01:48:28 UTC 2026\ncluster.id=x1YzQ\nversion=0\nbroker.id=0\n');
    expect(readMetaProperties(dir)).toEqual({ brokerId: 0, clusterId: 'x1YzQ' });
  });
});
