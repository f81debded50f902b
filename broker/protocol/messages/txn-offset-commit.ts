// TxnOffsetCommit (key 28), versions 0-2 as Kafka 2.4 serves them (v3, flexible, adds the group
// generation and member of KIP-447 in Kafka 2.5).
// Version notes: v1 same as v0 (the response may be throttled); v2 committedLeaderEpoch (KIP-320).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const TxnOffsetCommitRequestPartition = struct({
  partitionIndex: int32(),
  committedOffset: int64(),
  committedLeaderEpoch: int32('2+', { default: -1 }),
  committedMetadata: string('0+', { nullable: '0+' }),
});

const TxnOffsetCommitRequestTopic = struct({
  name: string(),
  partitions: array('0+', TxnOffsetCommitRequestPartition),
});

export const TxnOffsetCommitRequestSchema = struct({
  transactionalId: string(),
  groupId: string(),
  producerId: int64(),
  producerEpoch: int16(),
  topics: array('0+', TxnOffsetCommitRequestTopic),
});

const TxnOffsetCommitResponsePartition = struct({
  partitionIndex: int32(),
  errorCode: int16(),
});

const TxnOffsetCommitResponseTopic = struct({
  name: string(),
  partitions: array('0+', TxnOffsetCommitResponsePartition),
});

export const TxnOffsetCommitResponseSchema = struct({
  throttleTimeMs: int32(),
  topics: array('0+', TxnOffsetCommitResponseTopic),
});

export type TxnOffsetCommitRequest = Infer<typeof TxnOffsetCommitRequestSchema>;
export type TxnOffsetCommitRequestInput = InferInput<typeof TxnOffsetCommitRequestSchema>;
export type TxnOffsetCommitResponse = Infer<typeof TxnOffsetCommitResponseSchema>;

export const TxnOffsetCommit = defineApi({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  maxVersion: 2,
  flexibleVersionsFrom: 3,
  request: TxnOffsetCommitRequestSchema,
  response: TxnOffsetCommitResponseSchema,
});
