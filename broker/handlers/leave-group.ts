// LeaveGroup: one member leaves; the group rebalances without it at once (no session wait).
// Behavior: before v3 there is a single member and its error is the response's error.
// Version notes: v1 throttle time; v2 same as v1.
import { authorize } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { LeaveGroup } from '../protocol/messages/leave-group';
import { defineHandler } from './api-handler';

export const leaveGroupHandler = defineHandler({
  api: LeaveGroup,
  handle(request, _version, ctx) {
    // Kafka 2.4: Read on the group.
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    const result = ctx.broker.groupCoordinator.handleLeaveGroup(request.groupId, [{ memberId: request.memberId, groupInstanceId: null }]);
    const memberError = result.members[0]?.errorCode ?? ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError };
  },
});
