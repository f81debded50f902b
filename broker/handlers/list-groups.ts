// ListGroups: the groups this broker coordinates (clients ask every broker and merge).
// Behavior: COORDINATOR_LOAD_IN_PROGRESS (with the groups known so far) while any offsets
// partition is loading. Version notes: v1 throttle time; v2 same as v1.
import { authorize, authorizeCluster } from '../authorizer/request-authorization';
import { ListGroups } from '../protocol/messages/list-groups';
import { defineHandler } from './api-handler';

export const listGroupsHandler = defineHandler({
  api: ListGroups,
  handle(_request, _version, ctx) {
    const { errorCode, groups } = ctx.broker.groupCoordinator.handleListGroups();
    // Kafka 2.4: Describe on the Cluster lists every group; otherwise the groups the principal may Describe.
    if (authorizeCluster(ctx, 'Describe')) return { throttleTimeMs: 0, errorCode, groups };
    return { throttleTimeMs: 0, errorCode, groups: groups.filter((g) => authorize(ctx, 'Describe', 'Group', g.groupId)) };
  },
});
