// DescribeGroups: state, protocol and members of each group this broker coordinates.
// Behavior: an unknown group is answered as state "Dead" without error; member metadata and
// assignments are only filled in for a Stable group (as Kafka does).
// Version notes: v1 throttle time; v2 same as v1; v3 authorized operations (Zafka has no ACLs:
// the "omitted" value -2147483648).
import { authorize, authorizedOperations } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { DescribeGroups } from '../protocol/messages/describe-groups';
import { defineHandler } from './api-handler';

const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const describeGroupsHandler = defineHandler({
  api: DescribeGroups,
  handle(request, _version, ctx) {
    const groups = request.groups.map((groupId) => {
      // Kafka 2.4: Describe on each group (DescribeGroupsResponse.forError otherwise).
      if (!authorize(ctx, 'Describe', 'Group', groupId)) {
        return { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED };
      }
      const { errorCode, summary } = ctx.broker.groupCoordinator.handleDescribeGroup(groupId);
      return {
        errorCode,
        groupId,
        groupState: summary.state,
        protocolType: summary.protocolType,
        protocolData: summary.protocol,
        members: summary.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: request.includeAuthorizedOperations ? authorizedOperations(ctx, 'Group', groupId) : AUTHORIZED_OPERATIONS_OMITTED,
      };
    });
    return { throttleTimeMs: 0, groups };
  },
});
