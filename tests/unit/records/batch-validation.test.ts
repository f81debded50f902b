import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { validateBatch } from '../../../broker/protocol/records/batch-validation';
import { crc32c } from '../../../broker/protocol/records/crc32c';
import { completeEntriesEnd, iterateEntries } from '../../../broker/protocol/records/log-entries';
import { encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';

const T0 = 1700000000000;
const batch = (n = 3, extra = {}) =>
  encodeRecordBatch({ timestamp: T0, records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` })), ...extra });
const resign = (b: Buffer) => {
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
};

describe('validateBatch', () => {
  it('accepts a sound batch, also after baseOffset / leader epoch are patched', () => {
    const b = batch();
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.NONE);
    b.writeInt32BE(1000, 4);
    b.writeInt32BE(12, 12);
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.NONE);
    const framed = Buffer.concat([Buffer.alloc(5), b, Buffer.alloc(3)]);
    expect(validateBatch(framed, 5, b.length)).toBe(ErrorCode.NONE);
    const compressed = batch(10, { compression: CompressionType.LZ4 });
    expect(validateBatch(compressed, 0, compressed.length)).toBe(ErrorCode.NONE);
  });

  it('catches a corrupt CRC', () => {
    const b = batch();
    b[b.length - 1] ^= 0x40;
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
    const c = batch();
    c[21 + 1] ^= 0x01; // attributes are covered by the CRC too
    expect(validateBatch(c, 0, c.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('catches truncation and inconsistent lengths', () => {
    const b = batch();
    expect(validateBatch(b, 0, b.length - 1)).toBe(ErrorCode.CORRUPT_MESSAGE); // size disagrees with batchLength
    expect(validateBatch(b.subarray(0, b.length - 1), 0, b.length)).toBe(ErrorCode.CORRUPT_MESSAGE); // past the buffer
    expect(validateBatch(b.subarray(0, 40), 0, 40)).toBe(ErrorCode.CORRUPT_MESSAGE); // below 61 bytes
    const longer = Buffer.from(b);
    longer.writeInt32BE(longer.readInt32BE(8) + 4, 8);
    expect(validateBatch(longer, 0, longer.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('catches a wrong magic', () => {
    const b = batch();
    b[16] = 1;
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
    const legacy = encodeMessageSet({ magic: 1, timestamp: T0, messages: [{ value: 'v' }] });
    expect(validateBatch(legacy, 0, legacy.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('checks counts against lastOffsetDelta (strictly for clients)', () => {
    const b = batch(3);
    b.writeInt32BE(4, 23); // lastOffsetDelta 4 for 3 records: a gap, as compaction leaves
    resign(b);
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(validateBatch(b, 0, b.length, { fromClient: false })).toBe(ErrorCode.NONE);
    const tooMany = batch(3);
    tooMany.writeInt32BE(1, 23); // 3 records in a range of 2 offsets
    resign(tooMany);
    expect(validateBatch(tooMany, 0, tooMany.length, { fromClient: false })).toBe(ErrorCode.CORRUPT_MESSAGE);
    const negative = resign(Buffer.from(batch(3)).fill(0xff, 57, 61));
    expect(validateBatch(negative, 0, negative.length, { fromClient: false })).toBe(ErrorCode.CORRUPT_MESSAGE);
    const inflated = batch(3);
    inflated.writeInt32BE(1000, 57);
    inflated.writeInt32BE(999, 23);
    resign(inflated); // 1000 uncompressed records cannot fit in a few bytes
    expect(validateBatch(inflated, 0, inflated.length, { fromClient: false })).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('allows empty and control batches only outside the client path', () => {
    const empty = encodeRecordBatch({ lastOffsetDelta: 2, records: [] });
    expect(validateBatch(empty, 0, empty.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(validateBatch(empty, 0, empty.length, { fromClient: false })).toBe(ErrorCode.NONE);
    const control = batch(1, { isControl: true, isTransactional: true, producerId: 5, producerEpoch: 0 });
    expect(validateBatch(control, 0, control.length)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(validateBatch(control, 0, control.length, { fromClient: false })).toBe(ErrorCode.NONE);
  });

  it('reports an unknown codec id', () => {
    const b = batch();
    b.writeInt16BE(6, 21);
    resign(b);
    expect(validateBatch(b, 0, b.length)).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });
});

describe('iterateEntries', () => {
  const a = batch(2);
  const b = encodeMessageSet({ magic: 1, timestamp: T0, baseOffset: 9, messages: [{ value: 'legacy' }] });
  const c = batch(4);

  it('yields whole batches and legacy messages, then a trailing partial one', () => {
    const buf = Buffer.concat([a, b, c.subarray(0, 30)]);
    expect([...iterateEntries(buf)]).toEqual([
      { pos: 0, size: a.length, magic: 2, partial: false },
      { pos: a.length, size: b.length, magic: 1, partial: false },
      { pos: a.length + b.length, size: c.length, magic: 2, partial: true },
    ]);
    expect(completeEntriesEnd(buf)).toBe(a.length + b.length);
  });

  it('reports a tail too short to hold a size or a magic', () => {
    expect([...iterateEntries(Buffer.concat([a, c.subarray(0, 10)]))][1]).toEqual({ pos: a.length, size: -1, magic: -1, partial: true });
    expect([...iterateEntries(Buffer.concat([a, c.subarray(0, 14)]))][1]).toEqual({ pos: a.length, size: c.length, magic: -1, partial: true });
    expect([...iterateEntries(Buffer.concat([a, c]), a.length)]).toEqual([{ pos: a.length, size: c.length, magic: 2, partial: false }]);
  });

  it('throws CORRUPT_MESSAGE on an impossible size field (a torn or garbage tail)', () => {
    const buf = Buffer.concat([a, Buffer.alloc(20)]);
    const seen: number[] = [];
    expect(() => {
      for (const e of iterateEntries(buf)) seen.push(e.pos);
    }).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
    expect(seen).toEqual([0]);
  });
});
