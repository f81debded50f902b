import { ProtocolDecodeError, Reader, Writer } from '../../../broker/protocol/primitives';

const bytesOf = (f: (w: Writer) => void): string => {
  const w = new Writer(16);
  f(w);
  return w.toBuffer().toString('hex');
};
const reader = (h: string): Reader => new Reader(Buffer.from(h, 'hex'));

// Reference zigzag + LEB128 in BigInt, independent of the implementation under test.
function refVarlong(v: bigint): string {
  let z = v >= 0n ? v << 1n : (-v << 1n) - 1n;
  let out = '';
  do {
    let b = Number(z & 0x7fn);
    z >>= 7n;
    if (z > 0n) b |= 0x80;
    out += b.toString(16).padStart(2, '0');
  } while (z > 0n);
  return out;
}

describe('fixed-width integers', () => {
  test('big-endian layouts', () => {
    expect(bytesOf((w) => w.int8(-1).int16(-2).int32(0x01020304).uint32(0xfffffffe))).toBe('fffffe01020304fffffffe');
  });

  test('int64 from numbers, no BigInt', () => {
    expect(bytesOf((w) => w.int64(-1))).toBe('ffffffffffffffff');
    expect(bytesOf((w) => w.int64(2 ** 53 - 1))).toBe('001fffffffffffff');
    expect(bytesOf((w) => w.int64(-(2 ** 32)))).toBe('ffffffff00000000');
    expect(reader('001fffffffffffff').int64()).toBe(2 ** 53 - 1);
    expect(reader('ffffffff00000000').int64()).toBe(-(2 ** 32));
    expect(reader('fffffffffffffffe').int64()).toBe(-2);
  });
});

describe('varints', () => {
  test('zigzag varint edge cases (KIP-98 record fields)', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-64, '7f'],
      [64, '8001'],
      [2147483647, 'feffffff0f'],
      [-2147483648, 'ffffffff0f'],
    ];
    for (const [v, h] of cases) {
      expect(bytesOf((w) => w.varint(v))).toBe(h);
      expect(reader(h).varint()).toBe(v);
    }
  });

  test('zigzag varlong matches a BigInt reference up to 2^52', () => {
    for (const v of [0, -1, 1, 300, -300, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 7, -(2 ** 45), 2 ** 52, -(2 ** 52)]) {
      const h = refVarlong(BigInt(v));
      expect(bytesOf((w) => w.varlong(v))).toBe(h);
      const r = reader(h);
      expect(r.varlong()).toBe(v);
      expect(r.remaining).toBe(0);
    }
  });

  test('unsigned varint', () => {
    expect(bytesOf((w) => w.unsignedVarint(0))).toBe('00');
    expect(bytesOf((w) => w.unsignedVarint(127))).toBe('7f');
    expect(bytesOf((w) => w.unsignedVarint(128))).toBe('8001');
    expect(bytesOf((w) => w.unsignedVarint(300))).toBe('ac02');
    expect(bytesOf((w) => w.unsignedVarint(0xffffffff))).toBe('ffffffff0f');
    expect(reader('ffffffff0f').unsignedVarint32()).toBe(0xffffffff);
  });

  test('malformed varints are decode errors', () => {
    expect(() => reader('8080').unsignedVarint()).toThrow(ProtocolDecodeError);
    expect(() => reader('ffffffffff0f').unsignedVarint32()).toThrow(ProtocolDecodeError);
    expect(() => reader('ffffffffffffffffff').unsignedVarint()).toThrow(ProtocolDecodeError);
  });
});

describe('strings and bytes', () => {
  test('classic strings: int16 length, -1 for null', () => {
    expect(bytesOf((w) => w.string('abc'))).toBe('0003616263');
    expect(bytesOf((w) => w.nullableString(null))).toBe('ffff');
    expect(bytesOf((w) => w.string('é'))).toBe('0002c3a9');
    expect(reader('0002c3a9').string()).toBe('é');
    expect(reader('ffff').nullableString()).toBeNull();
    expect(() => reader('ffff').string()).toThrow(ProtocolDecodeError);
    expect(() => reader('fffe').nullableString()).toThrow(ProtocolDecodeError);
  });

  test('compact strings: unsigned varint length+1, 0 for null (KIP-482)', () => {
    expect(bytesOf((w) => w.compactString('abc'))).toBe('04616263');
    expect(bytesOf((w) => w.compactString(''))).toBe('01');
    expect(bytesOf((w) => w.compactNullableString(null))).toBe('00');
    expect(reader('04616263').compactString()).toBe('abc');
    expect(reader('00').compactNullableString()).toBeNull();
    const long = 'x'.repeat(200);
    expect(bytesOf((w) => w.compactString(long)).slice(0, 4)).toBe('c901');
  });

  test('bytes: int32 length; compact: varint length+1; decode is zero-copy', () => {
    expect(bytesOf((w) => w.bytes(Buffer.from([1, 2])))).toBe('000000020102');
    expect(bytesOf((w) => w.nullableBytes(null))).toBe('ffffffff');
    expect(bytesOf((w) => w.compactNullableBytes(Buffer.from([9])))).toBe('0209');
    expect(bytesOf((w) => w.compactNullableBytes(null))).toBe('00');
    const frame = Buffer.from('00000002abcd', 'hex');
    const b = new Reader(frame).bytes();
    expect(b.toString('hex')).toBe('abcd');
    expect(b.buffer).toBe(frame.buffer);
    expect(b.byteOffset).toBe(frame.byteOffset + 4);
  });

  test('uuid as Kafka base64url', () => {
    const id = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex').toString('base64url');
    expect(bytesOf((w) => w.uuid(id))).toBe('000102030405060708090a0b0c0d0e0f');
    expect(reader('000102030405060708090a0b0c0d0e0f').uuid()).toBe(id);
  });
});

describe('tagged fields and arrays', () => {
  test('empty tagged section is one zero byte', () => {
    expect(bytesOf((w) => w.taggedFields())).toBe('00');
  });

  test('tagged fields are written in ascending tag order with their sizes', () => {
    const h = bytesOf((w) =>
      w.taggedFields([
        { tag: 5, data: Buffer.from([0xaa]) },
        { tag: 1, data: Buffer.from([0xbb, 0xcc]) },
      ]),
    );
    expect(h).toBe('02' + '01' + '02' + 'bbcc' + '05' + '01' + 'aa');
    expect(reader(h).taggedFields().map((f) => [f.tag, f.data.toString('hex')])).toEqual([
      [1, 'bbcc'],
      [5, 'aa'],
    ]);
    const r = reader(h + 'ff');
    r.skipTaggedFields();
    expect(r.remaining).toBe(1);
  });

  test('array lengths', () => {
    expect(bytesOf((w) => w.arrayLength(null).compactArrayLength(null).compactArrayLength(2))).toBe('ffffffff0003');
    expect(reader('ffffffff').arrayLength()).toBeNull();
    // A count larger than the bytes left cannot be honest: refuse before allocating.
    expect(() => reader('7fffffff').arrayLength()).toThrow(ProtocolDecodeError);
  });
});

describe('Writer chunks and Reader bounds', () => {
  test('large buffers are appended by reference, small ones copied', () => {
    const big = Buffer.alloc(4096, 7);
    const w = new Writer(16);
    w.int32(1).rawRef(big).int16(2).raw(Buffer.from([3]));
    const chunks = w.toChunks();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
    expect(w.length).toBe(4 + 4096 + 3);
    expect(w.toBuffer().subarray(4100).toString('hex')).toBe('000203');
  });

  test('growth keeps earlier bytes intact', () => {
    const w = new Writer(16);
    for (let i = 0; i < 1000; i++) w.int32(i);
    const r = new Reader(w.toBuffer());
    for (let i = 0; i < 1000; i++) expect(r.int32()).toBe(i);
  });

  test('reserve() patches a size prefix after the fact', () => {
    const w = new Writer(16);
    const size = w.reserve(4);
    w.string('hello world, this spills past the first chunk');
    size.buf.writeInt32BE(w.length - 4, size.offset);
    const out = w.toBuffer();
    expect(out.readInt32BE(0)).toBe(out.length - 4);
  });

  test('reading past the end throws ProtocolDecodeError, not RangeError', () => {
    expect(() => reader('0001').int32()).toThrow(ProtocolDecodeError);
    expect(() => reader('00000005aa').bytes()).toThrow(ProtocolDecodeError);
    expect(() => reader('0005616263').string()).toThrow(ProtocolDecodeError);
    // A Reader bounded inside a larger buffer stops at its own end.
    expect(() => new Reader(Buffer.from('0000000000', 'hex'), 0, 3).int32()).toThrow(ProtocolDecodeError);
  });
});
