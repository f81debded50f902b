// DescribeConfigs: topic configs (the broker defaults overlaid with /config/topics/<t>) and this
// broker's own configs. Behavior: a topic override reports source DYNAMIC_TOPIC_CONFIG (and
// is_default false in v0), a broker setting from server.properties STATIC_BROKER_CONFIG, anything
// else DEFAULT_CONFIG — kafka-topics --describe prints only the overrides. Version notes: v1
// config_source and synonyms (include_synonyms), v2 same as v1.
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { DescribeConfigs, type DescribeConfigsResourceResult } from '../protocol/messages/describe-configs';
import { TOPIC_CONFIG_KEYS, topicConfigValue } from '../log/log-config';
import { formatConfigValue } from '../config/config-def';
import { KAFKA_CONFIG_DEFS } from '../config/kafka-config-defs';
import { defineHandler, type RequestContext } from './api-handler';

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;

export const describeConfigsHandler = defineHandler({
  api: DescribeConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, _version, ctx) {
    const results = [];
    for (const resource of request.resources) {
      try {
        const all = resource.resourceType === RESOURCE_TOPIC
          ? await topicConfigs(resource.resourceName, ctx)
          : resource.resourceType === RESOURCE_BROKER
            ? brokerConfigs(resource.resourceName, ctx)
            : unsupported(resource.resourceType);
        const keys = resource.configurationKeys;
        results.push({
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: keys === null ? all : all.filter((c) => keys.includes(c.name)),
        });
      } catch (err) {
        results.push({ errorCode: errorCodeOf(err), errorMessage: (err as Error).message, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [] });
      }
    }
    return { throttleTimeMs: 0, results };
  },
});

function unsupported(resourceType: number): never {
  throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resourceType}`);
}

async function topicConfigs(topic: string, ctx: RequestContext): Promise<DescribeConfigsResourceResult[]> {
  if (!ctx.broker.metadataCache.hasTopic(topic)) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} does not exist.`);
  const overrides = await ctx.broker.zkClient.getEntityConfigs('topics', topic);
  const effective = await ctx.broker.topicConfig(topic);
  return TOPIC_CONFIG_KEYS.map((name) => {
    const overridden = name in overrides;
    const source = overridden ? SOURCE_DYNAMIC_TOPIC : SOURCE_DEFAULT;
    const value = topicConfigValue(effective, name) ?? null;
    return { name, value, readOnly: false, isDefault: !overridden, configSource: source, isSensitive: false, synonyms: [{ name, value, source }] };
  });
}

function brokerConfigs(name: string, ctx: RequestContext): DescribeConfigsResourceResult[] {
  if (name !== '' && Number(name) !== ctx.broker.brokerId) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${ctx.broker.brokerId} or empty string, but received ${name}`);
  }
  const { values, originals } = ctx.broker.config;
  return [...values.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => {
    const fromFile = key in originals;
    const source = fromFile ? SOURCE_STATIC_BROKER : SOURCE_DEFAULT;
    const value = v === null ? null : formatConfigValue(KAFKA_CONFIG_DEFS[key], v);
    return { name: key, value, readOnly: true, isDefault: !fromFile, configSource: source, isSensitive: KAFKA_CONFIG_DEFS[key].type === 'PASSWORD', synonyms: [{ name: key, value, source }] };
  });
}
