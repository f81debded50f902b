// JoinGroup (key 11), versions 0-5 (flexible from 6).
// Version notes: v1 rebalanceTimeoutMs (KIP-62; v0 uses the session timeout), v2
// throttleTimeMs, v4 MEMBER_ID_REQUIRED on the first join (KIP-394), v5 groupInstanceId for
// static membership (KIP-345). Protocol metadata is opaque bytes (the consumer protocol).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bytes, int16, int32, string, struct } from '../schema';

const JoinGroupRequestProtocol = struct({
  name: string(),
  metadata: bytes(),
});

export const JoinGroupRequestSchema = struct({
  groupId: string(),
  sessionTimeoutMs: int32(),
  rebalanceTimeoutMs: int32('1+', { default: -1 }),
  memberId: string(),
  groupInstanceId: string('5+', { nullable: '5+', default: null }),
  protocolType: string(),
  protocols: array('0+', JoinGroupRequestProtocol),
});

const JoinGroupResponseMember = struct({
  memberId: string(),
  groupInstanceId: string('5+', { nullable: '5+', default: null }),
  metadata: bytes(),
});

export const JoinGroupResponseSchema = struct({
  throttleTimeMs: int32('2+'),
  errorCode: int16(),
  generationId: int32('0+', { default: -1 }),
  protocolName: string(),
  leader: string(),
  memberId: string(),
  members: array('0+', JoinGroupResponseMember),
});

export type JoinGroupRequest = Infer<typeof JoinGroupRequestSchema>;
export type JoinGroupResponse = Infer<typeof JoinGroupResponseSchema>;
export type JoinGroupResponseInput = InferInput<typeof JoinGroupResponseSchema>;
export type JoinGroupResponseMember = Infer<typeof JoinGroupResponseMember>;

export const JoinGroup = defineApi({
  apiKey: 11,
  name: 'JoinGroup',
  maxVersion: 5,
  flexibleVersionsFrom: 6,
  request: JoinGroupRequestSchema,
  response: JoinGroupResponseSchema,
});
