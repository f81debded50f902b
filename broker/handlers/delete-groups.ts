// DeleteGroups: removes Empty groups with their offsets (tombstones in __consumer_offsets).
// Behavior: a group with members gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
// Version notes: v1 same as v0.
import { ErrorCode } from '../protocol/errors';
import { DeleteGroups } from '../protocol/messages/delete-groups';
import { defineHandler } from './api-handler';

export const deleteGroupsHandler = defineHandler({
  api: DeleteGroups,
  async handle(request, _version, ctx) {
    const errors = await ctx.broker.groupCoordinator.handleDeleteGroups(request.groupsNames);
    return {
      throttleTimeMs: 0,
      results: request.groupsNames.map((groupId) => ({ groupId, errorCode: errors.get(groupId) ?? ErrorCode.NONE })),
    };
  },
});
