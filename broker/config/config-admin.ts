// AlterConfigs and IncrementalAlterConfigs for topics and brokers, as Kafka 2.4's AdminManager:
// validate, then write /config/topics/<t> or /config/brokers/<id|<default>> and the change
// notification every broker watches. Errors carry Kafka's codes: an unknown topic config name
// INVALID_CONFIG, a value that does not parse or a read-only broker config INVALID_REQUEST
// (Kafka wraps its ConfigException so), an unknown topic UNKNOWN_TOPIC_OR_PARTITION, another
// broker's id INVALID_REQUEST.
import type { AdminZkClient } from '../../controller/zk/admin-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { DEFAULT_LOG_CONFIG, TOPIC_CONFIG_KEYS, logConfigWithOverrides } from '../log/log-config';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { ConfigError } from './config-error';
import { usableDynamicConfigs, validateDynamicBrokerConfigs } from './dynamic-broker-config-rules';
import { KAFKA_CONFIG_DEFS } from './kafka-config-defs';

/** Kafka's ConfigResource.Type ids. */
export const ConfigResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Kafka's AlterConfigOp.OpType ids (KIP-339). */
export const AlterConfigOpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface AlterConfigOp {
  name: string;
  configOperation: number;
  value: string | null;
}

/** Topic configs whose type is LIST (APPEND and SUBTRACT apply to these only). */
const TOPIC_LIST_CONFIGS = new Set(['cleanup.policy']);

const RESOURCE_NAMES: Record<number, string> = { 2: 'TOPIC', 4: 'BROKER', 8: 'BROKER_LOGGER' };

function describeResource(type: number, name: string): string {
  return `ConfigResource(type=${RESOURCE_NAMES[type] ?? 'UNKNOWN'}, name='${name}')`;
}

export class ConfigAdmin {
  constructor(
    private readonly brokerId: number,
    private readonly zkClient: KafkaZkClient,
    private readonly adminZkClient: AdminZkClient,
    /** The value a config has now without a dynamic setting (topic: the broker default; broker: server.properties or Kafka's default). */
    private readonly currentValue: (resourceType: number, resourceName: string, name: string) => Promise<string | null> = async () => null,
  ) {}

  /** AlterConfigs: `configs` replaces the resource's whole set of dynamic configs. */
  async alterConfigs(resourceType: number, resourceName: string, entries: readonly { name: string; value: string | null }[], validateOnly: boolean): Promise<void> {
    const configs: Record<string, string> = {};
    for (const { name, value } of entries) {
      if (value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${name}`);
      configs[name] = value;
    }
    await this.apply(resourceType, resourceName, validateOnly, () => configs);
  }

  /** IncrementalAlterConfigs: SET, DELETE, APPEND, SUBTRACT on the resource's current dynamic configs. */
  async incrementalAlterConfigs(resourceType: number, resourceName: string, ops: readonly AlterConfigOp[], validateOnly: boolean): Promise<void> {
    const seen = new Set<string>();
    const duplicates = new Set(ops.map((o) => o.name).filter((n) => seen.has(n) || !seen.add(n)));
    if (duplicates.size > 0) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Error due to duplicate config keys : ${[...duplicates].join(',')}`);
    const isList = resourceType === ConfigResourceType.TOPIC
      ? (name: string) => {
          if (!TOPIC_CONFIG_KEYS.includes(name)) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
          return TOPIC_LIST_CONFIGS.has(name);
        }
      : (name: string) => KAFKA_CONFIG_DEFS[name]?.type === 'LIST';
    // APPEND/SUBTRACT on a config without a dynamic value start from its current value, as later
    // Kafka versions do (Kafka 2.4 fails there with an internal error).
    const fallbacks = new Map<string, string | null>();
    for (const op of ops) {
      if (op.configOperation === AlterConfigOpType.APPEND || op.configOperation === AlterConfigOpType.SUBTRACT) {
        fallbacks.set(op.name, await this.currentValue(resourceType, resourceName, op.name));
      }
    }
    await this.apply(resourceType, resourceName, validateOnly, (current) => applyOps({ ...current }, ops, isList, (name) => fallbacks.get(name) ?? null));
  }

  private async apply(
    resourceType: number,
    resourceName: string,
    validateOnly: boolean,
    next: (current: Record<string, string>) => Record<string, string>,
  ): Promise<void> {
    try {
      if (resourceType === ConfigResourceType.TOPIC) {
        const topic = resourceName;
        if (!(await this.zkClient.topicExists(topic))) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} does not exist.`);
        const configs = next(await this.zkClient.getEntityConfigs('topics', topic));
        validateTopicConfigs(configs);
        if (!validateOnly) await this.adminZkClient.changeTopicConfig(topic, configs);
      } else if (resourceType === ConfigResourceType.BROKER) {
        const brokerId = this.brokerIdOf(resourceName);
        // As Kafka's fromPersistentProps: stored entries no longer acceptable at this level are dropped.
        const configs = next(usableDynamicConfigs(await this.adminZkClient.brokerConfig(brokerId), brokerId !== null).usable);
        validateDynamicBrokerConfigs(configs, brokerId !== null);
        if (!validateOnly) await this.adminZkClient.changeBrokerConfig(brokerId, configs);
      } else {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `AlterConfigs is only supported for topics and brokers, but resource type is ${RESOURCE_NAMES[resourceType] ?? 'UNKNOWN'}`);
      }
    } catch (err) {
      // Kafka answers a ConfigException as INVALID_REQUEST naming the resource.
      if (err instanceof ConfigError) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid config value for resource ${describeResource(resourceType, resourceName)}: ${err.message}`);
      }
      throw err;
    }
  }

  /** Kafka's getBrokerId: "" is the cluster-wide default (null); another broker's id is refused. */
  private brokerIdOf(resourceName: string): number | null {
    if (resourceName === '') return null;
    if (!/^-?\d+$/.test(resourceName)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${resourceName}`);
    const id = Number(resourceName);
    if (id !== this.brokerId) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${this.brokerId}, but received ${resourceName}`);
    return id;
  }
}

/** Kafka's LogConfig.validate: unknown names INVALID_CONFIG, bad values INVALID_REQUEST. */
function validateTopicConfigs(configs: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(configs)) {
    if (!TOPIC_CONFIG_KEYS.includes(name)) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
  }
  try {
    logConfigWithOverrides(DEFAULT_LOG_CONFIG, configs);
  } catch (err) {
    if (errorCodeOf(err) === ErrorCode.INVALID_CONFIG) throw new ConfigError((err as Error).message);
    throw err;
  }
}

/** Kafka's prepareIncrementalConfigs. */
function applyOps(
  configs: Record<string, string>,
  ops: readonly AlterConfigOp[],
  isList: (name: string) => boolean,
  currentValue: (name: string) => string | null,
): Record<string, string> {
  for (const { name, configOperation, value } of ops) {
    switch (configOperation) {
      case AlterConfigOpType.SET:
        if (value === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${name}`);
        configs[name] = value;
        break;
      case AlterConfigOpType.DELETE:
        delete configs[name];
        break;
      case AlterConfigOpType.APPEND:
      case AlterConfigOpType.SUBTRACT: {
        const verb = configOperation === AlterConfigOpType.APPEND ? 'append' : 'subtract';
        if (!isList(name)) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Config value ${verb} is not allowed for config key: ${name}`);
        const old = (configs[name] ?? currentValue(name) ?? '').split(',').filter((v) => v !== '');
        const given = (value ?? '').split(',');
        configs[name] = (verb === 'append' ? [...old, ...given] : old.filter((v) => !given.includes(v))).join(',');
        break;
      }
      default:
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown config operation ${configOperation} for config key: ${name}`);
    }
  }
  return configs;
}
