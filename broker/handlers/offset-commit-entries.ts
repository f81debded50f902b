// What OffsetCommit and TxnOffsetCommit share (Kafka 2.4's KafkaApis, both handlers): a
// partition of a topic the principal may not Read answers TOPIC_AUTHORIZATION_FAILED, one the
// broker does not know UNKNOWN_TOPIC_OR_PARTITION; the others become entries for the group
// coordinator. Errors are keyed "topic\0partition", as the coordinator's answers are.
import type { OffsetAndMetadata } from '../group/group-records';
import type { OffsetCommitEntry } from '../group/group-metadata-manager';
import type { MetadataCache } from '../metadata-cache';
import { ErrorCode } from '../protocol/errors';

export const commitKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export function commitEntriesOf<P extends { partitionIndex: number }>(
  topics: readonly { name: string; partitions: readonly P[] }[],
  readable: ReadonlySet<string>,
  metadataCache: Pick<MetadataCache, 'partitionState'>,
  offsetAndMetadataOf: (p: P) => OffsetAndMetadata,
): { errors: Map<string, ErrorCode>; entries: OffsetCommitEntry[] } {
  const errors = new Map<string, ErrorCode>();
  const entries: OffsetCommitEntry[] = [];
  for (const t of topics) {
    for (const p of t.partitions) {
      if (!readable.has(t.name)) errors.set(commitKey(t.name, p.partitionIndex), ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      else if (!metadataCache.partitionState(t.name, p.partitionIndex)) errors.set(commitKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      else entries.push({ topic: t.name, partition: p.partitionIndex, offsetAndMetadata: offsetAndMetadataOf(p) });
    }
  }
  return { errors, entries };
}
