// kafka-configs --bootstrap-server (Kafka 2.4 allows only brokers and broker-loggers there):
// --describe through DescribeConfigs with synonyms, printing only the dynamic entries of the
// broker (or of the cluster default), as ConfigCommand.describeBrokerConfig does.
// --alter of brokers sends the whole new dynamic set with AlterConfigs (ConfigCommand.
// alterBrokerConfig); of broker-loggers it needs IncrementalAlterConfigs, which this client does
// not speak yet.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { DescribeConfigs } from '../../broker/protocol/messages/describe-configs';
import type { BrokerConnection, ClusterClient } from '../client';
import { AlterConfigs } from '../../broker/protocol/messages/alter-configs';
import { scalaSet } from '../../controller/zk/admin-zk-config';
import { ConfigArgumentError, type ConfigCommandOptions } from './config-command-options';

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
    if (entityType !== 'brokers') throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, 'kafka-configs --alter of broker-loggers is not supported by Zafka yet (it needs IncrementalAlterConfigs)');
    await alterBrokerConfig(opts, client, entityName, out);
    return;
  }
  const configs = await describe(client, entityType === 'brokers' ? RESOURCE_BROKER : RESOURCE_BROKER_LOGGER, entityName, entityType === 'brokers');
  out(entityName !== '' ? `Configs for broker ${entityName} are:` : 'Default config for brokers in the cluster are:');
  for (const c of configs) {
    const synonyms = c.synonyms.map((s) => `${SOURCE_NAMES[s.source] ?? 'UNKNOWN'}:${s.name}=${s.value}`).join(', ');
    out(`  ${c.name}=${c.value} sensitive=${c.isSensitive} synonyms={${synonyms}}`);
  }
}

/** The admin client sends a broker's resource to that broker, the cluster default to any broker. */
function sendTo<Res>(client: ClusterClient, entityName: string, send: (conn: BrokerConnection) => Promise<Res>): Promise<Res> {
  return entityName === '' ? client.anyConnection().then(send) : client.withRetries(async () => send(await client.connection(Number(entityName))));
}

/** Entries of a broker (only the dynamic ones: of the broker, or the cluster default) or of a broker's loggers. */
async function describe(client: ClusterClient, resourceType: number, entityName: string, includeSynonyms: boolean) {
  const body = { resources: [{ resourceType, resourceName: entityName, configurationKeys: null }], includeSynonyms };
  const { response } = await sendTo(client, entityName, (conn) => conn.send(DescribeConfigs, body, { min: 1 }));
  const result = response.results[0];
  if (!result) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'DescribeConfigs returned no result');
  if (result.errorCode !== ErrorCode.NONE) throw new KafkaError(result.errorCode, result.errorMessage ?? ErrorCode[result.errorCode] ?? `error ${result.errorCode}`);
  if (resourceType !== RESOURCE_BROKER) return result.configs;
  const wanted = entityName === '' ? DYNAMIC_DEFAULT_BROKER_CONFIG : DYNAMIC_BROKER_CONFIG;
  return result.configs.filter((c) => c.configSource === wanted);
}

/** ConfigCommand.alterBrokerConfig for brokers: (current dynamic set ++ added -- deleted) with AlterConfigs. */
async function alterBrokerConfig(opts: ConfigCommandOptions, client: ClusterClient, entityName: string, out: Out): Promise<void> {
  const old = new Map((await describe(client, RESOURCE_BROKER, entityName, false)).map((c) => [c.name, c.value ?? null]));
  const invalid = opts.toDelete.filter((k) => !old.has(k));
  if (invalid.length > 0) throw new ConfigArgumentError(`Invalid config(s): ${invalid.join(',')}`);
  const next = new Map([...old, ...opts.toAdd]);
  for (const k of opts.toDelete) next.delete(k);
  // Sensitive values are described as null: they must all be given again, or they would be lost.
  const sensitive = [...next].filter(([, v]) => v === null).map(([k]) => k);
  if (sensitive.length > 0) throw new ConfigArgumentError(`All sensitive broker config entries must be specified for --alter, missing entries: ${scalaSet(sensitive)}`);
  const body = { resources: [{ resourceType: RESOURCE_BROKER, resourceName: entityName, configs: [...next].map(([name, value]) => ({ name, value })) }], validateOnly: false };
  const { response } = await sendTo(client, entityName, (conn) => conn.send(AlterConfigs, body));
  const r = response.responses[0];
  if (r && r.errorCode !== ErrorCode.NONE) throw new KafkaError(r.errorCode, r.errorMessage ?? ErrorCode[r.errorCode] ?? `error ${r.errorCode}`);
  out(entityName !== '' ? `Completed updating config for broker: ${entityName}.` : 'Completed updating default config for brokers in the cluster,');
}
