// IncrementalAlterConfigs (KIP-339): SET, DELETE, APPEND or SUBTRACT single configs of topics and
// brokers, on top of what ZooKeeper holds for them.
// Behavior: as AlterConfigs (see alter-configs.ts); a config named twice in one resource gets
// INVALID_REQUEST, APPEND/SUBTRACT on a non-list config INVALID_REQUEST; APPEND/SUBTRACT on a
// config without a dynamic value start from its current value, as later Kafka versions do
// (Kafka 2.4 fails there with UNKNOWN_SERVER_ERROR). BROKER_LOGGER (log4j levels) is not
// supported: INVALID_REQUEST.
// Version notes: v1 is v0 in the flexible encoding.
import { ConfigAdmin, ConfigResourceType } from '../config/config-admin';
import { configValueString } from '../config/config-describer';
import { KAFKA_CONFIG_DEFS } from '../config/kafka-config-defs';
import { topicConfigValue } from '../log/log-config';
import { configResourceAuthorizationError } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs';
import { defineHandler, type RequestContext } from './api-handler';
import { logConfigChangeFailure } from './config-handler-logging';

export const incrementalAlterConfigsHandler = defineHandler({
  api: IncrementalAlterConfigs,
  async handle(request, _version, ctx) {
    const admin = new ConfigAdmin(ctx.broker.brokerId, ctx.broker.zkClient, ctx.broker.adminZkClient, (type, name, key) => currentValue(type, name, key, ctx));
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

/** What APPEND/SUBTRACT start from when the resource has no dynamic value for the config. */
async function currentValue(resourceType: number, resourceName: string, name: string, ctx: RequestContext): Promise<string | null> {
  if (resourceType === ConfigResourceType.TOPIC) return topicConfigValue(await ctx.broker.topicConfig(resourceName), name) ?? null;
  // Per broker: what the broker runs with now (cluster-wide values included); cluster-wide: server.properties.
  const config = resourceName === '' ? ctx.broker.dynamicConfig.staticConfig : ctx.broker.dynamicConfig.current;
  return config.values.has(name) ? configValueString(KAFKA_CONFIG_DEFS[name], config.values.get(name)!) : null;
}
