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
