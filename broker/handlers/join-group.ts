// JoinGroup: delegated to the group coordinator; the answer comes when the group's join phase
// completes (every member rejoined, or the rebalance timeout passed).
// Behavior: the member's client host is reported as Kafka does ("/<address>").
// Version notes: v0 has no rebalance timeout (the session timeout serves as one, KIP-62);
// v4 makes a member without id first get MEMBER_ID_REQUIRED and a fresh id (KIP-394);
// v5 group.instance.id for static membership (KIP-345).
import { authorize } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { JoinGroup } from '../protocol/messages/join-group';
import { defineHandler } from './api-handler';

export const joinGroupHandler = defineHandler({
  api: JoinGroup,
  async handle(request, version, ctx) {
    // Kafka 2.4: Read on the group, else GROUP_AUTHORIZATION_FAILED (JoinGroupResult(memberId, error)).
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, generationId: -1, protocolName: '', leader: '', memberId: request.memberId, members: [] };
    }
    const groupInstanceId = request.groupInstanceId;
    const result = await ctx.broker.groupCoordinator.handleJoinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId,
      requireKnownMemberId: version >= 4 && groupInstanceId === null,
      clientId: ctx.header.clientId ?? '',
      clientHost: `/${ctx.clientAddress}`,
      rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    });
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolName: result.protocolName ?? '',
      leader: result.leaderId ?? '',
      memberId: result.memberId,
      members: result.members,
    };
  },
});
