// AlterConfigs: replaces the whole set of dynamic configs of topics (/config/topics/<t>) and
// brokers (/config/brokers/<id>, or /config/brokers/<default> for the empty name).
// Behavior: as Kafka 2.4, any broker takes topic changes and cluster-wide broker changes; a
// per-broker change must name the broker that receives it (else INVALID_REQUEST). Each resource
// gets its own error (see broker/config/config-admin.ts); validate_only checks without writing.
// Version notes: v1 only changes semantics (throttling).
import { ConfigAdmin } from '../config/config-admin';
import { configResourceAuthorizationError } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { AlterConfigs } from '../protocol/messages/alter-configs';
import { defineHandler } from './api-handler';
import { logConfigChangeFailure } from './config-handler-logging';

export const alterConfigsHandler = defineHandler({
  api: AlterConfigs,
  async handle(request, _version, ctx) {
    const admin = new ConfigAdmin(ctx.broker.brokerId, ctx.broker.zkClient, ctx.broker.adminZkClient);
    const responses = [];
    for (const r of request.resources) {
      let errorCode: ErrorCode = ErrorCode.NONE;
      let errorMessage: string | null = null;
      const refused = configResourceAuthorizationError(ctx, 'AlterConfigs', r.resourceType, r.resourceName);
      if (refused !== ErrorCode.NONE) {
        responses.push({ errorCode: refused, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName });
        continue;
      }
      try {
        await admin.alterConfigs(r.resourceType, r.resourceName, r.configs, request.validateOnly);
      } catch (err) {
        errorCode = errorCodeOf(err);
        errorMessage = (err as Error).message;
        logConfigChangeFailure('alter configs', r, err);
      }
      responses.push({ errorCode, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return { throttleTimeMs: 0, responses };
  },
});
