// The file under an offset or time index. Zafka keeps index entries in memory (typed arrays) and
// appends each new entry to the file with one positional write: the file never holds preallocated
// zeros, so after any crash its length says how many entries were written. Kafka preallocates and
// trims on close; files written either way read the same (length / entry size entries).
// Only the active segment writes its indexes, so inactive segments release their descriptors
// (release()); a later truncation or flush reopens the file on demand. An index also holds no
// descriptor until its first write: a broker with 10,000 idle partitions then needs 10,000
// descriptors (the .log files, as Kafka, whose indexes are mmapped) rather than 30,000.
import * as fs from 'fs';

// A multiple of both entry sizes (8 and 12), so stepping back by it keeps entry alignment.
const ZEROS = Buffer.alloc(12 * 8 * 1024);

/**
 * The length of an index file's entries without the zeros Kafka leaves after an unclean
 * shutdown: Kafka preallocates every index to segment.index.bytes (10 MiB) and only trims it on a
 * clean close or a roll (AbstractIndex.trimToValidSize), so after kill -9 its active segment's
 * .index and .timeindex end in up to a million zero entries. No entry after the first can be all
 * zeros (offsets grow strictly), so that tail holds no entries. It is found by native compares,
 * 96 KiB at a time, not by decoding it entry by entry (seconds of a blocked event loop per
 * partition, long enough to lose the ZooKeeper session at start-up). A length that is not a whole
 * number of entries is a torn write, left for the index's sanity check.
 */
export function lengthWithoutZeroTail(bytes: Buffer, entrySize: number): number {
  if (bytes.length % entrySize !== 0) return bytes.length;
  let end = bytes.length;
  while (end >= ZEROS.length && bytes.compare(ZEROS, 0, ZEROS.length, end - ZEROS.length, end) === 0) end -= ZEROS.length;
  while (end >= entrySize && bytes.compare(ZEROS, 0, entrySize, end - entrySize, end) === 0) end -= entrySize;
  return end;
}

export class IndexFile {
  private fd = -1;
  private closed = false;

  constructor(public path: string) {
    fs.closeSync(fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644));
  }

  private handle(): number {
    if (this.closed) throw new Error(`Index file ${this.path} is closed`);
    if (this.fd < 0) this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    return this.fd;
  }

  readAll(): Buffer {
    if (this.closed) throw new Error(`Index file ${this.path} is closed`);
    const own = this.fd < 0;
    const fd = own ? fs.openSync(this.path, 'r') : this.fd;
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.allocUnsafe(size);
      let done = 0;
      while (done < size) {
        const n = fs.readSync(fd, buf, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
      return done === size ? buf : buf.subarray(0, done);
    } finally {
      if (own) fs.closeSync(fd);
    }
  }

  /** Writes one entry at position (the end of the file); a failed write leaves the file as it was. */
  write(buf: Buffer, position: number): void {
    const fd = this.handle();
    let done = 0;
    try {
      while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
    } catch (err) {
      // A torn entry would make the whole index untrusted at the next start: cut it off. If
      // that fails too the segment's own rollback (truncateToEntries) tries again.
      try {
        fs.ftruncateSync(fd, position);
      } catch {
        // reported by the caller's rollback
      }
      throw err;
    }
  }

  truncate(bytes: number): void {
    fs.ftruncateSync(this.handle(), bytes);
  }

  /**
   * Reads the entries, cutting off a preallocated zero tail (lengthWithoutZeroTail) from the file
   * too, as Kafka resizes an index it opens for writing. If the cut fails (a read-only dir) the
   * entries are still right: the next write lands where the zeros start.
   */
  readEntries(entrySize: number): Buffer {
    const bytes = this.readAll();
    const valid = lengthWithoutZeroTail(bytes, entrySize);
    if (valid === bytes.length) return bytes;
    try {
      this.truncate(valid);
      this.release();
    } catch {
      // see above
    }
    return bytes.subarray(0, valid);
  }

  flush(): void {
    fs.fsyncSync(this.handle());
  }

  /** fsync on the libuv thread pool (a rolled segment is flushed off the event loop, as in Kafka). */
  flushAsync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // A released descriptor is reopened just for the fsync, so the old one can stay released.
    const own = this.fd < 0;
    const fd = own ? fs.openSync(this.path, 'r+') : this.fd;
    return new Promise((resolve, reject) =>
      fs.fsync(fd, (err) => {
        if (own) fs.close(fd, () => undefined);
        if (err) reject(err);
        else resolve();
      }),
    );
  }

  /** Closes the descriptor; the next write, truncate or flush reopens it. */
  release(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  renameTo(newPath: string): void {
    fs.renameSync(this.path, newPath);
    this.path = newPath;
  }

  close(): void {
    this.release();
    this.closed = true;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}
