// Kafka's RecordAccumulator in small: one open batch per partition; a batch closes when it
// reaches batch.size bytes (or maxBatchRecords), when it has waited linger.ms, or on flush.
// Closed batches wait in FIFO order for the sender, which calls takeReady().
import type { RecordInput } from '../../broker/protocol/records/record-batch';
import { estimateRecordSize, ProducerBatch, type SendCallback } from './producer-batch';

export interface AccumulatorOptions {
  batchSize: number;
  maxBatchRecords: number;
  lingerMs: number;
  /** Called when batches became ready (the sender should look). */
  onReady: () => void;
  /** Called when the open batch of a partition closed (for the sticky partitioner). */
  onBatchClosed: (topic: string, partition: number) => void;
}

export class RecordAccumulator {
  private readonly open = new Map<string, ProducerBatch>();
  private ready: ProducerBatch[] = [];
  private lingerTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: AccumulatorOptions) {}

  /** Adds a record; returns its estimated size in bytes (for buffer accounting). */
  append(topic: string, partition: number, record: RecordInput, callback?: SendCallback): number {
    const key = `${topic}\u0000${partition}`;
    const size = estimateRecordSize(record);
    let batch = this.open.get(key);
    // A record that would overflow a non-empty batch starts the next one (a lone oversize
    // record still gets a batch of its own, as in Kafka).
    if (batch !== undefined && batch.sizeBytes + size > this.options.batchSize) {
      this.close(key, batch);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = new ProducerBatch(topic, partition, Date.now());
      this.open.set(key, batch);
      this.armLinger();
    }
    batch.add(record, size, callback);
    if (batch.sizeBytes >= this.options.batchSize || batch.recordCount >= this.options.maxBatchRecords) this.close(key, batch);
    return size;
  }

  /** Closes every open batch (flush), or those older than linger.ms. */
  closeAll(onlyExpired = false): void {
    const deadline = Date.now() - this.options.lingerMs;
    for (const [key, batch] of this.open) {
      if (!onlyExpired || batch.createdAt <= deadline) this.close(key, batch);
    }
    if (this.open.size > 0) this.armLinger();
  }

  /** Puts a batch back at the head of the queue (retry keeps it ahead of newer ones). */
  requeue(batches: ProducerBatch[]): void {
    this.ready = [...batches, ...this.ready];
  }

  /** Removes and returns ready batches accepted by take (the rest stay, in order). */
  takeReady(take: (batch: ProducerBatch) => boolean): ProducerBatch[] {
    const taken: ProducerBatch[] = [];
    const kept: ProducerBatch[] = [];
    for (const b of this.ready) (take(b) ? taken : kept).push(b);
    this.ready = kept;
    return taken;
  }

  get readyCount(): number {
    return this.ready.length;
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Fails every batch, open or ready (the producer is closing after a fatal error). */
  abortAll(fail: (batch: ProducerBatch) => void): void {
    for (const b of this.open.values()) fail(b);
    for (const b of this.ready) fail(b);
    this.open.clear();
    this.ready = [];
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  private close(key: string, batch: ProducerBatch): void {
    this.open.delete(key);
    batch.closed = true;
    this.ready.push(batch);
    this.options.onBatchClosed(batch.topic, batch.partition);
    this.options.onReady();
  }

  private armLinger(): void {
    if (this.lingerTimer !== null) return;
    let oldest = Infinity;
    for (const b of this.open.values()) oldest = Math.min(oldest, b.createdAt);
    if (oldest === Infinity) return;
    const wait = Math.max(0, oldest + this.options.lingerMs - Date.now());
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      this.closeAll(true);
    }, wait);
  }
}
