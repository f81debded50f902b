// LeaveGroup (key 13), versions 0-2 (flexible from 4).
// Version notes: v1 throttleTimeMs; v2 only changes semantics. (v3's batch of members, KIP-345,
// is beyond Zafka's range.)

import { defineApi } from '../api-definition';
import { Infer, InferInput, int16, int32, string, struct } from '../schema';

export const LeaveGroupRequestSchema = struct({
  groupId: string(),
  memberId: string('0-2'),
});

export const LeaveGroupResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16(),
});

export type LeaveGroupRequest = Infer<typeof LeaveGroupRequestSchema>;
export type LeaveGroupResponse = Infer<typeof LeaveGroupResponseSchema>;
export type LeaveGroupResponseInput = InferInput<typeof LeaveGroupResponseSchema>;

export const LeaveGroup = defineApi({
  apiKey: 13,
  name: 'LeaveGroup',
  maxVersion: 2,
  flexibleVersionsFrom: 4,
  request: LeaveGroupRequestSchema,
  response: LeaveGroupResponseSchema,
});
