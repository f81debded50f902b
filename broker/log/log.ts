// One partition's log: the directory log.dirs/<topic>-<partition> and its segments (Kafka's Log).
// All file I/O is synchronous (page cache; fsync only on flush), which keeps LEO, segments and
// indexes consistent without locks: nothing else runs between the validation of a produce request
// and its write. A request's batches are validated before anything is written, then get their
// offsets by patching bytes in place, and go to the active segment in one write.
import * as fs from 'fs';
import * as path from 'path';
import { getLogger, type Logger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';
import { BATCH_LENGTH, LOG_OVERHEAD, PARTITION_LEADER_EPOCH, BASE_OFFSET } from '../protocol/records/batch-header';
import { readInt64 } from '../protocol/primitives';
import { LeaderEpochFileCache, type EpochEntry } from './leader-epoch-file-cache';
import type { LogConfig } from './log-config';
import { CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, LEADER_EPOCH_CHECKPOINT_FILE, SWAP_FILE_SUFFIX, filenamePrefixFromOffset, parseTopicPartitionDirName } from './log-file-names';
import { loadLog } from './log-loader';
import { LogSegment, type SegmentAppendState } from './log-segment';
import { KafkaStorageError, LogRollbackError, describeStorageError, isOutOfSpace, isStorageError } from './storage-error';
import { assignOffsetsInPlace, describeRecords, validateRecords, type AssignedOffsets } from './log-validator';
import { analyzeProducerState, applyProducerAppends, type ProducerStateAnalysis } from './producer/analyze-producer-state';
import { AppendOrigin } from './producer/producer-append-info';
import type { CompletedTxn } from './producer/transactions';
import type { AbortedTxn } from './transaction-index';
import { rebuildProducerState } from './producer/producer-state-loader';
import { ProducerStateManager } from './producer/producer-state-manager';
import { PRODUCER_SNAPSHOT_FILE_SUFFIX, deleteProducerSnapshots } from './producer/producer-snapshot-file';
import type { TimestampOffset } from './time-index';

const EMPTY = Buffer.alloc(0);
/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface LogAppendInfo {
  firstOffset: number;
  lastOffset: number;
  /** Largest batch max timestamp appended (-1 if none); the append time under LogAppendTime. */
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  /** The broker time stamped into the batches under message.timestamp.type=LogAppendTime, else -1. */
  logAppendTime: number;
  recordCount: number;
  validBytes: number;
}

export interface LogReadInfo {
  /** Whole v2 batches, as stored. */
  records: Buffer;
  /** Base offset of the first batch returned (or of the one holding the start offset). */
  firstEntryOffset: number;
}

export interface LogOpenOptions {
  recoveryPoint?: number;
  logStartOffset?: number;
  hadCleanShutdown?: boolean;
  /** From replication-offset-checkpoint; defaults to the log end offset. */
  highWatermark?: number;
  /** Clock, for tests of segment.ms and retention. */
  time?: () => number;
  /** transactional.id.expiration.ms: how long an idle producer's state is kept (Kafka 2.4's producer id expiry). */
  maxProducerIdExpirationMs?: number;
}

/** transactional.id.expiration.ms's default (7 days). */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 604800000;

/** A replicated batch that does not follow the log end (Kafka's UnexpectedAppendOffsetException). */
export class UnexpectedAppendOffsetError extends KafkaError {
  constructor(
    message: string,
    readonly firstOffset: number,
    readonly lastOffset: number,
  ) {
    super(ErrorCode.UNKNOWN_SERVER_ERROR, message);
  }
}

export class Log {
  private segments: LogSegment[];
  private nextOffset: number;
  private _logStartOffset: number;
  private _recoveryPoint: number;
  private _highWatermark: number;
  /** Kafka's firstUnstableOffset: the first offset of a transaction not yet decided and replicated. */
  private _firstUnstableOffset: number | null = null;
  private lastFlushTime: number;
  private closed = false;
  // Bumped by every truncation, so an asynchronous flush started before one cannot advance the
  // recovery point over data written after it.
  private truncations = 0;
  private readonly logger: Logger;
  readonly leaderEpochCache: LeaderEpochFileCache;
  /** Idempotent producers' state (KIP-98): checked on leader appends, rebuilt on load and truncation. */
  readonly producerStateManager: ProducerStateManager;
  readonly topic: string;
  readonly partition: number;
  private readonly time: () => number;
  /** Told the new log end offset after every truncation (the cleaner clamps its checkpoint). */
  onTruncated?: (logEndOffset: number) => void;
  /**
   * Told when this log's files can no longer be trusted (a failed write could not be undone, an
   * fsync failed): the log manager takes the whole log dir offline (Kafka's LogDirFailureChannel).
   */
  onLogDirFailure?: (logDir: string, cause: unknown) => void;
  // Why the log went offline, when it did: every later operation answers KAFKA_STORAGE_ERROR.
  private offlineReason: string | null = null;

  private constructor(
    readonly dir: string,
    private _config: LogConfig,
    options: LogOpenOptions,
  ) {
    const tp = parseTopicPartitionDirName(path.basename(dir));
    if (!tp) throw new Error(`Found directory ${dir}, '${path.basename(dir)}' is not in the form of topic-partition`);
    this.topic = tp.topic;
    this.partition = tp.partition;
    this.time = options.time ?? Date.now;
    this.logger = getLogger('kafka.log.Log', `[Log partition=${this.name}, dir=${path.dirname(dir)}] `);
    const started = this.time();
    fs.mkdirSync(dir, { recursive: true });
    this.leaderEpochCache = new LeaderEpochFileCache(path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE));
    const loaded = loadLog(
      dir,
      _config,
      {
        recoveryPoint: options.recoveryPoint ?? 0,
        logStartOffset: options.logStartOffset ?? 0,
        hadCleanShutdown: options.hadCleanShutdown ?? false,
        nowMs: started,
      },
      this.leaderEpochCache,
      this.logger,
    );
    this.segments = loaded.segments;
    this.nextOffset = loaded.nextOffset;
    this._logStartOffset = loaded.logStartOffset;
    this._recoveryPoint = loaded.recoveryPoint;
    this._highWatermark = Math.min(Math.max(options.highWatermark ?? this.nextOffset, this._logStartOffset), this.nextOffset);
    this.leaderEpochCache.truncateFromEnd(this.nextOffset);
    this.leaderEpochCache.truncateFromStart(this._logStartOffset);
    this.producerStateManager = new ProducerStateManager(this.topic, this.partition, dir, options.maxProducerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    this.loadProducerState(options.hadCleanShutdown ?? false, loaded.recoveredFrom);
    this.lastFlushTime = started;
    this.logger.info(
      `Completed load of log with ${this.segments.length} segments, log start offset ${this._logStartOffset} and log end offset ${this.nextOffset} in ${this.time() - started} ms`,
    );
  }

  /** Opens (creating if needed) the log in dir, recovering it unless it was shut down cleanly. */
  static open(dir: string, config: LogConfig, options: LogOpenOptions = {}): Log {
    return new Log(dir, config, options);
  }

  get name(): string {
    return `${this.topic}-${this.partition}`;
  }

  /** Closed, or offline after a storage failure: either way it serves nothing more. */
  get isClosed(): boolean {
    return this.closed || this.offlineReason !== null;
  }

  get config(): LogConfig {
    return this._config;
  }

  get logStartOffset(): number {
    return this._logStartOffset;
  }

  /** LEO: the offset the next appended record gets. */
  get logEndOffset(): number {
    return this.nextOffset;
  }

  /** Everything below this offset is fsynced; recovery after a crash starts here. */
  get recoveryPoint(): number {
    return this._recoveryPoint;
  }

  get highWatermark(): number {
    return this._highWatermark;
  }

  /**
   * Set by the partition; retention never deletes past it. Clamped to [logStartOffset, LEO].
   * Transactions whose marker it passed become stable (Kafka's onHighWatermarkIncremented).
   */
  updateHighWatermark(offset: number): number {
    this._highWatermark = Math.min(Math.max(offset, this._logStartOffset), this.nextOffset);
    this.producerStateManager?.onHighWatermarkUpdated(this._highWatermark);
    this.updateFirstUnstableOffset();
    return this._highWatermark;
  }

  /** The first offset of an open or not yet replicated transaction; null when all are stable. */
  get firstUnstableOffset(): number | null {
    return this._firstUnstableOffset;
  }

  /** LSO: read_committed consumers read below it (KIP-98): min(first unstable offset, HW). */
  get lastStableOffset(): number {
    const unstable = this._firstUnstableOffset;
    return unstable === null ? this._highWatermark : Math.min(unstable, this._highWatermark);
  }

  /** Kafka's updateFirstUnstableOffset: never below the log start offset. */
  private updateFirstUnstableOffset(): void {
    const unstable = this.producerStateManager?.firstUnstableOffset ?? null;
    this._firstUnstableOffset = unstable === null ? null : Math.max(unstable, this._logStartOffset);
  }

  /**
   * The aborted transactions that overlap [startOffset, upperBoundOffset), from the transaction
   * indexes of the segments from the one holding startOffset on (Kafka's collectAbortedTransactions).
   */
  collectAbortedTransactions(startOffset: number, upperBoundOffset: number): AbortedTxn[] {
    const found: AbortedTxn[] = [];
    for (let i = Math.max(0, this.floorSegment(startOffset)); i < this.segments.length; i++) {
      const result = this.segments[i].txnIndex.collectAbortedTxns(startOffset, upperBoundOffset);
      found.push(...result.abortedTxns);
      if (result.isComplete) break;
    }
    return found;
  }

  /** An aborted transaction goes into the transaction index of the segment holding its marker. */
  private readonly indexCompletedTxn = (txn: CompletedTxn, lastStableOffset: number): void => {
    if (!txn.isAborted) return;
    const i = this.floorSegment(txn.lastOffset);
    const segment = this.segments[i >= 0 ? i : this.segments.length - 1];
    try {
      segment.txnIndex.append({ producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset, lastStableOffset });
    } catch (err) {
      // The marker is in the log but its index entry is not: read_committed readers would see the
      // aborted records. Kafka takes the log dir offline on such an IOException; so does Zafka.
      throw this.goOffline(err);
    }
  };

  /** Applies the producer-state side of a written append and moves the first unstable offset. */
  private completeProducerAppends(producers: ProducerStateAnalysis): void {
    applyProducerAppends(this.producerStateManager, producers, this.nextOffset, this.indexCompletedTxn);
    this.updateFirstUnstableOffset();
  }

  /** Total bytes of all segments. */
  get size(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  get numberOfSegments(): number {
    return this.segments.length;
  }

  get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  /** The segments, oldest first (read-only view for tools such as DescribeLogDirs). */
  logSegments(): readonly LogSegment[] {
    return this.segments;
  }

  updateConfig(config: LogConfig): void {
    this._config = config;
    for (const s of this.segments) s.updateConfig(config);
  }

  /**
   * Appends a produce request's batches (one or more v2 batches). Everything is validated first:
   * a rejected request writes nothing. Offsets from the LEO on and the leader epoch are stamped
   * in place (the caller's buffer is modified and written as is). Only the broker itself
   * (origin Coordinator: transaction markers) may append control batches.
   */
  appendAsLeader(received: Buffer, leaderEpoch: number, origin: AppendOrigin = AppendOrigin.Client): LogAppendInfo {
    this.ensureOpen();
    const { recordCount, validBytes } = validateRecords(received, this._config.maxMessageBytes, this._config.segmentBytes, true, origin === AppendOrigin.Client);
    const records = validBytes === received.length ? received : received.subarray(0, validBytes);
    const now = this.time();
    const logAppendTime = this._config.messageTimestampType === 'LogAppendTime' ? now : -1;
    const firstOffset = this.nextOffset;
    const assigned = assignOffsetsInPlace(records, firstOffset, leaderEpoch, logAppendTime);
    // Epoch and sequence checks need the assigned offsets; they throw before anything is written.
    const producers = analyzeProducerState(this.producerStateManager, records, origin);
    if (producers.duplicate) {
      // A producer's retry of a batch already in the log: Kafka answers with the original batch's
      // offsets (and its timestamp as log_append_time) and writes nothing.
      const d = producers.duplicate;
      return { firstOffset: d.firstOffset, lastOffset: d.lastOffset, maxTimestamp: assigned.maxTimestamp, offsetOfMaxTimestamp: assigned.offsetOfMaxTimestamp, logAppendTime: d.timestamp, recordCount: 0, validBytes: 0 };
    }
    this.write(records, firstOffset, assigned, now, () => this.leaderEpochCache.assign(leaderEpoch, firstOffset));
    this.completeProducerAppends(producers);
    return this.appendDone(records, firstOffset, assigned, recordCount, logAppendTime);
  }

  /**
   * Appends batches fetched from the leader, keeping their offsets and epochs. The first batch
   * must start at or after the LEO (gaps are legal: compacted logs).
   */
  appendAsFollower(records: Buffer): LogAppendInfo {
    this.ensureOpen();
    const { recordCount, batchCount } = validateRecords(records, this._config.maxMessageBytes, this._config.segmentBytes, false);
    if (batchCount === 0) {
      return { firstOffset: this.nextOffset, lastOffset: this.nextOffset - 1, maxTimestamp: -1, offsetOfMaxTimestamp: -1, logAppendTime: -1, recordCount: 0, validBytes: 0 };
    }
    const described = describeRecords(records);
    if (described.firstOffset < this.nextOffset) {
      throw new UnexpectedAppendOffsetError(
        `Unexpected offset in append to ${this.name}. First offset ${described.firstOffset} is less than the next offset ${this.nextOffset}.`,
        described.firstOffset,
        described.lastOffset,
      );
    }
    // Followers take the leader's producer state as it comes, unchecked (Kafka's ValidationType.None).
    const producers: ProducerStateAnalysis = analyzeProducerState(this.producerStateManager, records, AppendOrigin.Replication);
    this.write(records, described.firstOffset, described, this.time(), () => {
      for (let pos = 0; pos < records.length; pos += LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH)) {
        const epoch = records.readInt32BE(pos + PARTITION_LEADER_EPOCH);
        if (epoch !== this.leaderEpochCache.latestEpoch()) this.leaderEpochCache.assign(epoch, readInt64(records, pos + BASE_OFFSET));
      }
    });
    this.completeProducerAppends(producers);
    return this.appendDone(records, described.firstOffset, described, recordCount, -1);
  }

  /**
   * Writes batches to the active segment (rolling first when due), then records their leader
   * epochs. All or nothing: if any write fails (a full disk, a read-only or failing one), the
   * segment, its indexes and the epoch cache are restored as they were and the LEO does not move,
   * so the offsets of a refused append are given again to the next one and no reader or recovery
   * ever sees the refused bytes. If the restore itself fails, the log dir goes offline.
   */
  private write(records: Buffer, firstOffset: number, assigned: AssignedOffsets, now: number, recordEpochs: () => void): void {
    const epochsBefore = this.leaderEpochCache.entries();
    let segment: LogSegment | undefined;
    let before: SegmentAppendState | undefined;
    try {
      segment = this.maybeRoll(records.length, assigned.maxTimestamp, assigned.lastOffset, firstOffset, now);
      before = segment.appendState();
      segment.append(records, assigned.lastOffset);
      recordEpochs();
    } catch (err) {
      throw this.appendFailed(err, segment, before, epochsBefore);
    }
    this.nextOffset = assigned.lastOffset + 1;
  }

  /** Undoes a failed write and says what to throw: KAFKA_STORAGE_ERROR for any disk failure. */
  private appendFailed(err: unknown, segment: LogSegment | undefined, before: SegmentAppendState | undefined, epochsBefore: readonly EpochEntry[]): unknown {
    if (err instanceof LogRollbackError) return this.goOffline(err);
    try {
      if (segment && before) segment.restore(before, err); // segment.append restored itself; this undoes a later failure
    } catch (rollbackErr) {
      return this.goOffline(rollbackErr);
    }
    this.leaderEpochCache.restore(epochsBefore);
    if (!isStorageError(err)) return err;
    // A full disk (ENOSPC, EDQUOT) is the one failure that heals in place: the append was undone,
    // so the log stays online and appends succeed again once space is freed. Anything else (EROFS,
    // EIO, ...) means the disk itself is failing: Kafka's rule, the log dir goes offline.
    if (!isOutOfSpace(err)) return this.goOffline(err);
    return new KafkaStorageError(`Error while appending records to ${this.name} in dir ${path.dirname(this.dir)}: ${describeStorageError(err)}. Nothing was kept; the log end offset stays ${this.nextOffset}.`, err);
  }

  /**
   * The files no longer match this log (Kafka: an IOException marks the log dir offline). The
   * log refuses everything from now on; the log manager takes its whole dir offline.
   */
  private goOffline(cause: unknown): KafkaStorageError {
    const reason = describeStorageError(cause);
    if (this.offlineReason === null) {
      this.offlineReason = reason;
      this.logger.error(`Log can no longer be trusted and goes offline: ${reason}`);
      this.onLogDirFailure?.(path.dirname(this.dir), cause);
    }
    return new KafkaStorageError(`Log ${this.name} in dir ${path.dirname(this.dir)} is offline: ${reason}`, cause);
  }

  /** True once the log went offline (its dir failed): it serves nothing until the broker restarts. */
  get isOffline(): boolean {
    return this.offlineReason !== null;
  }

  /** The log manager took this log's dir offline because another log in it failed. */
  markOffline(reason: string): void {
    if (this.offlineReason === null) this.offlineReason = reason;
  }

  private appendDone(records: Buffer, firstOffset: number, assigned: AssignedOffsets, recordCount: number, logAppendTime: number): LogAppendInfo {
    if (this.nextOffset - this._recoveryPoint >= this._config.flushMessages) this.flush();
    return {
      firstOffset,
      lastOffset: assigned.lastOffset,
      maxTimestamp: assigned.maxTimestamp,
      offsetOfMaxTimestamp: assigned.offsetOfMaxTimestamp,
      logAppendTime,
      recordCount,
      validBytes: records.length,
    };
  }

  /** Kafka's shouldRoll: size, segment.ms (from the first batch's timestamp), full index, int32 overflow. */
  private maybeRoll(size: number, maxTimestamp: number, maxOffset: number, firstOffset: number, now: number): LogSegment {
    const segment = this.activeSegment;
    if (
      segment.size > this._config.segmentBytes - size ||
      (segment.size > 0 && segment.timeWaitedForRoll(now, maxTimestamp) > this._config.segmentMs) ||
      segment.offsetIndex.isFull() ||
      segment.timeIndex.isFull() ||
      !segment.canConvertToRelativeOffset(maxOffset)
    ) {
      return this.roll(firstOffset);
    }
    return segment;
  }

  /**
   * Starts a new active segment at max(expectedNextOffset, LEO). The old one gets its final time
   * index entry and is fsynced off the event loop; the recovery point then moves to the new base.
   */
  roll(expectedNextOffset = 0): LogSegment {
    this.ensureOpen();
    const newOffset = Math.max(expectedNextOffset, this.nextOffset);
    const active = this.activeSegment;
    if (active.baseOffset === newOffset && active.size === 0) return active;
    if (newOffset <= active.baseOffset) throw new Error(`Trying to roll a new log segment for ${this.name} at ${newOffset}, not above the active segment's base ${active.baseOffset}`);
    active.onBecomeInactiveSegment();
    this.removeLeftoverFiles(newOffset);
    // A snapshot at the new segment's base: recovering that segment starts from it (Kafka's roll).
    // The new base may be ahead of the state's end (a follower's gap), hence the override.
    this.producerStateManager.updateMapEndOffset(newOffset);
    this.producerStateManager.takeSnapshot();
    const segment = new LogSegment(this.dir, newOffset, this._config, this.time());
    this.segments.push(segment);
    this.flushAsyncUpTo(newOffset);
    this.logger.info(`Rolled new log segment at offset ${newOffset}.`);
    return segment;
  }

  /**
   * Whole batches from the one containing startOffset, from one segment: up to maxBytes, none
   * whose last offset is >= maxOffsetExclusive (the HW for consumers, the LEO for followers), and
   * with minOneMessage at least the first batch even when larger than maxBytes (KIP-74).
   */
  read(startOffset: number, maxBytes: number, maxOffsetExclusive = this.nextOffset, minOneMessage = true): LogReadInfo {
    this.ensureOpen();
    if (startOffset > this.nextOffset || startOffset < this._logStartOffset) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Received request for offset ${startOffset} for partition ${this.name}, but we only have log segments in the range ${this._logStartOffset} to ${this.nextOffset}.`,
      );
    }
    if (startOffset === this.nextOffset) return { records: EMPTY, firstEntryOffset: startOffset };
    for (let i = Math.max(0, this.floorSegment(startOffset)); i < this.segments.length; i++) {
      const result = this.segments[i].read(startOffset, maxBytes, maxOffsetExclusive, minOneMessage);
      if (result) return { records: result.records, firstEntryOffset: result.firstEntryOffset };
    }
    return { records: EMPTY, firstEntryOffset: startOffset };
  }

  /** fsyncs every segment holding offsets in [recoveryPoint, upTo) and advances the recovery point. */
  flush(upTo = this.nextOffset): void {
    this.ensureOpen();
    const target = Math.min(upTo, this.nextOffset);
    if (target <= this._recoveryPoint) return;
    try {
      for (const segment of this.segmentsOverlapping(this._recoveryPoint, target)) segment.flush();
    } catch (err) {
      // After a failed fsync the page cache may already have dropped the data (Kafka, and
      // PostgreSQL's "fsyncgate"): nothing written since the recovery point can be vouched for.
      throw this.goOffline(err);
    }
    this._recoveryPoint = target;
    this.lastFlushTime = this.time();
  }

  /** flush.ms: called periodically by the log manager's flusher. */
  flushIfDue(nowMs: number): void {
    if (nowMs - this.lastFlushTime >= this._config.flushMs && this.nextOffset > this._recoveryPoint) this.flush();
  }

  private flushAsyncUpTo(offset: number): void {
    const generation = this.truncations;
    const segments = this.segmentsOverlapping(this._recoveryPoint, offset);
    Promise.all(segments.map((s) => s.flushAsync()))
      .then(() => {
        if (!this.closed && generation === this.truncations && offset > this._recoveryPoint && offset <= this.nextOffset) {
          this._recoveryPoint = offset;
          this.lastFlushTime = this.time();
        }
      })
      .catch((err: NodeJS.ErrnoException) => {
        // EIO: the disk lost data the page cache held (Kafka takes the dir offline on a failed
        // flush). Anything else means the segment was closed or deleted meanwhile: a later flush
        // covers what is left.
        if (err?.code === 'EIO' && !this.closed) this.goOffline(err);
      });
  }

  /**
   * Removes everything from targetOffset on (a follower diverging from its leader). Truncation is
   * by whole batches, so the LEO may end below targetOffset. Returns false if nothing was removed.
   */
  truncateTo(targetOffset: number): boolean {
    this.ensureOpen();
    if (targetOffset < 0) throw new Error(`Cannot truncate partition ${this.name} to a negative offset (${targetOffset}).`);
    if (targetOffset >= this.nextOffset) return false;
    this.logger.info(`Truncating to offset ${targetOffset}`);
    if (this.segments[0].baseOffset > targetOffset) {
      this.truncateFullyAndStartAt(targetOffset);
      return true;
    }
    this.truncations++;
    while (this.activeSegment.baseOffset > targetOffset) (this.segments.pop() as LogSegment).delete();
    const active = this.activeSegment;
    active.truncateTo(targetOffset, this.time());
    this.nextOffset = active.readNextOffset();
    this._logStartOffset = Math.min(this._logStartOffset, this.nextOffset);
    this._recoveryPoint = Math.min(this._recoveryPoint, this.nextOffset);
    this._highWatermark = Math.min(this._highWatermark, this.nextOffset);
    this.leaderEpochCache.truncateFromEnd(this.nextOffset);
    // The removed batches may have been the last of some producers: rebuild (Kafka: loadProducerState).
    rebuildProducerState(this.producerStateManager, this.segments, { logStartOffset: this._logStartOffset, lastOffset: this.nextOffset, reloadFromCleanShutdown: false, nowMs: this.time() });
    this.producerStateManager.onHighWatermarkUpdated(this._highWatermark);
    this.updateFirstUnstableOffset();
    this.onTruncated?.(this.nextOffset);
    return true;
  }

  /** Deletes every segment and starts empty at newOffset (a replica too far behind its leader). */
  truncateFullyAndStartAt(newOffset: number): void {
    this.ensureOpen();
    this.logger.info(`Truncate and start at offset ${newOffset}`);
    this.truncations++;
    for (const s of this.segments) s.delete();
    this.removeLeftoverFiles(newOffset);
    this.segments = [new LogSegment(this.dir, newOffset, this._config, this.time())];
    this.nextOffset = newOffset;
    this._logStartOffset = newOffset;
    this._recoveryPoint = newOffset;
    this._highWatermark = newOffset;
    this.leaderEpochCache.clearAndFlush();
    this.producerStateManager.truncate();
    this.producerStateManager.updateMapEndOffset(newOffset);
    this.updateFirstUnstableOffset();
    this.onTruncated?.(newOffset);
  }

  /**
   * DeleteRecords: moves the log start offset up (never down). Segments wholly below it go at the
   * next retention check. The partition checks the bound against the high watermark; the log can
   * only check the LEO. Returns whether it moved.
   */
  maybeIncrementLogStartOffset(offset: number): boolean {
    this.ensureOpen();
    if (offset > this.nextOffset) {
      throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `Cannot increment the log start offset to ${offset} of partition ${this.name} since it is larger than the log end offset ${this.nextOffset}`);
    }
    if (offset <= this._logStartOffset) return false;
    this.logger.info(`Incrementing log start offset to ${offset}`);
    this._logStartOffset = offset;
    this._highWatermark = Math.max(this._highWatermark, offset);
    this.leaderEpochCache.truncateFromStart(offset);
    this.producerStateManager.truncateHead(offset);
    this.updateFirstUnstableOffset();
    return true;
  }

  /**
   * The retention task: with cleanup.policy containing delete, segments past retention.ms (by
   * their largest timestamp) and the oldest segments beyond retention.bytes; for any policy,
   * segments wholly below the log start offset. Returns how many segments were deleted.
   */
  deleteRetentionAndSizeBreached(nowMs: number = this.time()): number {
    this.ensureOpen();
    let deleted = 0;
    if (this._config.cleanupPolicy.split(',').includes('delete')) {
      const retentionMs = this._config.retentionMs;
      if (retentionMs >= 0) {
        deleted += this.deleteOldSegments((s) => nowMs - s.largestTimestamp > retentionMs, `retention time ${retentionMs}ms breach`);
      }
      const retentionBytes = this._config.retentionBytes;
      const size = this.size;
      if (retentionBytes >= 0 && size >= retentionBytes) {
        let diff = size - retentionBytes;
        deleted += this.deleteOldSegments((s) => {
          if (diff - s.size < 0) return false;
          diff -= s.size;
          return true;
        }, `retention size in bytes ${retentionBytes} breach`);
      }
    }
    deleted += this.deleteOldSegments((_s, next) => next !== undefined && next.baseOffset <= this._logStartOffset, `log start offset ${this._logStartOffset} breach`);
    return deleted;
  }

  /**
   * Deletes the oldest segments while the predicate holds and they are below the high watermark.
   * When every segment goes, the active one is rolled first so the log keeps an (empty) segment.
   */
  private deleteOldSegments(predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean, reason: string): number {
    let count = 0;
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      const next = this.segments[i + 1];
      const upperBound = next ? next.baseOffset : this.nextOffset;
      const isLastAndEmpty = next === undefined && segment.size === 0;
      if (isLastAndEmpty || this._highWatermark < upperBound || !predicate(segment, next)) break;
      count++;
    }
    if (count === 0) return 0;
    if (count === this.segments.length) this.roll();
    const deletable = this.segments.splice(0, count);
    this.logger.info(`Found deletable segments with base offsets [${deletable.map((s) => s.baseOffset).join(',')}] due to ${reason}`);
    for (const s of deletable) s.delete();
    this._logStartOffset = Math.max(this._logStartOffset, this.segments[0].baseOffset);
    this._recoveryPoint = Math.max(this._recoveryPoint, this.segments[0].baseOffset);
    this.leaderEpochCache.truncateFromStart(this._logStartOffset);
    this.producerStateManager.truncateHead(this._logStartOffset);
    this.updateFirstUnstableOffset();
    return count;
  }

  /**
   * Swaps a compacted segment (written with the .cleaned suffix and flushed) in for the contiguous
   * inactive segments it was made from, in one synchronous step, in Kafka's crash-safe order:
   * .cleaned -> .swap, old files -> .deleted, then .swap -> final name (log-loader finishes a swap a
   * crash interrupted). Returns false, changing nothing, when `old` is no longer a run of inactive
   * segments of this log (a truncation or retention got there first).
   */
  replaceSegments(cleaned: LogSegment, old: readonly LogSegment[]): boolean {
    if (this.closed || old.length === 0 || cleaned.baseOffset !== old[0].baseOffset) return false;
    const start = this.segments.indexOf(old[0]);
    if (start < 0 || start + old.length >= this.segments.length) return false;
    for (let i = 0; i < old.length; i++) if (this.segments[start + i] !== old[i]) return false;
    cleaned.changeFileSuffixes(CLEANED_FILE_SUFFIX, SWAP_FILE_SUFFIX);
    for (const s of old) s.changeFileSuffixes('', DELETED_FILE_SUFFIX);
    this.segments.splice(start, old.length, cleaned);
    cleaned.changeFileSuffixes(SWAP_FILE_SUFFIX, '');
    // Reads are synchronous, so no reader still holds the old files: delete them now.
    for (const s of old) s.delete();
    return true;
  }

  /**
   * ListOffsets: EARLIEST_TIMESTAMP (-2) gives the log start offset, LATEST_TIMESTAMP (-1) the LEO
   * (the partition narrows it to the HW for consumers), any other the first record with timestamp
   * >= ts at or after the log start offset, or null when there is none.
   */
  offsetForTimestamp(ts: number): TimestampOffset | null {
    this.ensureOpen();
    if (ts === EARLIEST_TIMESTAMP) return { offset: this._logStartOffset, timestamp: -1 };
    if (ts === LATEST_TIMESTAMP) return { offset: this.nextOffset, timestamp: -1 };
    for (let i = Math.max(0, this.floorSegment(this._logStartOffset)); i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (segment.maxTimestamp < ts) continue;
      const found = segment.findOffsetByTimestamp(ts, this._logStartOffset);
      if (found) return found;
    }
    return null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A snapshot at the log end, so the next start replays nothing (Kafka's Log.close).
    if (this.offlineReason === null) this.producerStateManager.takeSnapshot();
    for (const s of this.segments) s.close();
  }

  /**
   * Rebuilds the producer state up to the log end from the latest snapshot and the batches after
   * it. Runs at open, after the segments were recovered.
   */
  private loadProducerState(hadCleanShutdown: boolean, recoveredFrom: number | null): void {
    let onCompletedTxn: ((txn: CompletedTxn, lastStableOffset: number) => void) | undefined;
    if (recoveredFrom !== null) {
      // Kafka's recoverSegment: the transaction indexes of re-validated segments are rebuilt from
      // the markers replayed, so the replay must start at or below the first of them.
      for (const s of this.segments) if (s.baseOffset >= recoveredFrom) s.txnIndex.reset();
      deleteProducerSnapshots(this.dir, (offset) => offset > recoveredFrom);
      onCompletedTxn = (txn, lastStableOffset) => {
        if (txn.lastOffset >= recoveredFrom) this.indexCompletedTxn(txn, lastStableOffset);
      };
    }
    rebuildProducerState(this.producerStateManager, this.segments, { logStartOffset: this._logStartOffset, lastOffset: this.nextOffset, reloadFromCleanShutdown: hadCleanShutdown, nowMs: this.time(), onCompletedTxn });
    // Transactions completed below the checkpointed HW are stable already.
    this.producerStateManager.onHighWatermarkUpdated(this._highWatermark);
    this.updateFirstUnstableOffset();
  }

  /**
   * After the recovery point was checkpointed: keep the snapshots of the last two segments and
   * those from the segment below the recovery point on (recovery replays from there), delete older
   * ones (Kafka's deleteSnapshotsAfterRecoveryPointCheckpoint).
   */
  deleteSnapshotsAfterRecoveryPointCheckpoint(): number {
    const active = this.activeSegment;
    const below = (offset: number): number | undefined => {
      const i = this.floorSegment(offset - 1);
      return i >= 0 && this.segments[i].baseOffset < offset ? this.segments[i].baseOffset : undefined;
    };
    const twoSegmentsMinOffset = below(active.baseOffset) ?? active.baseOffset;
    const recoveryPointOffset = below(this._recoveryPoint) ?? this._recoveryPoint;
    const minOffsetToRetain = Math.min(recoveryPointOffset, twoSegmentsMinOffset);
    this.producerStateManager.deleteSnapshotsBefore(minOffsetToRetain);
    return minOffsetToRetain;
  }

  /** Forgets producers idle past transactional.id.expiration.ms (run every 10 minutes, as Kafka). */
  removeExpiredProducers(nowMs: number = this.time()): number {
    if (this.isClosed) return 0;
    return this.producerStateManager.removeExpiredProducers(nowMs);
  }

  /** Closes the log and removes its directory. */
  delete(): void {
    this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Index of the last segment with baseOffset <= offset, -1 if none. */
  private floorSegment(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid].baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Segments holding offsets in [from, to). */
  private segmentsOverlapping(from: number, to: number): LogSegment[] {
    const start = Math.max(0, this.floorSegment(from));
    return this.segments.slice(start).filter((s) => s.baseOffset < to);
  }

  /** A file left at a new segment's name (say by an earlier incarnation) must not be appended to. */
  private removeLeftoverFiles(baseOffset: number): void {
    const prefix = filenamePrefixFromOffset(baseOffset);
    for (const name of fs.readdirSync(this.dir)) {
      // The producer snapshot at that offset was just taken for this very segment (roll).
      if (name.startsWith(prefix + '.') && !name.endsWith(PRODUCER_SNAPSHOT_FILE_SUFFIX)) {
        this.logger.warn(`Deleting leftover file ${name} before creating a segment at offset ${baseOffset}`);
        fs.rmSync(path.join(this.dir, name), { force: true });
      }
    }
  }

  private ensureOpen(): void {
    if (this.offlineReason !== null) throw new KafkaStorageError(`Log ${this.name} in dir ${path.dirname(this.dir)} is offline: ${this.offlineReason}`);
    if (this.closed) throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Log ${this.name} in ${this.dir} is closed`);
  }
}
