// A small seeded PRNG for the fuzzer (never Math.random): the same seed gives the same frames on
// every machine, so a failure is reproduced by its seed alone. sfc32 (Chris Doty-Humphrey's
// "small fast chaotic" generator) passes PractRand and needs only 32-bit integer arithmetic.

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * Seeds from any list of integers (e.g. [runSeed, frameIndex]): each one is hashed into the
   * running state (murmur3's finaliser), so nearby seeds and indexes give unrelated streams.
   */
  constructor(...seeds: number[]) {
    let h = 0x811c9dc5;
    const absorb = (x: number) => {
      h = fmix32((h ^ fmix32(x | 0)) + 0x9e3779b9);
    };
    for (const s of seeds) {
      absorb(s);
      // Seeds above 2^32 still count: fold the high part in.
      absorb(Math.floor(s / 2 ** 32));
    }
    this.a = fmix32(h + 0x243f6a88);
    this.b = fmix32(h + 0x85a308d3);
    this.c = fmix32(h + 0x13198a2e);
    this.d = fmix32(h + 0x03707344);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor((this.next() / 2 ** 32) * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  /** Picks by weight: entries are [weight, value]. */
  weighted<T>(entries: ReadonlyArray<readonly [number, T]>): T {
    const total = entries.reduce((s, [w]) => s + w, 0);
    let x = this.next() / 2 ** 32 * total;
    for (const [w, v] of entries) {
      if (x < w) return v;
      x -= w;
    }
    return entries[entries.length - 1][1];
  }
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
