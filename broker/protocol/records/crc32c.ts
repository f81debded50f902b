// CRC32C (Castagnoli) for v2 record batches. Native (SSE4.2 / ARM CRC) via @node-rs/crc32: a
// pure-JS CRC is the hot spot of a Kafka produce path.
import { crc32c as nativeCrc32c } from '@node-rs/crc32';

/** CRC32C of buf[start, end) as an unsigned 32-bit number. */
export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  const slice = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  return nativeCrc32c(slice) >>> 0;
}
