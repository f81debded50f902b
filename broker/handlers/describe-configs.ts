// DescribeConfigs: the configs of topics and of this broker, with sources and synonyms as Kafka
// 2.4's AdminManager.describeConfigs (see broker/config/config-describer.ts).
// Behavior: a topic name must be legal (INVALID_TOPIC_EXCEPTION) and exist (UNKNOWN_TOPIC_OR_PARTITION); a broker resource must name this
// broker, or be empty for the cluster-wide dynamic configs (else INVALID_REQUEST). Sensitive
// values are null. BROKER_LOGGER and other resource types get INVALID_REQUEST.
// Version notes: v0 has is_default; v1 config_source and synonyms (include_synonyms); v2 only
// changes semantics.
import { ConfigDescriber, type DescribedConfig } from '../config/config-describer';
import { ConfigResourceType } from '../config/config-admin';
import { validateTopicName } from '../../controller/topic-name';
import { configResourceAuthorizationError } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { DescribeConfigs } from '../protocol/messages/describe-configs';
import { defineHandler, type RequestContext } from './api-handler';

export const describeConfigsHandler = defineHandler({
  api: DescribeConfigs,
  async handle(request, _version, ctx) {
    const results = [];
    for (const resource of request.resources) {
      const { resourceType, resourceName } = resource;
      const refused = configResourceAuthorizationError(ctx, 'DescribeConfigs', resourceType, resourceName);
      if (refused !== ErrorCode.NONE) {
        results.push({ errorCode: refused, errorMessage: null, resourceType, resourceName, configs: [] });
        continue;
      }
      try {
        const all = await describe(resourceType, resourceName, request.includeSynonyms, ctx);
        const keys = resource.configurationKeys;
        results.push({ errorCode: ErrorCode.NONE, errorMessage: null, resourceType, resourceName, configs: keys === null ? all : all.filter((c) => keys.includes(c.name)) });
      } catch (err) {
        results.push({ errorCode: errorCodeOf(err), errorMessage: (err as Error).message, resourceType, resourceName, configs: [] });
      }
    }
    return { throttleTimeMs: 0, results };
  },
});

async function describe(resourceType: number, name: string, includeSynonyms: boolean, ctx: RequestContext): Promise<DescribedConfig[]> {
  const describer = new ConfigDescriber(ctx.broker.dynamicConfig);
  if (resourceType === ConfigResourceType.TOPIC) {
    validateTopicName(name); // Kafka's Topic.validate: INVALID_TOPIC_EXCEPTION for an illegal name
    if (!ctx.broker.metadataCache.hasTopic(name)) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist.`);
    const overrides = await ctx.broker.zkClient.getEntityConfigs('topics', name);
    return describer.describeTopic(overrides, await ctx.broker.topicConfig(name), includeSynonyms);
  }
  if (resourceType === ConfigResourceType.BROKER) {
    if (name === '') return describer.describeBroker(false, includeSynonyms);
    if (!/^-?\d+$/.test(name)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
    if (Number(name) !== ctx.broker.brokerId) {
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${ctx.broker.brokerId} or empty string, but received ${name}`);
    }
    return describer.describeBroker(true, includeSynonyms);
  }
  throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${resourceType}`);
}
