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
import { KafkaStorageError, describeStorageError, isStorageError } from './storage-error';
import { StorageIncidents } from './storage-incidents';
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
  /** transactional.id.expiration.ms: idle producers' state is dropped after this long (Kafka 2.4). */
  maxProducerIdExpirationMs?: number;
  /** How often idle producers are looked for (Kafka's fixed LogManager.ProducerIdExpirationCheckIntervalMs). */
  producerIdExpirationCheckIntervalMs?: number;
  /**
   * Told after a log dir went offline (a write in it could not be undone, an fsync failed): the
   * broker tells the controller through /log_dir_event_notification (Kafka's LogDirFailureChannel).
   */
  onLogDirFailure?: (dir: string) => void;
  /** Called when no log dir is left online; Kafka halts the broker. Defaults to process.exit(1). */
  halt?: () => void;
}

export class LogManager {
  private readonly logs = new Map<string, Log>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly logger = getLogger('kafka.log.LogManager');
  private readonly time: () => number;
  private readonly logDirs: string[];
  private logCleaner: LogCleaner | null = null;
  private readonly offlineDirs = new Set<string>();
  private readonly incidents = new StorageIncidents(this.logger);

  private defaultConfig: LogConfig;
  private topicConfigOf: ((topic: string) => LogConfig) | undefined;

  constructor(private readonly options: LogManagerOptions) {
    this.time = options.time ?? Date.now;
    this.logDirs = options.logDirs.map((d) => path.resolve(d));
    this.defaultConfig = options.defaultConfig;
    this.topicConfigOf = options.topicConfigOf;
  }

  /** Loads every log under every log dir, then starts the periodic tasks. */
  startup(): void {
    this.loadLogs();
    this.startTasks();
  }

  /**
   * Loads every log under every log dir. The broker does this before it connects to ZooKeeper:
   * recovering a large log (a torn tail, a million producer ids to replay) blocks this thread for
   * seconds, and a ZooKeeper session opened first would expire meanwhile (Kafka's ZooKeeper
   * client has threads of its own; Zafka's shares the event loop).
   */
  loadLogs(): void {
    for (const dir of this.logDirs) {
      try {
        this.loadLogDir(dir);
      } catch (err) {
        if (!isStorageError(err)) throw err;
        // Kafka: a dir that cannot be read or written at start-up is offline; none left is fatal.
        this.logger.error(`Error while loading log dir ${dir}, it is offline: ${describeStorageError(err)}`);
        this.markDirOffline(dir, err);
      }
    }
    if (this.onlineLogDirs().length === 0) throw new Error(`Shutdown broker because none of the specified log dirs from ${this.logDirs.join(', ')} can be created or validated`);
  }

  /**
   * The configs learnt once ZooKeeper is reachable (dynamic broker defaults, /config/topics),
   * applied to every loaded log before retention or the cleaner first look at it.
   */
  applyConfigs(defaultConfig: LogConfig, topicConfigOf: (topic: string) => LogConfig): void {
    this.defaultConfig = defaultConfig;
    this.topicConfigOf = topicConfigOf;
    for (const log of this.logs.values()) log.updateConfig(topicConfigOf(log.topic));
  }

  /** Retention, checkpoints, producer expiry, the flusher and the cleaner. */
  startTasks(): void {
    this.schedule(this.options.retentionCheckIntervalMs ?? 300000, () => this.cleanupLogs(), 'log retention');
    this.schedule(this.options.flushCheckpointIntervalMs ?? 60000, () => this.checkpointRecoveryPoints(), 'recovery point checkpoint');
    this.schedule(this.options.flushStartOffsetCheckpointIntervalMs ?? 60000, () => this.checkpointLogStartOffsets(), 'log start offset checkpoint');
    this.schedule(this.options.producerIdExpirationCheckIntervalMs ?? 600000, () => this.removeExpiredProducers(), 'producer id expiration');
    if (this.options.flushCheckIntervalMs !== undefined) this.schedule(this.options.flushCheckIntervalMs, () => this.flushDirtyLogs(), 'log flusher');
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
    log.onLogDirFailure = (dir, cause) => this.handleLogDirFailure(dir, cause);
    return log;
  }

  /**
   * Kafka's LogManager.handleLogDirFailure: every log in the dir stops serving (KAFKA_STORAGE_ERROR
   * until the broker restarts), nothing new is created there, and its checkpoints are no longer
   * written. With no dir left the broker halts ("Shutdown broker because all log dirs ... have failed").
   */
  handleLogDirFailure(dir: string, cause: unknown): void {
    const resolved = path.resolve(dir);
    if (this.offlineDirs.has(resolved) || !this.logDirs.includes(resolved)) return;
    this.logger.error(`Stopping serving logs in dir ${resolved}: ${describeStorageError(cause)}`);
    this.markDirOffline(resolved, cause);
    if (this.onlineLogDirs().length === 0) {
      this.logger.error(`Shutdown broker because all log dirs in ${this.logDirs.join(', ')} have failed`);
      (this.options.halt ?? (() => process.exit(1)))();
      return;
    }
    this.options.onLogDirFailure?.(resolved);
  }

  private markDirOffline(dir: string, cause: unknown): void {
    this.offlineDirs.add(dir);
    const reason = `log dir ${dir} is offline (${describeStorageError(cause)})`;
    for (const log of this.logs.values()) {
      // The cleaner skips and aborts offline logs (isClosed); its checkpoint there stays as it is.
      if (path.dirname(log.dir) === dir) log.markOffline(reason);
    }
  }

  onlineLogDirs(): string[] {
    return this.logDirs.filter((d) => !this.offlineDirs.has(d));
  }

  isLogDirOnline(dir: string): boolean {
    return !this.offlineDirs.has(path.resolve(dir));
  }

  private schedule(intervalMs: number, task: () => void, name = 'scheduled log task'): void {
    const timer = setInterval(() => {
      try {
        task();
        this.incidents.succeeded(name);
      } catch (err) {
        // Once per incident: a full or read-only disk fails the same task every interval.
        this.incidents.failed(name, `Error in ${name}: ${(err as Error).stack ?? String(err)}`);
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
      const config = this.topicConfigOf?.(tp.topic) ?? this.defaultConfig;
      const log = Log.open(logDir, config, {
        recoveryPoint: recoveryPoints.get(key) ?? 0,
        logStartOffset: logStartOffsets.get(key) ?? 0,
        highWatermark: highWatermarks.get(key),
        hadCleanShutdown,
        time: this.time,
        maxProducerIdExpirationMs: this.options.maxProducerIdExpirationMs,
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

  /**
   * The partition's log, created in the log dir holding the fewest logs when it does not exist.
   * Kafka's rule: while a log dir is offline, only a new replica (LeaderAndIsr isNew) may get a
   * new log; an existing replica's log may be in the offline dir, and an empty stand-in could be
   * elected leader and lose what the real one held.
   */
  getOrCreateLog(topic: string, partition: number, config: LogConfig = this.defaultConfig, isNew = true): Log {
    const key = topicPartitionDirName(topic, partition);
    const existing = this.logs.get(key);
    if (existing) return existing;
    const online = this.onlineLogDirs();
    if (online.length === 0) throw new KafkaStorageError(`Cannot create log for ${key}: no log dir is online`);
    if (!isNew && this.offlineDirs.size > 0) {
      throw new KafkaStorageError(`Can not create log for ${key} because log directories ${[...this.offlineDirs].join(',')} are offline`);
    }
    const dir = online.length === 1 ? online[0] : this.dirWithFewestLogs(online);
    const log = Log.open(path.join(dir, key), config, { hadCleanShutdown: true, time: this.time, maxProducerIdExpirationMs: this.options.maxProducerIdExpirationMs });
    this.logs.set(key, this.watch(log));
    this.logger.info(`Created log for partition ${key} in ${log.dir}.`);
    return log;
  }

  /** O(logs): with one log dir (the usual case) creating N logs must not cost O(N^2). */
  private dirWithFewestLogs(dirs: readonly string[]): string {
    const counts = new Map<string, number>(dirs.map((d) => [d, 0]));
    for (const log of this.logs.values()) {
      const parent = path.dirname(log.dir);
      if (counts.has(parent)) counts.set(parent, (counts.get(parent) ?? 0) + 1);
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

  /**
   * Each log dir (absolute path) with the logs it holds: online dirs only (checkpoints of an
   * offline dir are left as they are, as Kafka does) unless includeOffline (DescribeLogDirs).
   */
  logsByDir(includeOffline = false): Map<string, Log[]> {
    const byDir = new Map<string, Log[]>((includeOffline ? this.logDirs : this.onlineLogDirs()).map((d) => [d, []]));
    for (const log of this.logs.values()) byDir.get(path.dirname(log.dir))?.push(log);
    return byDir;
  }

  checkpointRecoveryPoints(): void {
    const writes: Array<() => void> = [];
    for (const [dir, logs] of this.logsByDir()) {
      const entries = logs.map((l) => ({ topic: l.topic, partition: l.partition, offset: l.recoveryPoint }));
      writes.push(() => {
        new OffsetCheckpointFile(path.join(dir, RECOVERY_POINT_CHECKPOINT_FILE)).write(entries);
        // Kafka's checkpointLogRecoveryOffsetsInDir: snapshots no recovery can need any more go.
        for (const log of logs) if (!log.isClosed) log.deleteSnapshotsAfterRecoveryPointCheckpoint();
      });
    }
    writeEach(writes);
  }

  /** Drops producers idle past transactional.id.expiration.ms from every online log. */
  removeExpiredProducers(): void {
    const now = this.time();
    for (const log of this.logs.values()) if (!log.isClosed) log.removeExpiredProducers(now);
  }

  /** Like Kafka, only logs whose start offset is above their first segment's base are written. */
  checkpointLogStartOffsets(): void {
    const writes: Array<() => void> = [];
    for (const [dir, logs] of this.logsByDir()) {
      const entries = logs
        .filter((l) => l.logStartOffset > l.logSegments()[0].baseOffset)
        .map((l) => ({ topic: l.topic, partition: l.partition, offset: l.logStartOffset }));
      writes.push(() => new OffsetCheckpointFile(path.join(dir, LOG_START_OFFSET_CHECKPOINT_FILE)).write(entries));
    }
    writeEach(writes);
  }

  /** replication-offset-checkpoint of each log dir, for the partitions whose logs live there. */
  writeHighWatermarks(highWatermarks: Iterable<TopicPartitionOffset>): void {
    const byDir = new Map<string, TopicPartitionOffset[]>(this.onlineLogDirs().map((d) => [d, []]));
    for (const hw of highWatermarks) {
      const log = this.getLog(hw.topic, hw.partition);
      if (log) byDir.get(path.dirname(log.dir))?.push(hw);
    }
    writeEach([...byDir].map(([dir, entries]) => () => new OffsetCheckpointFile(path.join(dir, REPLICATION_OFFSET_CHECKPOINT_FILE)).write(entries)));
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
    for (const log of this.logs.values()) if (!log.isOffline) total += log.deleteRetentionAndSizeBreached(nowMs);
    if (total > 0) this.logger.info(`Log cleanup completed. ${total} files deleted`);
    return total;
  }

  private flushDirtyLogs(): void {
    const now = this.time();
    for (const log of this.logs.values()) if (!log.isOffline) log.flushIfDue(now);
  }

  /** Flush and close every log, write the checkpoints, then the clean-shutdown marker per dir. */
  shutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    void this.logCleaner?.shutdown();
    this.logCleaner = null;
    // The clean-shutdown marker vouches that every log of the dir was flushed and checkpointed:
    // a dir where that failed (full, read-only, offline) gets none and is recovered at next start.
    const failed = new Set<string>(this.offlineDirs);
    for (const log of this.logs.values()) {
      const dir = path.dirname(log.dir);
      if (failed.has(dir)) continue;
      try {
        log.flush();
      } catch (err) {
        failed.add(dir);
        this.logger.error(`Error flushing ${log.name} at shutdown: ${describeStorageError(err)}`);
      }
    }
    for (const [what, write] of [
      ['recovery points', () => this.checkpointRecoveryPoints()],
      ['log start offsets', () => this.checkpointLogStartOffsets()],
    ] as const) {
      try {
        write();
      } catch (err) {
        for (const d of this.logDirs) failed.add(d);
        this.logger.error(`Error writing the ${what} checkpoint at shutdown: ${describeStorageError(err)}`);
      }
    }
    for (const log of this.logs.values()) log.close();
    for (const dir of this.logDirs) {
      if (failed.has(dir)) continue;
      try {
        fs.writeFileSync(path.join(dir, CLEAN_SHUTDOWN_FILE), '');
      } catch (err) {
        this.logger.error(`Error writing the clean shutdown marker in ${dir}: ${describeStorageError(err)}`);
      }
    }
    this.logs.clear();
    this.logger.info('Shutdown complete.');
  }
}

/** Runs every write even when one fails (one full dir must not stop the others' checkpoints), then throws the first error. */
function writeEach(writes: Array<() => void>): void {
  let first: unknown;
  for (const write of writes) {
    try {
      write();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
