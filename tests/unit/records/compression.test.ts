import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { compress, decompress } from '../../../broker/protocol/records/compression';
import { xxhash32 } from '../../../broker/protocol/records/xxhash32';
import { referenceCrc32 } from './reference-crc';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: ErrorCode }).code;
  }
  return undefined;
}

// 150 KB of mildly repetitive data: several snappy (32 KiB) and lz4 (64 KiB) blocks.
const big = Buffer.from(Array.from({ length: 15000 }, (_, i) => `rec-${i % 977};`).join(''));

describe('compression', () => {
  it.each([CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD])(
    'codec %d round-trips large and empty data',
    (type) => {
      const packed = compress(type, big);
      if (type !== CompressionType.NONE) expect(packed.length).toBeLessThan(big.length / 2);
      expect(decompress(type, packed).equals(big)).toBe(true);
      expect(decompress(type, compress(type, Buffer.alloc(0))).length).toBe(0);
    },
  );

  it('writes the formats Kafka clients write', () => {
    const data = Buffer.from('hello');
    expect(compress(CompressionType.GZIP, data).subarray(0, 3)).toEqual(hex('1f8b08'));
    // xerial header: magic, version 1, compatible version 1, then one length-prefixed block.
    const snappy = compress(CompressionType.SNAPPY, data);
    expect(snappy.subarray(0, 16)).toEqual(hex('82534e4150505900 00000001 00000001'));
    expect(snappy.readInt32BE(16)).toBe(snappy.length - 20);
    // LZ4 frame: magic LE, FLG 0x60 (v01, independent blocks), BD 0x40 (64 KiB), HC 0x82.
    expect(compress(CompressionType.LZ4, data).subarray(0, 7)).toEqual(hex('04224d18 60 40 82'));
    expect(compress(CompressionType.ZSTD, data).subarray(0, 4)).toEqual(hex('28b52ffd'));
  });

  it('decodes a gzip member built by hand (stored deflate block)', () => {
    const data = Buffer.from('hello');
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(referenceCrc32(data), 0);
    trailer.writeUInt32LE(data.length, 4);
    // ID1 ID2 CM=8 FLG=0 MTIME=0 XFL=0 OS=255 | BFINAL=1 BTYPE=00 | LEN NLEN | data | CRC32 ISIZE
    const frame = Buffer.concat([hex('1f8b 08 00 00000000 00 ff'), hex('01 0500 faff'), data, trailer]);
    expect(decompress(CompressionType.GZIP, frame).toString()).toBe('hello');
  });

  it('decodes xerial-framed snappy (two blocks) and raw snappy built by hand', () => {
    // Raw snappy: varint length, literal tag ((len-1)<<2), copy-1 tag (1 | (len-4)<<2, offset).
    const block1 = hex('05 10 68656c6c6f'); // "hello"
    const block2 = hex('09 08 616263 0903'); // "abc" + copy(offset 3, length 6)
    const framed = Buffer.concat([
      hex('82534e4150505900 00000001 00000001'),
      hex('00000007'),
      block1,
      hex('00000007'),
      block2,
    ]);
    expect(decompress(CompressionType.SNAPPY, framed).toString()).toBe('helloabcabcabc');
    expect(decompress(CompressionType.SNAPPY, block2).toString()).toBe('abcabcabc');
    expect(codeOf(() => decompress(CompressionType.SNAPPY, framed.subarray(0, framed.length - 2)))).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
  });

  it('decodes an LZ4 frame built by hand (uncompressed and compressed blocks)', () => {
    const frame = Buffer.concat([
      hex('04224d18 60 40 82'),
      hex('05000080'), // block size 5 with the "uncompressed" high bit
      Buffer.from('hello'),
      // token 0x44: 4 literals "abcd", match length 4+4 at offset 4; token 0x50: 5 literals.
      hex('0d000000 44 61626364 0400 50 5858585858'),
      hex('00000000'), // end mark
    ]);
    expect(decompress(CompressionType.LZ4, frame).toString()).toBe('helloabcdabcdabcdXXXXX');
  });

  it('handles the broken v0 LZ4 header checksum (KAFKA-1493)', () => {
    const data = Buffer.from('broken checksum era '.repeat(20));
    const v0 = compress(CompressionType.LZ4, data, 0);
    // Kafka's v0 HC hashes magic + descriptor, not the descriptor alone.
    expect(v0[6]).toBe((xxhash32(v0, 0, 6) >>> 8) & 0xff);
    expect(v0[6]).not.toBe(0x82);
    expect(decompress(CompressionType.LZ4, v0, 0).equals(data)).toBe(true);
    expect(decompress(CompressionType.LZ4, compress(CompressionType.LZ4, data), 0).equals(data)).toBe(true);
    expect(codeOf(() => decompress(CompressionType.LZ4, v0, 1))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('decodes zstd frames built by hand, with and without a content size', () => {
    // FHD 0x20: single segment, 1-byte content size; block header 3 bytes LE: last | type<<1 | size<<3.
    expect(decompress(CompressionType.ZSTD, hex('28b52ffd 20 05 290000 68656c6c6f')).toString()).toBe('hello');
    // RLE block: 10 times 'a'.
    expect(decompress(CompressionType.ZSTD, hex('28b52ffd 20 0a 530000 61')).toString()).toBe('a'.repeat(10));
    // FHD 0x00 + window descriptor: no content size, as streaming encoders (zstd-jni) write.
    expect(decompress(CompressionType.ZSTD, hex('28b52ffd 00 00 290000 68656c6c6f')).toString()).toBe('hello');
    // Window 128 KiB (descriptor 0x38), three RLE blocks of 100000 bytes: more than one output chunk.
    const long = hex('28b52ffd 00 38 02350c 61 02350c 62 03350c 63');
    const out = decompress(CompressionType.ZSTD, long);
    expect(out.length).toBe(300000);
    expect([out[0], out[100000], out[299999]]).toEqual([0x61, 0x62, 0x63]);
    // Without a content size a truncated frame must still be detected.
    expect(codeOf(() => decompress(CompressionType.ZSTD, long.subarray(0, long.length - 5)))).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
    expect(codeOf(() => decompress(CompressionType.ZSTD, hex('28b52ffd 00 00 290000 6865')))).toBe(
      ErrorCode.CORRUPT_MESSAGE,
    );
  });

  it('maps failures to Kafka error codes', () => {
    const garbage = Buffer.from('definitely not compressed');
    expect(codeOf(() => decompress(5 as CompressionType, garbage))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    expect(codeOf(() => compress(CompressionType.ZSTD, garbage, 1))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    for (const type of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD]) {
      expect(codeOf(() => decompress(type, garbage))).toBe(ErrorCode.CORRUPT_MESSAGE);
    }
  });
});
