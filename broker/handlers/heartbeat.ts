// Heartbeat: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.
// Version notes: v1 throttle time; v3 group.instance.id (KIP-345).
import { authorize } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { Heartbeat } from '../protocol/messages/heartbeat';
import { defineHandler } from './api-handler';

export const heartbeatHandler = defineHandler({
  api: Heartbeat,
  handle(request, _version, ctx) {
    // Kafka 2.4: Read on the group.
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    const errorCode = ctx.broker.groupCoordinator.handleHeartbeat(
      request.groupId,
      request.memberId,
      request.groupInstanceId,
      request.generationId,
    );
    return { throttleTimeMs: 0, errorCode };
  },
});
