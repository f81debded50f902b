// A consumer of explicitly assigned partitions (no group): each partition starts at earliest,
// latest or a given offset (ListOffsets), then poll() long-polls Fetch (v4+, message format v2)
// on every leader at once with max_wait_ms / min_bytes and returns the decoded records in
// offset order per partition. OFFSET_OUT_OF_RANGE resets by `autoOffsetReset`; leader moves
// refresh metadata and retry, as Kafka's Fetcher does.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { Fetch, type FetchResponse } from '../../broker/protocol/messages/fetch';
import type { ClusterClient } from './cluster-client';
import { decodeFetchedRecords, type ConsumerRecord } from './fetch-records';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from './list-offsets';
import { backoffMs, codeOfError, errorName, isRetriable, sleep } from './retry';

export type { ConsumerRecord } from './fetch-records';

export type StartOffset = 'earliest' | 'latest' | number;

export interface PartitionAssignment {
  topic: string;
  partition: number;
  offset: StartOffset;
}

export interface PartitionConsumerOptions {
  /** fetch.max.wait.ms (default 500). */
  maxWaitMs?: number;
  /** fetch.min.bytes (default 1). */
  minBytes?: number;
  /** fetch.max.bytes (default 52428800). */
  maxBytes?: number;
  /** max.partition.fetch.bytes (default 1048576). */
  partitionMaxBytes?: number;
  /** auto.offset.reset after OFFSET_OUT_OF_RANGE (default latest). */
  autoOffsetReset?: 'earliest' | 'latest' | 'none';
  /** 0 read_uncommitted (default), 1 read_committed. */
  isolationLevel?: number;
  /** Verify batch CRCs (check.crcs, default true). */
  checkCrcs?: boolean;
}

interface PartitionState {
  topic: string;
  partition: number;
  position: number;
  /** Grows when only a partial batch came back (a batch bigger than the limit, pre-KIP-74 brokers). */
  maxBytes: number;
  highWatermark: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class PartitionConsumer {
  private readonly states = new Map<string, PartitionState>();
  private readonly maxWaitMs: number;
  private readonly minBytes: number;
  private readonly maxBytes: number;
  private readonly partitionMaxBytes: number;
  private readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  private readonly isolationLevel: number;
  private readonly checkCrcs: boolean;
  private failures = 0;

  constructor(
    private readonly client: ClusterClient,
    options: PartitionConsumerOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 500;
    this.minBytes = options.minBytes ?? 1;
    this.maxBytes = options.maxBytes ?? 52428800;
    this.partitionMaxBytes = options.partitionMaxBytes ?? 1048576;
    this.autoOffsetReset = options.autoOffsetReset ?? 'latest';
    this.isolationLevel = options.isolationLevel ?? 0;
    this.checkCrcs = options.checkCrcs ?? true;
  }

  /** Assigns partitions (replacing none of the others) and resolves their start offsets. */
  async assign(assignments: PartitionAssignment[]): Promise<void> {
    const symbolic = assignments.filter((a) => typeof a.offset !== 'number');
    const resolved = await listOffsets(
      this.client,
      symbolic.map((a) => ({ topic: a.topic, partition: a.partition, timestamp: a.offset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP })),
    );
    for (const a of assignments) {
      if (this.client.metadata.partition(a.topic, a.partition) === undefined) await this.client.topicMetadata(a.topic);
      const position = typeof a.offset === 'number' ? a.offset : resolved.get(key(a.topic, a.partition))!;
      this.states.set(key(a.topic, a.partition), { topic: a.topic, partition: a.partition, position, maxBytes: this.partitionMaxBytes, highWatermark: -1 });
    }
  }

  /** Assigns every partition of a topic at the same start offset. */
  async assignTopic(topic: string, offset: 'earliest' | 'latest'): Promise<number[]> {
    const md = await this.client.topicMetadata(topic);
    const partitions = md.partitions.map((p) => p.partition);
    await this.assign(partitions.map((partition) => ({ topic, partition, offset })));
    return partitions;
  }

  position(topic: string, partition: number): number | undefined {
    return this.states.get(key(topic, partition))?.position;
  }

  seek(topic: string, partition: number, offset: number): void {
    const s = this.states.get(key(topic, partition));
    if (!s) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}-${partition} is not assigned`);
    s.position = offset;
  }

  /**
   * One round of fetches to every leader of an assigned partition; resolves with the records
   * that came back (possibly none, after max_wait_ms).
   */
  async poll(): Promise<ConsumerRecord[]> {
    const byLeader = new Map<number, PartitionState[]>();
    let leaderless = false;
    for (const s of this.states.values()) {
      const leader = this.client.metadata.leaderFor(s.topic, s.partition);
      if (leader < 0) leaderless = true;
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), s]);
    }
    if (leaderless || byLeader.size === 0) {
      await this.client.refreshMetadata(null).catch(() => undefined);
      if (byLeader.size === 0) {
        await sleep(backoffMs(this.failures++, this.client.retryBackoffMs));
        return [];
      }
    }
    const results = await Promise.all([...byLeader].map(([leader, parts]) => this.fetchFrom(leader, parts)));
    return results.flat();
  }

  /** Polls forever, yielding records one at a time (stop by breaking out of the loop). */
  async *records(): AsyncGenerator<ConsumerRecord> {
    for (;;) for (const r of await this.poll()) yield r;
  }

  private async fetchFrom(leader: number, parts: PartitionState[]): Promise<ConsumerRecord[]> {
    const topics = new Map<string, PartitionState[]>();
    for (const s of parts) topics.set(s.topic, [...(topics.get(s.topic) ?? []), s]);
    const body = {
      replicaId: -1,
      maxWaitMs: this.maxWaitMs,
      minBytes: this.minBytes,
      maxBytes: this.maxBytes,
      isolationLevel: this.isolationLevel,
      topics: [...topics].map(([topic, ps]) => ({
        topic,
        partitions: ps.map((s) => ({ partition: s.partition, fetchOffset: s.position, partitionMaxBytes: s.maxBytes })),
      })),
    };
    let response: FetchResponse;
    try {
      const conn = await this.client.connection(leader);
      response = (await conn.send(Fetch, body, { min: 4, max: 10, timeoutMs: this.maxWaitMs + 30000 })).response;
    } catch (err) {
      const code = codeOfError(err);
      if (!isRetriable(code)) throw err;
      await this.recover();
      return [];
    }
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, `Fetch failed: ${errorName(response.errorCode)}`);
    }
    const out: ConsumerRecord[] = [];
    let needsRecovery = false;
    for (const t of response.responses) {
      for (const p of t.partitions) {
        const s = this.states.get(key(t.topic, p.partitionIndex));
        if (s === undefined) continue;
        const code = p.errorCode as ErrorCode;
        if (code === ErrorCode.NONE) {
          s.highWatermark = p.highWatermark;
          const decoded = decodeFetchedRecords(s.topic, s.partition, s.position, p.records, { verifyCrc: this.checkCrcs });
          if (decoded.onlyPartial) s.maxBytes = Math.min(s.maxBytes * 2, 0x7fffffff);
          else s.maxBytes = this.partitionMaxBytes;
          for (const r of decoded.records) out.push(r);
          s.position = decoded.nextOffset;
        } else if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
          await this.reset(s);
        } else if (isRetriable(code)) {
          needsRecovery = true;
        } else {
          throw new KafkaError(code, `Fetch from ${s.topic}-${s.partition} failed: ${errorName(code)}`);
        }
      }
    }
    if (needsRecovery) await this.recover();
    else this.failures = 0;
    return out;
  }

  private async reset(s: PartitionState): Promise<void> {
    if (this.autoOffsetReset === 'none') {
      throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `Offset ${s.position} is out of range for ${s.topic}-${s.partition}`);
    }
    const ts = this.autoOffsetReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    const offsets = await listOffsets(this.client, [{ topic: s.topic, partition: s.partition, timestamp: ts }]);
    s.position = offsets.get(key(s.topic, s.partition)) ?? s.position;
  }

  private async recover(): Promise<void> {
    if (this.failures > 50) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, 'Giving up: partition leaders stay unavailable');
    await sleep(backoffMs(this.failures++, this.client.retryBackoffMs));
    await this.client.refreshMetadata(null).catch(() => undefined);
  }
}
