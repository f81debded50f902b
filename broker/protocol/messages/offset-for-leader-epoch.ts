// OffsetForLeaderEpoch (key 23), versions 0-3 (flexible from 4): a follower asks for the end
// offset of a leader epoch to truncate correctly (KIP-101), consumers to detect log
// truncation (KIP-320).
// Version notes: v1 leaderEpoch in the response, v2 currentLeaderEpoch and throttleTimeMs,
// v3 replicaId (-2 = consumer, the default for older versions).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const OffsetForLeaderPartition = struct({
  partition: int32(),
  currentLeaderEpoch: int32('2+', { default: -1 }),
  leaderEpoch: int32(),
});

const OffsetForLeaderTopic = struct({
  topic: string(),
  partitions: array('0+', OffsetForLeaderPartition),
});

export const OffsetForLeaderEpochRequestSchema = struct({
  replicaId: int32('3+', { default: -2 }),
  topics: array('0+', OffsetForLeaderTopic),
});

const EpochEndOffset = struct({
  errorCode: int16(),
  partition: int32(),
  leaderEpoch: int32('1+', { default: -1 }),
  endOffset: int64('0+', { default: -1 }),
});

const OffsetForLeaderTopicResult = struct({
  topic: string(),
  partitions: array('0+', EpochEndOffset),
});

export const OffsetForLeaderEpochResponseSchema = struct({
  throttleTimeMs: int32('2+'),
  topics: array('0+', OffsetForLeaderTopicResult),
});

export type OffsetForLeaderEpochRequest = Infer<typeof OffsetForLeaderEpochRequestSchema>;
export type OffsetForLeaderEpochResponse = Infer<typeof OffsetForLeaderEpochResponseSchema>;
export type OffsetForLeaderEpochResponseInput = InferInput<typeof OffsetForLeaderEpochResponseSchema>;
export type EpochEndOffset = Infer<typeof EpochEndOffset>;

export const OffsetForLeaderEpoch = defineApi({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  maxVersion: 3,
  flexibleVersionsFrom: 4,
  request: OffsetForLeaderEpochRequestSchema,
  response: OffsetForLeaderEpochResponseSchema,
});
