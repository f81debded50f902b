import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { readInt64, writeInt64 } from '../../../broker/protocol/primitives';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  readBatchHeader,
  TimestampType,
} from '../../../broker/protocol/records/record-batch';
import { referenceCrc32c } from './reference-crc';

/** Hex with '#' comments to the end of each line. */
const annotatedHex = (s: string) => Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
const T0 = 1700000000000; // 0x0000018bcfe56800

// One record, key "k", value "v", written from KIP-98's layout by hand.
const ONE_RECORD_BATCH = annotatedHex(`
  0000000000000005   # baseOffset 5
  0000003a           # batchLength 58 = 49 header bytes after it + 9 record bytes
  ffffffff           # partitionLeaderEpoch -1
  02                 # magic
  e99b8dd8           # crc32c(attributes..end)
  0000               # attributes: no compression, CreateTime
  00000000           # lastOffsetDelta
  0000018bcfe56800   # baseTimestamp
  0000018bcfe56800   # maxTimestamp
  ffffffffffffffff   # producerId -1
  ffff               # producerEpoch -1
  ffffffff           # baseSequence -1
  00000001           # recordCount
  10                 # record length 8 (zig-zag)
  00 00 00           # attributes, timestampDelta 0, offsetDelta 0
  02 6b 02 76        # key "k", value "v"
  00                 # no headers
`);

describe('record batch v2', () => {
  it('the hand-written batch carries a CRC32C computed independently over attributes..end', () => {
    expect(ONE_RECORD_BATCH.length).toBe(70);
    expect(ONE_RECORD_BATCH.readUInt32BE(17)).toBe(referenceCrc32c(ONE_RECORD_BATCH.subarray(21)));
    expect(referenceCrc32c(Buffer.from('123456789'))).toBe(0xe3069283); // the CRC-32C check value
    expect(crc32c(ONE_RECORD_BATCH, 21)).toBe(ONE_RECORD_BATCH.readUInt32BE(17));
  });

  it('encodes exactly the hand-written bytes', () => {
    const encoded = encodeRecordBatch({ baseOffset: 5, timestamp: T0, records: [{ key: 'k', value: 'v' }] });
    expect(encoded.toString('hex')).toBe(ONE_RECORD_BATCH.toString('hex'));
  });

  it('decodes the hand-written bytes', () => {
    const batch = decodeRecordBatch(ONE_RECORD_BATCH, 0);
    expect(batch).toMatchObject({
      baseOffset: 5,
      batchLength: 58,
      partitionLeaderEpoch: -1,
      magic: 2,
      lastOffsetDelta: 0,
      baseTimestamp: T0,
      maxTimestamp: T0,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 1,
      compression: CompressionType.NONE,
      timestampType: TimestampType.CREATE_TIME,
      isTransactional: false,
      isControl: false,
    });
    expect(batch.records).toEqual([{ offsetDelta: 0, timestamp: T0, key: Buffer.from('k'), value: Buffer.from('v'), headers: [] }]);
  });

  it('decodes a batch at a non-zero position and rejects a bad CRC', () => {
    const buf = Buffer.concat([Buffer.alloc(7, 0xee), ONE_RECORD_BATCH]);
    expect(decodeRecordBatch(buf, 7).records[0].value).toEqual(Buffer.from('v'));
    buf[buf.length - 2] ^= 1;
    expect(() => decodeRecordBatch(buf, 7)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
    // Patching baseOffset / partitionLeaderEpoch leaves the CRC valid (they precede its range).
    const patched = Buffer.from(ONE_RECORD_BATCH);
    writeInt64(patched, 1234567890123, 0);
    patched.writeInt32BE(7, 12);
    expect(decodeRecordBatch(patched).baseOffset).toBe(1234567890123);
  });

  it('writes header fields, flags, headers, nulls and wide deltas', () => {
    const records = [
      { key: null, value: Buffer.from('first'), timestamp: T0 + 5, headers: [{ key: 'h1', value: 'x' }, { key: 'h2', value: null }] },
      { key: 'key-2', value: null, timestamp: T0 - 3_000_000_000, offsetDelta: 1 }, // delta below -2^31
      { key: 'é', value: 'v'.repeat(300), timestamp: T0 + 9, offsetDelta: 100000 },
    ];
    const buf = encodeRecordBatch({
      baseOffset: 42,
      partitionLeaderEpoch: 3,
      producerId: 9007199254740000,
      producerEpoch: 2,
      baseSequence: 17,
      isTransactional: true,
      records,
    });
    const h = readBatchHeader(buf);
    expect(h.batchLength).toBe(buf.length - 12);
    expect(h.attributes).toBe(0x10);
    expect(h.lastOffsetDelta).toBe(100000);
    expect(h.baseTimestamp).toBe(T0 + 5); // first record's timestamp
    expect(h.maxTimestamp).toBe(T0 + 9);
    expect(readInt64(buf, 43)).toBe(9007199254740000);
    expect(h.crc).toBe(referenceCrc32c(buf.subarray(21)));
    const decoded = decodeRecordBatch(buf);
    expect(decoded.isTransactional).toBe(true);
    expect(decoded.records.map((r) => [r.offsetDelta, r.timestamp])).toEqual([
      [0, T0 + 5],
      [1, T0 - 3_000_000_000],
      [100000, T0 + 9],
    ]);
    expect(decoded.records[0].headers).toEqual([
      { key: 'h1', value: Buffer.from('x') },
      { key: 'h2', value: null },
    ]);
    expect(decoded.records[1].key).toEqual(Buffer.from('key-2'));
    expect(decoded.records[1].value).toBeNull();
    expect(decoded.records[2].key).toEqual(Buffer.from('é'));
    expect(decoded.records[2].value?.length).toBe(300);
  });

  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD])(
    'codec %d: compresses the records section only and decodes back',
    (compression) => {
      const records = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-`.repeat(10), timestamp: T0 + i }));
      const buf = encodeRecordBatch({ compression, records, timestamp: T0 });
      const plain = encodeRecordBatch({ records, timestamp: T0 });
      expect(buf.length).toBeLessThan(plain.length);
      expect(buf.readInt16BE(21) & 7).toBe(compression);
      expect(buf.readInt32BE(57)).toBe(50); // recordCount is the uncompressed count
      const decoded = decodeRecordBatch(buf);
      expect(decoded.records).toEqual(decodeRecordBatch(plain).records);
    },
  );

  it('reports the log-append time as every record timestamp (LOG_APPEND_TIME)', () => {
    const buf = encodeRecordBatch({
      timestampType: TimestampType.LOG_APPEND_TIME,
      maxTimestamp: T0 + 1000,
      records: [{ value: 'a', timestamp: T0 }, { value: 'b', timestamp: T0 + 1 }],
    });
    expect(buf.readInt16BE(21)).toBe(0x08);
    expect(decodeRecordBatch(buf).records.map((r) => r.timestamp)).toEqual([T0 + 1000, T0 + 1000]);
  });

  it('rejects record-level corruption behind a valid CRC', () => {
    const bad = Buffer.from(ONE_RECORD_BATCH);
    bad[61] = 0x12; // record length 9: one byte more than the record has
    bad.writeUInt32BE(crc32c(bad, 21), 17);
    expect(() => decodeRecordBatch(bad)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
    const extra = Buffer.from(ONE_RECORD_BATCH);
    extra.writeInt32BE(2, 57); // claims two records, holds one
    extra.writeUInt32BE(crc32c(extra, 21), 17);
    expect(() => decodeRecordBatch(extra)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
  });

  it('an empty batch keeps an explicit offset range', () => {
    const buf = encodeRecordBatch({ baseOffset: 10, lastOffsetDelta: 4, records: [] });
    expect(buf.length).toBe(61);
    expect(readBatchHeader(buf)).toMatchObject({ lastOffsetDelta: 4, recordCount: 0, baseTimestamp: -1 });
    expect(decodeRecordBatch(buf).records).toEqual([]);
  });
});
