// Per-log (topic-level) configuration, with Kafka's topic config names. The broker's log.* keys
// give the defaults; /config/topics/<topic> overrides them per topic.
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';

export interface LogConfig {
  segmentBytes: number; // segment.bytes (broker: log.segment.bytes)
  segmentMs: number; // segment.ms (broker: log.roll.ms / log.roll.hours)
  retentionMs: number; // retention.ms (broker: log.retention.ms/minutes/hours); -1 = forever
  retentionBytes: number; // retention.bytes (broker: log.retention.bytes); -1 = unlimited
  indexIntervalBytes: number; // index.interval.bytes (broker: log.index.interval.bytes)
  segmentIndexBytes: number; // segment.index.bytes (broker: log.index.size.max.bytes)
  maxMessageBytes: number; // max.message.bytes (broker: message.max.bytes)
  cleanupPolicy: string; // cleanup.policy: delete | compact | compact,delete
  minInsyncReplicas: number; // min.insync.replicas
  uncleanLeaderElectionEnable: boolean; // unclean.leader.election.enable
  messageTimestampType: 'CreateTime' | 'LogAppendTime'; // message.timestamp.type
  flushMessages: number; // flush.messages (broker: log.flush.interval.messages)
  flushMs: number; // flush.ms (broker: log.flush.interval.ms)
  deleteRetentionMs: number; // delete.retention.ms (broker: log.cleaner.delete.retention.ms)
  fileDeleteDelayMs: number; // file.delete.delay.ms (broker: log.segment.delete.delay.ms)
  compressionType: string; // compression.type: producer | uncompressed | gzip | snappy | lz4 | zstd
  // Optional so configs built elsewhere stay valid; unset = the broker's log.cleaner.* value.
  minCleanableDirtyRatio?: number; // min.cleanable.dirty.ratio (broker: log.cleaner.min.cleanable.ratio)
  minCompactionLagMs?: number; // min.compaction.lag.ms (broker: log.cleaner.min.compaction.lag.ms)
  // Accepted, stored and described as Kafka does, but not acted on by Zafka (docs/DIFFERENCES.md).
  segmentJitterMs?: number; // segment.jitter.ms (broker: log.roll.jitter.ms / hours)
  maxCompactionLagMs?: number; // max.compaction.lag.ms (broker: log.cleaner.max.compaction.lag.ms)
  preallocate?: boolean; // preallocate (broker: log.preallocate)
  messageFormatVersion?: string; // message.format.version (broker: log.message.format.version)
  messageTimestampDifferenceMaxMs?: number; // message.timestamp.difference.max.ms
  messageDownconversionEnable?: boolean; // message.downconversion.enable
  leaderReplicationThrottledReplicas?: string; // leader.replication.throttled.replicas
  followerReplicationThrottledReplicas?: string; // follower.replication.throttled.replicas
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 7 * 24 * 3600 * 1000,
  retentionMs: 168 * 3600 * 1000,
  retentionBytes: -1,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10 * 1024 * 1024,
  maxMessageBytes: 1000012,
  cleanupPolicy: 'delete',
  minInsyncReplicas: 1,
  uncleanLeaderElectionEnable: false,
  messageTimestampType: 'CreateTime',
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  deleteRetentionMs: 86400000,
  fileDeleteDelayMs: 60000,
  compressionType: 'producer',
  segmentJitterMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  preallocate: false,
  messageFormatVersion: '2.4-IV1',
  messageTimestampDifferenceMaxMs: Number.MAX_SAFE_INTEGER,
  messageDownconversionEnable: true,
};

type Parser = (value: string, key: string) => Partial<LogConfig>;

function int(key: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}`);
  }
  return n;
}

function ratio(key: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: Value must be in [0,1]`);
  }
  return n;
}

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function bool(key: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v !== 'true' && v !== 'false') throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: Expected value to be either true or false`);
  return v === 'true';
}

/** Kafka's ApiVersionValidator: a Kafka release (0.8.0 to 2.4), optionally with its -IVn suffix. */
const API_VERSION = /^(0\.8\.[0-2]|0\.9\.0|0\.10\.[0-2]|0\.11\.0|1\.[01]|2\.[0-4])(\.\d+)?(-IV\d)?$/;

/** Kafka's ThrottledReplicaListValidator: "*" or partition:broker pairs. */
const THROTTLED_REPLICAS = /^(\*|(\d+:\d+)(,\s*\d+:\d+)*)?$/;

function matching(key: string, value: string, pattern: RegExp, why: string): string {
  if (!pattern.test(value.trim())) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: ${why}`);
  return value.trim();
}

/** Topic-level keys Zafka understands, with their validation. */
const TOPIC_CONFIG_PARSERS: Record<string, Parser> = {
  'segment.bytes': (v, k) => ({ segmentBytes: int(k, v, 14) }),
  'segment.ms': (v, k) => ({ segmentMs: int(k, v, 1) }),
  'retention.ms': (v, k) => ({ retentionMs: int(k, v, -1) }),
  'retention.bytes': (v, k) => ({ retentionBytes: int(k, v, -1) }),
  'index.interval.bytes': (v, k) => ({ indexIntervalBytes: int(k, v, 0) }),
  'segment.index.bytes': (v, k) => ({ segmentIndexBytes: int(k, v, 4) }),
  'max.message.bytes': (v, k) => ({ maxMessageBytes: int(k, v, 0) }),
  'cleanup.policy': (v, k) => ({
    cleanupPolicy: v.split(',').map((p) => oneOf(k, p.trim(), ['delete', 'compact'] as const)).join(','),
  }),
  'min.insync.replicas': (v, k) => ({ minInsyncReplicas: int(k, v, 1) }),
  'unclean.leader.election.enable': (v, k) => ({ uncleanLeaderElectionEnable: oneOf(k, v, ['true', 'false'] as const) === 'true' }),
  'message.timestamp.type': (v, k) => ({ messageTimestampType: oneOf(k, v, ['CreateTime', 'LogAppendTime'] as const) }),
  'flush.messages': (v, k) => ({ flushMessages: int(k, v, 1) }),
  'flush.ms': (v, k) => ({ flushMs: int(k, v, 0) }),
  'delete.retention.ms': (v, k) => ({ deleteRetentionMs: int(k, v, 0) }),
  'file.delete.delay.ms': (v, k) => ({ fileDeleteDelayMs: int(k, v, 0) }),
  'compression.type': (v, k) => ({
    compressionType: oneOf(k, v, ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'] as const),
  }),
  'min.cleanable.dirty.ratio': (v, k) => ({ minCleanableDirtyRatio: ratio(k, v) }),
  'min.compaction.lag.ms': (v, k) => ({ minCompactionLagMs: int(k, v, 0) }),
  'segment.jitter.ms': (v, k) => ({ segmentJitterMs: int(k, v, 0) }),
  'max.compaction.lag.ms': (v, k) => ({ maxCompactionLagMs: int(k, v, 1) }),
  'preallocate': (v, k) => ({ preallocate: bool(k, v) }),
  'message.format.version': (v, k) => ({ messageFormatVersion: matching(k, v, API_VERSION, 'must be a Kafka version such as 2.4-IV1') }),
  'message.timestamp.difference.max.ms': (v, k) => ({ messageTimestampDifferenceMaxMs: int(k, v, 0) }),
  'message.downconversion.enable': (v, k) => ({ messageDownconversionEnable: bool(k, v) }),
  'leader.replication.throttled.replicas': (v, k) => ({
    leaderReplicationThrottledReplicas: matching(k, v, THROTTLED_REPLICAS, 'must be the literal \'*\' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...'),
  }),
  'follower.replication.throttled.replicas': (v, k) => ({
    followerReplicationThrottledReplicas: matching(k, v, THROTTLED_REPLICAS, 'must be the literal \'*\' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...'),
  }),
};

export const TOPIC_CONFIG_KEYS: readonly string[] = Object.keys(TOPIC_CONFIG_PARSERS);

/**
 * Topic overrides on top of the broker's defaults. Throws KafkaError(INVALID_CONFIG) naming the
 * key for an unknown key or a bad value (CreateTopics and kafka-topics --config rely on that).
 */
export function logConfigWithOverrides(defaults: LogConfig, overrides: Record<string, string>): LogConfig {
  let config: LogConfig = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const parse = TOPIC_CONFIG_PARSERS[key];
    if (!parse) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${key}`);
    config = { ...config, ...parse(String(value), key) };
  }
  return config;
}

/** Topic config values as Kafka prints them (DescribeConfigs, kafka-topics --describe). */
const TOPIC_CONFIG_RENDERERS: Record<string, (c: LogConfig) => string> = {
  'segment.bytes': (c) => String(c.segmentBytes),
  'segment.ms': (c) => String(c.segmentMs),
  'retention.ms': (c) => String(c.retentionMs),
  'retention.bytes': (c) => String(c.retentionBytes),
  'index.interval.bytes': (c) => String(c.indexIntervalBytes),
  'segment.index.bytes': (c) => String(c.segmentIndexBytes),
  'max.message.bytes': (c) => String(c.maxMessageBytes),
  'cleanup.policy': (c) => c.cleanupPolicy,
  'min.insync.replicas': (c) => String(c.minInsyncReplicas),
  'unclean.leader.election.enable': (c) => String(c.uncleanLeaderElectionEnable),
  'message.timestamp.type': (c) => c.messageTimestampType,
  'flush.messages': (c) => longString(c.flushMessages),
  'flush.ms': (c) => longString(c.flushMs),
  'delete.retention.ms': (c) => String(c.deleteRetentionMs),
  'file.delete.delay.ms': (c) => String(c.fileDeleteDelayMs),
  'compression.type': (c) => c.compressionType,
  'min.cleanable.dirty.ratio': (c) => String(c.minCleanableDirtyRatio ?? 0.5),
  'min.compaction.lag.ms': (c) => String(c.minCompactionLagMs ?? 0),
  'segment.jitter.ms': (c) => String(c.segmentJitterMs ?? 0),
  'max.compaction.lag.ms': (c) => longString(c.maxCompactionLagMs ?? Number.MAX_SAFE_INTEGER),
  'preallocate': (c) => String(c.preallocate ?? false),
  'message.format.version': (c) => c.messageFormatVersion ?? '2.4-IV1',
  'message.timestamp.difference.max.ms': (c) => longString(c.messageTimestampDifferenceMaxMs ?? Number.MAX_SAFE_INTEGER),
  'message.downconversion.enable': (c) => String(c.messageDownconversionEnable ?? true),
  'leader.replication.throttled.replicas': (c) => c.leaderReplicationThrottledReplicas ?? '',
  'follower.replication.throttled.replicas': (c) => c.followerReplicationThrottledReplicas ?? '',
};

/** Long.MAX_VALUE (Kafka's "never"; Number.MAX_SAFE_INTEGER inside Zafka) as Kafka prints it. */
function longString(n: number): string {
  return n >= Number.MAX_SAFE_INTEGER ? '9223372036854775807' : String(n);
}

export function topicConfigValue(config: LogConfig, key: string): string | undefined {
  return TOPIC_CONFIG_RENDERERS[key]?.(config);
}
