// InitProducerId (key 22), versions 0-2 (flexible from 2, as Kafka 2.4): allocates a producer id for
// idempotent (transactionalId null) and transactional producers (KIP-98).
// Version notes: v1 only changes semantics; v2 is the first flexible version (KIP-482).

import { defineApi } from '../api-definition';
import { Infer, InferInput, int16, int32, int64, string, struct } from '../schema';

export const InitProducerIdRequestSchema = struct({
  transactionalId: string('0+', { nullable: '0+' }),
  transactionTimeoutMs: int32(),
});

export const InitProducerIdResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
  producerId: int64('0+', { default: -1 }),
  producerEpoch: int16(),
});

export type InitProducerIdRequest = Infer<typeof InitProducerIdRequestSchema>;
export type InitProducerIdResponse = Infer<typeof InitProducerIdResponseSchema>;
export type InitProducerIdResponseInput = InferInput<typeof InitProducerIdResponseSchema>;

export const InitProducerId = defineApi({
  apiKey: 22,
  name: 'InitProducerId',
  maxVersion: 2,
  flexibleVersionsFrom: 2,
  request: InitProducerIdRequestSchema,
  response: InitProducerIdResponseSchema,
});
