// SyncGroup (key 14), versions 0-3 (flexible from 4).
// Version notes: v1 throttleTimeMs, v3 groupInstanceId (KIP-345). Only the leader sends
// assignments; every member receives its own (opaque consumer-protocol bytes).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bytes, int16, int32, string, struct } from '../schema';

const SyncGroupRequestAssignment = struct({
  memberId: string(),
  assignment: bytes(),
});

export const SyncGroupRequestSchema = struct({
  groupId: string(),
  generationId: int32(),
  memberId: string(),
  groupInstanceId: string('3+', { nullable: '3+', default: null }),
  assignments: array('0+', SyncGroupRequestAssignment),
});

export const SyncGroupResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16(),
  assignment: bytes(),
});

export type SyncGroupRequest = Infer<typeof SyncGroupRequestSchema>;
export type SyncGroupResponse = Infer<typeof SyncGroupResponseSchema>;
export type SyncGroupResponseInput = InferInput<typeof SyncGroupResponseSchema>;

export const SyncGroup = defineApi({
  apiKey: 14,
  name: 'SyncGroup',
  maxVersion: 3,
  flexibleVersionsFrom: 4,
  request: SyncGroupRequestSchema,
  response: SyncGroupResponseSchema,
});
