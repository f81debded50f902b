// kafka-configs --bootstrap-server (Kafka 2.4 allows only brokers and broker-loggers there):
// --describe through DescribeConfigs with synonyms, printing only the dynamic entries of the
// broker (or of the cluster default), as ConfigCommand.describeBrokerConfig does.
// --alter needs AlterConfigs / IncrementalAlterConfigs and is refused with a clear message for now.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { DescribeConfigs } from '../../broker/protocol/messages/describe-configs';
import type { ClusterClient } from '../client';
import type { ConfigCommandOptions } from './config-command-options';

type Out = (line: string) => void;

const RESOURCE_BROKER = 4;
const RESOURCE_BROKER_LOGGER = 8;

/** DescribeConfigsResponse.ConfigSource ids -> the Java enum names ConfigCommand prints. */
const SOURCE_NAMES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};
const DYNAMIC_BROKER_CONFIG = 2;
const DYNAMIC_DEFAULT_BROKER_CONFIG = 3;

export async function runBrokerConfigCommand(opts: ConfigCommandOptions, client: ClusterClient, out: Out): Promise<void> {
  const entityType = opts.entityTypes[0];
  const entityName = opts.entityName ?? '';
  if (opts.action === 'alter') {
    throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, 'kafka-configs --alter with --bootstrap-server is not supported by Zafka yet (it needs AlterConfigs); use --zookeeper for quota and topic configs');
  }
  const resourceType = entityType === 'brokers' ? RESOURCE_BROKER : RESOURCE_BROKER_LOGGER;
  // The admin client sends a broker's resource to that broker; the cluster default to any broker.
  const body = { resources: [{ resourceType, resourceName: entityName, configurationKeys: null }], includeSynonyms: entityType === 'brokers' };
  const { response } = entityName === '' ? await (await client.anyConnection()).send(DescribeConfigs, body, { min: 1 }) : await client.sendToNode(Number(entityName), DescribeConfigs, body, { min: 1 });
  const result = response.results[0];
  if (!result) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'DescribeConfigs returned no result');
  if (result.errorCode !== ErrorCode.NONE) throw new KafkaError(result.errorCode, result.errorMessage ?? ErrorCode[result.errorCode] ?? `error ${result.errorCode}`);
  const wanted = entityName === '' ? DYNAMIC_DEFAULT_BROKER_CONFIG : DYNAMIC_BROKER_CONFIG;
  const configs = entityType === 'brokers' ? result.configs.filter((c) => c.configSource === wanted) : result.configs;
  out(entityName !== '' ? `Configs for broker ${entityName} are:` : 'Default config for brokers in the cluster are:');
  for (const c of configs) {
    const synonyms = c.synonyms.map((s) => `${SOURCE_NAMES[s.source] ?? 'UNKNOWN'}:${s.name}=${s.value}`).join(', ');
    out(`  ${c.name}=${c.value} sensitive=${c.isSensitive} synonyms={${synonyms}}`);
  }
}
