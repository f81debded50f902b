// Bit-at-a-time CRCs written from their definitions (reflected polynomials), independent of the
// native @node-rs/crc32 the code under test uses: a shared bug cannot pass both.
function crcReflected(poly: number, data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32C (Castagnoli), used by record batch v2. */
export const referenceCrc32c = (data: Uint8Array) => crcReflected(0x82f63b78, data);
/** CRC-32 (IEEE 802.3), used by legacy messages v0/v1 and gzip. */
export const referenceCrc32 = (data: Uint8Array) => crcReflected(0xedb88320, data);
