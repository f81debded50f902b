// Heartbeat (key 12), versions 0-3 (flexible from 4).
// Version notes: v1 throttleTimeMs, v3 groupInstanceId (KIP-345).

import { defineApi } from '../api-definition';
import { Infer, InferInput, int16, int32, string, struct } from '../schema';

export const HeartbeatRequestSchema = struct({
  groupId: string(),
  generationId: int32(),
  memberId: string(),
  groupInstanceId: string('3+', { nullable: '3+', default: null }),
});

export const HeartbeatResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16(),
});

export type HeartbeatRequest = Infer<typeof HeartbeatRequestSchema>;
export type HeartbeatResponse = Infer<typeof HeartbeatResponseSchema>;
export type HeartbeatResponseInput = InferInput<typeof HeartbeatResponseSchema>;

export const Heartbeat = defineApi({
  apiKey: 12,
  name: 'Heartbeat',
  maxVersion: 3,
  flexibleVersionsFrom: 4,
  request: HeartbeatRequestSchema,
  response: HeartbeatResponseSchema,
});
