// AddOffsetsToTxn (key 25), versions 0-1 as Kafka 2.4 (flexible from 3): a transactional
// producer is about to commit a group's offsets in the transaction (TxnOffsetCommit); the
// coordinator adds the group's __consumer_offsets partition to the transaction.
// Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, int16, int32, int64, string, struct } from '../schema';

export const AddOffsetsToTxnRequestSchema = struct({
  transactionalId: string(),
  producerId: int64(),
  producerEpoch: int16(),
  groupId: string(),
});

export const AddOffsetsToTxnResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
});

export type AddOffsetsToTxnRequest = Infer<typeof AddOffsetsToTxnRequestSchema>;
export type AddOffsetsToTxnRequestInput = InferInput<typeof AddOffsetsToTxnRequestSchema>;
export type AddOffsetsToTxnResponse = Infer<typeof AddOffsetsToTxnResponseSchema>;

export const AddOffsetsToTxn = defineApi({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  maxVersion: 1,
  flexibleVersionsFrom: 3,
  request: AddOffsetsToTxnRequestSchema,
  response: AddOffsetsToTxnResponseSchema,
});
