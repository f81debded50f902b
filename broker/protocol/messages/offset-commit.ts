// OffsetCommit (key 8), versions 0-7 (flexible from 8).
// Version notes: v0 stores offsets in ZooKeeper (Kafka 0.8.1 clients); v1 adds the group
// generation, memberId and a per-partition commitTimestamp; v2-v4 a retentionTimeMs instead;
// v3 throttleTimeMs; v5 drops retention (KIP-211); v6 committedLeaderEpoch (KIP-320);
// v7 groupInstanceId (KIP-345). generationIdOrMemberEpoch is Kafka 2.x's GenerationId.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const OffsetCommitRequestPartition = struct({
  partitionIndex: int32(),
  committedOffset: int64(),
  committedLeaderEpoch: int32('6+', { default: -1 }),
  commitTimestamp: int64('1', { default: -1 }),
  committedMetadata: string('0+', { nullable: '0+' }),
});

const OffsetCommitRequestTopic = struct({
  name: string(),
  partitions: array('0+', OffsetCommitRequestPartition),
});

export const OffsetCommitRequestSchema = struct({
  groupId: string(),
  generationIdOrMemberEpoch: int32('1+', { default: -1 }),
  memberId: string('1+'),
  groupInstanceId: string('7+', { nullable: '7+', default: null }),
  retentionTimeMs: int64('2-4', { default: -1 }),
  topics: array('0+', OffsetCommitRequestTopic),
});

const OffsetCommitResponsePartition = struct({
  partitionIndex: int32(),
  errorCode: int16(),
});

const OffsetCommitResponseTopic = struct({
  name: string(),
  partitions: array('0+', OffsetCommitResponsePartition),
});

export const OffsetCommitResponseSchema = struct({
  throttleTimeMs: int32('3+'),
  topics: array('0+', OffsetCommitResponseTopic),
});

export type OffsetCommitRequest = Infer<typeof OffsetCommitRequestSchema>;
export type OffsetCommitResponse = Infer<typeof OffsetCommitResponseSchema>;
export type OffsetCommitResponseInput = InferInput<typeof OffsetCommitResponseSchema>;

export const OffsetCommit = defineApi({
  apiKey: 8,
  name: 'OffsetCommit',
  maxVersion: 7,
  flexibleVersionsFrom: 8,
  request: OffsetCommitRequestSchema,
  response: OffsetCommitResponseSchema,
});
