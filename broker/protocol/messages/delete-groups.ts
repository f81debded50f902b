// DeleteGroups (key 42), versions 0-1 (flexible from 2). Only empty groups can be deleted.
// Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

export const DeleteGroupsRequestSchema = struct({
  groupsNames: array('0+', string()),
});

const DeletableGroupResult = struct({
  groupId: string(),
  errorCode: int16(),
});

export const DeleteGroupsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', DeletableGroupResult),
});

export type DeleteGroupsRequest = Infer<typeof DeleteGroupsRequestSchema>;
export type DeleteGroupsResponse = Infer<typeof DeleteGroupsResponseSchema>;
export type DeleteGroupsResponseInput = InferInput<typeof DeleteGroupsResponseSchema>;

export const DeleteGroups = defineApi({
  apiKey: 42,
  name: 'DeleteGroups',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: DeleteGroupsRequestSchema,
  response: DeleteGroupsResponseSchema,
});
