// AddPartitionsToTxn (key 24), versions 0-1 as Kafka 2.4 (flexible from 3, which came later):
// a transactional producer names the partitions it is about to write to, before the first write.
// Version notes: v1 only changes semantics (the client may not retry with the same sequence).
// Field names are 2.4's JSON (later Kafka renamed them V3AndBelow*).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const AddPartitionsToTxnTopic = struct({
  name: string(),
  partitions: array('0+', int32()),
});

export const AddPartitionsToTxnRequestSchema = struct({
  transactionalId: string(),
  producerId: int64(),
  producerEpoch: int16(),
  topics: array('0+', AddPartitionsToTxnTopic),
});

const AddPartitionsToTxnPartitionResult = struct({
  partitionIndex: int32(),
  errorCode: int16(),
});

const AddPartitionsToTxnTopicResult = struct({
  name: string(),
  results: array('0+', AddPartitionsToTxnPartitionResult),
});

export const AddPartitionsToTxnResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', AddPartitionsToTxnTopicResult),
});

export type AddPartitionsToTxnRequest = Infer<typeof AddPartitionsToTxnRequestSchema>;
export type AddPartitionsToTxnRequestInput = InferInput<typeof AddPartitionsToTxnRequestSchema>;
export type AddPartitionsToTxnResponse = Infer<typeof AddPartitionsToTxnResponseSchema>;
export type AddPartitionsToTxnResponseInput = InferInput<typeof AddPartitionsToTxnResponseSchema>;

export const AddPartitionsToTxn = defineApi({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  maxVersion: 1,
  flexibleVersionsFrom: 3,
  request: AddPartitionsToTxnRequestSchema,
  response: AddPartitionsToTxnResponseSchema,
});
