// The file under an offset or time index. Zafka keeps index entries in memory (typed arrays) and
// appends each new entry to the file with one positional write: the file never holds preallocated
// zeros, so after any crash its length says how many entries were written. Kafka preallocates and
// trims on close; files written either way read the same (length / entry size entries), and the
// zero tail of one Kafka left untrimmed by a crash is cut off on open (readEntries).
// Only the active segment writes its indexes, so inactive segments release their descriptors
// (release()); a later truncation or flush reopens the file on demand. An index also holds no
// descriptor until its first write: a broker with 10,000 idle partitions then needs 10,000
// descriptors (the .log files, as Kafka, whose indexes are mmapped) rather than 30,000.
import * as fs from 'fs';

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
   * Reads the entries without the zeros Kafka leaves after an unclean shutdown, and cuts them off
   * the file too, as Kafka resizes an index it opens for writing. Kafka preallocates every index to
   * segment.index.bytes (10 MiB) and trims it only on a clean close or a roll
   * (AbstractIndex.trimToValidSize), so after kill -9 its active segment's .index and .timeindex
   * end in up to a million zero entries. No entry after the first can be all zeros (offsets and
   * timestamps grow strictly), so "entry i is zeros" is false then true along the file: a binary
   * search with a few 8- or 12-byte reads finds where the entries end, instead of reading and
   * decoding 20 MiB per partition (seconds of a blocked event loop per partition at start-up, long
   * enough to lose the ZooKeeper session). A length that is not a whole number of entries is a torn
   * write, left whole for the index's sanity check. If the cut fails (a read-only dir) the entries
   * are still right: the next write lands where the zeros start.
   */
  readEntries(entrySize: number): Buffer {
    const size = this.size();
    const valid = size % entrySize === 0 ? this.entriesBeforeZeroTail(size / entrySize, entrySize) * entrySize : size;
    if (valid === size) return this.readAll();
    try {
      this.truncate(valid);
      this.release();
    } catch {
      return this.readAll().subarray(0, valid);
    }
    return this.readAll();
  }

  private size(): number {
    return fs.statSync(this.path).size;
  }

  private entriesBeforeZeroTail(count: number, entrySize: number): number {
    if (count === 0) return 0;
    const fd = fs.openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(entrySize);
      const isZeros = (i: number) => {
        const n = fs.readSync(fd, buf, 0, entrySize, i * entrySize);
        return n === entrySize && buf.every((b) => b === 0);
      };
      if (!isZeros(count - 1)) return count;
      let lo = 1;
      let hi = count - 1; // the first all-zero entry after entry 0 is in [lo, hi]
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (isZeros(mid)) hi = mid;
        else lo = mid + 1;
      }
      // A lone all-zero first entry says nothing either (offset = base, position 0).
      return lo === 1 && isZeros(0) ? 0 : lo;
    } finally {
      fs.closeSync(fd);
    }
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
