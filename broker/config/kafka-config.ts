// The broker's typed configuration: Kafka's server.properties keys and defaults (see
// kafka-config-defs.ts), the derived values Kafka computes from them (retention ms > minutes >
// hours, roll ms > hours, listeners from the legacy host.name/port), and the per-topic LogConfig
// defaults taken from the broker's log.* keys.
//
// Deliberate differences from Kafka 2.x (also listed in docs/DIFFERENCES.md):
// - broker.id must be given explicitly (0..reserved.broker.max.id): Zafka does not generate ids
//   from /brokers/seqid or read them back from meta.properties.
// - Where Kafka would advertise the machine's canonical host name (a listener host of '' or
//   0.0.0.0 with no advertised.listeners), Zafka advertises 127.0.0.1: clients on this machine
//   then connect over IPv4 (librdkafka may resolve "localhost" to ::1).
// - Listener security (SSL, SASL_*) is read from `originals` by broker/security/, per listener.
import * as fs from 'fs';
import type { LogConfig } from '../log/log-config';
import { ConfigKey, ConfigValue, formatConfigValue, parseConfigValue } from './config-def';
import { ConfigError } from './config-error';
import { checkConnectionLimits, parseMaxConnectionsPerIpOverrides } from './connection-limits';
import { KAFKA_CONFIG_DEFS } from './kafka-config-defs';
import { EndPoint, isWildcardHost, parseListeners, parseSecurityProtocolMap, SecurityProtocol } from './listeners';
import { parseOverride, parseProperties } from './properties';

export interface KafkaConfig {
  readonly brokerId: number;
  readonly brokerRack: string | null;
  /** metrics.prometheus.listener (Zafka's own key): http://host:port, or null for no endpoint. */
  readonly metricsPrometheusListener: string | null;
  readonly listeners: readonly EndPoint[];
  /** What goes into /brokers/ids/<id>. A port of 0 must be replaced by the bound port at startup. */
  readonly advertisedListeners: readonly EndPoint[];
  readonly listenerSecurityProtocolMap: Readonly<Record<string, SecurityProtocol>>;
  readonly interBrokerListenerName: string;
  readonly logDirs: readonly string[];

  readonly zookeeperConnect: string;
  readonly zookeeperSessionTimeoutMs: number;
  readonly zookeeperConnectionTimeoutMs: number;

  readonly numPartitions: number;
  /** max.partitions: CreateTopics/CreatePartitions beyond this many partitions in the cluster get POLICY_VIOLATION. */
  readonly maxPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly uncleanLeaderElectionEnable: boolean;
  readonly autoCreateTopicsEnable: boolean;
  readonly deleteTopicEnable: boolean;
  readonly messageMaxBytes: number;
  readonly compressionType: string;

  readonly logSegmentBytes: number;
  readonly logRollMs: number;
  readonly logRetentionMs: number; // -1 = keep forever
  readonly logRetentionBytes: number;
  readonly logRetentionCheckIntervalMs: number;
  readonly logIndexIntervalBytes: number;
  readonly logIndexSizeMaxBytes: number;
  readonly logFlushIntervalMessages: number;
  readonly logFlushIntervalMs: number;
  readonly logFlushSchedulerIntervalMs: number;
  readonly logFlushOffsetCheckpointIntervalMs: number;
  readonly logFlushStartOffsetCheckpointIntervalMs: number;
  readonly logSegmentDeleteDelayMs: number;
  readonly logCleanupPolicy: readonly string[];
  readonly logCleanerEnable: boolean;
  readonly logCleanerBackoffMs: number;
  readonly logCleanerDeleteRetentionMs: number;
  readonly logCleanerMinCleanableRatio: number;
  readonly logMessageTimestampType: 'CreateTime' | 'LogAppendTime';
  readonly numRecoveryThreadsPerDataDir: number;

  readonly replicaLagTimeMaxMs: number;
  readonly replicaFetchMaxBytes: number;
  readonly replicaFetchResponseMaxBytes: number;
  readonly replicaFetchWaitMaxMs: number;
  readonly replicaFetchMinBytes: number;
  readonly replicaFetchBackoffMs: number;
  readonly replicaSocketTimeoutMs: number;
  readonly replicaHighWatermarkCheckpointIntervalMs: number;
  readonly numReplicaFetchers: number;

  readonly controllerSocketTimeoutMs: number;
  readonly autoLeaderRebalanceEnable: boolean;
  readonly leaderImbalanceCheckIntervalSeconds: number;
  readonly leaderImbalancePerBrokerPercentage: number;
  readonly controlledShutdownEnable: boolean;
  readonly controlledShutdownMaxRetries: number;
  readonly controlledShutdownRetryBackoffMs: number;

  readonly offsetsTopicNumPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly offsetsTopicSegmentBytes: number;
  readonly offsetsRetentionMinutes: number;
  readonly offsetsRetentionCheckIntervalMs: number;
  readonly offsetsCommitTimeoutMs: number;
  readonly offsetMetadataMaxBytes: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupMaxSize: number;

  readonly socketRequestMaxBytes: number;
  readonly socketSendBufferBytes: number;
  readonly socketReceiveBufferBytes: number;
  readonly queuedMaxRequests: number;
  readonly queuedMaxRequestBytes: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly maxConnectionsPerIpOverrides: ReadonlyMap<string, number>;
  readonly requestTimeoutMs: number;
  readonly connectionsMaxIdleMs: number;
  readonly numNetworkThreads: number;
  readonly numIoThreads: number;
  readonly interBrokerProtocolVersion: string;
  readonly logMessageFormatVersion: string;

  /** Every known key's typed value (null = unset), for DescribeConfigs and the startup log. */
  readonly values: ReadonlyMap<string, ConfigValue>;
  /** The properties as given (file + overrides), unknown keys included. */
  readonly originals: Readonly<Record<string, string>>;
}

const HOUR_MS = 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/** Typed access to the parsed values; the casts are safe because each key's type is fixed in the table. */
class Values {
  constructor(readonly map: Map<string, ConfigValue>) {}
  private get(key: string): ConfigValue {
    if (!this.map.has(key)) throw new Error(`BUG: ${key} is not in KAFKA_CONFIG_DEFS`);
    return this.map.get(key) as ConfigValue;
  }
  num(key: string): number { return this.get(key) as number; }
  optNum(key: string): number | null { return this.get(key) as number | null; }
  bool(key: string): boolean { return this.get(key) as boolean; }
  str(key: string): string { return this.get(key) as string; }
  optStr(key: string): string | null { return this.get(key) as string | null; }
  list(key: string): string[] { return this.get(key) as string[]; }
}

function parseValues(props: Record<string, string>, warnings: string[]): Values {
  const map = new Map<string, ConfigValue>();
  for (const [name, key] of Object.entries(KAFKA_CONFIG_DEFS) as [string, ConfigKey][]) {
    const raw = props[name];
    if (raw !== undefined) map.set(name, parseConfigValue(name, key, raw));
    else if (key.default === undefined) throw new ConfigError(`Missing required configuration "${name}" which has no default value.`);
    else map.set(name, key.default);
  }
  for (const name of Object.keys(props)) {
    // listener.name.<listener>.<key> are per-listener overrides (KIP-103), read by broker/security/.
    if (!(name in KAFKA_CONFIG_DEFS) && !name.startsWith('listener.name.')) warnings.push(`The configuration '${name}' was supplied but isn't a known config.`);
  }
  return new Values(map);
}

/** Kafka's LogRetentionTimeMillis: ms, else minutes, else hours; any negative value = forever (-1). */
function retentionMs(v: Values): number {
  const ms = v.optNum('log.retention.ms') ?? (v.optNum('log.retention.minutes') !== null
    ? v.num('log.retention.minutes') * MINUTE_MS
    : v.num('log.retention.hours') * HOUR_MS);
  return ms < 0 ? -1 : ms;
}

interface ListenerSettings {
  listeners: EndPoint[];
  advertisedListeners: EndPoint[];
  protocolMap: Record<string, SecurityProtocol>;
  interBrokerListenerName: string;
}

function listenerSettings(v: Values, explicitInterBrokerProtocol: boolean): ListenerSettings {
  const protocolMap = parseSecurityProtocolMap(v.str('listener.security.protocol.map'));
  // Without `listeners`, Kafka 2.x builds one from the legacy host.name and port keys.
  const listenersValue = v.optStr('listeners') ?? `PLAINTEXT://${v.str('host.name')}:${v.num('port')}`;
  const listeners = parseListeners(listenersValue, protocolMap, 'listeners');

  let advertised: EndPoint[];
  const explicit = v.optStr('advertised.listeners');
  if (explicit !== null) {
    advertised = parseListeners(explicit, protocolMap, 'advertised.listeners');
    if (advertised.some((e) => e.host === '0.0.0.0' || e.host === '::')) {
      throw new ConfigError('advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.');
    }
  } else if (v.optStr('advertised.host.name') !== null || v.optNum('advertised.port') !== null) {
    const host = v.optStr('advertised.host.name') ?? v.str('host.name');
    const port = v.optNum('advertised.port') ?? v.num('port');
    advertised = parseListeners(`PLAINTEXT://${host}:${port}`, protocolMap, 'advertised.host.name');
  } else {
    advertised = listeners;
  }
  // See the header: 127.0.0.1 where Kafka would advertise the canonical host name.
  advertised = advertised.map((e) => (isWildcardHost(e.host) ? { ...e, host: '127.0.0.1' } : e));
  const listenerNames = new Set(listeners.map((e) => e.listenerName));
  if (!advertised.every((e) => listenerNames.has(e.listenerName))) {
    throw new ConfigError('advertised.listeners listener names must be equal to or a subset of the ones defined in listeners');
  }

  const interBrokerName = v.optStr('inter.broker.listener.name');
  if (interBrokerName !== null && explicitInterBrokerProtocol) {
    throw new ConfigError('Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.');
  }
  const interBrokerListenerName = (interBrokerName ?? v.str('security.inter.broker.protocol')).toUpperCase();
  if (!advertised.some((e) => e.listenerName === interBrokerListenerName)) {
    throw new ConfigError(
      `inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are ${advertised.map((e) => e.listenerName).join(',')}`,
    );
  }
  return { listeners, advertisedListeners: advertised, protocolMap, interBrokerListenerName };
}

/**
 * Parses server.properties contents into the typed config. Throws ConfigError (message naming the
 * key) for a bad value, a missing zookeeper.connect, or an unusable listener; unknown keys become
 * warnings, which Kafka logs and otherwise ignores.
 */
export function parseKafkaConfig(props: Record<string, string>): { config: KafkaConfig; warnings: string[] } {
  const warnings: string[] = [];
  const v = parseValues(props, warnings);

  const brokerId = v.num('broker.id');
  const maxId = v.num('reserved.broker.max.id');
  if (brokerId < 0 || brokerId > maxId) {
    throw new ConfigError(
      `Invalid value ${brokerId} for configuration broker.id: Zafka needs an explicit broker.id between 0 and reserved.broker.max.id (${maxId}); it does not generate broker ids`,
    );
  }
  const zookeeperConnect = v.str('zookeeper.connect');
  if (zookeeperConnect === '') throw new ConfigError('Invalid value  for configuration zookeeper.connect: must not be empty');
  const groupMin = v.num('group.min.session.timeout.ms');
  const groupMax = v.num('group.max.session.timeout.ms');
  if (groupMin > groupMax) {
    throw new ConfigError(`group.min.session.timeout.ms (${groupMin}) must not be greater than group.max.session.timeout.ms (${groupMax})`);
  }
  const logDirs = (v.optStr('log.dirs') ?? v.str('log.dir')).split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (logDirs.length === 0) throw new ConfigError('Invalid value  for configuration log.dirs: at least one log directory is needed');
  const listeners = listenerSettings(v, props['security.inter.broker.protocol'] !== undefined);
  const maxConnectionsPerIpOverrides = parseMaxConnectionsPerIpOverrides(v.str('max.connections.per.ip.overrides'));
  checkConnectionLimits(v.num('queued.max.request.bytes'), v.num('socket.request.max.bytes'), v.num('max.connections.per.ip'), maxConnectionsPerIpOverrides);

  const config: KafkaConfig = {
    brokerId,
    brokerRack: v.optStr('broker.rack'),
    metricsPrometheusListener: v.optStr('metrics.prometheus.listener'),
    listeners: listeners.listeners,
    advertisedListeners: listeners.advertisedListeners,
    listenerSecurityProtocolMap: listeners.protocolMap,
    interBrokerListenerName: listeners.interBrokerListenerName,
    logDirs,
    zookeeperConnect,
    zookeeperSessionTimeoutMs: v.num('zookeeper.session.timeout.ms'),
    zookeeperConnectionTimeoutMs: v.optNum('zookeeper.connection.timeout.ms') ?? v.num('zookeeper.session.timeout.ms'),
    numPartitions: v.num('num.partitions'),
    maxPartitions: v.num('max.partitions'),
    defaultReplicationFactor: v.num('default.replication.factor'),
    minInsyncReplicas: v.num('min.insync.replicas'),
    uncleanLeaderElectionEnable: v.bool('unclean.leader.election.enable'),
    autoCreateTopicsEnable: v.bool('auto.create.topics.enable'),
    deleteTopicEnable: v.bool('delete.topic.enable'),
    messageMaxBytes: v.num('message.max.bytes'),
    compressionType: v.str('compression.type'),
    logSegmentBytes: v.num('log.segment.bytes'),
    logRollMs: v.optNum('log.roll.ms') ?? v.num('log.roll.hours') * HOUR_MS,
    logRetentionMs: retentionMs(v),
    logRetentionBytes: v.num('log.retention.bytes'),
    logRetentionCheckIntervalMs: v.num('log.retention.check.interval.ms'),
    logIndexIntervalBytes: v.num('log.index.interval.bytes'),
    logIndexSizeMaxBytes: v.num('log.index.size.max.bytes'),
    logFlushIntervalMessages: v.num('log.flush.interval.messages'),
    // Kafka: log.flush.interval.ms falls back to log.flush.scheduler.interval.ms (Long.MAX_VALUE).
    logFlushIntervalMs: v.optNum('log.flush.interval.ms') ?? v.num('log.flush.scheduler.interval.ms'),
    logFlushSchedulerIntervalMs: v.num('log.flush.scheduler.interval.ms'),
    logFlushOffsetCheckpointIntervalMs: v.num('log.flush.offset.checkpoint.interval.ms'),
    logFlushStartOffsetCheckpointIntervalMs: v.num('log.flush.start.offset.checkpoint.interval.ms'),
    logSegmentDeleteDelayMs: v.num('log.segment.delete.delay.ms'),
    logCleanupPolicy: v.list('log.cleanup.policy'),
    logCleanerEnable: v.bool('log.cleaner.enable'),
    logCleanerBackoffMs: v.num('log.cleaner.backoff.ms'),
    logCleanerDeleteRetentionMs: v.num('log.cleaner.delete.retention.ms'),
    logCleanerMinCleanableRatio: v.num('log.cleaner.min.cleanable.ratio'),
    logMessageTimestampType: v.str('log.message.timestamp.type') as 'CreateTime' | 'LogAppendTime',
    numRecoveryThreadsPerDataDir: v.num('num.recovery.threads.per.data.dir'),
    replicaLagTimeMaxMs: v.num('replica.lag.time.max.ms'),
    replicaFetchMaxBytes: v.num('replica.fetch.max.bytes'),
    replicaFetchResponseMaxBytes: v.num('replica.fetch.response.max.bytes'),
    replicaFetchWaitMaxMs: v.num('replica.fetch.wait.max.ms'),
    replicaFetchMinBytes: v.num('replica.fetch.min.bytes'),
    replicaFetchBackoffMs: v.num('replica.fetch.backoff.ms'),
    replicaSocketTimeoutMs: v.num('replica.socket.timeout.ms'),
    replicaHighWatermarkCheckpointIntervalMs: v.num('replica.high.watermark.checkpoint.interval.ms'),
    numReplicaFetchers: v.num('num.replica.fetchers'),
    controllerSocketTimeoutMs: v.num('controller.socket.timeout.ms'),
    autoLeaderRebalanceEnable: v.bool('auto.leader.rebalance.enable'),
    leaderImbalanceCheckIntervalSeconds: v.num('leader.imbalance.check.interval.seconds'),
    leaderImbalancePerBrokerPercentage: v.num('leader.imbalance.per.broker.percentage'),
    controlledShutdownEnable: v.bool('controlled.shutdown.enable'),
    controlledShutdownMaxRetries: v.num('controlled.shutdown.max.retries'),
    controlledShutdownRetryBackoffMs: v.num('controlled.shutdown.retry.backoff.ms'),
    offsetsTopicNumPartitions: v.num('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: v.num('offsets.topic.replication.factor'),
    offsetsTopicSegmentBytes: v.num('offsets.topic.segment.bytes'),
    offsetsRetentionMinutes: v.num('offsets.retention.minutes'),
    offsetsRetentionCheckIntervalMs: v.num('offsets.retention.check.interval.ms'),
    offsetsCommitTimeoutMs: v.num('offsets.commit.timeout.ms'),
    offsetMetadataMaxBytes: v.num('offset.metadata.max.bytes'),
    groupInitialRebalanceDelayMs: v.num('group.initial.rebalance.delay.ms'),
    groupMinSessionTimeoutMs: groupMin,
    groupMaxSessionTimeoutMs: groupMax,
    groupMaxSize: v.num('group.max.size'),
    socketRequestMaxBytes: v.num('socket.request.max.bytes'),
    socketSendBufferBytes: v.num('socket.send.buffer.bytes'),
    socketReceiveBufferBytes: v.num('socket.receive.buffer.bytes'),
    queuedMaxRequests: v.num('queued.max.requests'),
    queuedMaxRequestBytes: v.num('queued.max.request.bytes'),
    maxConnections: v.num('max.connections'),
    maxConnectionsPerIp: v.num('max.connections.per.ip'),
    maxConnectionsPerIpOverrides,
    requestTimeoutMs: v.num('request.timeout.ms'),
    connectionsMaxIdleMs: v.num('connections.max.idle.ms'),
    numNetworkThreads: v.num('num.network.threads'),
    numIoThreads: v.num('num.io.threads'),
    interBrokerProtocolVersion: v.str('inter.broker.protocol.version'),
    logMessageFormatVersion: v.str('log.message.format.version'),
    values: v.map,
    originals: { ...props },
  };
  return { config, warnings };
}

/** The LogConfig every topic starts from, before its /config/topics/<topic> overrides. */
export function defaultLogConfig(config: KafkaConfig): LogConfig {
  return {
    segmentBytes: config.logSegmentBytes,
    segmentMs: config.logRollMs,
    retentionMs: config.logRetentionMs,
    retentionBytes: config.logRetentionBytes,
    indexIntervalBytes: config.logIndexIntervalBytes,
    segmentIndexBytes: config.logIndexSizeMaxBytes,
    maxMessageBytes: config.messageMaxBytes,
    cleanupPolicy: config.logCleanupPolicy.join(','),
    minInsyncReplicas: config.minInsyncReplicas,
    uncleanLeaderElectionEnable: config.uncleanLeaderElectionEnable,
    messageTimestampType: config.logMessageTimestampType,
    flushMessages: config.logFlushIntervalMessages,
    flushMs: config.logFlushIntervalMs,
    deleteRetentionMs: config.logCleanerDeleteRetentionMs,
    fileDeleteDelayMs: config.logSegmentDeleteDelayMs,
    compressionType: config.compressionType,
    // The rest only matter to DescribeConfigs: they follow the broker's (possibly dynamic) values.
    segmentJitterMs: (config.values.get('log.roll.jitter.ms') as number | null) ?? (config.values.get('log.roll.jitter.hours') as number) * HOUR_MS,
    maxCompactionLagMs: config.values.get('log.cleaner.max.compaction.lag.ms') as number,
    preallocate: config.values.get('log.preallocate') as boolean,
    messageFormatVersion: config.logMessageFormatVersion,
    messageTimestampDifferenceMaxMs: config.values.get('log.message.timestamp.difference.max.ms') as number,
    messageDownconversionEnable: config.values.get('log.message.downconversion.enable') as boolean,
  };
}

/**
 * Reads a server.properties file and applies `--override key=value` arguments (given here as the
 * "key=value" strings), later ones winning, as kafka-server-start.sh does.
 */
export function loadKafkaConfigFile(path: string, overrides: readonly string[] = []): { config: KafkaConfig; warnings: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Unable to read configuration file ${path}: ${(err as Error).message}`);
  }
  const props = parseProperties(text);
  for (const o of overrides) {
    const [key, value] = parseOverride(o);
    props[key] = value;
  }
  return parseKafkaConfig(props);
}

/** Kafka's startup log block: "KafkaConfig values: \n\tkey = value ..." in key order. */
export function formatKafkaConfigValues(config: KafkaConfig): string {
  const lines = [...config.values.keys()].sort().map((k) => `\t${k} = ${formatConfigValue(KAFKA_CONFIG_DEFS[k], config.values.get(k) ?? null)}`);
  return `KafkaConfig values: \n${lines.join('\n')}\n`;
}
