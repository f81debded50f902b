// One segment of a partition's log: <base offset>.log with its .index and .timeindex (Kafka's
// LogSegment). The log file holds batches exactly as on the wire; the indexes are sparse, one
// entry per index.interval.bytes, so finding an offset is an index lookup plus a short header walk.
import * as fs from 'fs';
import * as path from 'path';
import { BATCH_LENGTH, LOG_OVERHEAD } from '../protocol/records/batch-header';
import { FileRecords, entryHeaderAt, hasReadableHeader } from './file-records';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX, filenamePrefixFromOffset } from './log-file-names';
import { entryCorruption } from './log-validator';
import { OffsetIndex } from './offset-index';
import { NO_TIMESTAMP, TimeIndex, type TimestampOffset } from './time-index';
import { LogRollbackError } from './storage-error';
import { searchBatchForTimestamp } from './timestamp-search';
import { TransactionIndex } from './transaction-index';

const INT32_MAX = 2147483647;
const EMPTY = Buffer.alloc(0);

export interface SegmentConfig {
  indexIntervalBytes: number;
  segmentIndexBytes: number;
}

export interface SegmentReadResult {
  /** Whole batches only; empty when the first one is not below maxOffsetExclusive or above maxSize. */
  records: Buffer;
  /** Base offset of the batch holding the start offset. */
  firstEntryOffset: number;
  /** Its position in the segment's .log file. */
  position: number;
}

/** What an append changes in a segment: restoring it undoes the append (files and memory). */
export interface SegmentAppendState {
  size: number;
  offsetIndexEntries: number;
  timeIndexEntries: number;
  bytesSinceLastIndexEntry: number;
  maxTimestampSoFar: number | undefined;
  offsetOfMaxTimestampSoFar: number;
  rollingBasedTimestamp: number | undefined;
}

export class LogSegment {
  readonly log: FileRecords;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** Aborted transactions whose marker is in this segment (read_committed fetches). */
  readonly txnIndex: TransactionIndex;
  /** When this segment object was made: the segment.ms clock for segments without timestamps. */
  private created: number;
  private indexIntervalBytes: number;
  private bytesSinceLastIndexEntry = 0;
  // Loaded lazily (a scan of the tail) for segments opened from disk, as Kafka does.
  private maxTimestampSoFar: number | undefined;
  private offsetOfMaxTimestampSoFar = 0;
  // Max timestamp of the first batch: what segment.ms measures from (undefined = not known yet).
  private rollingBasedTimestamp: number | undefined;

  constructor(readonly dir: string, readonly baseOffset: number, config: SegmentConfig, nowMs: number, fileSuffix = '') {
    const prefix = path.join(dir, filenamePrefixFromOffset(baseOffset));
    this.log = new FileRecords(prefix + LOG_FILE_SUFFIX + fileSuffix);
    this.offsetIndex = new OffsetIndex(prefix + INDEX_FILE_SUFFIX + fileSuffix, baseOffset, config.segmentIndexBytes);
    this.timeIndex = new TimeIndex(prefix + TIME_INDEX_FILE_SUFFIX + fileSuffix, baseOffset, config.segmentIndexBytes);
    this.txnIndex = new TransactionIndex(baseOffset, prefix + TXN_INDEX_FILE_SUFFIX + fileSuffix);
    this.indexIntervalBytes = config.indexIntervalBytes;
    this.created = nowMs;
    if (this.log.size === 0) this.maxTimestampSoFar = NO_TIMESTAMP;
  }

  get size(): number {
    return this.log.size;
  }

  updateConfig(config: SegmentConfig): void {
    this.indexIntervalBytes = config.indexIntervalBytes;
  }

  /** Null when both indexes can be trusted for this log file, else the reason to rebuild them. */
  indexProblem(): string | null {
    return this.offsetIndex.sanityCheck(this.log.size) ?? this.timeIndex.sanityCheck() ?? this.txnIndex.sanityCheck();
  }

  canConvertToRelativeOffset(offset: number): boolean {
    const rel = offset - this.baseOffset;
    return rel >= 0 && rel <= INT32_MAX;
  }

  /**
   * Appends validated batches whose offsets are already assigned (largestOffset is the last one).
   * One write for the whole set; index entries for batches that start past index.interval.bytes
   * since the previous entry (an entry's offset is the last offset of the batch at its position).
   * All or nothing: when any write fails the segment is restored as it was, then the error is
   * rethrown (LogRollbackError if even the restore failed).
   */
  append(records: Buffer, largestOffset: number): void {
    if (records.length === 0) return;
    if (!this.canConvertToRelativeOffset(largestOffset)) {
      throw new Error(`Offset ${largestOffset} cannot be stored relative to base offset ${this.baseOffset} of ${this.log.path}`);
    }
    this.ensureMaxTimestampLoaded();
    const before = this.appendState();
    try {
      this.appendAndIndex(records);
    } catch (err) {
      if (!(err instanceof LogRollbackError)) this.restore(before, err);
      throw err;
    }
  }

  /** A snapshot to give restore() to undo the appends made after it. */
  appendState(): SegmentAppendState {
    return {
      size: this.log.size,
      offsetIndexEntries: this.offsetIndex.entries,
      timeIndexEntries: this.timeIndex.entries,
      bytesSinceLastIndexEntry: this.bytesSinceLastIndexEntry,
      maxTimestampSoFar: this.maxTimestampSoFar,
      offsetOfMaxTimestampSoFar: this.offsetOfMaxTimestampSoFar,
      rollingBasedTimestamp: this.rollingBasedTimestamp,
    };
  }

  /**
   * Undoes the appends made since `state` was taken: the .log file and both indexes are cut back
   * to their lengths then, and the in-memory bookkeeping restored. Throws LogRollbackError (the
   * files can no longer be trusted) when a file cannot be cut back.
   */
  restore(state: SegmentAppendState, cause?: unknown): void {
    try {
      // Only what changed is touched: on a read-only disk even a no-op ftruncate fails.
      this.log.truncateTo(state.size);
      if (this.offsetIndex.entries > state.offsetIndexEntries) this.offsetIndex.truncateToEntries(state.offsetIndexEntries);
      if (this.timeIndex.entries > state.timeIndexEntries) this.timeIndex.truncateToEntries(state.timeIndexEntries);
    } catch (err) {
      if (err instanceof LogRollbackError) throw err;
      const why = cause === undefined ? '' : ` after a failed append (${(cause as Error).message})`;
      throw new LogRollbackError(`Could not restore segment ${this.log.path} to ${state.size} bytes${why}: ${(err as Error).message}`, cause ?? err);
    }
    this.bytesSinceLastIndexEntry = state.bytesSinceLastIndexEntry;
    this.maxTimestampSoFar = state.maxTimestampSoFar;
    this.offsetOfMaxTimestampSoFar = state.offsetOfMaxTimestampSoFar;
    this.rollingBasedTimestamp = state.rollingBasedTimestamp;
  }

  private appendAndIndex(records: Buffer): void {
    const physicalPosition = this.log.size;
    let first = physicalPosition === 0;
    this.log.append(records);
    let pos = 0;
    while (pos < records.length) {
      const h = entryHeaderAt(records, pos, physicalPosition + pos);
      if (first) {
        this.rollingBasedTimestamp = h.maxTimestamp;
        first = false;
      }
      if (h.maxTimestamp > (this.maxTimestampSoFar as number)) {
        this.maxTimestampSoFar = h.maxTimestamp;
        this.offsetOfMaxTimestampSoFar = h.lastOffset;
      }
      // A full index only loses sparseness (the log rolls before the next append).
      if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes && !this.offsetIndex.isFull() && !this.timeIndex.isFull()) {
        this.offsetIndex.append(h.lastOffset, h.position);
        this.timeIndex.maybeAppend(this.maxTimestampSoFar as number, this.offsetOfMaxTimestampSoFar);
        this.bytesSinceLastIndexEntry = 0;
      }
      this.bytesSinceLastIndexEntry += h.size;
      pos += h.size;
    }
  }

  /** The first batch whose last offset is >= offset, searching from the index's hint. */
  private translateOffset(offset: number) {
    return this.log.searchForOffset(offset, this.offsetIndex.lookup(offset).position);
  }

  /**
   * Whole batches from the one containing startOffset: at most maxSize bytes (but the first batch
   * whole when minOneMessage, KIP-74), none whose last offset is >= maxOffsetExclusive (the high
   * watermark for consumers, as Kafka bounds reads by the HW's position). Null when startOffset is
   * past this segment's last offset.
   */
  read(startOffset: number, maxSize: number, maxOffsetExclusive: number, minOneMessage: boolean): SegmentReadResult | null {
    const first = this.translateOffset(startOffset);
    if (!first) return null;
    const result: SegmentReadResult = { records: EMPTY, firstEntryOffset: first.baseOffset, position: first.position };
    if (first.lastOffset >= maxOffsetExclusive) return result;
    let length = Math.min(maxSize, this.log.size - first.position);
    if (minOneMessage) length = Math.max(length, first.size);
    if (length < first.size) return result;
    const buf = this.log.read(first.position, length);
    let end = 0;
    while (end + LOG_OVERHEAD <= buf.length) {
      const size = LOG_OVERHEAD + buf.readInt32BE(end + BATCH_LENGTH);
      if (end + size > buf.length || !hasReadableHeader(buf, end, size)) break;
      if (entryHeaderAt(buf, end, 0).lastOffset >= maxOffsetExclusive) break;
      end += size;
    }
    result.records = end === buf.length ? buf : buf.subarray(0, end);
    return result;
  }

  /** The offset after the last batch, or the base offset when empty. */
  readNextOffset(): number {
    let next = this.baseOffset;
    const last = this.offsetIndex.lookup(this.offsetIndex.lastOffset());
    this.log.scan(last.position, false, (buf, at, position, size) => {
      if (!hasReadableHeader(buf, at, size)) return false;
      next = entryHeaderAt(buf, at, position).lastOffset + 1;
      return true;
    });
    return next;
  }

  /**
   * Re-validates every batch (size, magic, CRC, offsets increasing and within int32 of the base),
   * rebuilds both indexes, and truncates the file at the first invalid or torn entry. Returns the
   * bytes truncated. onBatch sees each valid v2 batch (the leader epoch cache learns from it).
   */
  recover(onBatch?: (leaderEpoch: number, baseOffset: number) => void, warn?: (message: string) => void): number {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    let lastIndexEntry = 0;
    let prevLastOffset = this.baseOffset - 1;
    let maxTimestamp = NO_TIMESTAMP;
    let offsetOfMax = this.baseOffset;
    const validBytes = this.log.scan(0, true, (buf, at, position, size) => {
      const problem = entryCorruption(buf, at, size);
      if (problem) {
        warn?.(`Found invalid messages in log segment ${this.log.path} at byte offset ${position}: ${problem}.`);
        return false;
      }
      const h = entryHeaderAt(buf, at, position);
      if (h.baseOffset <= prevLastOffset || !this.canConvertToRelativeOffset(h.lastOffset)) {
        warn?.(`Found out of order or out of range offset ${h.baseOffset} in log segment ${this.log.path} at byte offset ${position}.`);
        return false;
      }
      prevLastOffset = h.lastOffset;
      if (h.maxTimestamp > maxTimestamp) {
        maxTimestamp = h.maxTimestamp;
        offsetOfMax = h.lastOffset;
      }
      if (position - lastIndexEntry > this.indexIntervalBytes && !this.offsetIndex.isFull() && !this.timeIndex.isFull()) {
        this.offsetIndex.append(h.lastOffset, position);
        this.timeIndex.maybeAppend(maxTimestamp, offsetOfMax);
        lastIndexEntry = position;
      }
      if (h.magic >= 2) onBatch?.(h.partitionLeaderEpoch, h.baseOffset);
      return true;
    });
    const truncated = this.log.size - validBytes;
    if (truncated > 0) {
      warn?.(`Truncating ${this.log.path} to ${validBytes} bytes (${truncated} invalid bytes at the end).`);
      this.log.truncateTo(validBytes);
    }
    // Aborts whose marker did not survive recovery are forgotten with it.
    this.txnIndex.truncateTo(prevLastOffset + 1);
    this.maxTimestampSoFar = maxTimestamp;
    this.offsetOfMaxTimestampSoFar = offsetOfMax;
    this.bytesSinceLastIndexEntry = validBytes - lastIndexEntry;
    this.rollingBasedTimestamp = undefined;
    return truncated;
  }

  /** Removes every batch from the one containing offset on. Returns the bytes truncated. */
  truncateTo(offset: number, nowMs = Date.now()): number {
    const mapping = this.translateOffset(offset);
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    this.txnIndex.truncateTo(offset);
    const before = this.log.size;
    if (mapping) this.log.truncateTo(mapping.position);
    if (this.log.size === 0) {
      this.created = nowMs;
      this.rollingBasedTimestamp = undefined;
    }
    this.bytesSinceLastIndexEntry = 0;
    this.maxTimestampSoFar = this.log.size === 0 ? NO_TIMESTAMP : undefined;
    return before - this.log.size;
  }

  /** Largest batch max timestamp in the segment, NO_TIMESTAMP (-1) when none carries one. */
  get maxTimestamp(): number {
    this.ensureMaxTimestampLoaded();
    return this.maxTimestampSoFar as number;
  }

  /** What retention.ms compares: the max timestamp, or the file's mtime without timestamps (Kafka). */
  get largestTimestamp(): number {
    const ts = this.maxTimestamp;
    return ts >= 0 ? ts : this.log.lastModifiedMs();
  }

  /** How long this segment has been open for segment.ms purposes (Kafka's timeWaitedForRoll). */
  timeWaitedForRoll(nowMs: number, messageTimestamp: number): number {
    if (this.rollingBasedTimestamp === undefined && this.log.size > 0) {
      this.log.scan(0, false, (buf, at, position, size) => {
        if (hasReadableHeader(buf, at, size)) this.rollingBasedTimestamp = entryHeaderAt(buf, at, position).maxTimestamp;
        return false;
      });
    }
    const t = this.rollingBasedTimestamp;
    return t !== undefined && t >= 0 ? messageTimestamp - t : nowMs - this.created;
  }

  /** First record with timestamp >= target and offset >= startingOffset in this segment, or null. */
  findOffsetByTimestamp(target: number, startingOffset: number): TimestampOffset | null {
    const fromIndex = this.timeIndex.lookup(target);
    const position = this.offsetIndex.lookup(Math.max(fromIndex.offset, startingOffset)).position;
    let found: TimestampOffset | null = null;
    this.log.scan(position, false, (buf, at, pos, size) => {
      if (!hasReadableHeader(buf, at, size)) return false;
      const h = entryHeaderAt(buf, at, pos);
      if (h.maxTimestamp < target || h.lastOffset < startingOffset || h.magic < 2) return true;
      found = searchBatchForTimestamp(this.log.read(pos, size), 0, size, target, startingOffset);
      return found === null;
    });
    return found;
  }

  /** Kafka appends a final time index entry when a segment stops being the active one. */
  onBecomeInactiveSegment(): void {
    this.ensureMaxTimestampLoaded();
    this.timeIndex.maybeAppend(this.maxTimestampSoFar as number, this.offsetOfMaxTimestampSoFar, true);
    this.releaseIndexes();
  }

  /**
   * Inactive segments keep only their .log descriptor open: thousands of segments would otherwise
   * hold three descriptors each (index entries are in memory; a truncation reopens the files).
   */
  releaseIndexes(): void {
    this.offsetIndex.release();
    this.timeIndex.release();
  }

  flush(): void {
    this.log.flush();
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.txnIndex.flush();
  }

  async flushAsync(): Promise<void> {
    await Promise.all([this.log.flushAsync(), this.offsetIndex.flushAsync(), this.timeIndex.flushAsync()]);
  }

  /** Renames the segment's files from suffix `from` to suffix `to` (e.g. '.swap' -> ''). */
  changeFileSuffixes(from: string, to: string): void {
    const rename = (p: string) => p.slice(0, p.length - from.length) + to;
    this.log.renameTo(rename(this.log.path));
    this.offsetIndex.renameTo(rename(this.offsetIndex.path));
    this.timeIndex.renameTo(rename(this.timeIndex.path));
    this.txnIndex.renameTo(rename(this.txnIndex.path));
  }

  close(): void {
    this.log.close();
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  /** Closes and removes the segment's files. */
  delete(): void {
    this.log.delete();
    this.offsetIndex.delete();
    this.timeIndex.delete();
    this.txnIndex.delete();
  }

  private ensureMaxTimestampLoaded(): void {
    if (this.maxTimestampSoFar !== undefined) return;
    // Kafka's loadLargestTimestamp: the time index's last entry, then the batches after it.
    const last = this.timeIndex.lastEntry();
    let maxTs = last.timestamp;
    let offsetOfMax = last.offset;
    this.log.scan(this.offsetIndex.lookup(last.offset).position, false, (buf, at, position, size) => {
      if (!hasReadableHeader(buf, at, size)) return false;
      const h = entryHeaderAt(buf, at, position);
      if (h.maxTimestamp > maxTs) {
        maxTs = h.maxTimestamp;
        offsetOfMax = h.lastOffset;
      }
      return true;
    });
    this.maxTimestampSoFar = maxTs;
    this.offsetOfMaxTimestampSoFar = offsetOfMax;
  }
}
