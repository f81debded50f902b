// Fetch (key 1), versions 0-11 (flexible from 12).
// Version notes: v3 maxBytes (KIP-74), v4 isolationLevel + lastStableOffset + abortedTransactions
// (KIP-98; kafkajs defaults to READ_COMMITTED, so fill them), v5 logStartOffset, v7 fetch
// sessions (KIP-227: sessionId/sessionEpoch, forgottenTopicsData, top-level errorCode), v9
// currentLeaderEpoch (KIP-320), v11 rackId and preferredReadReplica (KIP-392).
// Response records are encoded by reference: pass the segment's Buffers as a Buffer[].

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, int8, records, string, struct } from '../schema';

const FetchPartition = struct({
  partition: int32(),
  currentLeaderEpoch: int32('9+', { default: -1 }),
  fetchOffset: int64(),
  logStartOffset: int64('5+', { default: -1 }),
  partitionMaxBytes: int32(),
});

const FetchTopic = struct({
  topic: string(),
  partitions: array('0+', FetchPartition),
});

const ForgottenTopic = struct({
  topic: string(),
  partitions: array('0+', int32()),
});

export const FetchRequestSchema = struct({
  replicaId: int32('0+', { default: -1 }),
  maxWaitMs: int32(),
  minBytes: int32(),
  maxBytes: int32('3+', { default: 0x7fffffff }),
  isolationLevel: int8('4+', { default: 0 }),
  sessionId: int32('7+', { default: 0 }),
  sessionEpoch: int32('7+', { default: -1 }),
  topics: array('0+', FetchTopic),
  forgottenTopicsData: array('7+', ForgottenTopic),
  rackId: string('11+', { default: '' }),
});

const AbortedTransaction = struct({
  producerId: int64(),
  firstOffset: int64(),
});

const PartitionData = struct({
  partitionIndex: int32(),
  errorCode: int16(),
  highWatermark: int64(),
  lastStableOffset: int64('4+', { default: -1 }),
  logStartOffset: int64('5+', { default: -1 }),
  abortedTransactions: array('4+', AbortedTransaction, { nullable: '4+' }),
  preferredReadReplica: int32('11+', { default: -1 }),
  records: records('0+', { nullable: '0+' }),
});

const FetchableTopicResponse = struct({
  topic: string(),
  partitions: array('0+', PartitionData),
});

export const FetchResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16('7+'),
  sessionId: int32('7+', { default: 0 }),
  responses: array('0+', FetchableTopicResponse),
});

export type FetchRequest = Infer<typeof FetchRequestSchema>;
export type FetchRequestInput = InferInput<typeof FetchRequestSchema>;
export type FetchResponse = Infer<typeof FetchResponseSchema>;
export type FetchResponseInput = InferInput<typeof FetchResponseSchema>;
export type FetchTopic = Infer<typeof FetchTopic>;
export type FetchPartition = Infer<typeof FetchPartition>;
export type FetchableTopicResponse = InferInput<typeof FetchableTopicResponse>;
export type FetchPartitionData = InferInput<typeof PartitionData>;

export const Fetch = defineApi({
  apiKey: 1,
  name: 'Fetch',
  maxVersion: 11,
  flexibleVersionsFrom: 12,
  request: FetchRequestSchema,
  response: FetchResponseSchema,
});
