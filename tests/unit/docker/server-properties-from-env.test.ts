// The image's environment -> server.properties mapping (docker/entrypoint.sh), as the common
// Kafka images define it: KAFKA_FOO_BAR -> foo.bar, "__" -> "_", "___" -> "-".
import { parseProperties } from '../../../broker/config/properties';
import { parseKafkaConfig } from '../../../broker/config/kafka-config';
import {
  EnvConfigError, formatServerProperties, propertyNameFromEnv, serverPropertiesFromEnv,
} from '../../../docker/server-properties-from-env';
import { envNameForProperty } from '../../../docker/cluster/cluster-plan';

const REQUIRED = { KAFKA_BROKER_ID: '1', KAFKA_ZOOKEEPER_CONNECT: 'zookeeper:2181' };

describe('propertyNameFromEnv', () => {
  test.each([
    ['KAFKA_BROKER_ID', 'broker.id'],
    ['KAFKA_ZOOKEEPER_CONNECT', 'zookeeper.connect'],
    ['KAFKA_ADVERTISED_LISTENERS', 'advertised.listeners'],
    ['KAFKA_LOG_RETENTION_HOURS', 'log.retention.hours'],
    ['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP', 'listener.security.protocol.map'],
    // cp-kafka's escapes
    ['KAFKA_LISTENER_NAME_INTERNAL_SSL___CLIENT__AUTH', 'listener.name.internal.ssl-client_auth'],
    ['KAFKA_CONFLUENT_SUPPORT__METRICS_ENABLE', 'confluent.support_metrics.enable'],
  ])('%s -> %s', (env, key) => {
    expect(propertyNameFromEnv(env)).toBe(key);
  });

  test.each(['PATH', 'KAFKA_', 'KAFKA_HEAP_OPTS', 'KAFKA_OPTS', 'KAFKA_JMX_PORT', 'KAFKA_LOG4J_ROOT_LOGLEVEL', 'ZOO_SERVERS', 'kafka_broker_id'])(
    '%s is not a broker property',
    (env) => {
      expect(propertyNameFromEnv(env)).toBeNull();
    },
  );

  test('zafka-docker writes the variable the image reads back', () => {
    for (const key of ['broker.id', 'log.retention.ms', 'listener.name.internal.ssl-client_auth', 'min.insync.replicas']) {
      expect(propertyNameFromEnv(envNameForProperty(key))).toBe(key);
    }
  });
});

describe('serverPropertiesFromEnv', () => {
  test('image defaults, then every KAFKA_* variable (values trimmed)', () => {
    const props = serverPropertiesFromEnv({
      ...REQUIRED,
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:19092',
      KAFKA_ADVERTISED_LISTENERS: ' PLAINTEXT://broker-1:19092 ',
      KAFKA_HEAP_OPTS: '-Xmx1G',
      HOME: '/home/node',
    });
    expect(props).toEqual({
      'broker.id': '1',
      'zookeeper.connect': 'zookeeper:2181',
      'log.dirs': '/var/lib/zafka/data',
      listeners: 'PLAINTEXT://0.0.0.0:19092',
      'advertised.listeners': 'PLAINTEXT://broker-1:19092',
    });
  });

  test('KAFKA_LOG_DIRS overrides the default', () => {
    expect(serverPropertiesFromEnv({ ...REQUIRED, KAFKA_LOG_DIRS: '/data/a,/data/b' })['log.dirs']).toBe('/data/a,/data/b');
  });

  test('a missing KAFKA_ZOOKEEPER_CONNECT is named', () => {
    expect(() => serverPropertiesFromEnv({ KAFKA_BROKER_ID: '1' })).toThrow(EnvConfigError);
    expect(() => serverPropertiesFromEnv({ KAFKA_BROKER_ID: '1', KAFKA_ZOOKEEPER_CONNECT: ' ' })).toThrow(/^KAFKA_ZOOKEEPER_CONNECT is required/);
  });

  test('a missing KAFKA_BROKER_ID is named, and both when both are missing', () => {
    expect(() => serverPropertiesFromEnv({ KAFKA_ZOOKEEPER_CONNECT: 'zk:2181' })).toThrow(/^KAFKA_BROKER_ID is required/);
    expect(() => serverPropertiesFromEnv({})).toThrow(/^KAFKA_BROKER_ID and KAFKA_ZOOKEEPER_CONNECT are required/);
  });

  test('a broker id that is not a non-negative integer is refused', () => {
    expect(() => serverPropertiesFromEnv({ ...REQUIRED, KAFKA_BROKER_ID: '-1' })).toThrow(/KAFKA_BROKER_ID must be a non-negative integer/);
    expect(() => serverPropertiesFromEnv({ ...REQUIRED, KAFKA_BROKER_ID: 'one' })).toThrow(/KAFKA_BROKER_ID/);
  });
});

describe('formatServerProperties', () => {
  test('round-trips through the broker\'s own parser and typed config', () => {
    const props = serverPropertiesFromEnv({
      ...REQUIRED,
      KAFKA_LISTENERS: 'PLAINTEXT://127.0.0.1:19092',
      KAFKA_ZOOKEEPER_CONNECT: '127.0.0.1:2181/zafka',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_SSL_KEYSTORE_LOCATION: 'C:\\keys\\broker.jks',
    });
    const text = formatServerProperties(props);
    expect(parseProperties(text)).toEqual(props);
    const { config } = parseKafkaConfig(parseProperties(text));
    expect(config.brokerId).toBe(1);
    expect(config.zookeeperConnect).toBe('127.0.0.1:2181/zafka');
    expect(config.logDirs).toEqual(['/var/lib/zafka/data']);
    expect(config.minInsyncReplicas).toBe(2);
    expect(config.listeners.map((l) => l.port)).toEqual([19092]);
  });
});
