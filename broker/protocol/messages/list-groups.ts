// ListGroups (key 16), versions 0-2 (flexible from 3). The request has no fields.
// Version notes: v1 throttleTimeMs; v2 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

export const ListGroupsRequestSchema = struct({});

const ListedGroup = struct({
  groupId: string(),
  protocolType: string(),
});

export const ListGroupsResponseSchema = struct({
  throttleTimeMs: int32('1+'),
  errorCode: int16(),
  groups: array('0+', ListedGroup),
});

export type ListGroupsRequest = Infer<typeof ListGroupsRequestSchema>;
export type ListGroupsResponse = Infer<typeof ListGroupsResponseSchema>;
export type ListGroupsResponseInput = InferInput<typeof ListGroupsResponseSchema>;

export const ListGroups = defineApi({
  apiKey: 16,
  name: 'ListGroups',
  maxVersion: 2,
  flexibleVersionsFrom: 3,
  request: ListGroupsRequestSchema,
  response: ListGroupsResponseSchema,
});
