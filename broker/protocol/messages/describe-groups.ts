// DescribeGroups (key 15), versions 0-3 (flexible from 5).
// Version notes: v1 throttleTimeMs; v2 only changes semantics; v3 authorized operations
// (KIP-430).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, bytes, int16, int32, string, struct } from '../schema';

export const DescribeGroupsRequestSchema = struct({
  groups: array('0+', string()),
  includeAuthorizedOperations: bool('3+'),
});

const DescribedGroupMember = struct({
  memberId: string(),
  clientId: string(),
  clientHost: string(),
  memberMetadata: bytes(),
  memberAssignment: bytes(),
});

const DescribedGroup = struct({
  errorCode: int16(),
  groupId: string(),
  groupState: string(),
  protocolType: string(),
  protocolData: string(),
  members: array('0+', DescribedGroupMember),
  authorizedOperations: int32('3+', { default: -2147483648 }),
});

export const DescribeGroupsResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  groups: array('0+', DescribedGroup),
});

export type DescribeGroupsRequest = Infer<typeof DescribeGroupsRequestSchema>;
export type DescribeGroupsResponse = Infer<typeof DescribeGroupsResponseSchema>;
export type DescribeGroupsResponseInput = InferInput<typeof DescribeGroupsResponseSchema>;
export type DescribedGroup = InferInput<typeof DescribedGroup>;

export const DescribeGroups = defineApi({
  apiKey: 15,
  name: 'DescribeGroups',
  maxVersion: 3,
  flexibleVersionsFrom: 5,
  request: DescribeGroupsRequestSchema,
  response: DescribeGroupsResponseSchema,
});
