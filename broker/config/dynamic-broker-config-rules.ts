// Kafka 2.4's rules for dynamic broker configs (DynamicBrokerConfig, KIP-226): which broker
// configs may be changed at run time, which only per broker (/config/brokers/<id>) and which
// also cluster-wide (/config/brokers/<default>), and how a change is validated. A config that is
// not dynamic is read-only: changing it is refused with Kafka's message. Config names Kafka does
// not know are allowed (Kafka stores custom configs too).
import { parseConfigValue } from './config-def';
import { ConfigError } from './config-error';
import { KAFKA_CONFIG_DEFS } from './kafka-config-defs';

/** SslConfigs.RECONFIGURABLE_CONFIGS: dynamic only with a listener prefix. */
const DYNAMIC_SECURITY_CONFIGS = [
  'ssl.keystore.type', 'ssl.keystore.location', 'ssl.keystore.password', 'ssl.key.password',
  'ssl.truststore.type', 'ssl.truststore.location', 'ssl.truststore.password',
];

/** DynamicListenerConfig.ReconfigurableConfigs. */
const DYNAMIC_LISTENER_CONFIGS = [
  'advertised.listeners', 'listeners', 'listener.security.protocol.map', 'principal.builder.class',
  'ssl.protocol', 'ssl.provider', 'ssl.cipher.suites', 'ssl.enabled.protocols', 'ssl.keystore.type',
  'ssl.keystore.location', 'ssl.keystore.password', 'ssl.key.password', 'ssl.truststore.type',
  'ssl.truststore.location', 'ssl.truststore.password', 'ssl.keymanager.algorithm',
  'ssl.trustmanager.algorithm', 'ssl.endpoint.identification.algorithm',
  'ssl.secure.random.implementation', 'ssl.client.auth', 'sasl.mechanism.inter.broker.protocol',
  'sasl.jaas.config', 'sasl.enabled.mechanisms', 'sasl.kerberos.service.name',
  'sasl.kerberos.kinit.cmd', 'sasl.kerberos.ticket.renew.window.factor',
  'sasl.kerberos.ticket.renew.jitter', 'sasl.kerberos.min.time.before.relogin',
  'sasl.kerberos.principal.to.local.rules', 'sasl.login.refresh.window.factor',
  'sasl.login.refresh.window.jitter', 'sasl.login.refresh.min.period.seconds',
  'sasl.login.refresh.buffer.seconds', 'max.connections',
];

/**
 * DynamicLogConfig.ReconfigurableConfigs: the broker synonyms of topic configs (LogConfig's
 * TopicConfigSynonyms) except log.message.format.version. These are the dynamic configs Zafka
 * acts on: they are the defaults of every topic without its own override.
 */
export const DYNAMIC_LOG_CONFIGS = [
  'log.segment.bytes', 'log.roll.ms', 'log.roll.jitter.ms', 'log.index.size.max.bytes',
  'log.flush.interval.messages', 'log.flush.interval.ms', 'log.retention.bytes', 'log.retention.ms',
  'message.max.bytes', 'log.index.interval.bytes', 'log.cleaner.delete.retention.ms',
  'log.cleaner.min.compaction.lag.ms', 'log.cleaner.max.compaction.lag.ms', 'log.segment.delete.delay.ms',
  'log.cleaner.min.cleanable.ratio', 'log.cleanup.policy', 'unclean.leader.election.enable',
  'min.insync.replicas', 'compression.type', 'log.preallocate', 'log.message.timestamp.type',
  'log.message.timestamp.difference.max.ms', 'log.message.downconversion.enable',
];

const ALL_DYNAMIC_CONFIGS = new Set([
  ...DYNAMIC_SECURITY_CONFIGS,
  // LogCleaner.ReconfigurableConfigs
  'log.cleaner.threads', 'log.cleaner.dedupe.buffer.size', 'log.cleaner.io.buffer.load.factor',
  'log.cleaner.io.buffer.size', 'message.max.bytes', 'log.cleaner.io.max.bytes.per.second', 'log.cleaner.backoff.ms',
  ...DYNAMIC_LOG_CONFIGS,
  // DynamicThreadPool.ReconfigurableConfigs
  'num.io.threads', 'num.network.threads', 'num.replica.fetchers', 'num.recovery.threads.per.data.dir', 'background.threads',
  'metric.reporters',
  ...DYNAMIC_LISTENER_CONFIGS,
  // SocketServer.ReconfigurableConfigs
  'max.connections.per.ip', 'max.connections.per.ip.overrides', 'max.connections',
]);

const CLUSTER_LEVEL_LISTENER_CONFIGS = new Set(['max.connections']);
const PER_BROKER_CONFIGS = new Set(
  [...DYNAMIC_SECURITY_CONFIGS, ...DYNAMIC_LISTENER_CONFIGS].filter((c) => !CLUSTER_LEVEL_LISTENER_CONFIGS.has(c)),
);
const LISTENER_CONFIG = /^listener\.name\.[^.]*\.(.*)$/;

/** Whether a broker config can be changed at run time (DescribeConfigs' read_only is the opposite). */
export function isDynamicBrokerConfig(name: string): boolean {
  return ALL_DYNAMIC_CONFIGS.has(name);
}

/** Kafka's DynamicBrokerConfig.brokerConfigSynonyms, in order of precedence. */
export function brokerConfigSynonyms(name: string): string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours'];
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours'];
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'];
    default: {
      const listener = LISTENER_CONFIG.exec(name);
      return listener ? [name, listener[1]] : [name];
    }
  }
}

function isPasswordConfig(name: string): boolean {
  return [...ALL_DYNAMIC_CONFIGS].some((c) => KAFKA_CONFIG_DEFS[c]?.type === 'PASSWORD' && name.endsWith(c));
}

function refuse(names: string[], message: string): void {
  // Kafka prints the Scala Set: "Set(broker.id, log.dirs)".
  if (names.length > 0) throw new ConfigError(`${message}: Set(${names.join(', ')})`);
}

/**
 * DynamicBrokerConfig.validateConfigs plus the password rule of toPersistentProps: read-only
 * configs, unprefixed security configs, per-broker configs at the cluster-wide level, values
 * that do not parse, and passwords (Zafka has no password.encoder.secret support) are refused
 * with a ConfigError (Kafka's ConfigException), which AlterConfigs answers as INVALID_REQUEST.
 */
export function validateDynamicBrokerConfigs(configs: Readonly<Record<string, string>>, perBroker: boolean): void {
  const names = Object.keys(configs);
  refuse(names.filter((n) => n in KAFKA_CONFIG_DEFS && !ALL_DYNAMIC_CONFIGS.has(n)), 'Cannot update these configs dynamically');
  refuse(DYNAMIC_SECURITY_CONFIGS.filter((n) => n in configs), 'These security configs can be dynamically updated only per-listener using the listener prefix');
  for (const [name, value] of Object.entries(configs)) {
    const base = LISTENER_CONFIG.exec(name)?.[1] ?? name;
    const key = KAFKA_CONFIG_DEFS[base];
    if (!key) continue;
    parseConfigValue(base, key, value);
  }
  if (!perBroker) {
    refuse(
      names.filter((n) => PER_BROKER_CONFIGS.has(n) || (LISTENER_CONFIG.test(n) && !CLUSTER_LEVEL_LISTENER_CONFIGS.has(LISTENER_CONFIG.exec(n)![1]))),
      'Cannot update these configs at default cluster level, broker id must be specified',
    );
  }
  const passwords = names.filter(isPasswordConfig);
  if (passwords.length > 0) {
    throw new ConfigError(perBroker ? 'Password encoder secret not configured' : 'Password config can be defined only at broker level');
  }
}

/**
 * Kafka's fromPersistentProps: the stored dynamic configs that are still acceptable at that
 * level; the others are returned with the reason they are ignored.
 */
export function usableDynamicConfigs(
  configs: Readonly<Record<string, string>>,
  perBroker: boolean,
): { usable: Record<string, string>; ignored: { name: string; reason: string }[] } {
  const usable: Record<string, string> = {};
  const ignored: { name: string; reason: string }[] = [];
  for (const [name, value] of Object.entries(configs)) {
    try {
      validateDynamicBrokerConfigs({ [name]: value }, perBroker);
      usable[name] = value;
    } catch (err) {
      ignored.push({ name, reason: (err as Error).message });
    }
  }
  return { usable, ignored };
}
