// One compaction of one log (Kafka's Cleaner.clean / doClean / cleanSegments), done in small
// steps: the log is synchronous and shares the event loop with produce and fetch, so at most
// stepBytes of source are read (and rewritten) before yielding. Old segments are never modified:
// the surviving batches of a group of segments go to a new <base>.log.cleaned (with its indexes),
// which Log.replaceSegments swaps in atomically, in one synchronous step, once it is complete.
// Anything that changes the log underneath (truncation, deletion, shutdown) aborts the run; an
// aborted group leaves no trace but a .cleaned file, deleted here or by the next log load.
import * as fs from 'fs';
import * as path from 'path';
import type { Logger } from '../../logging';
import { entryHeaderAt } from '../file-records';
import type { Log } from '../log';
import { CLEANED_FILE_SUFFIX, INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX, filenamePrefixFromOffset } from '../log-file-names';
import { LogSegment } from '../log-segment';
import { OFFSET_INDEX_ENTRY_SIZE } from '../offset-index';
import { CleanedTransactionMetadata } from './cleaned-transaction-metadata';
import { OffsetMap } from './offset-map';
import { filterEntry, indexEntry, newFilterStats, type FilterStats } from './record-filter';

const INT32_MAX = 2147483647;
const TIME_INDEX_ENTRY_SIZE = 12;

/** A log with its dirty section (Kafka's LogToClean). */
export interface LogToClean {
  log: Log;
  /** Where the dirty section starts: the cleaner checkpoint, or the log start offset. */
  firstDirtyOffset: number;
  /** The base of the first segment that may not be cleaned (active, at/after the HW, within the lag). */
  firstUncleanableOffset: number;
  cleanBytes: number;
  cleanableBytes: number;
  cleanableRatio: number;
}

/**
 * Kafka's LogCleanerManager.cleanableOffsets and LogToClean: the dirty section runs from the
 * checkpoint (reset to the log start when it is out of range) to the segment holding the first
 * offset that may not be cleaned: the active segment's base, the high watermark (nothing a consumer
 * cannot read yet), the first unstable offset (an open or unreplicated transaction: whether its
 * records are aborted is not known yet), or the first segment with records newer than
 * min.compaction.lag.ms.
 */
export function logToClean(log: Log, checkpoint: number | undefined, nowMs: number, minCompactionLagMs: number): LogToClean {
  const segments = log.logSegments();
  const active = log.activeSegment;
  let firstDirty = checkpoint ?? log.logStartOffset;
  if (firstDirty < log.logStartOffset || firstDirty > log.logEndOffset) firstDirty = log.logStartOffset;
  let uncleanable = Math.min(active.baseOffset, log.highWatermark, log.firstUnstableOffset ?? Infinity);
  if (minCompactionLagMs > 0) {
    const dirtyFrom = floorBase(segments, firstDirty);
    const young = segments.find((s) => s !== active && s.baseOffset >= dirtyFrom && s.largestTimestamp > nowMs - minCompactionLagMs);
    if (young) uncleanable = Math.min(uncleanable, young.baseOffset);
  }
  const firstUncleanable = uncleanable >= active.baseOffset ? active.baseOffset : floorBase(segments, uncleanable);
  let cleanBytes = 0;
  let cleanableBytes = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const end = i + 1 < segments.length ? segments[i + 1].baseOffset : log.logEndOffset;
    if (s.baseOffset < firstDirty) cleanBytes += s.size;
    if (firstDirty < firstUncleanable && end > firstDirty && s.baseOffset < firstUncleanable) cleanableBytes += s.size;
  }
  const total = cleanBytes + cleanableBytes;
  return {
    log,
    firstDirtyOffset: firstDirty,
    firstUncleanableOffset: firstUncleanable,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: total > 0 ? cleanableBytes / total : 0,
  };
}

/** Base offset of the segment holding offset (the first segment's when below all of them). */
function floorBase(segments: readonly LogSegment[], offset: number): number {
  let base = segments[0].baseOffset;
  for (const s of segments) {
    if (s.baseOffset > offset) break;
    base = s.baseOffset;
  }
  return base;
}

export interface CleanerOptions {
  /** Keys the offset map may hold (the bound on one run's dirty section). */
  maxMapEntries: number;
  /** Source bytes read per step before yielding to the event loop. */
  stepBytes: number;
  logger: Logger;
  /** How a step yields; setImmediate by default. */
  yieldStep?: () => Promise<void>;
}

export interface CleanResult {
  /** The new cleaner checkpoint: everything below it is clean. */
  endOffset: number;
  groups: number;
  stats: FilterStats;
  bytesRead: number;
  bytesWritten: number;
}

const setImmediatePromise = () => new Promise<void>((resolve) => setImmediate(resolve));

/** True when the run must stop (the log was truncated, deleted or closed, or the cleaner stopped). */
export type CheckDone = () => boolean;

export class Cleaner {
  private readonly yieldStep: () => Promise<void>;

  constructor(private readonly options: CleanerOptions) {
    this.yieldStep = options.yieldStep ?? setImmediatePromise;
  }

  /** Cleans the log's dirty section; null when aborted (nothing is then changed in the log). */
  async clean(ltc: LogToClean, checkDone: CheckDone): Promise<CleanResult | null> {
    const log = ltc.log;
    // Tombstones may go from segments last modified more than delete.retention.ms before the last
    // clean segment was (Kafka's delete horizon); on the first run nothing is clean: none go.
    const clean = log.logSegments().filter((s) => s.baseOffset < ltc.firstDirtyOffset);
    const deleteHorizonMs = clean.length === 0 ? 0 : lastModified(clean[clean.length - 1]) - log.config.deleteRetentionMs;

    const map = new OffsetMap(this.options.maxMapEntries);
    const endOffset = await this.buildOffsetMap(ltc, map, checkDone);
    if (endOffset === null) return null;

    const result: CleanResult = { endOffset, groups: 0, stats: newFilterStats(), bytesRead: 0, bytesWritten: 0 };
    const segments = log.logSegments().filter((s) => s.baseOffset < endOffset && s !== log.activeSegment);
    // One for the whole run, as Kafka's doClean: a transaction's data and marker may be in different groups.
    const txns = new CleanedTransactionMetadata();
    for (const group of groupSegmentsBySize(segments, log.config.segmentBytes, log.config.segmentIndexBytes, ltc.firstUncleanableOffset)) {
      if (!(await this.cleanSegments(log, group, map, deleteHorizonMs, txns, result, checkDone))) return null;
      result.groups++;
    }
    return result;
  }

  /**
   * Kafka's buildOffsetMap: every keyed record of the dirty section, until the map is full (then
   * the run ends after the last batch indexed). Returns the end of what was indexed, or null.
   */
  private async buildOffsetMap(ltc: LogToClean, map: OffsetMap, checkDone: CheckDone): Promise<number | null> {
    const start = ltc.firstDirtyOffset;
    const all = ltc.log.logSegments();
    const dirty = all.filter((s, i) => s.baseOffset < ltc.firstUncleanableOffset && (i + 1 === all.length || all[i + 1].baseOffset > start));
    let full = false;
    const txns = new CleanedTransactionMetadata();
    txns.addAbortedTransactions(ltc.log.collectAbortedTransactions(start, ltc.firstUncleanableOffset));
    for (const segment of dirty) {
      let position = segment.offsetIndex.lookup(start).position;
      while (!full && position < segment.size) {
        const step = this.step(segment, position, (buf, at, size) => indexEntry(buf, at, size, map, start, txns));
        full = step.stopped;
        const stuck = step.next === position && !full;
        position = step.next;
        await this.yieldStep();
        if (checkDone()) return null;
        if (stuck) break; // an unreadable tail: recovery's business, not the cleaner's
      }
      if (full) break;
    }
    return full ? Math.max(map.latestOffset + 1, start) : ltc.firstUncleanableOffset;
  }

  /** Kafka's cleanSegments: the group's surviving batches into one new segment, then the swap. */
  private async cleanSegments(
    log: Log,
    group: LogSegment[],
    map: OffsetMap,
    deleteHorizonMs: number,
    txns: CleanedTransactionMetadata,
    result: CleanResult,
    checkDone: CheckDone,
  ): Promise<boolean> {
    const base = group[0].baseOffset;
    const prefix = path.join(log.dir, filenamePrefixFromOffset(base));
    for (const suffix of [LOG_FILE_SUFFIX, INDEX_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, TXN_INDEX_FILE_SUFFIX]) fs.rmSync(prefix + suffix + CLEANED_FILE_SUFFIX, { force: true });
    const cleaned = new LogSegment(log.dir, base, log.config, Date.now(), CLEANED_FILE_SUFFIX);
    // Aborts whose marker stays are written to the cleaned segment's own transaction index.
    txns.cleanedIndex = cleaned.txnIndex;
    // Each active producer's last data batch stays, so its sequence and epoch survive a reload.
    const lastOffsetsOfActiveProducers = new Map<number, number>();
    for (const [producerId, entry] of log.producerStateManager.activeProducers) lastOffsetsOfActiveProducers.set(producerId, entry.lastDataOffset);
    let swapped = false;
    try {
      for (const segment of group) {
        const retainDeletes = lastModified(segment) > deleteHorizonMs;
        const segments = log.logSegments();
        const next = segments[segments.indexOf(segment) + 1];
        txns.addAbortedTransactions(log.collectAbortedTransactions(segment.baseOffset, next ? next.baseOffset : map.latestOffset + 1));
        const ctx = { map, retainDeletes, stats: result.stats, txns, lastOffsetsOfActiveProducers };
        let position = 0;
        while (position < segment.size) {
          const out: Buffer[] = [];
          let largestOffset = -1;
          const step = this.step(segment, position, (buf, at, size) => {
            const kept = filterEntry(buf, at, size, ctx);
            if (kept) {
              out.push(kept);
              largestOffset = entryHeaderAt(kept, 0, 0).lastOffset;
            }
            return true;
          });
          if (out.length > 0) {
            const bytes = out.length === 1 ? out[0] : Buffer.concat(out);
            cleaned.append(bytes, largestOffset);
            result.bytesWritten += bytes.length;
          }
          result.bytesRead += step.next - position;
          const stuck = step.next === position;
          position = step.next;
          await this.yieldStep();
          if (checkDone()) return false;
          if (stuck) break;
        }
      }
      cleaned.onBecomeInactiveSegment();
      cleaned.flush();
      // Keep the group's last modification time: the delete horizon of later runs is based on it.
      const mtime = new Date(lastModified(group[group.length - 1]));
      fs.utimesSync(cleaned.log.path, mtime, mtime);
      if (checkDone() || !log.replaceSegments(cleaned, group)) return false;
      swapped = true;
      this.options.logger.info(`Swapped in cleaned segment ${base} for segment(s) ${group.map((s) => s.baseOffset).join(',')} in log ${log.name}`);
      return true;
    } finally {
      if (!swapped) cleaned.delete();
    }
  }

  /**
   * Visits whole entries of the segment from position until about stepBytes were visited or the
   * visitor says stop (stopped = true; that entry is not consumed). next = where to resume.
   */
  private step(segment: LogSegment, position: number, visit: (buf: Buffer, at: number, size: number) => boolean): { next: number; stopped: boolean } {
    let consumed = 0;
    let stopped = false;
    const next = segment.log.scan(position, true, (buf, at, _pos, size) => {
      if (consumed >= this.options.stepBytes) return false;
      if (!visit(buf, at, size)) {
        stopped = true;
        return false;
      }
      consumed += size;
      return true;
    });
    return { next, stopped };
  }
}

function lastModified(segment: LogSegment): number {
  return segment.log.lastModifiedMs();
}

/**
 * Kafka's groupSegmentsBySize: consecutive segments whose log, offset index and time index each
 * fit in one segment, and whose offsets stay within int32 of the group's base offset.
 */
export function groupSegmentsBySize(segments: readonly LogSegment[], maxSize: number, maxIndexSize: number, firstUncleanableOffset: number): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let logSize = segments[i].size;
    let indexSize = segments[i].offsetIndex.entries * OFFSET_INDEX_ENTRY_SIZE;
    let timeIndexSize = segments[i].timeIndex.entries * TIME_INDEX_ENTRY_SIZE;
    i++;
    while (i < segments.length) {
      const s = segments[i];
      // The next segment's last offset, bounded by what follows it (Kafka's lastOffsetForFirstSegment).
      const lastOffset = (i + 1 < segments.length ? segments[i + 1].baseOffset : firstUncleanableOffset) - 1;
      const idx = s.offsetIndex.entries * OFFSET_INDEX_ENTRY_SIZE;
      const tidx = s.timeIndex.entries * TIME_INDEX_ENTRY_SIZE;
      if (logSize + s.size > maxSize || indexSize + idx > maxIndexSize || timeIndexSize + tidx > maxIndexSize || lastOffset - group[0].baseOffset > INT32_MAX) break;
      group.push(s);
      logSize += s.size;
      indexSize += idx;
      timeIndexSize += tidx;
      i++;
    }
    groups.push(group);
  }
  return groups;
}
