// OffsetFetch (key 9), versions 0-5 (flexible from 6).
// Version notes: v0 reads offsets from ZooKeeper; v2 allows topics = null (all committed
// offsets of the group) and adds a top-level errorCode; v3 throttleTimeMs; v5
// committedLeaderEpoch (KIP-320).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const OffsetFetchRequestTopic = struct({
  name: string(),
  partitionIndexes: array('0+', int32()),
});

export const OffsetFetchRequestSchema = struct({
  groupId: string(),
  topics: array('0+', OffsetFetchRequestTopic, { nullable: '2+' }),
});

const OffsetFetchResponsePartition = struct({
  partitionIndex: int32(),
  committedOffset: int64(),
  committedLeaderEpoch: int32('5+', { default: -1 }),
  metadata: string('0+', { nullable: '0+' }),
  errorCode: int16(),
});

const OffsetFetchResponseTopic = struct({
  name: string(),
  partitions: array('0+', OffsetFetchResponsePartition),
});

export const OffsetFetchResponseSchema = struct({
  throttleTimeMs: int32('3+'),
  topics: array('0+', OffsetFetchResponseTopic),
  errorCode: int16('2+', { default: 0 }),
});

export type OffsetFetchRequest = Infer<typeof OffsetFetchRequestSchema>;
export type OffsetFetchResponse = Infer<typeof OffsetFetchResponseSchema>;
export type OffsetFetchResponseInput = InferInput<typeof OffsetFetchResponseSchema>;

export const OffsetFetch = defineApi({
  apiKey: 9,
  name: 'OffsetFetch',
  maxVersion: 5,
  flexibleVersionsFrom: 6,
  request: OffsetFetchRequestSchema,
  response: OffsetFetchResponseSchema,
});
