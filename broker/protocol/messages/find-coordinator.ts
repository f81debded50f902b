// FindCoordinator (key 10), versions 0-2 (flexible from 3).
// Version notes: v1 keyType (0 = group, 1 = transaction), throttleTimeMs and errorMessage;
// v2 only changes semantics. The group coordinator is the leader of __consumer_offsets
// partition abs(javaStringHashCode(key)) % offsets.topic.num.partitions.

import { defineApi } from '../api-definition';
import { Infer, InferInput, int16, int32, int8, string, struct } from '../schema';

export const FindCoordinatorRequestSchema = struct({
  key: string(),
  keyType: int8('1+', { default: 0 }),
});

export const FindCoordinatorResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16(),
  errorMessage: string('1+', { nullable: '1+', default: null }),
  nodeId: int32(),
  host: string(),
  port: int32(),
});

export type FindCoordinatorRequest = Infer<typeof FindCoordinatorRequestSchema>;
export type FindCoordinatorResponse = Infer<typeof FindCoordinatorResponseSchema>;
export type FindCoordinatorResponseInput = InferInput<typeof FindCoordinatorResponseSchema>;

export const FindCoordinator = defineApi({
  apiKey: 10,
  name: 'FindCoordinator',
  maxVersion: 2,
  flexibleVersionsFrom: 3,
  request: FindCoordinatorRequestSchema,
  response: FindCoordinatorResponseSchema,
});
