// The four codecs of Kafka's attributes bits 0-2, synchronous and in memory, in the byte formats
// real clients write: gzip (RFC 1952), snappy with xerial framing, LZ4 frame, zstd frame.
//
// Errors: an unknown codec id -> UNSUPPORTED_COMPRESSION_TYPE (also zstd below magic 2, as Kafka
// answers per KIP-110); bytes that do not decompress -> CORRUPT_MESSAGE.
import * as zlib from 'zlib';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { CompressionType } from './batch-header';
import { compressLz4Frame, decompressLz4Frame } from './lz4-frame';
import { compressSnappyXerial, decompressSnappy } from './snappy-xerial';
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
export function decompress(type: CompressionType, data: Buffer, magic = 2): Buffer {
  switch (compressionTypeOf(type, magic)) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return guarded('gzip', () => zlib.gunzipSync(data));
    case CompressionType.SNAPPY:
      return decompressSnappy(data);
    case CompressionType.LZ4:
      return decompressLz4Frame(data, magic === 0);
    case CompressionType.ZSTD:
      return decompressZstd(data);
  }
}

function guarded(codec: string, fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (err) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `${codec}: ${(err as Error).message}`);
  }
}
