// Produce (key 0), versions 0-7 (flexible from 9).
// Version notes: v3 adds transactionalId and requires record batch v2 (KIP-98); v1 adds
// throttleTimeMs, v2 logAppendTimeMs, v5 logStartOffset. v4-v7 change only semantics
// (v7 = ZStandard, KIP-110). records are a zero-copy slice of the request frame: the produce
// path validates and appends batches in place without decoding records.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, records, string, struct } from '../schema';

const PartitionProduceData = struct({
  index: int32(),
  records: records('0+', { nullable: '0+' }),
});

const TopicProduceData = struct({
  name: string(),
  partitionData: array('0+', PartitionProduceData),
});

export const ProduceRequestSchema = struct({
  transactionalId: string('3+', { nullable: '3+', default: null }),
  acks: int16(),
  timeoutMs: int32(),
  topicData: array('0+', TopicProduceData),
});

const PartitionProduceResponse = struct({
  index: int32(),
  errorCode: int16(),
  baseOffset: int64(),
  logAppendTimeMs: int64('2+', { default: -1 }),
  logStartOffset: int64('5+', { default: -1 }),
});

const TopicProduceResponse = struct({
  name: string(),
  partitionResponses: array('0+', PartitionProduceResponse),
});

export const ProduceResponseSchema = struct({
  responses: array('0+', TopicProduceResponse),
  throttleTimeMs: int32('1+', { default: 0 }),
});

export type ProduceRequest = Infer<typeof ProduceRequestSchema>;
export type ProduceRequestInput = InferInput<typeof ProduceRequestSchema>;
export type ProduceResponse = Infer<typeof ProduceResponseSchema>;
export type ProduceResponseInput = InferInput<typeof ProduceResponseSchema>;
export type TopicProduceData = Infer<typeof TopicProduceData>;
export type PartitionProduceData = Infer<typeof PartitionProduceData>;
export type TopicProduceResponse = Infer<typeof TopicProduceResponse>;
export type PartitionProduceResponse = Infer<typeof PartitionProduceResponse>;

export const Produce = defineApi({
  apiKey: 0,
  name: 'Produce',
  maxVersion: 7,
  flexibleVersionsFrom: 9,
  request: ProduceRequestSchema,
  response: ProduceResponseSchema,
});
