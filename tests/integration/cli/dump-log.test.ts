// kafka-dump-log on segments a real broker wrote (kafkajs and kcat producers, uncompressed, gzip
// and lz4 batches, keys and headers, committed offsets in __consumer_offsets), on damaged copies
// (a flipped byte, a torn tail) and on a hand-built legacy v0/v1 segment such as Kafka 0.10 left
// on disk. Lines are checked against Kafka 2.4's DumpLogSegments formats, and each batch's
// position, size and CRC against the file's own bytes.
import { crc32 } from '@node-rs/crc32';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CompressionTypes } from 'kafkajs';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { TimestampType } from '../../../broker/protocol/records/record-batch';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { eventually, runCli } from './run-cli';

jest.setTimeout(180000);

const BATCH_V2 =
  /^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) baseSequence: (-?\d+) lastSequence: (-?\d+) producerId: (-?\d+) producerEpoch: (-?\d+) partitionLeaderEpoch: (-?\d+) isTransactional: (true|false) isControl: (true|false) position: (\d+) (CreateTime|LogAppendTime): (-?\d+) size: (\d+) magic: 2 compresscodec: (NONE|GZIP|SNAPPY|LZ4|ZSTD) crc: (\d+) isvalid: (true|false)$/;
const RECORD_V2 = /^\| offset: (\d+) (CreateTime|LogAppendTime): (\d+) keysize: (-?\d+) valuesize: (-?\d+) sequence: (-?\d+) headerKeys: \[([^\]]*)\](?: key: (.*?))?(?: payload: (.*))?$/;

interface Batch {
  baseOffset: number;
  lastOffset: number;
  count: number;
  position: number;
  size: number;
  codec: string;
  crc: number;
  valid: boolean;
}

function batchesOf(stdout: string): Batch[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('baseOffset: '))
    .map((l) => {
      const m = BATCH_V2.exec(l);
      if (!m) throw new Error(`not a Kafka 2.4 batch line: ${l}`);
      return { baseOffset: +m[1], lastOffset: +m[2], count: +m[3], position: +m[11], size: +m[14], codec: m[15], crc: +m[16], valid: m[17] === 'true' };
    });
}

describe('kafka-dump-log', () => {
  let cluster: TestCluster;
  let segment: string;
  let scratch: string;
  const dump = (...args: string[]) => runCli('kafka-dump-log', args);

  beforeAll(async () => {
    // A small index interval gives the .index and .timeindex several entries.
    cluster = await TestCluster.start({ brokers: 1, config: { 'log.index.interval.bytes': 200 } });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-dump-log-'));
    const kafka = kafkajs(cluster.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'dumped', numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic: 'dumped', messages: [{ key: 'k1', value: 'v1', headers: { h1: 'x', h2: 'y' } }, { key: null, value: 'no key' }] });
    await producer.send({ topic: 'dumped', compression: CompressionTypes.GZIP, messages: Array.from({ length: 20 }, (_, i) => ({ key: `g${i}`, value: `gzip value ${i} `.repeat(5) })) });
    await producer.disconnect();
    const lz4 = await kcat(['-P', '-b', cluster.bootstrap, '-t', 'dumped', '-z', 'lz4', '-X', 'linger.ms=200'], {
      input: Array.from({ length: 30 }, (_, i) => `lz4 value ${i} ${'z'.repeat(40)}`).join('\n') + '\n',
    });
    expect(lz4.code).toBe(0);
    segment = path.join(cluster.brokers[0].logDir, 'dumped-0', '00000000000000000000.log');
    await eventually(async () => {
      const r = await dump('--files', segment, '--deep-iteration');
      expect(r.stdout.split('\n').filter((l) => l.startsWith('| offset: ')).length).toBe(52);
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('dumps every batch of a broker-written segment: positions, sizes and CRCs match the bytes on disk', async () => {
    const r = await dump('--files', segment);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`Dumping ${segment}`, 'Starting offset: 0']);
    const batches = batchesOf(r.stdout);
    const bytes = fs.readFileSync(segment);
    let position = 0;
    for (const b of batches) {
      expect(b.position).toBe(position);
      expect(b.size).toBe(12 + bytes.readInt32BE(position + 8));
      expect(b.crc).toBe(bytes.readUInt32BE(position + 17));
      expect(b.valid).toBe(true);
      expect(b.lastOffset - b.baseOffset + 1).toBe(b.count);
      position += b.size;
    }
    expect(position).toBe(bytes.length);
    expect(batches.map((b) => b.codec)).toEqual(expect.arrayContaining(['NONE', 'GZIP', 'LZ4']));
    // Shallow iteration prints no records.
    expect(lines.some((l) => l.startsWith('|'))).toBe(false);
  });

  it('decodes records inside compressed batches with --deep-iteration, and keys/values with --print-data-log', async () => {
    const r = await dump('--files', segment, '--print-data-log');
    expect(r.code).toBe(0);
    const records = r.stdout.split('\n').filter((l) => l.startsWith('| ')).map((l) => {
      const m = RECORD_V2.exec(l);
      if (!m) throw new Error(`not a Kafka 2.4 record line: ${l}`);
      return { offset: +m[1], keysize: +m[4], valuesize: +m[5], headerKeys: m[7], key: m[8], payload: m[9] };
    });
    expect(records.map((x) => x.offset)).toEqual([...Array(52).keys()]);
    expect(records[0]).toMatchObject({ keysize: 2, valuesize: 2, headerKeys: 'h1,h2', key: 'k1', payload: 'v1' });
    expect(records[1]).toMatchObject({ keysize: -1, key: undefined, payload: 'no key' });
    expect(records[2]).toMatchObject({ key: 'g0', payload: 'gzip value 0 '.repeat(5) });
    expect(records[51].payload).toBe(`lz4 value 29 ${'z'.repeat(40)}`);
    expect(r.stderr).toBe(''); // consecutive offsets: no "Non-consecutive offsets" summary
  });

  it('dumps and verifies the .index and .timeindex against the log, and runs the startup sanity check', async () => {
    const index = segment.replace(/\.log$/, '.index');
    const timeIndex = segment.replace(/\.log$/, '.timeindex');
    const r = await dump('--files', `${index},${timeIndex}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const indexLines = r.stdout.split('\n').filter((l) => l.startsWith('offset: '));
    const timeLines = r.stdout.split('\n').filter((l) => l.startsWith('timestamp: '));
    expect(indexLines.length).toBe(fs.statSync(index).size / 8);
    expect(timeLines.length).toBe(fs.statSync(timeIndex).size / 12);
    expect(indexLines.length).toBeGreaterThan(0);
    for (const l of indexLines) expect(l).toMatch(/^offset: \d+ position: \d+$/);
    for (const l of timeLines) expect(l).toMatch(/^timestamp: \d+ offset: \d+$/);
    const verify = await dump('--files', index, '--verify-index-only');
    expect(verify).toMatchObject({ code: 0, stdout: `Dumping ${index}\n`, stderr: '' });
    const sane = await dump('--files', `${index},${timeIndex}`, '--index-sanity-check');
    expect(sane.stdout).toBe(`Dumping ${index}\n${index} passed sanity check.\nDumping ${timeIndex}\n${timeIndex} passed sanity check.\n`);
  });

  it('reports a damaged batch as isvalid: false, a torn tail as invalid bytes, and a wrong index entry as a mismatch', async () => {
    const copyDir = path.join(scratch, 'damaged-0');
    fs.mkdirSync(copyDir);
    const copy = path.join(copyDir, '00000000000000000000.log');
    const bytes = Buffer.from(fs.readFileSync(segment));
    const first = 12 + bytes.readInt32BE(8);
    bytes[first - 1] ^= 0xff; // last byte of the first batch: its CRC no longer holds
    const tail = bytes.subarray(first, first + 40); // the start of the second batch again, cut short
    fs.writeFileSync(copy, Buffer.concat([bytes, tail]));
    const r = await dump('--files', copy);
    expect(r.code).toBe(0);
    expect(batchesOf(r.stdout).map((b) => b.valid)).toEqual([false, ...Array(batchesOf(r.stdout).length - 1).fill(true)]);
    expect(r.stdout).toContain('Found 40 invalid bytes at the end of 00000000000000000000.log\n');

    // An index entry pointing at the wrong batch: Kafka's "Mismatches in :" summary on stderr.
    const index = Buffer.alloc(8);
    index.writeInt32BE(5, 0); // offset 5 ...
    index.writeInt32BE(0, 4); // ... at position 0, where the batch ending at offset 1 starts
    fs.writeFileSync(path.join(copyDir, '00000000000000000000.index'), index);
    const m = await dump('--files', path.join(copyDir, '00000000000000000000.index'));
    expect(m.stdout).toContain('offset: 5 position: 0\n');
    expect(m.stderr).toBe(`Mismatches in :${path.join(copyDir, '00000000000000000000.index')}\n  Index offset: 5, log offset: 1\n`);

    const torn = Buffer.alloc(13);
    fs.writeFileSync(path.join(copyDir, '00000000000000000100.index'), torn);
    const insane = await dump('--files', path.join(copyDir, '00000000000000000100.index'), '--index-sanity-check');
    expect(insane.code).toBe(1);
    expect(insane.stderr).toContain('is corrupt, found 13 bytes which is neither positive nor a multiple of 8.');
  });

  it('dumps a legacy segment (message format v0 and a gzip-compressed v1 wrapper) as Kafka 0.10 wrote it', async () => {
    // v0 by hand: offset, size, crc, magic 0, attributes 0, key "k", value "hello".
    const body = Buffer.concat([Buffer.from([0, 0]), Buffer.from([0, 0, 0, 1]), Buffer.from('k'), Buffer.from([0, 0, 0, 5]), Buffer.from('hello')]);
    const crc = crc32(body) >>> 0;
    const v0 = Buffer.alloc(12 + 4 + body.length);
    v0.writeInt32BE(0, 0);
    v0.writeInt32BE(0, 4);
    v0.writeInt32BE(4 + body.length, 8);
    v0.writeUInt32BE(crc, 12);
    body.copy(v0, 16);
    const v1 = encodeMessageSet({
      magic: 1,
      compression: CompressionType.GZIP,
      timestampType: TimestampType.CREATE_TIME,
      baseOffset: 1,
      timestamp: 1500000000000,
      messages: [{ value: 'one' }, { key: 'two', value: 'deux', timestamp: 1500000000007 }],
    });
    const dir = path.join(scratch, 'legacy-0');
    fs.mkdirSync(dir);
    const file = path.join(dir, '00000000000000000000.log');
    fs.writeFileSync(file, Buffer.concat([v0, v1]));
    const r = await dump('--files', file, '--print-data-log');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toBe(`offset: 0 position: 0 NoTimestampType: -1 size: ${v0.length} magic: 0 compresscodec: NONE crc: ${crc} isvalid: true`);
    expect(lines[3]).toBe(`| offset: 0 NoTimestampType: -1 keysize: 1 valuesize: 5 crc: ${crc} isvalid: true key: k payload: hello`);
    expect(lines[4]).toBe(`offset: 2 position: ${v0.length} CreateTime: 1500000000007 size: ${v1.length} magic: 1 compresscodec: GZIP crc: ${v1.readUInt32BE(12)} isvalid: true`);
    expect(lines[5]).toMatch(/^\| offset: 1 CreateTime: 1500000000000 keysize: -1 valuesize: 3 crc: \d+ isvalid: true payload: one$/);
    expect(lines[6]).toMatch(/^\| offset: 2 CreateTime: 1500000000007 keysize: 3 valuesize: 4 crc: \d+ isvalid: true key: two payload: deux$/);
  });

  it('decodes committed offsets in __consumer_offsets with --offsets-decoder', async () => {
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.setOffsets({ groupId: 'dump-group', topic: 'dumped', partitions: [{ partition: 0, offset: '17' }] });
    await admin.disconnect();
    const files = fs
      .readdirSync(cluster.brokers[0].logDir)
      .filter((d) => d.startsWith('__consumer_offsets-'))
      .map((d) => path.join(cluster.brokers[0].logDir, d, '00000000000000000000.log'))
      .filter((f) => fs.existsSync(f));
    const r = await eventually(async () => {
      const x = await dump('--files', files.join(','), '--offsets-decoder');
      expect(x.stdout).toContain(' key: offset::dump-group:dumped:0 payload: 17');
      return x;
    });
    expect(r.code).toBe(0);
  });

  it('exits 1 with the usage without --files; ignores unknown files like Kafka', async () => {
    const none = await dump('--deep-iteration');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Missing required argument "[files]"');
    const other = await dump('--files', path.join(cluster.brokers[0].logDir, 'meta.properties'));
    expect(other.code).toBe(0);
    expect(other.stderr).toBe(`Ignoring unknown file ${path.join(cluster.brokers[0].logDir, 'meta.properties')}\n`);
  });
});
