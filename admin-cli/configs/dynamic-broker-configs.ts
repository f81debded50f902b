// Which broker configs Kafka 2.4 lets kafka-configs store in /config/brokers (DynamicBrokerConfig.
// AllDynamicConfigs, checked against the list Kafka 2.4's kafka-configs --help prints): log
// cleaner, the log.* defaults of topic configs, thread pools, metric reporters, listeners and SSL
// (per broker only), connection limits. A known broker config
// outside this list is static ("Cannot update these configs dynamically"); unknown names are
// custom configs and allowed (DynamicConfig.Broker: customPropsAllowed).
import { KAFKA_CONFIG_DEFS } from '../../broker/config/kafka-config-defs';

/** DynamicConfig.Broker's own: the only ones ZooKeeper may change while the broker runs. */
export const ZK_UPDATABLE_WHILE_RUNNING: ReadonlySet<string> = new Set([
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second',
]);

/** DynamicListenerConfig + SSL reconfigurables: per broker only, never at <default>. */
const PER_BROKER_CONFIGS = new Set([
  'advertised.listeners', 'listeners', 'listener.security.protocol.map', 'principal.builder.class',
  'ssl.protocol', 'ssl.provider', 'ssl.cipher.suites', 'ssl.enabled.protocols', 'ssl.keystore.type',
  'ssl.keystore.location', 'ssl.keystore.password', 'ssl.key.password', 'ssl.truststore.type',
  'ssl.truststore.location', 'ssl.truststore.password', 'ssl.keymanager.algorithm', 'ssl.trustmanager.algorithm',
  'ssl.endpoint.identification.algorithm', 'ssl.secure.random.implementation', 'ssl.client.auth',
  'sasl.mechanism.inter.broker.protocol', 'sasl.jaas.config', 'sasl.enabled.mechanisms',
  'sasl.kerberos.service.name', 'sasl.kerberos.kinit.cmd', 'sasl.kerberos.ticket.renew.window.factor',
  'sasl.kerberos.ticket.renew.jitter', 'sasl.kerberos.min.time.before.relogin', 'sasl.kerberos.principal.to.local.rules',
  'sasl.login.refresh.window.factor', 'sasl.login.refresh.window.jitter', 'sasl.login.refresh.min.period.seconds',
  'sasl.login.refresh.buffer.seconds',
]);

/** DynamicConfig.Broker.names of Kafka 2.4 (the list its kafka-configs --help prints for brokers). */
const DYNAMIC_BROKER_CONFIGS = new Set([
  ...ZK_UPDATABLE_WHILE_RUNNING,
  ...PER_BROKER_CONFIGS,
  'background.threads', 'compression.type', 'log.cleaner.backoff.ms', 'log.cleaner.dedupe.buffer.size',
  'log.cleaner.delete.retention.ms', 'log.cleaner.io.buffer.load.factor', 'log.cleaner.io.buffer.size',
  'log.cleaner.io.max.bytes.per.second', 'log.cleaner.max.compaction.lag.ms', 'log.cleaner.min.cleanable.ratio',
  'log.cleaner.min.compaction.lag.ms', 'log.cleaner.threads', 'log.cleanup.policy', 'log.flush.interval.messages',
  'log.flush.interval.ms', 'log.index.interval.bytes', 'log.index.size.max.bytes', 'log.message.downconversion.enable',
  'log.message.timestamp.difference.max.ms', 'log.message.timestamp.type', 'log.preallocate', 'log.retention.bytes',
  'log.retention.ms', 'log.roll.jitter.ms', 'log.roll.ms', 'log.segment.bytes', 'log.segment.delete.delay.ms',
  'max.connections', 'max.connections.per.ip', 'max.connections.per.ip.overrides', 'message.max.bytes', 'metric.reporters',
  'min.insync.replicas', 'num.io.threads', 'num.network.threads', 'num.recovery.threads.per.data.dir', 'num.replica.fetchers',
  'unclean.leader.election.enable',
]);

/** Names Kafka would refuse as "Cannot update these configs dynamically". */
export function nonDynamicBrokerConfigs(names: Iterable<string>): string[] {
  return [...names].filter((n) => n in KAFKA_CONFIG_DEFS && !DYNAMIC_BROKER_CONFIGS.has(n));
}

/** Names Kafka refuses at <default>: "broker id must be specified". */
export function perBrokerOnlyConfigs(names: Iterable<string>): string[] {
  return [...names].filter((n) => PER_BROKER_CONFIGS.has(n) || /^listener\.name\.[^.]*\./.test(n));
}

/** Passwords need password.encoder.secret and are stored encrypted (DynamicBrokerConfig.isPasswordConfig). */
export function isPasswordConfig(name: string): boolean {
  return ['ssl.keystore.password', 'ssl.key.password', 'ssl.truststore.password', 'sasl.jaas.config'].some((p) => name.endsWith(p));
}
