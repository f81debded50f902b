// All partition logs of this broker across log.dirs (Kafka's LogManager): loading at startup
// (with or without a clean shutdown), creating and deleting logs, the recovery-point /
// log-start-offset / replication-offset checkpoints, the retention and flush tasks, and the
// clean-shutdown marker that lets the next start skip recovery.
import * as fs from 'fs';
import * as path from 'path';
import { getLogger } from '../logging';
import { OffsetCheckpointFile, type TopicPartitionOffset } from './checkpoint-file';
import { LogCleaner } from './cleaner/log-cleaner';
import { Log } from './log';
import type { LogConfig } from './log-config';
import {
  CLEAN_SHUTDOWN_FILE,
  DELETE_DIR_SUFFIX,
  FUTURE_DIR_SUFFIX,
  LOG_START_OFFSET_CHECKPOINT_FILE,
  RECOVERY_POINT_CHECKPOINT_FILE,
  REPLICATION_OFFSET_CHECKPOINT_FILE,
  deleteDirName,
  parseTopicPartitionDirName,
  topicPartitionDirName,
} from './log-file-names';

export interface LogManagerOptions {
  logDirs: string[];
  defaultConfig: LogConfig;
  /** The config of a topic's logs found at startup (topic overrides from /config/topics). */
  topicConfigOf?: (topic: string) => LogConfig;
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms */
  flushCheckpointIntervalMs?: number;
  /** log.flush.start.offset.checkpoint.interval.ms */
  flushStartOffsetCheckpointIntervalMs?: number;
  /** log.flush.scheduler.interval.ms: how often flush.ms is checked; unset = never (Kafka's default). */
  flushCheckIntervalMs?: number;
  /** log.cleaner.enable: compact logs with cleanup.policy=compact (default true, as Kafka). */
  cleanerEnable?: boolean;
  /** log.cleaner.backoff.ms (15000) */
  cleanerBackoffMs?: number;
  /** log.cleaner.min.cleanable.ratio (0.5) */
  cleanerMinCleanableRatio?: number;
  /** log.cleaner.min.compaction.lag.ms (0) */
  cleanerMinCompactionLagMs?: number;
  time?: () => number;
}

export class LogManager {
  private readonly logs = new Map<string, Log>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly logger = getLogger('kafka.log.LogManager');
  private readonly time: () => number;
  private readonly logDirs: string[];
  private logCleaner: LogCleaner | null = null;

  constructor(private readonly options: LogManagerOptions) {
    this.time = options.time ?? Date.now;
    this.logDirs = options.logDirs.map((d) => path.resolve(d));
  }

  /** Loads every log under every log dir, then starts the periodic tasks. */
  startup(): void {
    for (const dir of this.logDirs) this.loadLogDir(dir);
    this.schedule(this.options.retentionCheckIntervalMs ?? 300000, () => this.cleanupLogs());
    this.schedule(this.options.flushCheckpointIntervalMs ?? 60000, () => this.checkpointRecoveryPoints());
    this.schedule(this.options.flushStartOffsetCheckpointIntervalMs ?? 60000, () => this.checkpointLogStartOffsets());
    if (this.options.flushCheckIntervalMs !== undefined) this.schedule(this.options.flushCheckIntervalMs, () => this.flushDirtyLogs());
    if (this.options.cleanerEnable ?? true) {
      this.logCleaner = new LogCleaner({
        logDirs: this.logDirs,
        logs: () => this.logs.values(),
        backoffMs: this.options.cleanerBackoffMs,
        minCleanableRatio: this.options.cleanerMinCleanableRatio,
        minCompactionLagMs: this.options.cleanerMinCompactionLagMs,
        time: this.time,
      });
      this.logCleaner.startup();
    }
  }

  /** The log cleaner, when log.cleaner.enable is on and the manager has started. */
  get cleaner(): LogCleaner | null {
    return this.logCleaner;
  }

  /** Truncations clamp the cleaner's checkpoint (Kafka's LogManager.truncateTo does the same). */
  private watch(log: Log): Log {
    log.onTruncated = (logEndOffset) => this.logCleaner?.maybeTruncateCheckpoint(log, logEndOffset);
    return log;
  }

  private schedule(intervalMs: number, task: () => void): void {
    const timer = setInterval(() => {
      try {
        task();
      } catch (err) {
        this.logger.error(`Error in scheduled log task: ${(err as Error).stack ?? String(err)}`);
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private loadLogDir(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = fs.existsSync(marker);
    if (!hadCleanShutdown) this.logger.info(`Attempting recovery for all logs in ${dir} since no clean shutdown file was found`);
    const recoveryPoints = this.readCheckpointSafely(path.join(dir, RECOVERY_POINT_CHECKPOINT_FILE));
    const logStartOffsets = this.readCheckpointSafely(path.join(dir, LOG_START_OFFSET_CHECKPOINT_FILE));
    const highWatermarks = this.readCheckpointSafely(path.join(dir, REPLICATION_OFFSET_CHECKPOINT_FILE));
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const logDir = path.join(dir, entry.name);
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        // A deletion that a crash interrupted: finish it.
        this.logger.info(`Deleting ${logDir}, a log scheduled for deletion before the last shutdown`);
        fs.rmSync(logDir, { recursive: true, force: true });
        continue;
      }
      if (entry.name.endsWith(FUTURE_DIR_SUFFIX)) {
        this.logger.warn(`Ignoring future log ${logDir}: moving replicas between log dirs is not supported`);
        continue;
      }
      const tp = parseTopicPartitionDirName(entry.name);
      if (!tp) continue;
      const key = topicPartitionDirName(tp.topic, tp.partition);
      if (this.logs.has(key)) {
        throw new Error(`Duplicate log directories for ${key} are found in both ${this.logs.get(key)?.dir} and ${logDir}.`);
      }
      const config = this.options.topicConfigOf?.(tp.topic) ?? this.options.defaultConfig;
      const log = Log.open(logDir, config, {
        recoveryPoint: recoveryPoints.get(key) ?? 0,
        logStartOffset: logStartOffsets.get(key) ?? 0,
        highWatermark: highWatermarks.get(key),
        hadCleanShutdown,
        time: this.time,
      });
      this.logs.set(key, this.watch(log));
    }
    // The marker only vouches for the shutdown before this start.
    fs.rmSync(marker, { force: true });
  }

  private readCheckpointSafely(file: string): Map<string, number> {
    try {
      return new OffsetCheckpointFile(file).readMap();
    } catch (err) {
      // Kafka treats an unreadable checkpoint as absent: logs then recover from offset 0.
      this.logger.warn(`Error reading ${file}, ignoring it: ${(err as Error).message}`);
      return new Map();
    }
  }

  getLog(topic: string, partition: number): Log | undefined {
    return this.logs.get(topicPartitionDirName(topic, partition));
  }

  /** The partition's log, created in the log dir holding the fewest logs when it does not exist. */
  getOrCreateLog(topic: string, partition: number, config: LogConfig = this.options.defaultConfig): Log {
    const key = topicPartitionDirName(topic, partition);
    const existing = this.logs.get(key);
    if (existing) return existing;
    const dir = this.logDirs.length === 1 ? this.logDirs[0] : this.dirWithFewestLogs();
    const log = Log.open(path.join(dir, key), config, { hadCleanShutdown: true, time: this.time });
    this.logs.set(key, this.watch(log));
    this.logger.info(`Created log for partition ${key} in ${log.dir}.`);
    return log;
  }

  /** O(logs): with one log dir (the usual case) creating N logs must not cost O(N^2). */
  private dirWithFewestLogs(): string {
    const counts = new Map<string, number>(this.logDirs.map((d) => [d, 0]));
    for (const log of this.logs.values()) {
      const parent = path.dirname(log.dir);
      counts.set(parent, (counts.get(parent) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => a[1] - b[1])[0][0];
  }

  /**
   * Removes the partition's log (StopReplica with deletePartitions, topic deletion): closed,
   * renamed to <tp>.<uuid>-delete at once (a restart finishes the job), then removed in the
   * background. The returned promise settles when the files are gone.
   */
  deleteLog(topic: string, partition: number): Promise<void> {
    const key = topicPartitionDirName(topic, partition);
    const log = this.logs.get(key);
    if (!log) return Promise.resolve();
    this.logs.delete(key);
    this.logCleaner?.abortAndForget(log);
    log.close();
    const renamed = path.join(path.dirname(log.dir), deleteDirName(topic, partition));
    fs.renameSync(log.dir, renamed);
    this.logger.info(`Log for partition ${key} is renamed to ${renamed} and is scheduled for deletion`);
    this.checkpointRecoveryPoints();
    this.checkpointLogStartOffsets();
    return fs.promises.rm(renamed, { recursive: true, force: true }).catch((err: Error) => {
      this.logger.error(`Error deleting ${renamed}: ${err.message}`);
    });
  }

  allLogs(): Log[] {
    return [...this.logs.values()];
  }

  /** Applies a topic's new config (from /config/topics) to all its logs. */
  updateTopicConfig(topic: string, config: LogConfig): void {
    for (const log of this.logs.values()) if (log.topic === topic) log.updateConfig(config);
  }

  private logsByDir(): Map<string, Log[]> {
    const byDir = new Map<string, Log[]>(this.logDirs.map((d) => [d, []]));
    for (const log of this.logs.values()) byDir.get(path.dirname(log.dir))?.push(log);
    return byDir;
  }

  checkpointRecoveryPoints(): void {
    for (const [dir, logs] of this.logsByDir()) {
      const entries = logs.map((l) => ({ topic: l.topic, partition: l.partition, offset: l.recoveryPoint }));
      new OffsetCheckpointFile(path.join(dir, RECOVERY_POINT_CHECKPOINT_FILE)).write(entries);
    }
  }

  /** Like Kafka, only logs whose start offset is above their first segment's base are written. */
  checkpointLogStartOffsets(): void {
    for (const [dir, logs] of this.logsByDir()) {
      const entries = logs
        .filter((l) => l.logStartOffset > l.logSegments()[0].baseOffset)
        .map((l) => ({ topic: l.topic, partition: l.partition, offset: l.logStartOffset }));
      new OffsetCheckpointFile(path.join(dir, LOG_START_OFFSET_CHECKPOINT_FILE)).write(entries);
    }
  }

  /** replication-offset-checkpoint of each log dir, for the partitions whose logs live there. */
  writeHighWatermarks(highWatermarks: Iterable<TopicPartitionOffset>): void {
    const byDir = new Map<string, TopicPartitionOffset[]>(this.logDirs.map((d) => [d, []]));
    for (const hw of highWatermarks) {
      const log = this.getLog(hw.topic, hw.partition);
      if (log) byDir.get(path.dirname(log.dir))?.push(hw);
    }
    for (const [dir, entries] of byDir) new OffsetCheckpointFile(path.join(dir, REPLICATION_OFFSET_CHECKPOINT_FILE)).write(entries);
  }

  /** All log dirs' replication-offset-checkpoint entries, keyed "<topic>-<partition>". */
  readHighWatermarks(): Map<string, number> {
    const all = new Map<string, number>();
    for (const dir of this.logDirs) {
      for (const [k, v] of this.readCheckpointSafely(path.join(dir, REPLICATION_OFFSET_CHECKPOINT_FILE))) all.set(k, v);
    }
    return all;
  }

  /** The retention task; returns the number of segments deleted. */
  cleanupLogs(nowMs: number = this.time()): number {
    let total = 0;
    for (const log of this.logs.values()) total += log.deleteRetentionAndSizeBreached(nowMs);
    if (total > 0) this.logger.info(`Log cleanup completed. ${total} files deleted`);
    return total;
  }

  private flushDirtyLogs(): void {
    const now = this.time();
    for (const log of this.logs.values()) log.flushIfDue(now);
  }

  /** Flush and close every log, write the checkpoints, then the clean-shutdown marker per dir. */
  shutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    void this.logCleaner?.shutdown();
    this.logCleaner = null;
    for (const log of this.logs.values()) log.flush();
    this.checkpointRecoveryPoints();
    this.checkpointLogStartOffsets();
    for (const log of this.logs.values()) log.close();
    for (const dir of this.logDirs) fs.writeFileSync(path.join(dir, CLEAN_SHUTDOWN_FILE), '');
    this.logs.clear();
    this.logger.info('Shutdown complete.');
  }
}
