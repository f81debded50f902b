// One batch of records for one partition on its way to the broker: collected as plain record
// inputs, encoded ONCE into a v2 record batch when first sent (and re-sent as the same bytes on
// retry, since the broker patches baseOffset in place), completed with one callback per record
// only when the caller asked for one.
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { encodeRecordBatch, type RecordInput } from '../../broker/protocol/records/record-batch';

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0, which has no answer. */
  offset: number;
  timestamp: number;
}

export type SendCallback = (err: Error | null, metadata: RecordMetadata | null) => void;

/** Bytes a record adds to a batch beyond key, value and headers (varints, attributes: a bound). */
const RECORD_OVERHEAD = 21;
const BATCH_OVERHEAD = 61;

export function estimateRecordSize(record: RecordInput): number {
  let size = RECORD_OVERHEAD + byteLength(record.key) + byteLength(record.value);
  if (record.headers) for (const h of record.headers) size += 10 + Buffer.byteLength(h.key) + byteLength(h.value);
  return size;
}

function byteLength(b: Buffer | string | null | undefined): number {
  if (b === null || b === undefined) return 0;
  return typeof b === 'string' ? Buffer.byteLength(b) : b.length;
}

export class ProducerBatch {
  readonly records: RecordInput[] = [];
  /** Sparse: only records sent with a callback have one. */
  private callbacks: Array<SendCallback | undefined> | null = null;
  sizeBytes = BATCH_OVERHEAD;
  attempts = 0;
  closed = false;
  private encoded: Buffer | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdAt: number,
  ) {}

  get recordCount(): number {
    return this.records.length;
  }

  add(record: RecordInput, size: number, callback?: SendCallback): void {
    if (callback) {
      if (this.callbacks === null) this.callbacks = [];
      this.callbacks[this.records.length] = callback;
    }
    this.records.push(record);
    this.sizeBytes += size;
  }

  /** The batch's bytes, encoded on first use. */
  encode(compression: CompressionType): Buffer {
    if (this.encoded === null) this.encoded = encodeRecordBatch({ records: this.records, compression, timestamp: this.createdAt });
    return this.encoded;
  }

  get encodedSize(): number {
    return this.encoded?.length ?? this.sizeBytes;
  }

  complete(baseOffset: number, logAppendTime: number): void {
    const cbs = this.callbacks;
    if (cbs === null) return;
    for (let i = 0; i < cbs.length; i++) {
      const cb = cbs[i];
      if (cb === undefined) continue;
      const ts = logAppendTime >= 0 ? logAppendTime : (this.records[i].timestamp ?? this.createdAt);
      cb(null, { topic: this.topic, partition: this.partition, offset: baseOffset < 0 ? -1 : baseOffset + i, timestamp: ts });
    }
  }

  fail(err: Error): void {
    const cbs = this.callbacks;
    if (cbs === null) return;
    for (const cb of cbs) if (cb !== undefined) cb(err, null);
  }
}
