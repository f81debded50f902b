// Kafka's TransactionIndex: <baseOffset>.txnindex beside each segment, one 34-byte entry per
// transaction aborted by a marker in that segment, byte for byte as Kafka writes it:
//   version int16 (0) | producer_id int64 | first_offset int64 | last_offset int64 (the marker) |
//   last_stable_offset int64 (the LSO once the abort was written)
// A read_committed fetch asks it which aborted transactions overlap the records returned, so the
// consumer can drop their records. Segments without aborts have no file (Kafka creates it lazily).
// Entries are few (one per abort), so they are kept in memory and the file is only appended to,
// or rewritten on truncation.
import * as fs from 'fs';
import { readInt64, writeInt64 } from '../protocol/records/batch-header';

export const ABORTED_TXN_SIZE = 34;
const ABORTED_TXN_VERSION = 0;

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  lastOffset: number;
  lastStableOffset: number;
}

export interface TxnIndexSearchResult {
  abortedTxns: AbortedTxn[];
  /** An entry's LSO reached the upper bound: later segments cannot hold more that overlap. */
  isComplete: boolean;
}

/** Kafka's CorruptIndexException for a transaction index that does not fit its segment. */
export class CorruptTxnIndexError extends Error {}

export function encodeAbortedTxn(txn: AbortedTxn): Buffer {
  const buf = Buffer.alloc(ABORTED_TXN_SIZE);
  buf.writeInt16BE(ABORTED_TXN_VERSION, 0);
  writeInt64(buf, txn.producerId, 2);
  writeInt64(buf, txn.firstOffset, 10);
  writeInt64(buf, txn.lastOffset, 18);
  writeInt64(buf, txn.lastStableOffset, 26);
  return buf;
}

/** The entries of a .txnindex file's bytes; a torn trailing entry is ignored. */
export function decodeAbortedTxns(buf: Buffer, file = 'transaction index'): AbortedTxn[] {
  const entries: AbortedTxn[] = [];
  for (let pos = 0; pos + ABORTED_TXN_SIZE <= buf.length; pos += ABORTED_TXN_SIZE) {
    const version = buf.readInt16BE(pos);
    if (version !== ABORTED_TXN_VERSION) throw new CorruptTxnIndexError(`Unexpected aborted transaction version ${version} in transaction index ${file}, current version is ${ABORTED_TXN_VERSION}`);
    entries.push({ producerId: readInt64(buf, pos + 2), firstOffset: readInt64(buf, pos + 10), lastOffset: readInt64(buf, pos + 18), lastStableOffset: readInt64(buf, pos + 26) });
  }
  return entries;
}

export class TransactionIndex {
  private cached: AbortedTxn[] | null = null;

  constructor(
    readonly startOffset: number,
    private file: string,
  ) {}

  get path(): string {
    return this.file;
  }

  private get entries(): AbortedTxn[] {
    if (this.cached === null) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(this.file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        bytes = Buffer.alloc(0);
      }
      this.cached = decodeAbortedTxns(bytes, this.file);
    }
    return this.cached;
  }

  get allAbortedTxns(): readonly AbortedTxn[] {
    return this.entries;
  }

  append(txn: AbortedTxn): void {
    const entries = this.entries;
    const last = entries[entries.length - 1];
    if (last && last.lastOffset >= txn.lastOffset) {
      throw new Error(`The last offset of appended transactions must increase sequentially, but ${txn.lastOffset} is not greater than current last offset ${last.lastOffset} of index ${this.file}`);
    }
    fs.appendFileSync(this.file, encodeAbortedTxn(txn));
    entries.push(txn);
  }

  /** Aborted transactions overlapping [fetchOffset, upperBoundOffset) (Kafka's collectAbortedTxns). */
  collectAbortedTxns(fetchOffset: number, upperBoundOffset: number): TxnIndexSearchResult {
    const abortedTxns: AbortedTxn[] = [];
    for (const txn of this.entries) {
      if (txn.lastOffset >= fetchOffset && txn.firstOffset < upperBoundOffset) abortedTxns.push(txn);
      if (txn.lastStableOffset >= upperBoundOffset) return { abortedTxns, isComplete: true };
    }
    return { abortedTxns, isComplete: false };
  }

  /** Drops the entries whose marker is at or after offset (the log was truncated there). */
  truncateTo(offset: number): void {
    const entries = this.entries;
    const kept = entries.filter((t) => t.lastOffset < offset);
    if (kept.length === entries.length) return;
    this.rewrite(kept);
  }

  /** Empties the index (recovery rebuilds it from the segment's markers). */
  reset(): void {
    if (this.entries.length === 0 && !fs.existsSync(this.file)) return;
    this.rewrite([]);
  }

  private rewrite(entries: AbortedTxn[]): void {
    if (entries.length === 0) fs.rmSync(this.file, { force: true });
    else fs.writeFileSync(this.file, Buffer.concat(entries.map(encodeAbortedTxn)));
    this.cached = entries;
  }

  /** Every marker must lie in the segment (Kafka's sanityCheck); a description of the problem, or null. */
  sanityCheck(): string | null {
    for (const txn of this.entries) {
      if (txn.lastOffset < this.startOffset) return `Last offset of aborted transaction ${txn.lastOffset} in index ${this.file} is less than start offset ${this.startOffset}`;
    }
    return null;
  }

  flush(): void {
    if (this.cached === null || this.cached.length === 0) return;
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  renameTo(file: string): void {
    if (fs.existsSync(this.file)) fs.renameSync(this.file, file);
    this.file = file;
  }

  delete(): void {
    fs.rmSync(this.file, { force: true });
    this.cached = [];
  }
}
