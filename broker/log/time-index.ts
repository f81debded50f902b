// The .timeindex file of a segment: sparse entries (timestamp int64, relative offset int32), each
// the largest timestamp seen so far in the segment and the offset of the batch that carried it.
// Timestamps only grow along the file (Kafka appends only when the timestamp is larger), which is
// what makes a binary search for ListOffsets by timestamp possible.
import { readInt64, writeInt64 } from '../protocol/primitives';
import { IndexFile } from './index-file';

export const TIME_INDEX_ENTRY_SIZE = 12;
/** RecordBatch.NO_TIMESTAMP */
export const NO_TIMESTAMP = -1;

export interface TimestampOffset {
  timestamp: number;
  offset: number;
}

export class TimeIndex {
  private timestamps: Float64Array;
  private relOffsets: Int32Array;
  private count = 0;
  private fileLength: number;
  private readonly file: IndexFile;
  private readonly entryBuf = Buffer.allocUnsafe(TIME_INDEX_ENTRY_SIZE);
  readonly maxEntries: number;

  constructor(path: string, readonly baseOffset: number, maxIndexSize: number) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexSize / TIME_INDEX_ENTRY_SIZE));
    this.file = new IndexFile(path);
    const bytes = this.file.readEntries(TIME_INDEX_ENTRY_SIZE);
    const n = Math.floor(bytes.length / TIME_INDEX_ENTRY_SIZE);
    this.timestamps = new Float64Array(Math.max(16, n));
    this.relOffsets = new Int32Array(Math.max(16, n));
    for (let i = 0; i < n; i++) {
      this.timestamps[i] = readInt64(bytes, i * 12);
      this.relOffsets[i] = bytes.readInt32BE(i * 12 + 8);
    }
    this.count = n;
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

  /** The last entry, or (NO_TIMESTAMP, baseOffset) when empty. */
  lastEntry(): TimestampOffset {
    return this.count === 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(this.count - 1);
  }

  entry(i: number): TimestampOffset {
    return { timestamp: this.timestamps[i], offset: this.baseOffset + this.relOffsets[i] };
  }

  /** Null when the entries can be trusted, else why not (torn length, zeros from preallocation, disorder). */
  sanityCheck(): string | null {
    if (this.fileLength % TIME_INDEX_ENTRY_SIZE !== 0) return `time index file length ${this.fileLength} is not a multiple of 12`;
    for (let i = 1; i < this.count; i++) {
      if (this.timestamps[i] <= this.timestamps[i - 1] || this.relOffsets[i] < this.relOffsets[i - 1]) {
        return `entry ${i} is not after entry ${i - 1}`;
      }
    }
    return null;
  }

  /**
   * Appends (timestamp, offset) when timestamp is larger than the last entry's (Kafka's
   * maybeAppend). skipFullCheck lets a segment that is becoming inactive add its final entry.
   */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    if (timestamp <= NO_TIMESTAMP) return;
    if (this.count > 0 && timestamp <= this.timestamps[this.count - 1]) return;
    const rel = offset - this.baseOffset;
    if (this.count > 0 && rel < this.relOffsets[this.count - 1]) {
      throw new Error(`Attempt to append offset ${offset} to time index ${this.path} below the last offset`);
    }
    if (!skipFullCheck && this.count >= this.maxEntries) throw new Error(`Attempt to append to a full time index ${this.path}`);
    if (this.count === this.timestamps.length) this.grow();
    this.timestamps[this.count] = timestamp;
    this.relOffsets[this.count] = rel;
    writeInt64(this.entryBuf, timestamp, 0);
    this.entryBuf.writeInt32BE(rel, 8);
    this.file.write(this.entryBuf, this.count * TIME_INDEX_ENTRY_SIZE);
    this.count++;
    this.fileLength = this.count * TIME_INDEX_ENTRY_SIZE;
  }

  /** The entry with the largest timestamp <= target, or (NO_TIMESTAMP, baseOffset) if none. */
  lookup(target: number): TimestampOffset {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timestamps[mid] <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(found);
  }

  /** Removes every entry whose offset is >= offset. */
  truncateTo(offset: number): void {
    const rel = offset - this.baseOffset;
    let keep = this.count;
    while (keep > 0 && this.relOffsets[keep - 1] >= rel) keep--;
    this.count = keep;
    this.fileLength = keep * TIME_INDEX_ENTRY_SIZE;
    this.file.truncate(this.fileLength);
  }

  reset(): void {
    this.truncateTo(this.baseOffset);
  }

  /** Keeps the first n entries (undoing the entries of a failed append). */
  truncateToEntries(n: number): void {
    this.count = Math.min(this.count, n);
    this.fileLength = this.count * TIME_INDEX_ENTRY_SIZE;
    this.file.truncate(this.fileLength);
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

  private grow(): void {
    const size = this.timestamps.length * 2;
    const ts = new Float64Array(size);
    const rel = new Int32Array(size);
    ts.set(this.timestamps);
    rel.set(this.relOffsets);
    this.timestamps = ts;
    this.relOffsets = rel;
  }
}
