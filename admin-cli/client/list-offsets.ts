// Resolves earliest / latest / timestamp specs to offsets with ListOffsets (v1+: one offset per
// partition, timestamp -2 = earliest, -1 = latest), sent to each partition's leader.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { ListOffsets } from '../../broker/protocol/messages/list-offsets';
import type { ClusterClient } from './cluster-client';
import { errorName, isRetriable, needsMetadataRefresh } from './retry';

export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface OffsetQuery {
  topic: string;
  partition: number;
  /** -2 earliest, -1 latest, else a timestamp in ms. */
  timestamp: number;
}

/** Returns offsets keyed "topic\0partition" (-1 when no record has a timestamp >= the one asked). */
export async function listOffsets(client: ClusterClient, queries: OffsetQuery[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  let pending = queries;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const byLeader = new Map<number, OffsetQuery[]>();
    for (const q of pending) {
      let leader = client.metadata.leaderFor(q.topic, q.partition);
      if (leader < 0) {
        await client.topicMetadata(q.topic);
        leader = client.metadata.leaderFor(q.topic, q.partition);
      }
      if (client.metadata.partition(q.topic, q.partition) === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Partition ${q.partition} of topic ${q.topic} does not exist`);
      }
      // push, not spread: a console asks for thousands of partitions per leader at once.
      let forLeader = byLeader.get(leader);
      if (!forLeader) byLeader.set(leader, (forLeader = []));
      forLeader.push(q);
    }
    const retry: OffsetQuery[] = [];
    let lastError: KafkaError | null = null;
    await Promise.all(
      [...byLeader].map(async ([leader, qs]) => {
        const topics = new Map<string, { partitionIndex: number; timestamp: number }[]>();
        const asked = new Map<string, OffsetQuery>();
        for (const q of qs) {
          asked.set(`${q.topic}\u0000${q.partition}`, q);
          let forTopic = topics.get(q.topic);
          if (!forTopic) topics.set(q.topic, (forTopic = []));
          forTopic.push({ partitionIndex: q.partition, timestamp: q.timestamp });
        }
        const body = { replicaId: -1, isolationLevel: 0, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) };
        const { response } = await client.sendToNode(leader, ListOffsets, body, { min: 1 });
        for (const t of response.topics) {
          for (const p of t.partitions) {
            const q = asked.get(`${t.name}\u0000${p.partitionIndex}`);
            if (q === undefined) continue;
            if (p.errorCode === ErrorCode.NONE) {
              result.set(`${t.name}\u0000${p.partitionIndex}`, p.offset);
            } else {
              lastError = new KafkaError(p.errorCode, `ListOffsets for ${t.name}-${p.partitionIndex} failed: ${errorName(p.errorCode)}`);
              if (!isRetriable(p.errorCode)) throw lastError;
              retry.push(q);
            }
          }
        }
      }),
    );
    if (retry.length > 0) {
      if (attempt >= client.retries) throw lastError!;
      await new Promise((r) => setTimeout(r, client.retryBackoffMs));
      if (lastError !== null && needsMetadataRefresh((lastError as KafkaError).code)) await client.refreshMetadata(null);
    }
    pending = retry;
  }
  return result;
}
