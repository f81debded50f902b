import * as zlib from 'zlib';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { readInt64 } from '../../../broker/protocol/primitives';
import { decompress } from '../../../broker/protocol/records/compression';
import { decodeMessageSet, encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { iterateEntries } from '../../../broker/protocol/records/log-entries';
import { TimestampType } from '../../../broker/protocol/records/record-batch';
import { referenceCrc32 } from './reference-crc';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const T0 = 1700000000000;

// offset 0 | size 15 | crc | magic 0 | attributes 0 | key null | value "v"
const V0_MESSAGE_BODY = hex('00 00 ffffffff 00000001 76');
const V0_MESSAGE = Buffer.concat([hex('0000000000000000 0000000f'), hex('d20cbff5'), V0_MESSAGE_BODY]);
// offset 0 | size 24 | crc | magic 1 | attributes 0 | timestamp T0 | key "k" | value "v"
const V1_MESSAGE_BODY = hex('01 00 0000018bcfe56800 00000001 6b 00000001 76');
const V1_MESSAGE = Buffer.concat([hex('0000000000000000 00000018'), hex('39268c33'), V1_MESSAGE_BODY]);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: number }).code;
  }
  return undefined;
};

describe('legacy message sets', () => {
  it('hand-written v0 and v1 messages carry CRC32 (IEEE) over magic..end, and we write them byte for byte', () => {
    expect(referenceCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(V0_MESSAGE.readUInt32BE(12)).toBe(referenceCrc32(V0_MESSAGE_BODY));
    expect(V1_MESSAGE.readUInt32BE(12)).toBe(referenceCrc32(V1_MESSAGE_BODY));
    expect(encodeMessageSet({ magic: 0, messages: [{ key: null, value: 'v' }] })).toEqual(V0_MESSAGE);
    expect(encodeMessageSet({ magic: 1, timestamp: T0, messages: [{ key: 'k', value: 'v' }] })).toEqual(V1_MESSAGE);
  });

  it('decodes the hand-written messages', () => {
    expect(decodeMessageSet(Buffer.concat([V0_MESSAGE, V1_MESSAGE]))).toEqual([
      { offset: 0, magic: 0, compression: CompressionType.NONE, timestamp: -1, timestampType: TimestampType.CREATE_TIME, key: null, value: Buffer.from('v'), crc: referenceCrc32(V0_MESSAGE_BODY) },
      { offset: 0, magic: 1, compression: CompressionType.NONE, timestamp: T0, timestampType: TimestampType.CREATE_TIME, key: Buffer.from('k'), value: Buffer.from('v'), crc: referenceCrc32(V1_MESSAGE_BODY) },
    ]);
  });

  it('round-trips uncompressed sets with explicit offsets and drops a trailing partial message', () => {
    const set = encodeMessageSet({
      magic: 1,
      messages: [
        { offset: 100, key: 'a', value: 'A', timestamp: T0 },
        { offset: 105, key: null, value: null, timestamp: T0 + 5 },
      ],
    });
    const truncated = Buffer.concat([set, set.subarray(0, 20)]);
    expect(decodeMessageSet(truncated).map((m) => [m.offset, m.timestamp, m.key, m.value])).toEqual([
      [100, T0, Buffer.from('a'), Buffer.from('A')],
      [105, T0 + 5, null, null],
    ]);
  });

  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4])(
    'v1 wrapper (codec %d): relative inner offsets, wrapper at the last offset, max timestamp (KIP-31/32)',
    (compression) => {
      const set = encodeMessageSet({
        magic: 1,
        compression,
        baseOffset: 200,
        messages: [
          { key: 'a', value: 'one', timestamp: T0 + 3 },
          { key: 'b', value: 'two', timestamp: T0 + 9 },
          { key: 'c', value: 'three', timestamp: T0 + 1 },
        ],
      });
      const entries = [...iterateEntries(set)];
      expect(entries.length).toBe(1);
      expect(readInt64(set, 0)).toBe(202); // wrapper offset = last inner absolute offset
      expect(set.readInt8(17)).toBe(compression); // attributes: codec, CreateTime
      expect(readInt64(set, 18)).toBe(T0 + 9); // wrapper timestamp = max
      expect(set.readUInt32BE(12)).toBe(referenceCrc32(set.subarray(16)));
      const valueLen = set.readInt32BE(30);
      const inner = decompress(compression, set.subarray(34, 34 + valueLen));
      expect([...iterateEntries(inner)].map((e) => readInt64(inner, e.pos))).toEqual([0, 1, 2]);
      expect(decodeMessageSet(set).map((m) => [m.offset, m.timestamp, m.key?.toString(), m.value?.toString(), m.compression])).toEqual([
        [200, T0 + 3, 'a', 'one', compression],
        [201, T0 + 9, 'b', 'two', compression],
        [202, T0 + 1, 'c', 'three', compression],
      ]);
    },
  );

  it('v1 LogAppendTime wrapper: its timestamp replaces the inner ones', () => {
    const set = encodeMessageSet({
      magic: 1,
      compression: CompressionType.GZIP,
      timestampType: TimestampType.LOG_APPEND_TIME,
      timestamp: T0 + 500,
      messages: [{ value: 'x', timestamp: T0 }, { value: 'y', timestamp: T0 + 1 }],
    });
    expect(set.readInt8(17)).toBe(0x08 | CompressionType.GZIP);
    expect(decodeMessageSet(set).map((m) => [m.timestamp, m.timestampType])).toEqual([
      [T0 + 500, TimestampType.LOG_APPEND_TIME],
      [T0 + 500, TimestampType.LOG_APPEND_TIME],
    ]);
  });

  it.each([CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4])(
    'v0 wrapper (codec %d): inner offsets are absolute',
    (compression) => {
      const set = encodeMessageSet({ magic: 0, compression, baseOffset: 50, messages: [{ value: 'p' }, { value: 'q' }] });
      expect(readInt64(set, 0)).toBe(51);
      const valueLen = set.readInt32BE(22);
      const inner = decompress(compression, set.subarray(26, 26 + valueLen), 0);
      expect([...iterateEntries(inner)].map((e) => readInt64(inner, e.pos))).toEqual([50, 51]);
      expect(decodeMessageSet(set).map((m) => [m.offset, m.timestamp, m.value?.toString()])).toEqual([
        [50, -1, 'p'],
        [51, -1, 'q'],
      ]);
    },
  );

  it('rejects corrupt input with CORRUPT_MESSAGE and zstd below v2 with UNSUPPORTED_COMPRESSION_TYPE', () => {
    const bad = Buffer.from(V1_MESSAGE);
    bad[bad.length - 1] ^= 1;
    expect(code(() => decodeMessageSet(bad))).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(decodeMessageSet(bad, { verifyCrc: false })[0].value).toEqual(Buffer.from('w'));
    expect(code(() => encodeMessageSet({ magic: 1, compression: CompressionType.ZSTD, messages: [{ value: 'z' }] }))).toBe(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    );
    // A gzip wrapper whose inner message claims to be compressed too (nested compression).
    const nestedInner = encodeMessageSet({ magic: 1, compression: CompressionType.GZIP, timestamp: T0, messages: [{ value: 'n' }] });
    const wrapper = encodeMessageSet({ magic: 1, timestamp: T0, messages: [{ value: zlib.gzipSync(nestedInner) }] });
    wrapper.writeInt8(CompressionType.GZIP, 17);
    wrapper.writeUInt32BE(referenceCrc32(wrapper.subarray(16)), 12);
    expect(code(() => decodeMessageSet(wrapper))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });
});
