import { validateRecords } from '../../../broker/log/log-validator';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { decompressRecords, MAX_DECOMPRESSED_BATCH_BYTES, validateCompressedBatchRecords } from '../../../broker/protocol/records/batch-validation';
import { compress } from '../../../broker/protocol/records/compression';
import { completeEntriesEnd, iterateEntries } from '../../../broker/protocol/records/log-entries';
import { encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { writeVarint } from '../../../broker/protocol/records/varint';
import { CODECS, codecName, compressedBatch, compressedRecords, craftBatch, GARBAGE, recordsSection } from '../../helpers/crafted-batches';

const T0 = 1700000000000;
const batch = (n = 3, extra = {}) =>
  encodeRecordBatch({ timestamp: T0, records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` })), ...extra });

/** The code the produce path answers for buf (validateRecords as a client append), or NONE. */
function produceCode(buf: Buffer): ErrorCode {
  try {
    validateRecords(buf, 1 << 20, 1 << 30, true);
    return ErrorCode.NONE;
  } catch (err) {
    return (err as { code: ErrorCode }).code;
  }
}

/** One record's bytes as Kafka lays them out, with a length prefix the test may falsify. */
function rawRecord(fields: Buffer, length = fields.length): Buffer {
  const prefix = Buffer.alloc(5);
  return Buffer.concat([prefix.subarray(0, writeVarint(prefix, length, 0)), fields]);
}

function varints(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 5);
  let pos = 0;
  for (const v of values) pos = writeVarint(out, v, pos);
  return out.subarray(0, pos);
}

/** attributes 0, timestampDelta 0, offsetDelta, key "k", value "v", then the given header part. */
const recordFields = (offsetDelta: number, headers = varints(0)) =>
  Buffer.concat([Buffer.from([0]), varints(0, offsetDelta, 1), Buffer.from('k'), varints(1), Buffer.from('v'), headers]);

describe.each(CODECS)('a producer batch compressed with %s (Kafka 2.4.0 answers)', (codec) => {
  const name = codecName(codec);
  const section = recordsSection([{ key: 'a', value: 'one' }, { key: 'b', value: 'two' }, { key: null, value: null, headers: [{ key: 'h', value: 'x' }] }]);

  it(`a sound ${name} batch, real or hand-made, is accepted`, () => {
    expect(produceCode(compressedRecords(codec, ['x', 'y', 'z']))).toBe(ErrorCode.NONE);
    expect(produceCode(compressedBatch(codec, section, 3))).toBe(ErrorCode.NONE);
    const big = batch(2000, { compression: codec });
    expect(produceCode(big)).toBe(ErrorCode.NONE);
  });

  it(`a ${name} payload that does not decompress gets UNKNOWN_SERVER_ERROR (Kafka's KafkaException)`, () => {
    expect(produceCode(craftBatch({ codec, payload: GARBAGE, recordCount: 3 }))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    // The codec's own header, then garbage.
    const compressed = compress(codec, section);
    const mangled = Buffer.from(compressed);
    mangled.fill(0xa5, Math.min(20, mangled.length - 8), mangled.length);
    expect([ErrorCode.UNKNOWN_SERVER_ERROR, ErrorCode.INVALID_RECORD]).toContain(produceCode(craftBatch({ codec, payload: mangled, recordCount: 3 })));
  });

  it(`a truncated ${name} stream is refused (gzip: INVALID_RECORD, premature EOF; others: UNKNOWN_SERVER_ERROR)`, () => {
    const compressed = compress(codec, section);
    const truncated = craftBatch({ codec, payload: compressed.subarray(0, compressed.length - 6), recordCount: 3 });
    expect(produceCode(truncated)).toBe(codec === CompressionType.GZIP ? ErrorCode.INVALID_RECORD : ErrorCode.UNKNOWN_SERVER_ERROR);
  });

  it(`a ${name} batch declaring more records than it holds gets INVALID_RECORD (premature EOF)`, () => {
    expect(produceCode(compressedBatch(codec, section, 4))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`a ${name} batch declaring fewer records than it holds gets INVALID_RECORD (records remaining)`, () => {
    expect(produceCode(compressedBatch(codec, section, 2))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`a ${name} batch whose lastOffsetDelta disagrees with its count gets INVALID_RECORD`, () => {
    expect(produceCode(compressedBatch(codec, section, 3, 5))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`a ${name} record whose length disagrees with its fields gets INVALID_RECORD`, () => {
    const longer = Buffer.concat([rawRecord(recordFields(0), recordFields(0).length + 1), Buffer.alloc(1)]);
    expect(produceCode(compressedBatch(codec, longer, 1))).toBe(ErrorCode.INVALID_RECORD);
    const shorter = rawRecord(Buffer.concat([recordFields(0), Buffer.alloc(2)]));
    expect(produceCode(compressedBatch(codec, shorter, 1))).toBe(ErrorCode.INVALID_RECORD);
    const pastEnd = rawRecord(recordFields(0), 200); // the stream ends inside the record
    expect(produceCode(compressedBatch(codec, pastEnd, 1))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`${name} records whose offset deltas are not 0, 1, 2, ... get INVALID_RECORD`, () => {
    const twoRecords = Buffer.concat([rawRecord(recordFields(0)), rawRecord(recordFields(2))]);
    expect(produceCode(compressedBatch(codec, twoRecords, 2))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`${name} records with a negative header count or header key size get INVALID_RECORD`, () => {
    expect(produceCode(compressedBatch(codec, rawRecord(recordFields(0, varints(-2))), 1))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceCode(compressedBatch(codec, rawRecord(recordFields(0, varints(1, -1, -1))), 1))).toBe(ErrorCode.INVALID_RECORD);
  });

  it(`${name} records Kafka fails on with an unchecked Java exception get UNKNOWN_SERVER_ERROR`, () => {
    // A negative record length: ByteBuffer.allocate throws IllegalArgumentException.
    expect(produceCode(compressedBatch(codec, Buffer.concat([varints(-3), recordFields(0)]), 1))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    // A header key running past its record: StringIndexOutOfBoundsException.
    expect(produceCode(compressedBatch(codec, rawRecord(recordFields(0, varints(1, 50))), 1))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    // A length varint of 6 bytes.
    expect(produceCode(compressedBatch(codec, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 1))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
  });
});

describe('decompression bombs', () => {
  it.each(CODECS)('a %s payload decompressing past the limit gets MESSAGE_TOO_LARGE before it is inflated', (codec) => {
    const zeros = Buffer.alloc(1 << 20);
    expect(() => decompressRecords(codec, compress(codec, zeros), 100_000)).toThrow(expect.objectContaining({ code: ErrorCode.MESSAGE_TOO_LARGE }));
    expect(decompressRecords(codec, compress(codec, zeros), 2 << 20).length).toBe(zeros.length);
  });

  it('a real zstd bomb (a few KB declaring 65 MB of records) is refused by the produce path', () => {
    const bomb = craftBatch({ codec: CompressionType.ZSTD, payload: compress(CompressionType.ZSTD, Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1)), recordCount: 1 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(produceCode(bomb)).toBe(ErrorCode.MESSAGE_TOO_LARGE);
  });
});

describe('validateCompressedBatchRecords', () => {
  it('reads real clients\' batches and leaves the bytes untouched', () => {
    const b = batch(50, { compression: CompressionType.ZSTD });
    const copy = Buffer.from(b);
    expect(() => validateCompressedBatchRecords(b, 0, b.length)).not.toThrow();
    expect(b.equals(copy)).toBe(true);
    const framed = Buffer.concat([Buffer.alloc(7), b]);
    expect(() => validateCompressedBatchRecords(framed, 7, b.length)).not.toThrow();
  });
});

describe('shallow checks of a producer batch (Kafka 2.4.0 answers)', () => {
  it('a corrupt CRC gets CORRUPT_MESSAGE, also on a compressed batch whose payload is garbage', () => {
    const b = batch();
    b[b.length - 1] ^= 0x40;
    expect(produceCode(b)).toBe(ErrorCode.CORRUPT_MESSAGE);
    const g = craftBatch({ codec: CompressionType.GZIP, payload: GARBAGE, recordCount: 1 });
    g[g.length - 1] ^= 0x01;
    expect(produceCode(g)).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('a wrong or legacy magic gets CORRUPT_MESSAGE', () => {
    const b = batch();
    b[16] = 3;
    expect(produceCode(b)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(produceCode(encodeMessageSet({ magic: 1, timestamp: T0, messages: [{ value: 'v' }] }))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('empty, control and sequence-less idempotent batches get INVALID_RECORD', () => {
    expect(produceCode(encodeRecordBatch({ lastOffsetDelta: 0, records: [] }))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceCode(batch(1, { isControl: true, isTransactional: true, producerId: 5, producerEpoch: 0, baseSequence: 0 }))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceCode(batch(1, { producerId: 5, producerEpoch: 0 }))).toBe(ErrorCode.INVALID_RECORD);
  });

  it('an unknown codec id gets UNKNOWN_SERVER_ERROR (CompressionType.forId throws)', () => {
    expect(produceCode(craftBatch({ codec: 6 as CompressionType, payload: GARBAGE, recordCount: 1 }))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
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
