// kafkajs ships gzip only; snappy, lz4 and zstd need codecs registered by the application.
// Zafka's own codecs (broker/protocol/records/compression.ts) serve, so the tests exercise the
// same framing on both sides that real Java clients use (xerial snappy, LZ4 frame, zstd frame).
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { compress, decompress } from '../../broker/protocol/records/compression';

function codec(type: CompressionType) {
  return () => ({
    async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
      return compress(type, encoder.buffer);
    },
    async decompress(buffer: Buffer): Promise<Buffer> {
      return decompress(type, buffer);
    },
  });
}

export function registerKafkajsCodecs(): void {
  const codecs = CompressionCodecs as unknown as Record<number, unknown>;
  codecs[CompressionTypes.Snappy] = codec(CompressionType.SNAPPY);
  codecs[CompressionTypes.LZ4] = codec(CompressionType.LZ4);
  codecs[CompressionTypes.ZSTD] = codec(CompressionType.ZSTD);
}
