// Opening a partition directory (Kafka's Log.loadSegments / recoverLog): remove the leftovers of
// interrupted deletes and compactions, finish an interrupted segment swap, open every segment,
// and without a clean shutdown re-validate every batch from the recovery point on, truncating a
// torn tail (kill -9 or power loss mid-write) so that every complete batch stays readable.
import * as fs from 'fs';
import * as path from 'path';
import type { Logger } from '../logging';
import type { LeaderEpochFileCache } from './leader-epoch-file-cache';
import {
  CLEANED_FILE_SUFFIX,
  DELETED_FILE_SUFFIX,
  INDEX_FILE_SUFFIX,
  LOG_FILE_SUFFIX,
  SWAP_FILE_SUFFIX,
  TIME_INDEX_FILE_SUFFIX,
  TXN_INDEX_FILE_SUFFIX,
  filenamePrefixFromOffset,
  offsetFromFileName,
} from './log-file-names';
import { LogSegment, type SegmentConfig } from './log-segment';

export interface LoadedLog {
  segments: LogSegment[];
  nextOffset: number;
  recoveryPoint: number;
  logStartOffset: number;
  /**
   * After an unclean shutdown, the base of the first segment re-validated from the recovery point:
   * the log rebuilds the transaction indexes from there (they cannot be checked against the log).
   */
  recoveredFrom: number | null;
}

export interface LoadOptions {
  recoveryPoint: number;
  logStartOffset: number;
  hadCleanShutdown: boolean;
  nowMs: number;
}

/** Segments whose offsets overlap [from, infinity): the one containing `from` and every later one. */
function firstSegmentFrom(segments: LogSegment[], from: number): number {
  let i = segments.length - 1;
  while (i > 0 && segments[i].baseOffset > from) i--;
  return i;
}

export function loadLog(dir: string, config: SegmentConfig, options: LoadOptions, epochCache: LeaderEpochFileCache, logger: Logger): LoadedLog {
  const names = fs.readdirSync(dir);
  const swapBases: number[] = [];
  const logBases: number[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith(DELETED_FILE_SUFFIX) || name.endsWith(CLEANED_FILE_SUFFIX) || name.endsWith('.tmp')) {
      // An interrupted segment delete or compaction, or a checkpoint write that never got renamed.
      fs.rmSync(file, { force: true });
    } else if (name.endsWith(SWAP_FILE_SUFFIX)) {
      const base = offsetFromFileName(name);
      if (name.endsWith(LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX) && base !== null) swapBases.push(base);
      // Swap indexes are rebuilt from the swapped log; its transaction index cannot be, so it stays.
      else if (!name.endsWith(TXN_INDEX_FILE_SUFFIX + SWAP_FILE_SUFFIX)) fs.rmSync(file, { force: true });
    } else if (name.endsWith(LOG_FILE_SUFFIX) && offsetFromFileName(name) !== null) {
      logBases.push(offsetFromFileName(name) as number);
    } else if ((name.endsWith(INDEX_FILE_SUFFIX) || name.endsWith(TIME_INDEX_FILE_SUFFIX) || name.endsWith(TXN_INDEX_FILE_SUFFIX)) && offsetFromFileName(name) !== null) {
      // An index without its log file is an orphan (Kafka deletes it too).
      const logFile = path.join(dir, filenamePrefixFromOffset(offsetFromFileName(name) as number) + LOG_FILE_SUFFIX);
      if (!names.includes(path.basename(logFile))) fs.rmSync(file, { force: true });
    }
  }
  logBases.sort((a, b) => a - b);

  const needsRecovery = new Set<LogSegment>();
  let segments: LogSegment[] = [];
  for (const base of logBases) {
    const prefix = path.join(dir, filenamePrefixFromOffset(base));
    const hadIndexes = fs.existsSync(prefix + INDEX_FILE_SUFFIX) && fs.existsSync(prefix + TIME_INDEX_FILE_SUFFIX);
    const segment = new LogSegment(dir, base, config, options.nowMs);
    const problem = hadIndexes ? segment.indexProblem() : 'missing index files';
    if (problem) {
      logger.warn(`Found a corrupted index file corresponding to log file ${segment.log.path} due to ${problem}, recovering segment and rebuilding index files...`);
      needsRecovery.add(segment);
    }
    segments.push(segment);
  }

  // Finish a swap that a crash interrupted: the .swap segment replaces the segments it overlaps.
  for (const base of swapBases.sort((a, b) => a - b)) {
    const swap = new LogSegment(dir, base, config, options.nowMs, SWAP_FILE_SUFFIX);
    swap.recover(undefined, (m) => logger.warn(m));
    const end = swap.readNextOffset();
    logger.info(`Found log file ${swap.log.path} from interrupted swap operation, repairing.`);
    segments = segments.filter((s) => {
      // A cleaned segment may be empty (end === base) yet still replaces the segment at its base.
      if (s.baseOffset === base || (s.baseOffset > base && s.baseOffset < end)) {
        s.delete();
        return false;
      }
      return true;
    });
    swap.changeFileSuffixes(SWAP_FILE_SUFFIX, '');
    segments.push(swap);
    segments.sort((a, b) => a.baseOffset - b.baseOffset);
  }

  if (segments.length === 0) segments.push(new LogSegment(dir, options.logStartOffset, config, options.nowMs));

  // Recovery sees batches in offset order; only epochs at or above the cache's latest can be news
  // (an older epoch here is already known, and assigning it would drop the newer entries).
  const learnEpoch = (epoch: number, baseOffset: number) => {
    if (epoch >= epochCache.latestEpoch()) epochCache.assign(epoch, baseOffset);
  };
  const warn = (m: string) => logger.warn(m);
  let recoveryPoint = options.recoveryPoint;
  let recoveredFrom: number | null = null;
  if (!options.hadCleanShutdown) {
    const from = firstSegmentFrom(segments, recoveryPoint);
    recoveredFrom = segments[from].baseOffset;
    for (let i = from; i < segments.length; i++) needsRecovery.add(segments[i]);
  }
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!needsRecovery.has(segment)) continue;
    if (segment.size > 0) logger.info(`Recovering unflushed segment ${segment.baseOffset}`);
    const truncated = segment.recover(learnEpoch, warn);
    if (truncated > 0 && i < segments.length - 1) {
      // Everything after a corrupt batch is suspect: Kafka drops the later segments too.
      const dropped = segments.splice(i + 1);
      logger.warn(`Corruption found in segment ${segment.baseOffset}, truncating to offset ${segment.readNextOffset()}; deleting ${dropped.length} later segment(s)`);
      for (const s of dropped) s.delete();
    }
  }

  for (let i = 0; i < segments.length - 1; i++) segments[i].releaseIndexes();
  const nextOffset = segments[segments.length - 1].readNextOffset();
  const logStartOffset = Math.max(options.logStartOffset, segments[0].baseOffset);
  recoveryPoint = options.hadCleanShutdown ? nextOffset : Math.min(recoveryPoint, nextOffset);
  return { segments, nextOffset, recoveryPoint, logStartOffset, recoveredFrom };
}
