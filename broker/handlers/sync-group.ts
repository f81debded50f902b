// SyncGroup: the leader hands in every member's assignment; each member (leader included) gets
// its own once the group metadata is written to __consumer_offsets.
// Behavior: members missing from the leader's list get an empty assignment.
// Version notes: v1 throttle time; v3 group.instance.id (KIP-345).
import { authorize } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { SyncGroup } from '../protocol/messages/sync-group';
import { defineHandler } from './api-handler';

export const syncGroupHandler = defineHandler({
  api: SyncGroup,
  async handle(request, _version, ctx) {
    // Kafka 2.4: Read on the group.
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, assignment: Buffer.alloc(0) };
    const assignments = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
    const result = await ctx.broker.groupCoordinator.handleSyncGroup(
      request.groupId,
      request.generationId,
      request.memberId,
      request.groupInstanceId,
      assignments,
    );
    return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
  },
});
