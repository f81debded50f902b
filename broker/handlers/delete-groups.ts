// DeleteGroups: removes Empty groups with their offsets (tombstones in __consumer_offsets).
// Behavior: a group with members gets NON_EMPTY_GROUP, an unknown one GROUP_ID_NOT_FOUND.
// Version notes: v1 same as v0.
import { filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { DeleteGroups } from '../protocol/messages/delete-groups';
import { defineHandler } from './api-handler';

export const deleteGroupsHandler = defineHandler({
  api: DeleteGroups,
  async handle(request, _version, ctx) {
    // Kafka 2.4: Delete on each group, else GROUP_AUTHORIZATION_FAILED for that group.
    const deletable = filterAuthorized(ctx, 'Delete', 'Group', request.groupsNames);
    const errors = await ctx.broker.groupCoordinator.handleDeleteGroups(request.groupsNames.filter((g) => deletable.has(g)));
    return {
      throttleTimeMs: 0,
      results: request.groupsNames.map((groupId) => ({
        groupId,
        errorCode: deletable.has(groupId) ? errors.get(groupId) ?? ErrorCode.NONE : ErrorCode.GROUP_AUTHORIZATION_FAILED,
      })),
    };
  },
});
