// A Kafka producer on Zafka's protocol layer, shaped like Java's KafkaProducer: records are
// partitioned (DefaultPartitioner), collected per partition (RecordAccumulator), and a sender
// packs ready batches into one Produce request per leader, keeping up to maxInFlightPerBroker
// requests pipelined on each connection. Retriable errors put batches back (after a metadata
// refresh); the rest fail their records.
//
// Two ways to send: send() returns a promise per record (tools, tests); append() takes an
// optional callback and returns whether the buffer has room, for bulk producers such as the
// benchmark, which then await waitForRoom() / flush() -- no promise per record.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { Produce, type ProduceResponse } from '../../broker/protocol/messages/produce';
import { CompressionType } from '../../broker/protocol/records/batch-header';
import type { RecordInput } from '../../broker/protocol/records/record-batch';
import type { ClusterClient } from './cluster-client';
import { DefaultPartitioner } from './partitioner';
import type { ProducerBatch, RecordMetadata, SendCallback } from './producer-batch';
import { RecordAccumulator } from './record-accumulator';
import { codeOfError, errorName, isRetriable, needsMetadataRefresh } from './retry';
import { TopicRouter } from './topic-router';

export type { RecordMetadata, SendCallback } from './producer-batch';

export interface ProducerRecord {
  topic: string;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: { key: string; value: Buffer | string | null }[];
  partition?: number;
  timestamp?: number;
}

export interface ProducerOptions {
  /** 0, 1 or -1 (all); default 1, Kafka 2.x's default. */
  acks?: number;
  compression?: CompressionType;
  /** batch.size in bytes (default 16384). */
  batchSize?: number;
  /** Cap on records per batch (default unlimited). */
  maxBatchRecords?: number;
  /** linger.ms (default 0). */
  lingerMs?: number;
  /** max.in.flight.requests.per.connection (default 5). */
  maxInFlightPerBroker?: number;
  /** Produce timeout_ms and the client's request timeout (default 30000). */
  requestTimeoutMs?: number;
  /** Tries after the first for a batch with a retriable error (default 10). */
  retries?: number;
  /** delivery.timeout.ms: a batch older than this fails (default 120000). */
  deliveryTimeoutMs?: number;
  /** buffer.memory: append() reports no room above this many buffered bytes (default 32 MiB). */
  bufferMemory?: number;
  /** max.request.size: bytes of batches packed into one Produce request (default 1 MiB). */
  maxRequestSize?: number;
}

export class Producer {
  private readonly partitioner = new DefaultPartitioner();
  private readonly accumulator: RecordAccumulator;
  private readonly router: TopicRouter;
  private readonly inFlight = new Map<number, number>();
  private readonly acks: number;
  private readonly compression: CompressionType;
  private readonly maxInFlight: number;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly deliveryTimeoutMs: number;
  private readonly bufferMemory: number;
  private readonly maxRequestSize: number;
  private bufferedBytes = 0;
  private outstanding = 0;
  private idleWaiters: Array<() => void> = [];
  private roomWaiters: Array<() => void> = [];
  private drainScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Records that failed for good, and the first such error (bulk callers read these). */
  failedRecords = 0;
  firstError: Error | null = null;

  constructor(
    private readonly client: ClusterClient,
    options: ProducerOptions = {},
  ) {
    this.acks = options.acks ?? 1;
    if (![0, 1, -1].includes(this.acks)) throw new KafkaError(ErrorCode.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1, got ${this.acks}`);
    this.compression = options.compression ?? CompressionType.NONE;
    this.maxInFlight = options.maxInFlightPerBroker ?? 5;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30000;
    this.retries = options.retries ?? 10;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 120000;
    this.bufferMemory = options.bufferMemory ?? 32 * 1024 * 1024;
    this.maxRequestSize = options.maxRequestSize ?? 1024 * 1024;
    this.accumulator = new RecordAccumulator({
      batchSize: options.batchSize ?? 16384,
      maxBatchRecords: options.maxBatchRecords ?? Infinity,
      lingerMs: options.lingerMs ?? 0,
      onReady: () => this.scheduleDrain(),
      onBatchClosed: (topic, partition) => {
        const info = this.router.known(topic);
        if (info) this.partitioner.onNewBatch(topic, info, partition);
      },
    });
    this.router = new TopicRouter(client, (err) => this.failPending(err), () => this.scheduleDrain());
  }

  /** Sends one record; resolves with its offset once acknowledged (acks=0: offset -1). */
  send(record: ProducerRecord): Promise<RecordMetadata> {
    return new Promise((resolve, reject) => {
      this.append(record, (err, md) => (err ? reject(err) : resolve(md!)));
    });
  }

  /**
   * Queues one record without a promise. Returns false when the buffer is over bufferMemory:
   * the caller should await waitForRoom() before appending more.
   */
  append(record: ProducerRecord, callback?: SendCallback): boolean {
    this.outstanding++;
    const input: RecordInput = { key: record.key ?? null, value: record.value, headers: record.headers, timestamp: record.timestamp };
    const info = this.router.known(record.topic);
    if (info === undefined) {
      // Partitioning needs the partition count: park the record until metadata arrives.
      this.router.park(
        record.topic,
        () => this.route(record, input, callback),
        (err) => this.completeRecordError(err, callback),
      );
    } else {
      this.route(record, input, callback);
    }
    return this.bufferedBytes < this.bufferMemory;
  }

  /** Resolves once buffered bytes are below bufferMemory. */
  waitForRoom(): Promise<void> {
    if (this.bufferedBytes < this.bufferMemory) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Sends everything buffered now and resolves when every record sent so far is completed. */
  flush(): Promise<void> {
    this.accumulator.closeAll();
    this.scheduleDrain();
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private route(record: ProducerRecord, input: RecordInput, callback?: SendCallback): void {
    const info = this.router.known(record.topic)!;
    let partition = record.partition;
    if (partition === undefined || partition < 0) {
      const key = input.key === null || input.key === undefined ? null : typeof input.key === 'string' ? Buffer.from(input.key) : input.key;
      partition = this.partitioner.partition(record.topic, key, info);
    } else if (partition >= info.numPartitions) {
      this.completeRecordError(new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Partition ${partition} of topic ${record.topic} does not exist (${info.numPartitions} partitions)`), callback);
      return;
    }
    this.bufferedBytes += this.accumulator.append(record.topic, partition, input, callback);
  }

  private completeRecordError(err: Error, callback?: SendCallback): void {
    this.failedRecords++;
    this.firstError ??= err;
    callback?.(err, null);
    this.finished(1, 0);
  }

  private failPending(err: Error): void {
    // Metadata for a topic failed for good: its parked records fail.
    this.firstError ??= err;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** Packs ready batches into one request per leader, while leaders have in-flight room. */
  private drain(): void {
    const now = Date.now();
    const byLeader = new Map<number, ProducerBatch[]>();
    const sizes = new Map<number, number>();
    const seen = new Set<string>();
    let missingLeader = false;
    const expired: ProducerBatch[] = [];
    const taken = this.accumulator.takeReady((batch) => {
      if (now - batch.createdAt > this.deliveryTimeoutMs) {
        expired.push(batch);
        return true;
      }
      const leader = this.client.metadata.leaderFor(batch.topic, batch.partition);
      if (leader < 0) {
        missingLeader = true;
        return false;
      }
      // At most one batch per partition per request, as Kafka's sender does.
      const tp = `${batch.topic}\u0000${batch.partition}`;
      if (seen.has(tp) || (this.inFlight.get(leader) ?? 0) >= this.maxInFlight) return false;
      const size = (sizes.get(leader) ?? 0) + batch.encodedSize;
      const list = byLeader.get(leader) ?? [];
      if (list.length > 0 && size > this.maxRequestSize) return false;
      seen.add(tp);
      sizes.set(leader, size);
      list.push(batch);
      byLeader.set(leader, list);
      return true;
    });
    for (const b of expired) this.failBatch(b, new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `Expiring ${b.recordCount} record(s) for ${b.topic}-${b.partition}: ${now - b.createdAt} ms has passed since batch creation`));
    if (taken.length > expired.length) {
      for (const [leader, batches] of byLeader) this.sendTo(leader, batches);
    }
    if (missingLeader) this.retryLater(true);
    else if (this.accumulator.readyCount > 0 && this.inFlightTotal() === 0) this.retryLater(false);
  }

  private inFlightTotal(): number {
    let n = 0;
    for (const v of this.inFlight.values()) n += v;
    return n;
  }

  private async sendTo(leader: number, batches: ProducerBatch[]): Promise<void> {
    this.inFlight.set(leader, (this.inFlight.get(leader) ?? 0) + 1);
    try {
      const conn = await this.client.connection(leader);
      const version = conn.versionFor(Produce, this.compression === CompressionType.ZSTD ? 7 : 3, 7);
      const topics = new Map<string, { index: number; records: Buffer }[]>();
      for (const b of batches) {
        b.attempts++;
        const list = topics.get(b.topic) ?? [];
        list.push({ index: b.partition, records: b.encode(this.compression) });
        topics.set(b.topic, list);
      }
      const body = {
        transactionalId: null,
        acks: this.acks,
        timeoutMs: this.requestTimeoutMs,
        topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
      };
      if (this.acks === 0) {
        await conn.client.sendNoResponse(Produce, version, body);
        for (const b of batches) this.completeBatch(b, -1, -1);
      } else {
        const res = await conn.client.send(Produce, version, body, { timeoutMs: this.requestTimeoutMs + 5000 });
        this.onResponse(batches, res);
      }
    } catch (err) {
      const code = codeOfError(err);
      for (const b of batches) this.retryOrFail(b, code, err as Error);
    } finally {
      this.inFlight.set(leader, (this.inFlight.get(leader) ?? 1) - 1);
      this.scheduleDrain();
    }
  }

  private onResponse(batches: ProducerBatch[], res: ProduceResponse): void {
    const results = new Map<string, { errorCode: number; baseOffset: number; logAppendTimeMs: number }>();
    for (const t of res.responses) for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    for (const b of batches) {
      const r = results.get(`${b.topic}\u0000${b.partition}`);
      if (r === undefined) {
        this.retryOrFail(b, ErrorCode.UNKNOWN_SERVER_ERROR, new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `No produce response for ${b.topic}-${b.partition}`));
      } else if (r.errorCode === ErrorCode.NONE) {
        this.completeBatch(b, r.baseOffset, r.logAppendTimeMs);
      } else {
        const code = r.errorCode as ErrorCode;
        this.retryOrFail(b, code, new KafkaError(code, `Produce to ${b.topic}-${b.partition} failed: ${errorName(code)}`));
      }
    }
  }

  private retryOrFail(batch: ProducerBatch, code: ErrorCode, err: Error): void {
    if (isRetriable(code) && batch.attempts <= this.retries && Date.now() - batch.createdAt < this.deliveryTimeoutMs) {
      this.accumulator.requeue([batch]);
      this.retryLater(needsMetadataRefresh(code));
      return;
    }
    this.failBatch(batch, err);
  }

  /** Backs off, optionally refreshes metadata, then drains again. */
  private retryLater(refresh: boolean): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(async () => {
      if (refresh) await this.router.refresh().catch(() => undefined);
      this.retryTimer = null;
      this.scheduleDrain();
    }, this.client.retryBackoffMs);
  }

  private completeBatch(batch: ProducerBatch, baseOffset: number, logAppendTime: number): void {
    batch.complete(baseOffset, logAppendTime);
    this.finished(batch.recordCount, batch.sizeBytes);
  }

  private failBatch(batch: ProducerBatch, err: Error): void {
    this.failedRecords += batch.recordCount;
    this.firstError ??= err;
    batch.fail(err);
    this.finished(batch.recordCount, batch.sizeBytes);
  }

  private finished(records: number, bytes: number): void {
    this.outstanding -= records;
    this.bufferedBytes -= bytes;
    if (this.bufferedBytes < this.bufferMemory && this.roomWaiters.length > 0) {
      for (const w of this.roomWaiters.splice(0)) w();
    }
    if (this.outstanding === 0 && this.idleWaiters.length > 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
