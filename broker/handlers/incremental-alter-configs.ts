// IncrementalAlterConfigs (KIP-339): SET, DELETE, APPEND or SUBTRACT single configs of topics and
// brokers, on top of what ZooKeeper holds for them.
// Behavior: as AlterConfigs (see alter-configs.ts); a config named twice in one resource gets
// INVALID_REQUEST, APPEND/SUBTRACT on a non-list config INVALID_REQUEST. BROKER_LOGGER (log4j
// levels) is not supported: INVALID_REQUEST.
// Version notes: v1 is v0 in the flexible encoding.
import { ConfigAdmin } from '../config/config-admin';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs';
import { defineHandler } from './api-handler';
import { logConfigChangeFailure } from './config-handler-logging';

export const incrementalAlterConfigsHandler = defineHandler({
  api: IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, _version, ctx) {
    const admin = new ConfigAdmin(ctx.broker.brokerId, ctx.broker.zkClient, ctx.broker.adminZkClient);
    const responses = [];
    for (const r of request.resources) {
      let errorCode: ErrorCode = ErrorCode.NONE;
      let errorMessage: string | null = null;
      try {
        await admin.incrementalAlterConfigs(r.resourceType, r.resourceName, r.configs, request.validateOnly);
      } catch (err) {
        errorCode = errorCodeOf(err);
        errorMessage = (err as Error).message;
        logConfigChangeFailure('incremental alter configs', r, err);
      }
      responses.push({ errorCode, errorMessage, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return { throttleTimeMs: 0, responses };
  },
});
