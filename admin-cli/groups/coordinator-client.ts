// The group APIs a tool needs, over ClusterClient: find a group's coordinator (FindCoordinator),
// then OffsetFetch / OffsetCommit / OffsetDelete / DescribeGroups / DeleteGroups there, and ListGroups on every
// broker. Coordinator errors (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS)
// re-find the coordinator and retry, as Kafka's AdminClient and consumers do.
// Commits from tools are "simple" commits: generation -1 and member "" (Kafka's
// OffsetCommitRequest.DEFAULT_GENERATION_ID / DEFAULT_MEMBER_ID), which the coordinator accepts
// only while the group has no active members.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { DeleteGroups } from '../../broker/protocol/messages/delete-groups';
import { DescribeGroups, type DescribeGroupsResponse } from '../../broker/protocol/messages/describe-groups';
import { FindCoordinator } from '../../broker/protocol/messages/find-coordinator';
import { ListGroups } from '../../broker/protocol/messages/list-groups';
import { OffsetDelete } from '../../broker/protocol/messages/offset-delete';
import { OffsetCommit } from '../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../broker/protocol/messages/offset-fetch';
import type { ClusterClient } from '../client/cluster-client';
import { errorName } from '../client/retry';

export type DescribedGroupInfo = DescribeGroupsResponse['groups'][number];

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata?: string;
}

/** "topic\0partition" keys, as the client library's maps. */
export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

const COORDINATOR_ERRORS = new Set<ErrorCode>([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);

export class CoordinatorError extends KafkaError {}

export async function findCoordinator(client: ClusterClient, group: string): Promise<number> {
  return client.withRetries(async () => {
    const conn = await client.anyConnection();
    const { response } = await conn.send(FindCoordinator, { key: group, keyType: 0 });
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, `FindCoordinator for group ${group} failed: ${errorName(response.errorCode)}`);
    }
    if (!client.metadata.brokers.has(response.nodeId)) await client.refreshMetadata([]);
    return response.nodeId;
  }, 10);
}

/** Runs fn against the group's coordinator; a coordinator error (top-level or thrown) re-finds it. */
async function withCoordinator<T>(client: ClusterClient, group: string, fn: (nodeId: number) => Promise<T | CoordinatorError>): Promise<T> {
  return client.withRetries(async () => {
    const nodeId = await findCoordinator(client, group);
    const r = await fn(nodeId);
    if (r instanceof CoordinatorError) throw r;
    return r;
  }, 10);
}

/** OffsetFetch (v2+ so topics may be null = everything the group committed): topic\0partition -> offset (>= 0 only). */
export async function fetchCommittedOffsets(client: ClusterClient, group: string, topics: string[] | null = null): Promise<Map<string, { topic: string; partition: number; offset: number; metadata: string }>> {
  return withCoordinator(client, group, async (nodeId) => {
    let requestTopics: { name: string; partitionIndexes: number[] }[] | null = null;
    if (topics !== null) {
      requestTopics = [];
      for (const t of topics) {
        const md = await client.topicMetadata(t);
        requestTopics.push({ name: t, partitionIndexes: md.partitions.map((p) => p.partition) });
      }
    }
    const { response } = await client.sendToNode(nodeId, OffsetFetch, { groupId: group, topics: requestTopics }, { min: 2 });
    if (COORDINATOR_ERRORS.has(response.errorCode)) return new CoordinatorError(response.errorCode, `OffsetFetch: ${errorName(response.errorCode)}`);
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode, `OffsetFetch for group ${group} failed: ${errorName(response.errorCode)}`);
    const out = new Map<string, { topic: string; partition: number; offset: number; metadata: string }>();
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (COORDINATOR_ERRORS.has(p.errorCode)) return new CoordinatorError(p.errorCode, `OffsetFetch: ${errorName(p.errorCode)}`);
        if (p.errorCode === ErrorCode.NONE && p.committedOffset >= 0) {
          out.set(tpKey(t.name, p.partitionIndex), { topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.metadata ?? '' });
        }
      }
    }
    return out;
  });
}

/**
 * OffsetCommit v2 (retention -1 = the broker's default). Returns topic\0partition -> error code;
 * a partition-level coordinator error retries the whole commit against the new coordinator.
 */
export async function commitOffsets(
  client: ClusterClient,
  group: string,
  offsets: readonly TopicPartitionOffset[],
  member: { generationId: number; memberId: string } = { generationId: -1, memberId: '' },
): Promise<Map<string, ErrorCode>> {
  if (offsets.length === 0) return new Map();
  const byTopic = new Map<string, TopicPartitionOffset[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const body = {
    groupId: group,
    generationIdOrMemberEpoch: member.generationId,
    memberId: member.memberId,
    retentionTimeMs: -1,
    topics: [...byTopic].map(([name, ps]) => ({
      name,
      partitions: ps.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedMetadata: p.metadata ?? '' })),
    })),
  };
  return withCoordinator(client, group, async (nodeId) => {
    const { response } = await client.sendToNode(nodeId, OffsetCommit, body, { min: 2, max: 2 });
    const out = new Map<string, ErrorCode>();
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (COORDINATOR_ERRORS.has(p.errorCode)) return new CoordinatorError(p.errorCode, `OffsetCommit: ${errorName(p.errorCode)}`);
        out.set(tpKey(t.name, p.partitionIndex), p.errorCode as ErrorCode);
      }
    }
    return out;
  });
}

export async function describeGroup(client: ClusterClient, group: string): Promise<DescribedGroupInfo> {
  return withCoordinator(client, group, async (nodeId) => {
    const { response } = await client.sendToNode(nodeId, DescribeGroups, { groups: [group], includeAuthorizedOperations: false });
    const g = response.groups.find((x) => x.groupId === group);
    if (g === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `DescribeGroups did not describe group ${group}`);
    if (COORDINATOR_ERRORS.has(g.errorCode)) return new CoordinatorError(g.errorCode, `DescribeGroups: ${errorName(g.errorCode)}`);
    if (g.errorCode !== ErrorCode.NONE) throw new KafkaError(g.errorCode, `DescribeGroups for group ${group} failed: ${errorName(g.errorCode)}`);
    return g;
  });
}

/** ListGroups on every broker (each lists the groups it coordinates), as AdminClient.listConsumerGroups. */
export async function listGroups(client: ClusterClient): Promise<Array<{ groupId: string; protocolType: string }>> {
  const md = await client.refreshMetadata([]);
  const lists = await Promise.all(
    [...md.brokers.keys()].map(async (id) => {
      const { response } = await client.sendToNode(id, ListGroups, {});
      if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode, `ListGroups on broker ${id} failed: ${errorName(response.errorCode)}`);
      return response.groups;
    }),
  );
  const seen = new Map<string, { groupId: string; protocolType: string }>();
  for (const g of lists.flat()) seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType });
  return [...seen.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

/** DeleteGroups at each group's coordinator: group -> error code (NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, ...). */
export async function deleteGroups(client: ClusterClient, groups: readonly string[]): Promise<Map<string, ErrorCode>> {
  const out = new Map<string, ErrorCode>();
  for (const group of groups) {
    const code = await withCoordinator(client, group, async (nodeId) => {
      const { response } = await client.sendToNode(nodeId, DeleteGroups, { groupsNames: [group] });
      const r = response.results.find((x) => x.groupId === group);
      const c = (r?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR) as ErrorCode;
      return COORDINATOR_ERRORS.has(c) ? new CoordinatorError(c, `DeleteGroups: ${errorName(c)}`) : c;
    });
    out.set(group, code);
  }
  return out;
}

/**
 * OffsetDelete at the group's coordinator (KIP-496): a group-level error code and, when it is
 * NONE, one code per partition (GROUP_SUBSCRIBED_TO_TOPIC, UNKNOWN_TOPIC_OR_PARTITION, ...).
 */
export async function deleteOffsets(
  client: ClusterClient,
  group: string,
  partitions: readonly { topic: string; partition: number }[],
): Promise<{ errorCode: ErrorCode; partitions: { topic: string; partition: number; errorCode: ErrorCode }[] }> {
  const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({
    name,
    partitions: partitions.filter((p) => p.topic === name).map((p) => ({ partitionIndex: p.partition })),
  }));
  return withCoordinator(client, group, async (nodeId) => {
    const { response } = await client.sendToNode(nodeId, OffsetDelete, { groupId: group, topics });
    if (COORDINATOR_ERRORS.has(response.errorCode)) return new CoordinatorError(response.errorCode, `OffsetDelete: ${errorName(response.errorCode)}`);
    return {
      errorCode: response.errorCode as ErrorCode,
      partitions: response.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode as ErrorCode }))),
    };
  });
}
