// The four codecs of Kafka's attributes bits 0-2, synchronous and in memory, in the byte formats
// real clients write: gzip (RFC 1952), snappy with xerial framing, LZ4 frame, zstd frame.
//
// Errors: an unknown codec id -> UNSUPPORTED_COMPRESSION_TYPE (also zstd below magic 2, as Kafka
// answers per KIP-110); bytes that do not decompress -> CORRUPT_MESSAGE; output that would pass
// maxOutputLength (a guard against decompression bombs) -> MESSAGE_TOO_LARGE, checked from the
// codecs' own size fields before anything large is allocated.
import * as zlib from 'zlib';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { CompressionType } from './batch-header';
import { checkOutputLength, outputTooLarge } from './output-limit';
import { compressLz4Frame, decompressLz4Frame, lz4FrameOutputBound } from './lz4-frame';
import { compressSnappyXerial, decompressSnappy, snappyUncompressedLength } from './snappy-xerial';
import { compressZstd, decompressZstd } from './zstd-frame';

/** The CompressionType for an attributes codec id, or UNSUPPORTED_COMPRESSION_TYPE. */
export function compressionTypeOf(id: number, magic = 2): CompressionType {
  if (id < 0 || id > CompressionType.ZSTD) {
    throw new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `unknown compression codec id ${id}`);
  }
  if (id === CompressionType.ZSTD && magic < 2) {
    throw new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `zstd needs message format v2, got v${magic}`);
  }
  return id as CompressionType;
}

/**
 * Compresses data. magic matters only for LZ4: magic 0 writes the broken header checksum that
 * Kafka writes for v0 (KAFKA-1493), so that v0 readers of that era accept it.
 */
export function compress(type: CompressionType, data: Buffer, magic = 2): Buffer {
  switch (compressionTypeOf(type, magic)) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return zlib.gzipSync(data);
    case CompressionType.SNAPPY:
      return compressSnappyXerial(data);
    case CompressionType.LZ4:
      return compressLz4Frame(data, magic === 0);
    case CompressionType.ZSTD:
      return compressZstd(data);
  }
}

/** Decompresses data; magic 0 LZ4 frames are read whatever their header checksum (KAFKA-1493). */
export function decompress(type: CompressionType, data: Buffer, magic = 2, maxOutputLength = Infinity): Buffer {
  switch (compressionTypeOf(type, magic)) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return gunzip(data, maxOutputLength);
    case CompressionType.SNAPPY:
      checkOutputLength('snappy', snappyUncompressedLength(data), maxOutputLength);
      return decompressSnappy(data);
    case CompressionType.LZ4:
      checkOutputLength('lz4', lz4FrameOutputBound(data), maxOutputLength);
      return decompressLz4Frame(data, magic === 0);
    case CompressionType.ZSTD:
      return decompressZstd(data, maxOutputLength);
  }
}

function gunzip(data: Buffer, maxOutputLength: number): Buffer {
  try {
    return Number.isFinite(maxOutputLength) ? zlib.gunzipSync(data, { maxOutputLength }) : zlib.gunzipSync(data);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw outputTooLarge('gzip', maxOutputLength);
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `gzip: ${(err as Error).message}`);
  }
}
