// One partition's producer state (Kafka's ProducerStateManager, KIP-98): producer id -> what the
// partition remembers of that producer, valid up to mapEndOffset; snapshots of it in
// <offset>.snapshot files so a restart or a new leader replays only the log after the latest
// snapshot. The log drives it: prepareUpdate/update around each append, updateMapEndOffset after
// it, takeSnapshot on roll and close, truncateAndReload on truncation (see producer-state-loader).
//
// Transactions: ongoing ones (started, no marker yet) and completed ones whose marker is not yet
// below the high watermark (unreplicated) make the first unstable offset, which bounds what
// read_committed consumers see (the LSO, kept by the log).
import * as fs from 'fs';
import { getLogger, type Logger } from '../../logging';
import { AppendOrigin, ProducerAppendInfo, ValidationType } from './producer-append-info';
import type { ProducerBatch } from './producer-batch';
import { firstOffsetOf, type CompletedTxn, type TxnMetadata } from './transactions';
import { NO_PRODUCER_ID, ProducerStateEntry } from './producer-state-entry';
import {
  CorruptSnapshotError,
  deleteProducerSnapshots,
  listProducerSnapshotOffsets,
  producerSnapshotFile,
  readProducerSnapshot,
  writeProducerSnapshot,
} from './producer-snapshot-file';

/** __consumer_offsets: transactional offset commits carry no sequence, so only the epoch is checked. */
const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerStateEntry>();
  /**
   * Transactions without a marker yet, by first offset, in ascending order (Kafka's TreeMap): they
   * start at the log end, so insertion order is offset order (snapshot loads sort first).
   */
  private readonly ongoingTxns = new Map<number, TxnMetadata>();
  /** The highest first offset ever started (may be stale-high after completions; only an order hint). */
  private highestStartedTxn = -1;
  /** Completed transactions whose marker is at or above the high watermark, by first offset. */
  private readonly unreplicatedTxns = new Map<number, TxnMetadata>();
  private lastMapOffset = 0;
  private lastSnapOffset = 0;
  private readonly logger: Logger;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The partition directory (snapshot files live there). */
    public dir: string,
    /** transactional.id.expiration.ms: an idle producer is forgotten after this long (Kafka 2.4). */
    readonly maxProducerIdExpirationMs: number,
  ) {
    this.logger = getLogger('kafka.log.ProducerStateManager', `[ProducerStateManager partition=${topic}-${partition}] `);
  }

  get topicPartition(): string {
    return `${this.topic}-${this.partition}`;
  }

  /** The offset up to which (exclusive) the map reflects the log. */
  get mapEndOffset(): number {
    return this.lastMapOffset;
  }

  get activeProducers(): ReadonlyMap<number, ProducerStateEntry> {
    return this.producers;
  }

  get isEmpty(): boolean {
    return this.producers.size === 0 && this.unreplicatedTxns.size === 0;
  }

  /**
   * Kafka's firstUnstableOffset: the first offset of a transaction that is undecided, or decided
   * but whose marker may not be replicated yet. null when every transaction is stable.
   */
  get firstUnstableOffset(): number | null {
    const undecided = this.firstUndecidedOffset;
    const unreplicated = firstOffsetOf(this.unreplicatedTxns);
    if (undecided === null) return unreplicated;
    if (unreplicated === null) return undecided;
    return Math.min(undecided, unreplicated);
  }

  /** The earliest transactional offset not yet committed or aborted (the cleaner stops there). */
  get firstUndecidedOffset(): number | null {
    for (const first of this.ongoingTxns.keys()) return first;
    return null;
  }

  /** Transactions completed below the high watermark are stable: the LSO may pass them. */
  onHighWatermarkUpdated(highWatermark: number): void {
    this.removeUnreplicatedTransactions(highWatermark);
  }

  private removeUnreplicatedTransactions(offset: number): void {
    for (const [first, txn] of this.unreplicatedTxns) {
      if (txn.lastOffset !== null && txn.lastOffset < offset) this.unreplicatedTxns.delete(first);
    }
  }

  /**
   * The LSO once `completed` is done, before it is marked complete (Kafka's lastStableOffset(CompletedTxn)):
   * the first transaction of another producer still open, else just past the marker. The
   * transaction index keeps it with each aborted transaction.
   */
  lastStableOffset(completed: CompletedTxn): number {
    for (const txn of this.ongoingTxns.values()) if (txn.producerId !== completed.producerId) return txn.firstOffset;
    return completed.lastOffset + 1;
  }

  /** The transaction's marker is written: it waits for the high watermark before it is stable. */
  completeTxn(completed: CompletedTxn): void {
    const txn = this.ongoingTxns.get(completed.firstOffset) ?? { producerId: completed.producerId, firstOffset: completed.firstOffset, lastOffset: null };
    this.ongoingTxns.delete(completed.firstOffset);
    txn.lastOffset = completed.lastOffset;
    this.unreplicatedTxns.set(completed.firstOffset, txn);
  }

  private startTxn(producerId: number, firstOffset: number): void {
    const inOrder = firstOffset > this.highestStartedTxn;
    this.highestStartedTxn = Math.max(this.highestStartedTxn, firstOffset);
    this.ongoingTxns.set(firstOffset, { producerId, firstOffset, lastOffset: null });
    // One follower append may start several producers' transactions, applied producer by producer.
    if (!inOrder && this.ongoingTxns.size > 1) {
      const sorted = [...this.ongoingTxns.values()].sort((a, b) => a.firstOffset - b.firstOffset);
      this.ongoingTxns.clear();
      for (const txn of sorted) this.ongoingTxns.set(txn.firstOffset, txn);
    }
  }

  lastEntry(producerId: number): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  prepareUpdate(producerId: number, origin: AppendOrigin): ProducerAppendInfo {
    const current = this.producers.get(producerId) ?? ProducerStateEntry.empty(producerId);
    return new ProducerAppendInfo(this.topicPartition, producerId, current, this.validationFor(origin), origin !== AppendOrigin.Replication);
  }

  /**
   * Client-origin leader appends to __consumer_offsets come from the group coordinator (clients
   * cannot write there): transactional offset commits, checked for their epoch only, never for
   * sequences or duplicates (Kafka 2.5's AppendOrigin.Coordinator for the group coordinator; each
   * commit carries base sequence 0, so a duplicate check would swallow the next commit of as many
   * partitions by the same producer epoch).
   */
  validationFor(origin: AppendOrigin): ValidationType {
    return origin !== AppendOrigin.Client ? ValidationType.None : this.topic === GROUP_METADATA_TOPIC_NAME ? ValidationType.EpochOnly : ValidationType.Full;
  }

  /** Applies a checked append; called only once its batches are in the log. */
  update(appendInfo: ProducerAppendInfo): void {
    if (appendInfo.producerId === NO_PRODUCER_ID) throw new Error(`Invalid producer id ${appendInfo.producerId} passed to update for partition ${this.topicPartition}`);
    const updated = appendInfo.toEntry();
    const current = this.producers.get(appendInfo.producerId);
    if (current) current.update(updated);
    else this.producers.set(appendInfo.producerId, updated);
    for (const firstOffset of appendInfo.startedTransactions) this.startTxn(appendInfo.producerId, firstOffset);
  }

  /**
   * Log replay (loading): the batch is already in the log, so it goes straight into the map, with
   * no check and no pending append in between (a million producers replay without a million
   * short-lived objects). Returns the transaction a marker completed and the LSO it left
   * (recovery rebuilds the transaction index from these).
   */
  replayBatch(batch: ProducerBatch): { txn: CompletedTxn; lastStableOffset: number } | null {
    let entry = this.producers.get(batch.producerId);
    if (!entry) {
      entry = ProducerStateEntry.empty(batch.producerId);
      this.producers.set(batch.producerId, entry);
    }
    const change = entry.appendBatch(batch);
    if (change === null) return null;
    if ('started' in change) {
      this.startTxn(batch.producerId, change.started);
      return null;
    }
    const lastStableOffset = this.lastStableOffset(change.completed);
    this.completeTxn(change.completed);
    return { txn: change.completed, lastStableOffset };
  }

  updateMapEndOffset(lastOffset: number): void {
    this.lastMapOffset = lastOffset;
  }

  /**
   * Writes <mapEndOffset>.snapshot unless one at that offset or later was already taken. A snapshot
   * only shortens the replay at the next load, so a write that fails (a full or failing disk) is
   * logged and its partial file removed; the state in memory is unaffected, and a later load
   * replays from an older snapshot (or the log start). A full disk thus fails no append.
   */
  takeSnapshot(): void {
    if (this.lastMapOffset <= this.lastSnapOffset) return;
    const file = producerSnapshotFile(this.dir, this.lastMapOffset);
    try {
      writeProducerSnapshot(file, this.producers.values());
    } catch (err) {
      this.logger.warn(`Error writing producer snapshot ${file}, the next load replays from an older one: ${(err as Error).message}`);
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // A failing disk may refuse this too; a torn snapshot fails its CRC at load.
      }
      return;
    }
    this.lastSnapOffset = this.lastMapOffset;
  }

  get latestSnapshotOffset(): number | undefined {
    const offsets = listProducerSnapshotOffsets(this.dir);
    return offsets.length > 0 ? offsets[offsets.length - 1] : undefined;
  }

  get oldestSnapshotOffset(): number | undefined {
    return listProducerSnapshotOffsets(this.dir)[0];
  }

  private isProducerExpired(nowMs: number, entry: ProducerStateEntry): boolean {
    return entry.currentTxnFirstOffset === null && nowMs - entry.lastTimestamp >= this.maxProducerIdExpirationMs;
  }

  /** Kafka's periodic expiry: producers idle (by their last batch's timestamp) for too long are forgotten. */
  removeExpiredProducers(nowMs: number): number {
    let removed = 0;
    for (const [id, entry] of this.producers) {
      if (this.isProducerExpired(nowMs, entry)) {
        this.producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /**
   * The state as of logEndOffset: snapshots outside (logStartOffset, logEndOffset] are deleted, and
   * unless the map already ends there it is reloaded from the latest snapshot left (the caller
   * then replays the log from mapEndOffset). Kafka's truncateAndReload.
   */
  truncateAndReload(logStartOffset: number, logEndOffset: number, nowMs: number): void {
    deleteProducerSnapshots(this.dir, (offset) => offset > logEndOffset || offset <= logStartOffset);
    if (logEndOffset !== this.lastMapOffset) {
      this.producers.clear();
      this.ongoingTxns.clear();
      this.highestStartedTxn = -1;
      // The log end is at or below the high watermark here (Kafka's assumption too).
      this.unreplicatedTxns.clear();
      this.loadFromSnapshot(logStartOffset, nowMs);
    } else {
      this.truncateHead(logStartOffset);
    }
  }

  private loadFromSnapshot(logStartOffset: number, nowMs: number): void {
    for (;;) {
      const offset = this.latestSnapshotOffset;
      if (offset === undefined) {
        this.lastSnapOffset = logStartOffset;
        this.lastMapOffset = logStartOffset;
        return;
      }
      const file = producerSnapshotFile(this.dir, offset);
      try {
        this.logger.info(`Loading producer state from snapshot file '${file}'`);
        const open: ProducerStateEntry[] = [];
        for (const entry of readProducerSnapshot(file)) {
          if (this.isProducerExpired(nowMs, entry)) continue;
          this.producers.set(entry.producerId, entry);
          if (entry.currentTxnFirstOffset !== null) open.push(entry);
        }
        // An open transaction in a snapshot is ongoing again (Kafka's loadProducerEntry), in offset order.
        open.sort((a, b) => (a.currentTxnFirstOffset as number) - (b.currentTxnFirstOffset as number));
        for (const entry of open) this.startTxn(entry.producerId, entry.currentTxnFirstOffset as number);
        this.lastSnapOffset = offset;
        this.lastMapOffset = offset;
        return;
      } catch (err) {
        if (!(err instanceof CorruptSnapshotError)) throw err;
        this.logger.warn(`Failed to load producer snapshot from '${file}': ${err.message}`);
        this.producers.clear();
        this.ongoingTxns.clear();
        this.highestStartedTxn = -1;
        deleteProducerSnapshots(this.dir, (o) => o === offset);
      }
    }
  }

  /** The log start offset moved up (retention, DeleteRecords): older snapshots go; entries stay, as in Kafka. */
  truncateHead(logStartOffset: number): void {
    this.removeUnreplicatedTransactions(logStartOffset);
    if (this.lastMapOffset < logStartOffset) this.lastMapOffset = logStartOffset;
    this.deleteSnapshotsBefore(logStartOffset);
    this.lastSnapOffset = this.latestSnapshotOffset ?? logStartOffset;
  }

  /** Forgets everything, snapshots included (the log was emptied). */
  truncate(): void {
    this.producers.clear();
    this.ongoingTxns.clear();
    this.highestStartedTxn = -1;
    this.unreplicatedTxns.clear();
    deleteProducerSnapshots(this.dir);
    this.lastSnapOffset = 0;
    this.lastMapOffset = 0;
  }

  deleteSnapshotsBefore(offset: number): void {
    deleteProducerSnapshots(this.dir, (o) => o < offset);
  }
}
