// The background compaction of logs with cleanup.policy=compact (or compact,delete), including
// __consumer_offsets (Kafka's LogCleaner + LogCleanerManager, one cleaner "thread"). A loop picks
// the filthiest log (largest dirty ratio above min.cleanable.dirty.ratio), cleans it in small
// steps on the event loop (see cleaner.ts), records how far it got in the log dir's
// cleaner-offset-checkpoint, and sleeps log.cleaner.backoff.ms whenever there is nothing to clean.
// The log manager tells it about truncations (the checkpoint is clamped, a run in progress on that
// log is aborted) and deletions (forgotten and aborted).
import * as path from 'path';
import { getLogger } from '../../logging';
import { OffsetCheckpointFile } from '../checkpoint-file';
import type { Log } from '../log';
import { CLEANER_OFFSET_CHECKPOINT_FILE, topicPartitionDirName } from '../log-file-names';
import { Cleaner, logToClean, type CleanResult, type LogToClean } from './cleaner';

export interface LogCleanerOptions {
  logDirs: string[];
  /** The logs to consider (the log manager's current set). */
  logs: () => Iterable<Log>;
  /** log.cleaner.backoff.ms (Kafka's default 15000). */
  backoffMs?: number;
  /** log.cleaner.min.cleanable.ratio (0.5); a topic's min.cleanable.dirty.ratio wins. */
  minCleanableRatio?: number;
  /** log.cleaner.min.compaction.lag.ms (0); a topic's min.compaction.lag.ms wins. */
  minCompactionLagMs?: number;
  /** Bound on the keys indexed per run (Zafka's stand-in for log.cleaner.dedupe.buffer.size). */
  maxMapEntries?: number;
  /** Source bytes processed per event-loop step (default 1 MiB). */
  stepBytes?: number;
  time?: () => number;
}

export class LogCleaner {
  private readonly logger = getLogger('kafka.log.LogCleaner', 'Cleaner 0: ');
  private readonly cleaner: Cleaner;
  private readonly time: () => number;
  private readonly logDirs: string[];
  /** "<topic>-<partition>" -> first dirty offset, from and for cleaner-offset-checkpoint. */
  private readonly checkpoints = new Map<string, number>();
  /** Logs whose cleaning failed (Kafka's uncleanable partitions): skipped until reloaded. */
  private readonly uncleanable = new WeakSet<Log>();
  private inProgress: Log | null = null;
  private abortRequested = false;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private sleepTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: LogCleanerOptions) {
    this.time = options.time ?? Date.now;
    this.logDirs = options.logDirs.map((d) => path.resolve(d));
    this.cleaner = new Cleaner({ maxMapEntries: options.maxMapEntries ?? 1_000_000, stepBytes: options.stepBytes ?? 1024 * 1024, logger: this.logger });
    for (const dir of this.logDirs) {
      try {
        for (const [key, offset] of new OffsetCheckpointFile(path.join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)).readMap()) this.checkpoints.set(key, offset);
      } catch (err) {
        // As Kafka: an unreadable checkpoint only means cleaning starts over from the log start.
        this.logger.warn(`Error reading ${path.join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)}, ignoring it: ${(err as Error).message}`);
      }
    }
  }

  /** Starts the background loop. */
  startup(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.logger.info('Starting the log cleaner');
    this.loop = this.run();
  }

  /** Stops the loop; a run in progress stops at its next step, leaving the log unchanged. */
  shutdown(): Promise<void> {
    this.stopped = true;
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wake?.();
    return this.loop ?? Promise.resolve();
  }

  /** The checkpointed first dirty offset of a partition, if any. */
  checkpointOf(topic: string, partition: number): number | undefined {
    return this.checkpoints.get(topicPartitionDirName(topic, partition));
  }

  /** Kafka's maybeTruncateCheckpoint, called after every truncation of the log. */
  maybeTruncateCheckpoint(log: Log, logEndOffset: number): void {
    if (this.inProgress === log) this.abortRequested = true;
    const key = log.name;
    const current = this.checkpoints.get(key);
    if (current !== undefined && current > logEndOffset) {
      this.checkpoints.set(key, logEndOffset);
      this.writeCheckpoint(path.dirname(log.dir));
    }
  }

  /** The log is being deleted: abort any run on it and drop its checkpoint entry. */
  abortAndForget(log: Log): void {
    if (this.inProgress === log) this.abortRequested = true;
    if (this.checkpoints.delete(log.name)) this.writeCheckpoint(path.dirname(log.dir));
  }

  /** Cleans the filthiest log, if one is dirty enough. True when a log was cleaned. */
  async cleanFilthiestLog(): Promise<boolean> {
    const ltc = this.grabFilthiestCompactedLog(this.time());
    if (!ltc) return false;
    return (await this.cleanLog(ltc)) !== null;
  }

  /** Cleans one log now, whatever its dirty ratio (tests and tools); null when aborted or not compacted. */
  async cleanLog(ltc: LogToClean): Promise<CleanResult | null> {
    const log = ltc.log;
    if (this.inProgress) throw new Error(`The cleaner is already cleaning ${this.inProgress.name}`);
    this.inProgress = log;
    this.abortRequested = false;
    const started = this.time();
    try {
      const result = await this.cleaner.clean(ltc, () => this.abortRequested || log.isClosed);
      if (!result) {
        this.logger.info(`Cleaning of log ${log.name} was aborted`);
        return null;
      }
      this.checkpoints.set(log.name, result.endOffset);
      this.writeCheckpoint(path.dirname(log.dir));
      const s = result.stats;
      this.logger.info(
        `Cleaned log ${log.name} (dirty section = [${ltc.firstDirtyOffset}, ${result.endOffset})): ${s.recordsRead} records read, ${s.recordsKept} kept` +
          `${s.keylessRecords > 0 ? `, ${s.keylessRecords} without a key dropped` : ''}; ${result.bytesRead} bytes read, ${result.bytesWritten} written, ${result.groups} segment group(s), in ${this.time() - started} ms`,
      );
      return result;
    } catch (err) {
      this.uncleanable.add(log);
      this.logger.error(`Unexpected exception cleaning log ${log.name}; it will not be cleaned again until reloaded: ${(err as Error).stack ?? String(err)}`);
      return null;
    } finally {
      this.inProgress = null;
    }
  }

  /** The dirty section of a log as the cleaner sees it now. */
  logToClean(log: Log, nowMs: number = this.time()): LogToClean {
    const lag = log.config.minCompactionLagMs ?? this.options.minCompactionLagMs ?? 0;
    return logToClean(log, this.checkpoints.get(log.name), nowMs, lag);
  }

  /** Kafka's grabFilthiestCompactedLog. */
  private grabFilthiestCompactedLog(nowMs: number): LogToClean | null {
    let best: LogToClean | null = null;
    for (const log of this.options.logs()) {
      if (log.isClosed || this.uncleanable.has(log) || !log.config.cleanupPolicy.split(',').includes('compact')) continue;
      const ltc = this.logToClean(log, nowMs);
      const minRatio = log.config.minCleanableDirtyRatio ?? this.options.minCleanableRatio ?? 0.5;
      if (ltc.cleanableBytes === 0 || ltc.cleanableRatio <= minRatio) continue;
      if (!best || ltc.cleanableRatio > best.cleanableRatio) best = ltc;
    }
    return best;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let cleaned = false;
      try {
        cleaned = await this.cleanFilthiestLog();
      } catch (err) {
        this.logger.error(`Error in the log cleaner: ${(err as Error).stack ?? String(err)}`);
      }
      if (!cleaned && !this.stopped) await this.sleep(this.options.backoffMs ?? 15000);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.sleepTimer = null;
        resolve();
      };
      this.sleepTimer = setTimeout(() => this.wake?.(), ms);
      this.sleepTimer.unref();
    });
  }

  /** Kafka's updateCheckpoints: the entries of the logs that live in dir (others are dropped). */
  private writeCheckpoint(dir: string): void {
    const entries = [];
    for (const log of this.options.logs()) {
      if (path.dirname(log.dir) !== dir) continue;
      const offset = this.checkpoints.get(log.name);
      if (offset !== undefined) entries.push({ topic: log.topic, partition: log.partition, offset });
    }
    try {
      new OffsetCheckpointFile(path.join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)).write(entries);
    } catch (err) {
      this.logger.error(`Error writing ${path.join(dir, CLEANER_OFFSET_CHECKPOINT_FILE)}: ${(err as Error).message}`);
    }
  }
}
