// LZ4 as Kafka uses it: the standard LZ4 frame format (magic 0x184D2204), independent 64 KiB
// blocks, no content size, no checksums: FLG 0x60, BD 0x40. lz4-napi writes exactly that header.
//
// KAFKA-1493: before message format v1, Kafka computed the frame descriptor checksum (HC) over
// magic + descriptor instead of the descriptor alone. Kafka still writes that broken HC for magic
// v0 messages and ignores HC when reading them; we do the same by patching HC before handing the
// frame to lz4-napi, which insists on a correct one.
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { xxhash32 } from './xxhash32';

export const LZ4_FRAME_MAGIC = 0x184d2204;
const FLG_CONTENT_SIZE = 0x08;
const FLG_DICT_ID = 0x01;

/** Position of the HC byte: 4 (magic) + FLG + BD + optional content size and dictionary id. */
function hcPosition(frame: Buffer): number {
  if (frame.length < 7 || frame.readUInt32LE(0) !== LZ4_FRAME_MAGIC) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'not an LZ4 frame');
  }
  const flg = frame[4];
  const pos = 6 + (flg & FLG_CONTENT_SIZE ? 8 : 0) + (flg & FLG_DICT_ID ? 4 : 0);
  if (pos >= frame.length) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'truncated LZ4 frame header');
  return pos;
}

function headerChecksum(frame: Buffer, hcPos: number, broken: boolean): number {
  return (xxhash32(frame, broken ? 0 : 4, hcPos) >>> 8) & 0xff;
}

const FLG_BLOCK_CHECKSUM = 0x10;
const UNCOMPRESSED_BLOCK_BIT = 0x80000000;
/** BD bits 4-6: maximum block size 64 KiB, 256 KiB, 1 MiB, 4 MiB (ids 4-7). */
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

/**
 * An upper bound of what decompressing the frame would produce, read from its framing only (the
 * declared content size, else a bound per block). Unreadable framing counts 0:
 * decompressing fails on it anyway.
 */
export function lz4FrameOutputBound(frame: Buffer): number {
  if (frame.length < 7 || frame.readUInt32LE(0) !== LZ4_FRAME_MAGIC) return 0;
  const flg = frame[4];
  const maxBlock = BLOCK_MAX_SIZES[(frame[5] >> 4) & 0x07] ?? 0;
  if (flg & FLG_CONTENT_SIZE && frame.length >= 14) return frame.readUInt32LE(6) + frame.readUInt32LE(10) * 4294967296;
  let pos = 6 + (flg & FLG_DICT_ID ? 4 : 0) + 1;
  let bound = 0;
  while (pos + 4 <= frame.length) {
    const word = frame.readUInt32LE(pos);
    if (word === 0) break; // end mark
    const size = word & ~UNCOMPRESSED_BLOCK_BIT;
    if (pos + 4 + size > frame.length) break; // a block cut short: decompressing fails on it
    // A stored block is its own size; a compressed one expands at most ~255:1 (LZ4's longest
    // match costs one byte per 255), and never past the frame's maximum block size.
    bound += word & UNCOMPRESSED_BLOCK_BIT ? size : Math.min(maxBlock, size * 255 + 16);
    pos += 4 + size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0);
  }
  return bound;
}

export function compressLz4Frame(data: Buffer, brokenHeaderChecksum = false): Buffer {
  const frame = compressFrameSync(data);
  if (brokenHeaderChecksum) {
    const hc = hcPosition(frame);
    frame[hc] = headerChecksum(frame, hc, true);
  }
  return frame;
}

export function decompressLz4Frame(frame: Buffer, ignoreHeaderChecksum = false): Buffer {
  let input = frame;
  if (ignoreHeaderChecksum) {
    const hc = hcPosition(frame);
    const good = headerChecksum(frame, hc, false);
    if (frame[hc] !== good) {
      input = Buffer.from(frame);
      input[hc] = good;
    }
  }
  try {
    return decompressFrameSync(input);
  } catch (err) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `lz4: ${(err as Error).message}`);
  }
}
