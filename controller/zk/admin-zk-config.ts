// Kafka 2.4's AdminZkClient.changeConfigs / fetchEntityConfig for every entity type: the config
// overrides of topics, brokers (an id or <default>), clients and users (and <user, client>) live in
// /config/<type>/<sanitized name>; each change rewrites the whole znode and then creates a
// version-2 notification /config/changes/config_change_<seq> {"version":2,"entity_path":"<type>/<name>"}
// that every broker watches (ZkConfigManager). Validation follows AdminZkClient: topics need to
// exist and pass LogConfig.validate; clients and users accept only the quota names
// (DynamicConfig.Client / DynamicConfig.User); brokers accept anything, the replication throttles
// must be longs >= 0 (DynamicConfig.Broker, customPropsAllowed = true).
import { DEFAULT_LOG_CONFIG, logConfigWithOverrides } from '../../broker/log/log-config';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import type { KafkaZkClient } from './kafka-zk-client';
import type { ConfigEntityType } from './zk-data';

/** Kafka's ConfigEntityName.Default: the entity name of default quotas and cluster-wide broker configs. */
export const CONFIG_ENTITY_DEFAULT = '<default>';

type ValueKind = 'LONG' | 'DOUBLE';

/** DynamicConfig.Client: the quota overrides of a client id (and of a <user, client>). */
const CLIENT_QUOTA_CONFIGS: ReadonlyMap<string, ValueKind> = new Map([
  ['producer_byte_rate', 'LONG'],
  ['consumer_byte_rate', 'LONG'],
  ['request_percentage', 'DOUBLE'],
]);

/** SCRAM credentials are user configs too (CredentialProvider.userCredentialConfigs). */
export const SCRAM_MECHANISMS: readonly string[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** DynamicConfig.Broker's own definitions; other names are custom or dynamic broker configs. */
const BROKER_THROTTLE_CONFIGS: readonly string[] = [
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second',
];

const invalidConfig = (message: string) => new KafkaError(ErrorCode.INVALID_CONFIG, message);

/** Scala's Set.toString, which Kafka's messages embed: Set(a, b). */
export function scalaSet(names: Iterable<string>): string {
  return `Set(${[...names].join(', ')})`;
}

/** ConfigDef.parse for LONG (Long.parseLong after trim) and DOUBLE. */
function checkValue(name: string, value: string, kind: ValueKind, atLeast?: number): void {
  const trimmed = value.trim();
  const n = kind === 'LONG' ? (/^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN) : trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(n)) throw invalidConfig(`Invalid value ${value} for configuration ${name}: Not a number of type ${kind}`);
  if (atLeast !== undefined && n < atLeast) throw invalidConfig(`Invalid value ${value} for configuration ${name}: Value must be at least ${atLeast}`);
}

/** DynamicConfig.validate with customPropsAllowed = false: unknown names are refused. */
function validateQuotaConfigs(configs: Readonly<Record<string, string>>, allowScram: boolean): void {
  const unknown = Object.keys(configs).filter((k) => !CLIENT_QUOTA_CONFIGS.has(k) && !(allowScram && SCRAM_MECHANISMS.includes(k)));
  if (unknown.length > 0) throw invalidConfig(`requirement failed: Unknown Dynamic Configuration: ${scalaSet(unknown)}.`);
  for (const [k, v] of Object.entries(configs)) {
    const kind = CLIENT_QUOTA_CONFIGS.get(k);
    if (kind) checkValue(k, v, kind);
  }
}

function validateBrokerConfigs(configs: Readonly<Record<string, string>>): void {
  for (const k of BROKER_THROTTLE_CONFIGS) if (k in configs) checkValue(k, configs[k], 'LONG', 0);
}

/** AdminZkClient.parseBroker: <default> is no broker; anything else must be an int broker id. */
export function parseBrokerEntity(name: string): number | null {
  if (name === CONFIG_ENTITY_DEFAULT) return null;
  if (!/^[+-]?\d+$/.test(name) || Math.abs(Number(name)) > 0x7fffffff) {
    throw invalidConfig(`Error parsing broker ${name}. The broker's Entity Name must be a single integer value`);
  }
  return Number(name);
}

export class AdminZkConfig {
  constructor(private readonly zk: KafkaZkClient) {}

  /** The overrides of one entity ({} when none); `name` is sanitized, e.g. "user1/clients/client%201". */
  fetchEntityConfig(entityType: ConfigEntityType, name: string): Promise<Record<string, string>> {
    return this.zk.getEntityConfigs(entityType, name);
  }

  /** Names with a config znode: of a type, or of the <user, client> level under one user ("<user>/clients"). */
  getAllEntitiesWithConfig(entityType: ConfigEntityType, sub?: string): Promise<string[]> {
    return this.zk.getAllEntitiesWithConfig(entityType, sub);
  }

  /**
   * Kafka's changeConfigs: validates `configs` (the complete new override set) for the entity,
   * writes /config/<type>/<name> and announces it in /config/changes.
   */
  async changeConfigs(entityType: ConfigEntityType, name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    switch (entityType) {
      case 'topics':
        if (!(await this.zk.topicExists(name))) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic "${name}" does not exist.`);
        logConfigWithOverrides(DEFAULT_LOG_CONFIG, { ...configs });
        break;
      case 'clients':
        validateQuotaConfigs(configs, false);
        break;
      case 'users':
        // <default> and <user>/clients/<client> carry client quotas; a user alone may also carry SCRAM credentials.
        validateQuotaConfigs(configs, !(name === CONFIG_ENTITY_DEFAULT || name.includes('/clients')));
        break;
      case 'brokers':
        parseBrokerEntity(name);
        validateBrokerConfigs(configs);
        break;
    }
    await this.zk.setOrCreateEntityConfigs(entityType, name, configs);
    await this.zk.createConfigChangeNotification(`${entityType}/${name}`);
  }
}
