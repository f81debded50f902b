// --compression-codec / compression.type names to the record batch codec ids.
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { UsageError } from './usage-error';

const CODECS: Record<string, CompressionType> = {
  none: CompressionType.NONE,
  gzip: CompressionType.GZIP,
  snappy: CompressionType.SNAPPY,
  lz4: CompressionType.LZ4,
  zstd: CompressionType.ZSTD,
};

/** Kafka's console producer: the flag alone means gzip. */
export function parseCompressionCodec(value: string | boolean | undefined): CompressionType {
  if (value === undefined || value === false) return CompressionType.NONE;
  if (value === true) return CompressionType.GZIP;
  const codec = CODECS[value.trim().toLowerCase()];
  if (codec === undefined) throw new UsageError(`Unknown compression codec '${value}': expected one of none, gzip, snappy, lz4, zstd`);
  return codec;
}

/** acks as Kafka accepts them: "all" is -1. */
export function parseAcks(value: string): number {
  const v = value.trim().toLowerCase();
  if (v === 'all') return -1;
  if (v === '0' || v === '1' || v === '-1') return Number(v);
  throw new UsageError(`Invalid value ${value} for configuration acks: String must be one of: all, -1, 0, 1`);
}
