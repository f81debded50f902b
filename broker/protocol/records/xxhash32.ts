// XXH32, needed only for the LZ4 frame descriptor checksum (the HC byte): lz4-napi checks it when
// decompressing, and Kafka's magic v0 messages carry a wrongly computed one (KAFKA-1493), which
// we must recompute to read them and reproduce to write them. Inputs here are a few bytes, so a
// plain implementation is enough.
const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;
}

/** XXH32 of buf[start, end) with the given seed, as an unsigned 32-bit number. */
export function xxhash32(buf: Uint8Array, start = 0, end = buf.length, seed = 0): number {
  const len = end - start;
  let p = start;
  let h: number;
  const lane = (i: number) => (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) >>> 0;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) >>> 0;
    let v2 = (seed + P2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - P1) >>> 0;
    for (; p + 16 <= end; p += 16) {
      v1 = round(v1, lane(p));
      v2 = round(v2, lane(p + 4));
      v3 = round(v3, lane(p + 8));
      v4 = round(v4, lane(p + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = (seed + P5) >>> 0;
  }
  h = (h + len) >>> 0;
  for (; p + 4 <= end; p += 4) {
    h = Math.imul(rotl((h + Math.imul(lane(p), P3)) >>> 0, 17), P4) >>> 0;
  }
  for (; p < end; p++) {
    h = Math.imul(rotl((h + Math.imul(buf[p], P5)) >>> 0, 11), P1) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}
