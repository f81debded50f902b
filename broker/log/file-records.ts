// The .log file of a segment: record batches exactly as on the wire, appended with synchronous
// positional writes (page cache; survives kill -9, fsync only on flush). Reads go straight into
// one Buffer. scan() walks entry headers without decoding records, reading in large chunks so a
// walk over many small batches costs a few syscalls, not one per batch.
import * as fs from 'fs';
import { LogRollbackError } from './storage-error';
import { BASE_OFFSET, BATCH_HEADER_SIZE, BATCH_LENGTH, LAST_OFFSET_DELTA, LOG_OVERHEAD, MAGIC, MAX_TIMESTAMP, PARTITION_LEADER_EPOCH } from '../protocol/records/batch-header';
import { readInt64 } from '../protocol/primitives';

const SCAN_CHUNK = 256 * 1024;
/** Enough of any entry's header to know its offsets, magic and max timestamp (v2: up to maxTimestamp). */
export const ENTRY_PROBE_SIZE = 43;

/** What scan() tells about one entry (a v2 batch, or a legacy v0/v1 message). */
export interface EntryHeader {
  position: number;
  size: number;
  magic: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  partitionLeaderEpoch: number;
}

/** Smallest legal entry: a legacy v0 message with null key and value. */
export const MIN_ENTRY_SIZE = 26;
const MIN_SIZE_BY_MAGIC = [26, 34, BATCH_HEADER_SIZE];

/** True when the entry's magic is known and its size can hold that magic's header. */
export function hasReadableHeader(buf: Buffer, at: number, size: number): boolean {
  const magic = buf.readInt8(at + MAGIC);
  return magic >= 0 && magic <= 2 && size >= MIN_SIZE_BY_MAGIC[magic];
}

/** Reads an entry header from buf at `at` (which must hold ENTRY_PROBE_SIZE bytes, or the whole entry). */
export function entryHeaderAt(buf: Buffer, at: number, position: number): EntryHeader {
  const size = LOG_OVERHEAD + buf.readInt32BE(at + BATCH_LENGTH);
  const magic = buf.readInt8(at + MAGIC);
  const offset = readInt64(buf, at + BASE_OFFSET);
  if (magic >= 2) {
    return {
      position,
      size,
      magic,
      baseOffset: offset,
      lastOffset: offset + buf.readInt32BE(at + LAST_OFFSET_DELTA),
      maxTimestamp: readInt64(buf, at + MAX_TIMESTAMP),
      partitionLeaderEpoch: buf.readInt32BE(at + PARTITION_LEADER_EPOCH),
    };
  }
  // Legacy message: its offset is the last offset (a compressed wrapper carries its last inner
  // offset); magic 1 has a timestamp after attributes (byte 18).
  const maxTimestamp = magic === 1 && size >= 26 ? readInt64(buf, at + 18) : -1;
  return { position, size, magic, baseOffset: offset, lastOffset: offset, maxTimestamp, partitionLeaderEpoch: -1 };
}

/**
 * Called for each entry by scan(): buf[at, at + size) is the whole entry when full bytes were
 * asked for, else at least its first min(size, ENTRY_PROBE_SIZE) bytes (check hasReadableHeader
 * before entryHeaderAt). Return false to stop.
 */
export type EntryVisitor = (buf: Buffer, at: number, position: number, size: number) => boolean;

export class FileRecords {
  private fd: number;
  private _size: number;

  constructor(public path: string) {
    this.fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    this._size = fs.fstatSync(this.fd).size;
  }

  get size(): number {
    return this._size;
  }

  /**
   * Writes buf at the end. All or nothing: a write that fails part way (ENOSPC after a short
   * write, EIO, ...) is cut back off the file before the error is rethrown, so the bytes of a
   * refused append can never be read back or found by recovery. If even that cut fails, the file
   * no longer matches the log: LogRollbackError.
   */
  append(buf: Buffer): void {
    let done = 0;
    try {
      while (done < buf.length) done += fs.writeSync(this.fd, buf, done, buf.length - done, this._size + done);
    } catch (err) {
      this.restoreSize(err);
      throw err;
    }
    this._size += buf.length;
  }

  /** Makes the file exactly `size` bytes long again after a failed write. */
  private restoreSize(cause: unknown): void {
    try {
      if (fs.fstatSync(this.fd).size !== this._size) fs.ftruncateSync(this.fd, this._size);
    } catch (err) {
      throw new LogRollbackError(`Could not cut ${this.path} back to ${this._size} bytes after a failed write (${(cause as Error).message}): ${(err as Error).message}`, cause);
    }
  }

  /** Up to length bytes from position, in one Buffer (shorter at the end of the file). */
  read(position: number, length: number): Buffer {
    const len = Math.max(0, Math.min(length, this._size - position));
    const buf = Buffer.allocUnsafe(len);
    const got = this.readInto(buf, 0, len, position);
    return got === len ? buf : buf.subarray(0, got);
  }

  /**
   * Visits entries from position `start` until the visitor says stop or the file ends. Returns the
   * position where the walk stopped: every entry before it was visited and accepted. A length that
   * cannot be an entry, or an entry running past the end of the file (a torn write), stops the walk.
   */
  scan(start: number, full: boolean, visit: EntryVisitor): number {
    let chunk = Buffer.allocUnsafe(SCAN_CHUNK);
    let chunkStart = 0;
    let chunkLen = 0;
    const ensure = (pos: number, n: number): boolean => {
      if (pos + n > this._size) return false;
      if (pos >= chunkStart && pos + n <= chunkStart + chunkLen) return true;
      const want = Math.min(Math.max(n, SCAN_CHUNK), this._size - pos);
      if (want > chunk.length) chunk = Buffer.allocUnsafe(want);
      chunkLen = this.readInto(chunk, 0, want, pos);
      chunkStart = pos;
      return chunkLen >= n;
    };
    let pos = start;
    while (ensure(pos, LOG_OVERHEAD)) {
      const size = LOG_OVERHEAD + chunk.readInt32BE(pos - chunkStart + BATCH_LENGTH);
      if (size < MIN_ENTRY_SIZE || pos + size > this._size) break;
      if (!ensure(pos, full ? size : Math.min(size, ENTRY_PROBE_SIZE))) break;
      if (!visit(chunk, pos - chunkStart, pos, size)) break;
      pos += size;
    }
    return pos;
  }

  /** Header of the first entry whose last offset is >= target, scanning from startPosition. */
  searchForOffset(target: number, startPosition: number): EntryHeader | null {
    let found: EntryHeader | null = null;
    this.scan(startPosition, false, (buf, at, position, size) => {
      if (!hasReadableHeader(buf, at, size)) return false;
      const h = entryHeaderAt(buf, at, position);
      if (h.lastOffset >= target) {
        found = h;
        return false;
      }
      return true;
    });
    return found;
  }

  truncateTo(size: number): void {
    if (size < this._size) {
      fs.ftruncateSync(this.fd, size);
      this._size = size;
    }
  }

  flush(): void {
    fs.fsyncSync(this.fd);
  }

  flushAsync(): Promise<void> {
    const fd = this.fd;
    return new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  }

  lastModifiedMs(): number {
    return fs.fstatSync(this.fd).mtimeMs;
  }

  renameTo(newPath: string): void {
    fs.renameSync(this.path, newPath);
    this.path = newPath;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }

  private readInto(buf: Buffer, offset: number, length: number, position: number): number {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buf, offset + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}
