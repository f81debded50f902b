import * as fs from 'fs';
import * as path from 'path';
import { OffsetIndex } from '../../../broker/log/offset-index';
import { TimeIndex } from '../../../broker/log/time-index';
import { rmDir, tmpDir } from './batch-builder';

describe('OffsetIndex', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('writes 8-byte big-endian (relative offset, position) entries and looks up the floor entry', () => {
    const file = path.join(dir, '00000000000000000100.index');
    const index = new OffsetIndex(file, 100, 1024);
    index.append(104, 4100);
    index.append(110, 8300);
    index.append(125, 12500);
    expect(fs.readFileSync(file).toString('hex')).toBe('00000004' + '00001004' + '0000000a' + '0000206c' + '00000019' + '000030d4');
    expect(index.lookup(99)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(103)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(104)).toEqual({ offset: 104, position: 4100 });
    expect(index.lookup(124)).toEqual({ offset: 110, position: 8300 });
    expect(index.lookup(10_000)).toEqual({ offset: 125, position: 12500 });
    expect(() => index.append(125, 13000)).toThrow(/no larger/);
    index.close();
  });

  it('truncates entries at or above an offset, on disk too, and reloads what is left', () => {
    const file = path.join(dir, '00000000000000000000.index');
    const index = new OffsetIndex(file, 0, 1024);
    for (let i = 1; i <= 5; i++) index.append(i * 10, i * 1000);
    index.truncateTo(30);
    expect(index.entries).toBe(2);
    expect(fs.statSync(file).size).toBe(16);
    index.close();
    const reopened = new OffsetIndex(file, 0, 1024);
    expect(reopened.sanityCheck(1_000_000)).toBeNull();
    expect(reopened.lookup(1000)).toEqual({ offset: 20, position: 2000 });
    expect(reopened.lastOffset()).toBe(20);
    reopened.close();
  });

  it('cuts off the zero tail Kafka leaves in a preallocated index after kill -9, in memory and on disk', () => {
    const file = path.join(dir, '00000000000000000000.index');
    const kafkaPreallocated = Buffer.alloc(10 * 1024 * 1024); // segment.index.bytes, two entries written
    kafkaPreallocated.writeInt32BE(5, 0);
    kafkaPreallocated.writeInt32BE(4200, 4);
    kafkaPreallocated.writeInt32BE(9, 8);
    kafkaPreallocated.writeInt32BE(8300, 12);
    fs.writeFileSync(file, kafkaPreallocated);
    const index = new OffsetIndex(file, 0, 10 * 1024 * 1024);
    expect(index.entries).toBe(2);
    expect(index.sanityCheck(1_000_000)).toBeNull();
    expect(fs.statSync(file).size).toBe(16);
    index.append(12, 9000);
    index.close();
    expect(fs.readFileSync(file).subarray(16).toString('hex')).toBe('0000000c' + '00002328');
  });

  it('reports a torn length or entries out of order as corrupt', () => {
    const file = path.join(dir, '00000000000000000000.index');
    const entries = Buffer.alloc(24);
    entries.writeInt32BE(5, 0);
    entries.writeInt32BE(4200, 4); // then an all-zero entry, then one that is not after it
    entries.writeInt32BE(3, 16);
    entries.writeInt32BE(100, 20);
    fs.writeFileSync(file, entries);
    const index = new OffsetIndex(file, 0, 1024);
    expect(index.sanityCheck(1_000_000)).toMatch(/not after/);
    index.close();
    fs.writeFileSync(file, Buffer.alloc(12));
    const torn = new OffsetIndex(file, 0, 1024);
    expect(torn.sanityCheck(1_000_000)).toMatch(/multiple of 8/);
    torn.close();
  });

  it('is full at segment.index.bytes / 8 entries', () => {
    const index = new OffsetIndex(path.join(dir, 'x.index'), 0, 20);
    expect(index.maxEntries).toBe(2);
    index.append(1, 10);
    index.append(2, 20);
    expect(index.isFull()).toBe(true);
    index.close();
  });
});

describe('TimeIndex', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir()));
  afterEach(() => rmDir(dir));

  it('appends only growing timestamps as 12-byte entries and looks up the floor timestamp', () => {
    const file = path.join(dir, '00000000000000000050.timeindex');
    const index = new TimeIndex(file, 50, 1200);
    index.maybeAppend(1_700_000_000_000, 55);
    index.maybeAppend(1_700_000_000_000, 56); // same timestamp: skipped
    index.maybeAppend(1_699_999_999_999, 57); // smaller: skipped
    index.maybeAppend(1_700_000_000_500, 60);
    expect(index.entries).toBe(2);
    expect(fs.readFileSync(file).toString('hex')).toBe('0000018bcfe56800' + '00000005' + '0000018bcfe569f4' + '0000000a');
    expect(index.lookup(1_600_000_000_000)).toEqual({ timestamp: -1, offset: 50 });
    expect(index.lookup(1_700_000_000_499)).toEqual({ timestamp: 1_700_000_000_000, offset: 55 });
    expect(index.lookup(1_800_000_000_000)).toEqual({ timestamp: 1_700_000_000_500, offset: 60 });
    index.truncateTo(60);
    expect(index.lastEntry()).toEqual({ timestamp: 1_700_000_000_000, offset: 55 });
    expect(fs.statSync(file).size).toBe(12);
    index.close();
  });

  it("cuts off the zero tail of Kafka's preallocated time index (10 MiB rounded down to 12-byte entries)", () => {
    const file = path.join(dir, '00000000000000000050.timeindex');
    const kafkaPreallocated = Buffer.alloc(10 * 1024 * 1024 - ((10 * 1024 * 1024) % 12));
    kafkaPreallocated.writeBigInt64BE(1_700_000_000_000n, 0);
    kafkaPreallocated.writeInt32BE(5, 8);
    fs.writeFileSync(file, kafkaPreallocated);
    const index = new TimeIndex(file, 50, kafkaPreallocated.length);
    expect(index.entries).toBe(1);
    expect(index.sanityCheck()).toBeNull();
    expect(index.lastEntry()).toEqual({ timestamp: 1_700_000_000_000, offset: 55 });
    expect(fs.statSync(file).size).toBe(12);
    index.close();
  });
});
