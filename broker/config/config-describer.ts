// DescribeConfigs' answers, as Kafka 2.4's AdminManager.describeConfigs: every config of a topic
// or of this broker with its value, its source and (on request) its synonyms in order of
// precedence: topic override (DYNAMIC_TOPIC_CONFIG), per-broker dynamic (DYNAMIC_BROKER_CONFIG),
// cluster-wide dynamic (DYNAMIC_DEFAULT_BROKER_CONFIG), server.properties (STATIC_BROKER_CONFIG),
// Kafka's default (DEFAULT_CONFIG). Sensitive values (passwords, and broker configs of unknown
// type) are described with a null value. A broker config is read-only unless Kafka can change it
// dynamically; topic configs are never read-only.
import { TOPIC_CONFIG_KEYS, topicConfigValue, type LogConfig } from '../log/log-config';
import type { ConfigKey, ConfigValue } from './config-def';
import type { DynamicBrokerConfig } from './dynamic-broker-config';
import { brokerConfigSynonyms, isDynamicBrokerConfig } from './dynamic-broker-config-rules';
import { DYNAMIC_ONLY_BROKER_CONFIG_DEFS, KAFKA_CONFIG_DEFS } from './kafka-config-defs';

/** Kafka's DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0's is_default. */
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: ConfigSynonym[];
}

/** LogConfig.TopicConfigSynonyms for the topic configs Zafka knows. */
const TOPIC_CONFIG_SYNONYMS: Readonly<Record<string, string>> = {
  'segment.bytes': 'log.segment.bytes',
  'segment.ms': 'log.roll.ms',
  'segment.index.bytes': 'log.index.size.max.bytes',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'retention.bytes': 'log.retention.bytes',
  'retention.ms': 'log.retention.ms',
  'max.message.bytes': 'message.max.bytes',
  'index.interval.bytes': 'log.index.interval.bytes',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'file.delete.delay.ms': 'log.segment.delete.delay.ms',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'cleanup.policy': 'log.cleanup.policy',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
  'min.insync.replicas': 'min.insync.replicas',
  'compression.type': 'compression.type',
  'message.timestamp.type': 'log.message.timestamp.type',
  'segment.jitter.ms': 'log.roll.jitter.ms',
  'max.compaction.lag.ms': 'log.cleaner.max.compaction.lag.ms',
  'preallocate': 'log.preallocate',
  'message.format.version': 'log.message.format.version',
  'message.timestamp.difference.max.ms': 'log.message.timestamp.difference.max.ms',
  'message.downconversion.enable': 'log.message.downconversion.enable',
};

/** ConfigDef.convertToString: lists comma-joined, Long.MAX_VALUE spelled out, null stays null. */
export function configValueString(key: ConfigKey | undefined, value: ConfigValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.join(',');
  if (value === Number.MAX_SAFE_INTEGER && key?.type === 'LONG') return '9223372036854775807';
  return String(value);
}

/** Kafka's staticDefaultConfigs: every key with a non-null default (convertToStringMapWithPasswordValues drops nulls). */
const STATIC_DEFAULTS: ReadonlyMap<string, string | null> = new Map(
  Object.entries(KAFKA_CONFIG_DEFS)
    .filter(([, key]) => key.default !== undefined && key.default !== null)
    .map(([name, key]) => [name, configValueString(key, key.default as ConfigValue)]),
);

export class ConfigDescriber {
  constructor(private readonly dynamic: DynamicBrokerConfig) {}

  /**
   * Kafka's configSynonyms: by source first, then by synonym order, then everything before the
   * first entry with the exact name dropped (meant for listener overrides; in Kafka 2.4 it also
   * empties the list of e.g. log.retention.ms when only log.retention.hours is set anywhere).
   */
  private synonymsOf(name: string, isSensitive: boolean): ConfigSynonym[] {
    const names = brokerConfigSynonyms(name);
    const levels: [ReadonlyMap<string, string | null>, number][] = [
      [new Map(Object.entries(this.dynamic.dynamicBrokerConfigs)), ConfigSource.DYNAMIC_BROKER_CONFIG],
      [new Map(Object.entries(this.dynamic.dynamicDefaultConfigs)), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
      [new Map(Object.entries(this.dynamic.staticConfig.originals)), ConfigSource.STATIC_BROKER_CONFIG],
      [STATIC_DEFAULTS, ConfigSource.DEFAULT_CONFIG],
    ];
    const all: ConfigSynonym[] = [];
    for (const [values, source] of levels) {
      for (const n of names) {
        if (values.has(n)) all.push({ name: n, value: isSensitive ? null : (values.get(n) ?? null), source });
      }
    }
    const first = all.findIndex((s) => s.name === name);
    return first < 0 ? [] : all.slice(first);
  }

  /** A topic's configs; `overrides` is /config/topics/<topic>, `effective` the resulting LogConfig. */
  describeTopic(overrides: Readonly<Record<string, string>>, effective: LogConfig, includeSynonyms: boolean): DescribedConfig[] {
    return TOPIC_CONFIG_KEYS.map((name) => {
      const value = topicConfigValue(effective, name) ?? null;
      const brokerName = TOPIC_CONFIG_SYNONYMS[name];
      const synonyms = [
        ...(name in overrides ? [{ name, value, source: ConfigSource.DYNAMIC_TOPIC_CONFIG }] : []),
        ...(brokerName ? this.synonymsOf(brokerName, false) : []),
      ];
      return entry(name, value, synonyms, false, false, includeSynonyms);
    });
  }

  /**
   * This broker's configs (perBroker) — everything in server.properties and every key Zafka
   * knows — or, for the cluster-wide level, only the configs set at <default>.
   */
  describeBroker(perBroker: boolean, includeSynonyms: boolean): DescribedConfig[] {
    const current = this.dynamic.current;
    const names = perBroker
      ? new Set([...Object.keys(current.originals), ...current.values.keys()])
      : new Set(Object.keys(this.dynamic.dynamicDefaultConfigs));
    return [...names].sort().map((name) => {
      const key = KAFKA_CONFIG_DEFS[name] ?? DYNAMIC_ONLY_BROKER_CONFIG_DEFS[name] ?? brokerConfigSynonyms(name).map((n) => KAFKA_CONFIG_DEFS[n]).find((k) => k !== undefined);
      // Kafka treats a config whose type it cannot tell as sensitive, to be safe.
      const isSensitive = key === undefined || key.type === 'PASSWORD';
      // Per broker: the typed value it runs with (custom keys as given); cluster-wide: the string stored.
      const value = isSensitive
        ? null
        : !perBroker
          ? this.dynamic.dynamicDefaultConfigs[name]
          : current.values.has(name)
            ? configValueString(key, current.values.get(name)!)
            : (current.originals[name] ?? null);
      const synonyms = this.synonymsOf(name, isSensitive).filter((s) => perBroker || s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      return entry(name, value, synonyms, !isDynamicBrokerConfig(name), isSensitive, includeSynonyms);
    });
  }
}

function entry(name: string, value: string | null, synonyms: ConfigSynonym[], readOnly: boolean, isSensitive: boolean, includeSynonyms: boolean): DescribedConfig {
  const configSource = synonyms.length > 0 ? synonyms[0].source : ConfigSource.DEFAULT_CONFIG;
  return {
    name,
    value,
    readOnly,
    isDefault: configSource === ConfigSource.DEFAULT_CONFIG,
    configSource,
    isSensitive,
    synonyms: includeSynonyms ? synonyms : [],
  };
}
