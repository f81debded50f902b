// Snappy as Kafka clients write it. The Java client wraps snappy-java's SnappyOutputStream, which
// frames the data the "xerial" way, and kafkajs-snappy and librdkafka follow suit:
//
//   magic "\x82SNAPPY\0" (8) | version int32 (1) | compatible version int32 (1) |
//   ( compressed length int32 | raw snappy block )*
//
// Readers must also accept plain raw snappy (no header), which some non-Java clients produce and
// snappy-java itself falls back to. Blocks are 32 KiB of input, snappy-java's default.
import { compressSync, uncompressSync } from 'snappy';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';

export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
const BLOCK_SIZE = 32 * 1024;

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.subarray(0, 8).equals(XERIAL_MAGIC);
}

export function compressSnappyXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  parts.push(header);
  for (let pos = 0; pos < data.length; pos += BLOCK_SIZE) {
    const block = compressSync(data.subarray(pos, Math.min(pos + BLOCK_SIZE, data.length)));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

/** Decompresses xerial-framed or raw snappy. */
export function decompressSnappy(data: Buffer): Buffer {
  if (!isXerialFramed(data)) return rawUncompress(data);
  const blocks: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw corrupt('truncated xerial snappy block length');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw corrupt('truncated xerial snappy block');
    blocks.push(rawUncompress(data.subarray(pos, pos + len)));
    pos += len;
  }
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
}

/**
 * What decompressing data would produce, from the length each raw snappy block declares up front
 * (the library allocates that much before decoding). Unreadable framing counts 0: decompressing
 * fails on it anyway.
 */
export function snappyUncompressedLength(data: Buffer): number {
  if (!isXerialFramed(data)) return rawDeclaredLength(data, 0, data.length);
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos + 4 <= data.length) {
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) break;
    total += rawDeclaredLength(data, pos, pos + len);
    pos += len;
  }
  return total;
}

/** The unsigned varint (at most 5 bytes) that starts a raw snappy block. */
function rawDeclaredLength(data: Buffer, pos: number, end: number): number {
  let value = 0;
  for (let i = 0; i < 5 && pos + i < end; i++) {
    const b = data[pos + i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return value;
  }
  return 0;
}

function rawUncompress(data: Buffer): Buffer {
  try {
    return uncompressSync(data, { asBuffer: true }) as Buffer;
  } catch (err) {
    throw corrupt(`snappy: ${(err as Error).message}`);
  }
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}
