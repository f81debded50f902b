// The cleaner's key -> last offset map over the dirty section of a log (Kafka's SkimpyOffsetMap).
// Kafka stores a 16-byte MD5 of every key in a fixed buffer (log.cleaner.dedupe.buffer.size); here a
// JS Map holds short keys as they are and long keys by their MD5, bounded by an entry count instead
// of bytes (a JS Map entry costs far more than Kafka's 24 bytes, so the bound is set separately).
import { createHash } from 'crypto';

/** Keys up to this many bytes are stored verbatim (exact, and cheaper than hashing). */
const MAX_VERBATIM_KEY = 32;

export class OffsetMap {
  private readonly map = new Map<string, number>();
  /** The last offset of the dirty section the map has seen (Kafka's latestOffset); -1 when none. */
  latestOffset = -1;

  constructor(readonly maxEntries: number) {
    if (maxEntries < 1) throw new Error(`The cleaner's offset map must hold at least one key (got ${maxEntries})`);
  }

  get size(): number {
    return this.map.size;
  }

  /** True when `more` further keys might not fit. */
  wouldOverflow(more: number): boolean {
    return this.map.size + more > this.maxEntries;
  }

  put(key: Buffer, offset: number): void {
    this.map.set(OffsetMap.slot(key), offset);
  }

  /** The latest offset recorded for key, -1 if none (Kafka's OffsetMap.get). */
  get(key: Buffer): number {
    return this.map.get(OffsetMap.slot(key)) ?? -1;
  }

  updateLatestOffset(offset: number): void {
    if (offset > this.latestOffset) this.latestOffset = offset;
  }

  clear(): void {
    this.map.clear();
    this.latestOffset = -1;
  }

  /** Verbatim keys and hashed keys get different first characters, so they never collide. */
  private static slot(key: Buffer): string {
    if (key.length <= MAX_VERBATIM_KEY) return 'k' + key.toString('latin1');
    return 'h' + createHash('md5').update(key).digest().toString('latin1');
  }
}
