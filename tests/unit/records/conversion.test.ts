import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { writeInt64 } from '../../../broker/protocol/primitives';
import { validateRecords } from '../../../broker/log/log-validator';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../../broker/protocol/records/batch-validation';
import { downConvert, summarizeRecords, upConvertToV2 } from '../../../broker/protocol/records/conversion';
import { decodeMessageSet, encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { decodeRecordBatch, encodeRecordBatch, TimestampType } from '../../../broker/protocol/records/record-batch';
import { ErrorCode } from '../../../broker/protocol/errors';

const T0 = 1700000000000;

describe('up-conversion (Produce v0-v2 -> log)', () => {
  it('a compressed v1 set that would inflate past 64 MiB is MESSAGE_TOO_LARGE (decompression bomb)', () => {
    const bomb = encodeMessageSet({ magic: 1, compression: CompressionType.GZIP, timestamp: 1, messages: [{ value: Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1) }] });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(() => upConvertToV2(bomb)).toThrow(expect.objectContaining({ code: ErrorCode.MESSAGE_TOO_LARGE }));
  });

  it('v0 set -> one v2 batch from offset 0, timestamps -1, no compression', () => {
    const set = encodeMessageSet({ magic: 0, baseOffset: 33, messages: [{ key: 'a', value: '1' }, { key: null, value: '2' }, { value: null }] });
    const v2 = upConvertToV2(set);
    expect(() => validateRecords(v2, Infinity, Infinity, true)).not.toThrow();
    const batch = decodeRecordBatch(v2);
    expect(batch).toMatchObject({ baseOffset: 0, lastOffsetDelta: 2, recordCount: 3, baseTimestamp: -1, maxTimestamp: -1, compression: CompressionType.NONE, producerId: -1, baseSequence: -1 });
    expect(batch.records.map((r) => [r.offsetDelta, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [0, -1, 'a', '1'],
      [1, -1, null, '2'],
      [2, -1, null, null],
    ]);
  });

  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4])('v1 wrapper (codec %d) keeps codec and timestamps', (compression) => {
    const set = encodeMessageSet({ magic: 1, compression, messages: [{ value: 'x', timestamp: T0 + 2 }, { value: 'y', timestamp: T0 }] });
    const batch = decodeRecordBatch(upConvertToV2(set));
    expect(batch.compression).toBe(compression);
    expect(batch.timestampType).toBe(TimestampType.CREATE_TIME);
    expect([batch.baseTimestamp, batch.maxTimestamp]).toEqual([T0 + 2, T0 + 2]);
    expect(batch.records.map((r) => [r.offsetDelta, r.timestamp, r.value?.toString()])).toEqual([
      [0, T0 + 2, 'x'],
      [1, T0, 'y'],
    ]);
  });

  it('keeps LogAppendTime, and flattens several wrappers into one batch', () => {
    const a = encodeMessageSet({ magic: 1, compression: CompressionType.GZIP, timestampType: TimestampType.LOG_APPEND_TIME, timestamp: T0, messages: [{ value: 'a' }] });
    const b = encodeMessageSet({ magic: 1, compression: CompressionType.GZIP, timestampType: TimestampType.LOG_APPEND_TIME, timestamp: T0, messages: [{ value: 'b' }, { value: 'c' }] });
    const batch = decodeRecordBatch(upConvertToV2(Buffer.concat([a, b])));
    expect(batch.timestampType).toBe(TimestampType.LOG_APPEND_TIME);
    expect(batch.records.map((r) => [r.offsetDelta, r.value?.toString()])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
  });

  it('refuses a partial trailing message and returns nothing for an empty set', () => {
    const set = encodeMessageSet({ magic: 1, timestamp: T0, messages: [{ value: 'a' }] });
    expect(() => upConvertToV2(set.subarray(0, set.length - 1))).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
    expect(upConvertToV2(Buffer.alloc(0)).length).toBe(0);
  });
});

describe('down-conversion (log -> Fetch v0-v3)', () => {
  const first = encodeRecordBatch({
    baseOffset: 10,
    compression: CompressionType.SNAPPY,
    records: [
      { key: 'k10', value: 'v10', timestamp: T0 },
      { key: null, value: 'v11', timestamp: T0 + 1, headers: [{ key: 'dropped', value: 'h' }] },
      { key: 'k12', value: null, timestamp: T0 + 2 },
    ],
  });
  const marker = encodeRecordBatch({ baseOffset: 13, isControl: true, isTransactional: true, producerId: 4, producerEpoch: 0, records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.alloc(6), timestamp: T0 }] });
  const second = encodeRecordBatch({ baseOffset: 14, records: [{ key: 'k14', value: 'v14', timestamp: T0 + 3 }, { key: 'k16', value: 'v16', timestamp: T0 + 4, offsetDelta: 2 }] });
  const log = Buffer.concat([first, marker, second, second.subarray(0, 40)]);

  it('to v1: uncompressed messages at absolute offsets with timestamps, control batches and partial tail dropped', () => {
    const set = downConvert(log, 1);
    expect(set.readInt8(17)).toBe(0); // first message's attributes: uncompressed, CreateTime
    expect(decodeMessageSet(set).map((m) => [m.offset, m.magic, m.timestamp, m.compression, m.key?.toString() ?? null, m.value?.toString() ?? null])).toEqual([
      [10, 1, T0, CompressionType.NONE, 'k10', 'v10'],
      [11, 1, T0 + 1, CompressionType.NONE, null, 'v11'],
      [12, 1, T0 + 2, CompressionType.NONE, 'k12', null],
      [14, 1, T0 + 3, CompressionType.NONE, 'k14', 'v14'],
      [16, 1, T0 + 4, CompressionType.NONE, 'k16', 'v16'],
    ]);
  });

  it('to v0: no timestamps', () => {
    expect(decodeMessageSet(downConvert(log, 0)).map((m) => [m.offset, m.magic, m.timestamp])).toEqual([
      [10, 0, -1],
      [11, 0, -1],
      [12, 0, -1],
      [14, 0, -1],
      [16, 0, -1],
    ]);
  });

  it('LogAppendTime batches become v1 messages flagged LogAppendTime carrying the append time', () => {
    const lat = encodeRecordBatch({ baseOffset: 3, timestampType: TimestampType.LOG_APPEND_TIME, maxTimestamp: T0 + 99, records: [{ value: 'a', timestamp: T0 }] });
    const set = downConvert(lat, 1);
    expect(set.readInt8(17)).toBe(0x08);
    expect(decodeMessageSet(set)[0]).toMatchObject({ offset: 3, timestamp: T0 + 99, timestampType: TimestampType.LOG_APPEND_TIME });
  });

  it('passes legacy entries the client can read through unchanged, converts v1 to v0', () => {
    const v0 = encodeMessageSet({ magic: 0, baseOffset: 1, compression: CompressionType.GZIP, messages: [{ value: 'a' }, { value: 'b' }] });
    const v1 = encodeMessageSet({ magic: 1, baseOffset: 3, compression: CompressionType.GZIP, timestamp: T0, messages: [{ value: 'c' }] });
    const mixed = Buffer.concat([v0, v1]);
    expect(downConvert(mixed, 1).equals(mixed)).toBe(true);
    const asV0 = downConvert(mixed, 0);
    expect(asV0.subarray(0, v0.length).equals(v0)).toBe(true);
    expect(decodeMessageSet(asV0).map((m) => [m.offset, m.magic, m.value?.toString()])).toEqual([
      [1, 0, 'a'],
      [2, 0, 'b'],
      [3, 0, 'c'],
    ]);
  });

  it('v1 -> v2 (offsets assigned by patching) -> v1 preserves keys, values, timestamps and offsets', () => {
    const original = encodeMessageSet({
      magic: 1,
      compression: CompressionType.LZ4,
      messages: [{ key: 'a', value: 'A', timestamp: T0 + 7 }, { key: null, value: 'B', timestamp: T0 }, { key: 'c', value: null, timestamp: T0 + 1 }],
    });
    const v2 = upConvertToV2(original);
    writeInt64(v2, 500, 0); // what the log does on append; CRC stays valid
    expect(() => validateRecords(v2, Infinity, Infinity, false)).not.toThrow();
    const back = decodeMessageSet(downConvert(v2, 1));
    const expected = decodeMessageSet(original).map((m, i) => [500 + i, m.timestamp, m.key, m.value]);
    expect(back.map((m) => [m.offset, m.timestamp, m.key, m.value])).toEqual(expected);
  });

  it('summarizes entries, records and bytes from headers alone', () => {
    expect(summarizeRecords(log)).toEqual({ entries: 3, records: 5, bytes: first.length + marker.length + second.length, partialBytes: 40 });
  });
});
