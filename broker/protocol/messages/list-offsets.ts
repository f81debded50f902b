// ListOffsets (key 2), versions 0-5 (flexible from 6).
// Version notes: v0 asks for up to maxNumOffsets offsets before a timestamp and answers with a
// list (oldStyleOffsets); v1+ answer one timestamp/offset pair (KIP-79). v2 isolationLevel and
// throttleTimeMs, v4 currentLeaderEpoch/leaderEpoch (KIP-320). Timestamps -1 = latest,
// -2 = earliest.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, int8, string, struct } from '../schema';

const ListOffsetsPartition = struct({
  partitionIndex: int32(),
  currentLeaderEpoch: int32('4+', { default: -1 }),
  timestamp: int64(),
  maxNumOffsets: int32('0', { default: 1 }),
});

const ListOffsetsTopic = struct({
  name: string(),
  partitions: array('0+', ListOffsetsPartition),
});

export const ListOffsetsRequestSchema = struct({
  replicaId: int32(),
  isolationLevel: int8('2+'),
  topics: array('0+', ListOffsetsTopic),
});

const ListOffsetsPartitionResponse = struct({
  partitionIndex: int32(),
  errorCode: int16(),
  oldStyleOffsets: array('0', int64()),
  timestamp: int64('1+', { default: -1 }),
  offset: int64('1+', { default: -1 }),
  leaderEpoch: int32('4+', { default: -1 }),
});

const ListOffsetsTopicResponse = struct({
  name: string(),
  partitions: array('0+', ListOffsetsPartitionResponse),
});

export const ListOffsetsResponseSchema = struct({
  throttleTimeMs: int32('2+'),
  topics: array('0+', ListOffsetsTopicResponse),
});

export type ListOffsetsRequest = Infer<typeof ListOffsetsRequestSchema>;
export type ListOffsetsResponse = Infer<typeof ListOffsetsResponseSchema>;
export type ListOffsetsResponseInput = InferInput<typeof ListOffsetsResponseSchema>;
export type ListOffsetsPartitionResponse = InferInput<typeof ListOffsetsPartitionResponse>;

export const ListOffsets = defineApi({
  apiKey: 2,
  name: 'ListOffsets',
  maxVersion: 5,
  flexibleVersionsFrom: 6,
  request: ListOffsetsRequestSchema,
  response: ListOffsetsResponseSchema,
});
