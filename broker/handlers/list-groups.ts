// ListGroups: the groups this broker coordinates (clients ask every broker and merge).
// Behavior: COORDINATOR_LOAD_IN_PROGRESS (with the groups known so far) while any offsets
// partition is loading. Version notes: v1 throttle time; v2 same as v1.
import { ListGroups } from '../protocol/messages/list-groups';
import { defineHandler } from './api-handler';

export const listGroupsHandler = defineHandler({
  api: ListGroups,
  handle(_request, _version, ctx) {
    const { errorCode, groups } = ctx.broker.groupCoordinator.handleListGroups();
    return { throttleTimeMs: 0, errorCode, groups };
  },
});
