// The .index file of a segment: sparse entries (relative offset int32, position int32), one every
// index.interval.bytes of log, mapping an offset to where its batch (or an earlier one) starts.
// Entry offsets are the LAST offset of the batch written at that position (as Kafka writes them),
// so a lookup of any offset >= the entry's offset may start scanning at the entry's position.
import { IndexFile } from './index-file';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  offset: number;
  position: number;
}

export class OffsetIndex {
  private relOffsets: Int32Array;
  private positions: Int32Array;
  private count = 0;
  private fileLength: number;
  private readonly file: IndexFile;
  private readonly entryBuf = Buffer.allocUnsafe(OFFSET_INDEX_ENTRY_SIZE);
  readonly maxEntries: number;

  /** Opens (or creates) the index at path and loads its entries; call sanityCheck before trusting them. */
  constructor(path: string, readonly baseOffset: number, maxIndexSize: number) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexSize / OFFSET_INDEX_ENTRY_SIZE));
    this.file = new IndexFile(path);
    const bytes = this.file.readEntries(OFFSET_INDEX_ENTRY_SIZE);
    const n = Math.floor(bytes.length / OFFSET_INDEX_ENTRY_SIZE);
    this.relOffsets = new Int32Array(Math.max(16, n));
    this.positions = new Int32Array(Math.max(16, n));
    for (let i = 0; i < n; i++) {
      this.relOffsets[i] = bytes.readInt32BE(i * 8);
      this.positions[i] = bytes.readInt32BE(i * 8 + 4);
    }
    this.count = n;
    // A length that is not a whole number of entries is a torn write: sanityCheck reports it.
    this.fileLength = bytes.length;
  }

  get path(): string {
    return this.file.path;
  }

  get entries(): number {
    return this.count;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Offset of the last entry, or the base offset when empty. */
  lastOffset(): number {
    return this.count === 0 ? this.baseOffset : this.baseOffset + this.relOffsets[this.count - 1];
  }

  entry(i: number): OffsetPosition {
    return { offset: this.baseOffset + this.relOffsets[i], position: this.positions[i] };
  }

  /**
   * Null when the entries can be trusted against a log of logSize bytes, else why not. Kafka's
   * preallocated files left by an unclean shutdown end in zero entries, which fail the ordering check.
   */
  sanityCheck(logSize: number): string | null {
    if (this.fileLength % OFFSET_INDEX_ENTRY_SIZE !== 0) return `index file length ${this.fileLength} is not a multiple of 8`;
    for (let i = 0; i < this.count; i++) {
      if (this.relOffsets[i] < 0 || this.positions[i] < 0 || this.positions[i] > logSize) return `entry ${i} out of range`;
      if (i > 0 && (this.relOffsets[i] <= this.relOffsets[i - 1] || this.positions[i] < this.positions[i - 1])) {
        return `entry ${i} is not after entry ${i - 1}`;
      }
    }
    return null;
  }

  /** Adds an entry; offsets must grow strictly, like Kafka's InvalidOffsetException rule. */
  append(offset: number, position: number): void {
    const rel = offset - this.baseOffset;
    if (this.count > 0 && rel <= this.relOffsets[this.count - 1]) {
      throw new Error(`Attempt to append offset ${offset} to index ${this.path} no larger than the last offset ${this.lastOffset()}`);
    }
    if (this.count >= this.maxEntries) throw new Error(`Attempt to append to a full index ${this.path}`);
    if (this.count === this.relOffsets.length) this.grow();
    this.relOffsets[this.count] = rel;
    this.positions[this.count] = position;
    this.entryBuf.writeInt32BE(rel, 0);
    this.entryBuf.writeInt32BE(position, 4);
    this.file.write(this.entryBuf, this.count * OFFSET_INDEX_ENTRY_SIZE);
    this.count++;
    this.fileLength = this.count * OFFSET_INDEX_ENTRY_SIZE;
  }

  /** The largest entry with offset <= target, or (baseOffset, 0) when there is none. */
  lookup(target: number): OffsetPosition {
    const i = this.floorIndex(target - this.baseOffset);
    return i < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(i);
  }

  /** Removes every entry with offset >= offset. */
  truncateTo(offset: number): void {
    const keep = this.floorIndex(offset - this.baseOffset - 1) + 1;
    this.truncateToEntries(keep);
  }

  reset(): void {
    this.truncateToEntries(0);
  }

  flush(): void {
    this.file.flush();
  }

  flushAsync(): Promise<void> {
    return this.file.flushAsync();
  }

  renameTo(path: string): void {
    this.file.renameTo(path);
  }

  /** Frees the file descriptor of an index that is no longer appended to (entries stay in memory). */
  release(): void {
    this.file.release();
  }

  close(): void {
    this.file.close();
  }

  delete(): void {
    this.file.delete();
  }

  /** Keeps the first n entries (undoing the entries of a failed append). */
  truncateToEntries(n: number): void {
    this.count = Math.min(this.count, n);
    this.fileLength = this.count * OFFSET_INDEX_ENTRY_SIZE;
    this.file.truncate(this.fileLength);
  }

  /** Index of the last entry with relative offset <= rel, -1 if none. */
  private floorIndex(rel: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relOffsets[mid] <= rel) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private grow(): void {
    const size = Math.min(this.maxEntries, this.relOffsets.length * 2);
    const rel = new Int32Array(size);
    const pos = new Int32Array(size);
    rel.set(this.relOffsets);
    pos.set(this.positions);
    this.relOffsets = rel;
    this.positions = pos;
  }
}
