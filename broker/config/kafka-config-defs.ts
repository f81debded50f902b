// Every broker key Zafka knows, with Kafka's type and default (Apache Kafka 2.x; the two defaults
// raised in Kafka 2.5 by KIP-537 are taken from 2.5: zookeeper.session.timeout.ms 18000 and
// replica.lag.time.max.ms 30000). Keys Zafka accepts but does not act on (threads,
// transactions) are listed so that a stock Kafka server.properties loads without warnings.
import { atLeast, ConfigKey, oneOf } from './config-def';
import { parsePrometheusListener } from '../metrics/prometheus-listener';

const HOUR_MS = 3600 * 1000;
const LONG_MAX = Number.MAX_SAFE_INTEGER; // Long.MAX_VALUE, as int64s are JS numbers in Zafka

const int = (def: number | null | undefined, validate?: ConfigKey['validate']): ConfigKey => ({ type: 'INT', default: def, validate });
const short = (def: number | null, validate?: ConfigKey['validate']): ConfigKey => ({ type: 'SHORT', default: def, validate });
const long = (def: number | null, validate?: ConfigKey['validate']): ConfigKey => ({ type: 'LONG', default: def, validate });
const bool = (def: boolean): ConfigKey => ({ type: 'BOOLEAN', default: def });
const str = (def: string | null | undefined, validate?: ConfigKey['validate']): ConfigKey => ({ type: 'STRING', default: def, validate });
const list = (def: string[] | null, validate?: ConfigKey['validate']): ConfigKey => ({ type: 'LIST', default: def, validate });
const dbl = (def: number): ConfigKey => ({ type: 'DOUBLE', default: def });
const password = (): ConfigKey => ({ type: 'PASSWORD', default: null });
const cls = (): ConfigKey => ({ type: 'CLASS', default: null });

const COMPRESSION = oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer');

export const KAFKA_CONFIG_DEFS: Readonly<Record<string, ConfigKey>> = {
  // ZooKeeper
  'zookeeper.connect': str(undefined),
  'zookeeper.session.timeout.ms': int(18000),
  'zookeeper.connection.timeout.ms': int(null), // null: the session timeout
  'zookeeper.sync.time.ms': int(2000),
  'zookeeper.max.in.flight.requests': int(10, atLeast(1)),
  'zookeeper.set.acl': bool(false),

  // Broker identity and sockets
  'broker.id': int(-1),
  'broker.id.generation.enable': bool(true),
  'reserved.broker.max.id': int(1000, atLeast(0)),
  'broker.rack': str(null),
  'listeners': str(null), // null: PLAINTEXT://:9092 (or host.name/port, see kafka-config.ts)
  'advertised.listeners': str(null),
  'listener.security.protocol.map': str('PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL'),
  'inter.broker.listener.name': str(null),
  'security.inter.broker.protocol': str('PLAINTEXT'),
  'control.plane.listener.name': str(null),
  'host.name': str(''), // deprecated (pre-listeners) keys, still honoured by Kafka 2.x
  'port': int(9092),
  'advertised.host.name': str(null),
  'advertised.port': int(null),
  'socket.request.max.bytes': int(104857600, atLeast(1)),
  'socket.send.buffer.bytes': int(102400),
  'socket.receive.buffer.bytes': int(102400),
  'queued.max.requests': int(500, atLeast(1)),
  'queued.max.request.bytes': long(-1),
  'num.network.threads': int(3, atLeast(1)),
  'num.io.threads': int(8, atLeast(1)),
  'background.threads': int(10, atLeast(1)),
  'request.timeout.ms': int(30000),
  'connections.max.idle.ms': long(600000),
  // KIP-306: a failed authentication is answered (and the connection closed) this much later.
  'connection.failed.authentication.delay.ms': int(100, atLeast(0)),
  'max.connections': int(2147483647, atLeast(0)),
  'max.connections.per.ip': int(2147483647, atLeast(0)),
  'max.connections.per.ip.overrides': str(''),
  'inter.broker.protocol.version': str('2.4-IV1'),
  'log.message.format.version': str('2.4-IV1'),

  // Topics
  'num.partitions': int(1, atLeast(1)),
  // Zafka: cluster-wide partition cap (name from KIP-578, never released in Kafka); see cluster-partition-limit.ts.
  'max.partitions': int(200000, atLeast(1)),
  'default.replication.factor': int(1),
  'min.insync.replicas': int(1, atLeast(1)),
  'unclean.leader.election.enable': bool(false),
  'auto.create.topics.enable': bool(true),
  'delete.topic.enable': bool(true),
  'message.max.bytes': int(1000012, atLeast(0)),
  'compression.type': str('producer', COMPRESSION),

  // Log
  'log.dirs': str(null),
  'log.dir': str('/tmp/kafka-logs'),
  'log.segment.bytes': int(1073741824, atLeast(14)),
  'log.roll.ms': long(null),
  'log.roll.hours': int(168, atLeast(1)),
  'log.roll.jitter.ms': long(null),
  'log.roll.jitter.hours': int(0, atLeast(0)),
  'log.retention.ms': long(null),
  'log.retention.minutes': int(null),
  'log.retention.hours': int(168),
  'log.retention.bytes': long(-1),
  'log.retention.check.interval.ms': long(300000, atLeast(1)),
  'log.index.interval.bytes': int(4096, atLeast(0)),
  'log.index.size.max.bytes': int(10485760, atLeast(4)),
  'log.flush.interval.messages': long(LONG_MAX, atLeast(1)),
  'log.flush.interval.ms': long(null),
  'log.flush.scheduler.interval.ms': long(LONG_MAX),
  'log.flush.offset.checkpoint.interval.ms': int(60000, atLeast(0)),
  'log.flush.start.offset.checkpoint.interval.ms': int(60000, atLeast(0)),
  'log.segment.delete.delay.ms': long(60000, atLeast(0)),
  'log.cleanup.policy': list(['delete'], oneOf('compact', 'delete')),
  'log.cleaner.enable': bool(true),
  'log.cleaner.threads': int(1, atLeast(0)),
  'log.cleaner.backoff.ms': long(15000, atLeast(0)),
  'log.cleaner.delete.retention.ms': long(24 * HOUR_MS),
  'log.cleaner.min.cleanable.ratio': dbl(0.5),
  'log.cleaner.min.compaction.lag.ms': long(0),
  'log.cleaner.max.compaction.lag.ms': long(LONG_MAX),
  'log.cleaner.dedupe.buffer.size': long(134217728),
  'log.cleaner.io.buffer.size': int(524288, atLeast(0)),
  'log.cleaner.io.buffer.load.factor': dbl(0.9),
  'log.cleaner.io.max.bytes.per.second': dbl(Number.MAX_VALUE),
  'log.message.timestamp.type': str('CreateTime', oneOf('CreateTime', 'LogAppendTime')),
  'log.message.timestamp.difference.max.ms': long(LONG_MAX),
  'log.message.downconversion.enable': bool(true),
  'log.preallocate': bool(false),
  'num.recovery.threads.per.data.dir': int(1, atLeast(1)),

  // Replication
  'replica.lag.time.max.ms': long(30000),
  'replica.socket.timeout.ms': int(30000),
  'replica.socket.receive.buffer.bytes': int(65536),
  'replica.fetch.max.bytes': int(1048576, atLeast(0)),
  'replica.fetch.response.max.bytes': int(10485760, atLeast(0)),
  'replica.fetch.wait.max.ms': int(500),
  'replica.fetch.min.bytes': int(1),
  'replica.fetch.backoff.ms': int(1000, atLeast(0)),
  'replica.high.watermark.checkpoint.interval.ms': long(5000),
  'num.replica.fetchers': int(1),
  'num.replica.alter.log.dirs.threads': int(null),
  'fetch.purgatory.purge.interval.requests': int(1000),
  'producer.purgatory.purge.interval.requests': int(1000),
  'delete.records.purgatory.purge.interval.requests': int(1),
  'max.incremental.fetch.session.cache.slots': int(1000, atLeast(0)),

  // Controller
  'controller.socket.timeout.ms': int(30000),
  'auto.leader.rebalance.enable': bool(true),
  'leader.imbalance.check.interval.seconds': long(300, atLeast(1)),
  'leader.imbalance.per.broker.percentage': int(10),
  'controlled.shutdown.enable': bool(true),
  'controlled.shutdown.max.retries': int(3),
  'controlled.shutdown.retry.backoff.ms': long(5000),

  // Group coordinator and __consumer_offsets
  'group.min.session.timeout.ms': int(6000),
  'group.max.session.timeout.ms': int(1800000),
  'group.initial.rebalance.delay.ms': int(3000),
  'group.max.size': int(2147483647, atLeast(1)),
  'offset.metadata.max.bytes': int(4096),
  'offsets.load.buffer.size': int(5242880, atLeast(1)),
  'offsets.topic.replication.factor': short(3, atLeast(1)),
  'offsets.topic.num.partitions': int(50, atLeast(1)),
  'offsets.topic.segment.bytes': int(104857600, atLeast(1)),
  'offsets.topic.compression.codec': int(0),
  'offsets.retention.minutes': int(10080, atLeast(1)),
  'offsets.retention.check.interval.ms': long(600000, atLeast(1)),
  'offsets.commit.timeout.ms': int(5000, atLeast(1)),
  'offsets.commit.required.acks': short(-1),

  // Transactions: the transaction coordinator's settings (broker/transaction/transaction-coordinator.ts).
  'transaction.state.log.replication.factor': short(3, atLeast(1)),
  'transaction.state.log.min.isr': int(2, atLeast(1)),
  'transaction.state.log.num.partitions': int(50, atLeast(1)),
  'transaction.state.log.segment.bytes': int(104857600, atLeast(1)),
  'transaction.state.log.load.buffer.size': int(5242880, atLeast(1)),
  'transaction.max.timeout.ms': int(900000, atLeast(1)),
  'transactional.id.expiration.ms': int(604800000, atLeast(1)),
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': int(60000, atLeast(1)),
  'transaction.remove.expired.transaction.cleanup.interval.ms': int(3600000, atLeast(1)),

  // Zafka's own: serve Prometheus metrics at http://host:port/metrics (off when unset).
  'metrics.prometheus.listener': str(null, (v) => {
    const parsed = v === null ? null : parsePrometheusListener(String(v));
    return typeof parsed === 'string' ? parsed : undefined;
  }),

  // Accepted and ignored: no pluggable classes or metrics. The ssl.* and sasl.* keys below are
  // read per listener from the originals by broker/security/ (listener.name.<l>.<key> first).
  'authorizer.class.name': str(''),
  'principal.builder.class': cls(),
  'metric.reporters': list([]),
  'kafka.metrics.reporters': list([]),
  'kafka.metrics.polling.interval.secs': int(10),
  'metrics.num.samples': int(2, atLeast(1)),
  'metrics.sample.window.ms': long(30000, atLeast(1)),
  'metrics.recording.level': str('INFO'),
  'quota.producer.default': long(LONG_MAX),
  'quota.consumer.default': long(LONG_MAX),
  'quota.window.num': int(11, atLeast(1)),
  'quota.window.size.seconds': int(1, atLeast(1)),
  'create.topic.policy.class.name': cls(),
  'alter.config.policy.class.name': cls(),
  'replica.selector.class': str(null),
  'sasl.enabled.mechanisms': list(['GSSAPI']),
  'sasl.mechanism.inter.broker.protocol': str('GSSAPI'),
  'sasl.jaas.config': password(),
  'ssl.keystore.location': str(null),
  'ssl.keystore.password': password(),
  'ssl.key.password': password(),
  'ssl.truststore.location': str(null),
  'ssl.truststore.password': password(),
  'ssl.client.auth': str('none', oneOf('required', 'requested', 'none')),
  'ssl.endpoint.identification.algorithm': str('https'),
  // Read per listener by broker/security/ (listener.name.<l>.<key> wins over <key>).
  'ssl.keystore.type': str('JKS'),
  'ssl.truststore.type': str('JKS'),
  'ssl.protocol': str('TLS'),
  'ssl.enabled.protocols': list(['TLSv1.2', 'TLSv1.1', 'TLSv1']),
  'ssl.cipher.suites': list([]),
  'password.encoder.secret': password(),
  'delegation.token.master.key': password(),
};

/**
 * Kafka's DynamicConfig.Broker keys: dynamic broker configs that are not KafkaConfig settings (the
 * replication throttles). Typed here so that DescribeConfigs describes them with their value, as
 * Kafka does, rather than as sensitive configs of unknown type. Zafka stores them without effect.
 */
export const DYNAMIC_ONLY_BROKER_CONFIG_DEFS: Readonly<Record<string, ConfigKey>> = {
  'leader.replication.throttled.rate': long(LONG_MAX, atLeast(0)),
  'follower.replication.throttled.rate': long(LONG_MAX, atLeast(0)),
  'replica.alter.log.dirs.io.max.bytes.per.second': long(LONG_MAX, atLeast(0)),
};
