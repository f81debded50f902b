// EndTxn (key 26), versions 0-1 as Kafka 2.4 (flexible from 3): a transactional producer
// commits or aborts its transaction. Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, bool, int16, int32, int64, string, struct } from '../schema';

export const EndTxnRequestSchema = struct({
  transactionalId: string(),
  producerId: int64(),
  producerEpoch: int16(),
  /** True to commit, false to abort. */
  committed: bool(),
});

export const EndTxnResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
});

export type EndTxnRequest = Infer<typeof EndTxnRequestSchema>;
export type EndTxnRequestInput = InferInput<typeof EndTxnRequestSchema>;
export type EndTxnResponse = Infer<typeof EndTxnResponseSchema>;

export const EndTxn = defineApi({
  apiKey: 26,
  name: 'EndTxn',
  maxVersion: 1,
  flexibleVersionsFrom: 3,
  request: EndTxnRequestSchema,
  response: EndTxnResponseSchema,
});
