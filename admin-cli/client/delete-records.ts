// DeleteRecords sent to each partition's leader, as Kafka 2.4's AdminClient.deleteRecords: a topic
// unknown to Metadata fails its partitions with the topic's error, a partition without a leader
// (or absent from the topic) with LEADER_NOT_AVAILABLE, and each leader's answer settles its
// partitions. Unlike the 2.4 AdminClient, a partition answered NOT_LEADER_OR_FOLLOWER (the
// leader moved between Metadata and DeleteRecords) is sent again to the new leader.
import { ErrorCode } from '../../broker/protocol/errors';
import { DeleteRecords } from '../../broker/protocol/messages/delete-records';
import type { ClusterClient } from './cluster-client';
import { codeOfError, isRetriable, needsMetadataRefresh, sleep } from './retry';

export interface RecordsToDelete {
  topic: string;
  partition: number;
  /** Delete records before this offset; -1 means the high watermark. */
  offset: number;
}

export interface DeletedRecords extends RecordsToDelete {
  errorCode: ErrorCode;
  /** The partition's new log start offset (-1 on error). */
  lowWatermark: number;
  /** Set when the request itself failed (connection lost, timeout). */
  errorMessage: string | null;
}

/** Results in the order of `requests`. */
export async function deleteRecords(client: ClusterClient, requests: RecordsToDelete[], timeoutMs: number): Promise<DeletedRecords[]> {
  const results: DeletedRecords[] = requests.map((r) => ({ ...r, errorCode: ErrorCode.NONE, lowWatermark: -1, errorMessage: null }));
  let pending = results;
  for (let attempt = 0; pending.length > 0; attempt++) {
    await client.refreshMetadata([...new Set(pending.map((r) => r.topic))]);
    const byLeader = new Map<number, DeletedRecords[]>();
    for (const r of pending) {
      const topic = client.metadata.topics.get(r.topic);
      const leader = client.metadata.leaderFor(r.topic, r.partition);
      if (topic === undefined || topic.errorCode !== ErrorCode.NONE) r.errorCode = topic?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (leader < 0) r.errorCode = ErrorCode.LEADER_NOT_AVAILABLE;
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), r]);
    }
    await Promise.all([...byLeader].map(([leader, rs]) => sendToLeader(client, leader, rs, timeoutMs)));
    const again = pending.filter((r) => r.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || r.errorCode === ErrorCode.NETWORK_EXCEPTION);
    if (again.length === 0 || attempt >= client.retries) break;
    await sleep(client.retryBackoffMs * (attempt + 1));
    pending = again;
  }
  return results;
}

async function sendToLeader(client: ClusterClient, leader: number, rs: DeletedRecords[], timeoutMs: number): Promise<void> {
  const topics = new Map<string, { partitionIndex: number; offset: number }[]>();
  for (const r of rs) topics.set(r.topic, [...(topics.get(r.topic) ?? []), { partitionIndex: r.partition, offset: r.offset }]);
  try {
    const { response } = await client.sendToNode(leader, DeleteRecords, { topics: [...topics].map(([name, partitions]) => ({ name, partitions })), timeoutMs }, { timeoutMs: timeoutMs + 5000 });
    for (const r of rs) {
      const answer = response.topics.find((t) => t.name === r.topic)?.partitions.find((p) => p.partitionIndex === r.partition);
      r.errorCode = answer ? (answer.errorCode as ErrorCode) : ErrorCode.UNKNOWN_SERVER_ERROR;
      r.lowWatermark = answer && answer.errorCode === ErrorCode.NONE ? answer.lowWatermark : -1;
      r.errorMessage = answer ? null : `The broker's response left out ${r.topic}-${r.partition}`;
    }
  } catch (err) {
    const code = codeOfError(err);
    for (const r of rs) {
      r.errorCode = isRetriable(code) && needsMetadataRefresh(code) ? ErrorCode.NETWORK_EXCEPTION : code;
      r.errorMessage = (err as Error).message;
    }
  }
}
