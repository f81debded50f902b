import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../broker/config/config-error';
import { defaultLogConfig, formatKafkaConfigValues, loadKafkaConfigFile, parseKafkaConfig } from '../../../broker/config/kafka-config';
import { DEFAULT_LOG_CONFIG } from '../../../broker/log/log-config';

const BASE = { 'broker.id': '0', 'zookeeper.connect': 'localhost:2181' };
const parse = (extra: Record<string, string> = {}) => parseKafkaConfig({ ...BASE, ...extra });

describe('parseKafkaConfig', () => {
  it("applies Kafka's defaults", () => {
    const { config, warnings } = parse();
    expect(warnings).toEqual([]);
    expect(config.brokerId).toBe(0);
    expect(config.listeners).toEqual([{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '', port: 9092 }]);
    expect(config.advertisedListeners[0]).toMatchObject({ host: '127.0.0.1', port: 9092 });
    expect(config.interBrokerListenerName).toBe('PLAINTEXT');
    expect(config.logDirs).toEqual(['/tmp/kafka-logs']);
    expect(config.zookeeperSessionTimeoutMs).toBe(18000);
    expect(config.zookeeperConnectionTimeoutMs).toBe(18000);
    expect(config.numPartitions).toBe(1);
    expect(config.defaultReplicationFactor).toBe(1);
    expect(config.minInsyncReplicas).toBe(1);
    expect(config.uncleanLeaderElectionEnable).toBe(false);
    expect(config.autoCreateTopicsEnable).toBe(true);
    expect(config.deleteTopicEnable).toBe(true);
    expect(config.logSegmentBytes).toBe(1073741824);
    expect(config.logRetentionMs).toBe(168 * 3600 * 1000);
    expect(config.logRollMs).toBe(168 * 3600 * 1000);
    expect(config.logRetentionBytes).toBe(-1);
    expect(config.logFlushIntervalMessages).toBe(Number.MAX_SAFE_INTEGER);
    expect(config.logFlushIntervalMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(config.messageMaxBytes).toBe(1000012);
    expect(config.replicaLagTimeMaxMs).toBe(30000);
    expect(config.offsetsTopicNumPartitions).toBe(50);
    expect(config.offsetsTopicReplicationFactor).toBe(3);
    expect(config.groupInitialRebalanceDelayMs).toBe(3000);
    expect(config.socketRequestMaxBytes).toBe(104857600);
    expect(config.logCleanupPolicy).toEqual(['delete']);
  });

  it('maps the log.* keys onto the default LogConfig', () => {
    expect(defaultLogConfig(parse().config)).toEqual(DEFAULT_LOG_CONFIG);
    const log = defaultLogConfig(parse({ 'log.cleanup.policy': 'compact, delete', 'log.retention.bytes': '1000', 'message.max.bytes': '2000' }).config);
    expect(log).toMatchObject({ cleanupPolicy: 'compact,delete', retentionBytes: 1000, maxMessageBytes: 2000 });
  });

  it('names the key and the type for a non-numeric value, like Kafka', () => {
    expect(() => parse({ 'broker.id': 'abc' })).toThrow(
      new ConfigError('Invalid value abc for configuration broker.id: Not a number of type INT'),
    );
    expect(() => parse({ 'num.partitions': '2.5' })).toThrow(/num.partitions: Not a number of type INT/);
    expect(() => parse({ 'log.retention.bytes': '99999999999999999999' })).toThrow(/Not a number of type LONG/);
    expect(() => parse({ 'delete.topic.enable': 'yes' })).toThrow(/delete.topic.enable: Expected value to be either true or false/);
  });

  it('trims values and accepts booleans in any case', () => {
    const { config } = parse({ 'num.partitions': ' 3 ', 'delete.topic.enable': 'FALSE' });
    expect(config.numPartitions).toBe(3);
    expect(config.deleteTopicEnable).toBe(false);
  });

  it('enforces ranges and enumerations', () => {
    expect(() => parse({ 'num.partitions': '0' })).toThrow(/num.partitions: Value must be at least 1/);
    expect(() => parse({ 'log.message.timestamp.type': 'Now' })).toThrow(/log.message.timestamp.type: String must be one of/);
    expect(() => parse({ 'log.cleanup.policy': 'delete,shred' })).toThrow(/log.cleanup.policy/);
  });

  it('requires zookeeper.connect and an explicit broker.id', () => {
    expect(() => parseKafkaConfig({ 'broker.id': '0' })).toThrow('Missing required configuration "zookeeper.connect" which has no default value.');
    expect(() => parseKafkaConfig({ 'zookeeper.connect': 'zk:2181' })).toThrow(/broker.id/);
    expect(() => parse({ 'broker.id': '1001' })).toThrow(/broker.id/);
  });

  it('rejects unparsable listeners, naming the key', () => {
    expect(() => parse({ listeners: 'PLAINTEXT:/localhost:9092' })).toThrow(/listeners: Unable to parse PLAINTEXT:\/localhost:9092 to a broker endpoint/);
    expect(() => parse({ listeners: 'PLAINTEXT://localhost:port' })).toThrow(/Unable to parse/);
    expect(() => parse({ listeners: 'PLAINTEXT://:99999' })).toThrow(/out of range/);
    expect(() => parse({ listeners: 'FOO://:9092' })).toThrow(/No security protocol defined for listener FOO/);
    expect(parse({ listeners: 'SSL://:9093', 'security.inter.broker.protocol': 'SSL' }).config.listeners[0].securityProtocol).toBe('SSL');
    expect(() => parse({ listeners: 'PLAINTEXT://:9092,PLAINTEXT://:9093' })).toThrow(/different name/);
  });

  it('parses named listeners, IPv6 hosts and the advertised set', () => {
    const { config } = parse({
      listeners: 'INTERNAL://0.0.0.0:9093,external://[::1]:9094',
      'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT',
      'inter.broker.listener.name': 'INTERNAL',
    });
    expect(config.listeners.map((e) => [e.listenerName, e.host, e.port])).toEqual([['INTERNAL', '0.0.0.0', 9093], ['EXTERNAL', '::1', 9094]]);
    // An all-interfaces listener is advertised as 127.0.0.1 (Kafka would use the host name).
    expect(config.advertisedListeners.map((e) => e.host)).toEqual(['127.0.0.1', '::1']);
    expect(config.interBrokerListenerName).toBe('INTERNAL');
  });

  it('checks advertised.listeners against listeners and the inter-broker listener', () => {
    expect(() => parse({ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' })).toThrow(/nonroutable meta-address/);
    expect(parse({ 'advertised.listeners': 'PLAINTEXT://broker0.example:19092' }).config.advertisedListeners[0])
      .toMatchObject({ host: 'broker0.example', port: 19092 });
    expect(() => parse({ 'inter.broker.listener.name': 'OTHER' })).toThrow(/inter.broker.listener.name/);
  });

  it('builds the listener from the legacy host.name and port when listeners is unset', () => {
    const { config } = parse({ 'host.name': '127.0.0.2', port: '9999' });
    expect(config.listeners[0]).toMatchObject({ host: '127.0.0.2', port: 9999 });
  });

  it('warns once for each unknown key, in Kafka words', () => {
    const { warnings } = parse({ 'foo.bar': '1', 'log.dirz': '/x' });
    expect(warnings).toEqual([
      "The configuration 'foo.bar' was supplied but isn't a known config.",
      "The configuration 'log.dirz' was supplied but isn't a known config.",
    ]);
  });

  it('accepts the transaction.state.log.* keys silently', () => {
    expect(parse({ 'transaction.state.log.replication.factor': '1', 'transaction.state.log.min.isr': '1' }).warnings).toEqual([]);
  });

  it('takes retention from ms, then minutes, then hours; negative means forever', () => {
    expect(parse({ 'log.retention.hours': '1' }).config.logRetentionMs).toBe(3600000);
    expect(parse({ 'log.retention.hours': '1', 'log.retention.minutes': '2' }).config.logRetentionMs).toBe(120000);
    expect(parse({ 'log.retention.hours': '1', 'log.retention.minutes': '2', 'log.retention.ms': '500' }).config.logRetentionMs).toBe(500);
    expect(parse({ 'log.retention.ms': '-5' }).config.logRetentionMs).toBe(-1);
    expect(parse({ 'log.retention.hours': '-1' }).config.logRetentionMs).toBe(-1);
  });

  it('takes the roll interval from log.roll.ms before log.roll.hours, and flush ms from the scheduler', () => {
    expect(parse({ 'log.roll.hours': '2' }).config.logRollMs).toBe(7200000);
    expect(parse({ 'log.roll.hours': '2', 'log.roll.ms': '1000' }).config.logRollMs).toBe(1000);
    expect(parse({ 'log.flush.scheduler.interval.ms': '3000' }).config.logFlushIntervalMs).toBe(3000);
    expect(parse({ 'log.flush.interval.ms': '10', 'log.flush.scheduler.interval.ms': '3000' }).config.logFlushIntervalMs).toBe(10);
  });

  it('prefers log.dirs over log.dir and splits it', () => {
    expect(parse({ 'log.dir': '/a' }).config.logDirs).toEqual(['/a']);
    expect(parse({ 'log.dir': '/a', 'log.dirs': '/b, /c' }).config.logDirs).toEqual(['/b', '/c']);
  });

  it('formats the startup block like Kafka', () => {
    const text = formatKafkaConfigValues(parse().config);
    expect(text).toMatch(/^KafkaConfig values: \n/);
    expect(text).toContain('\tlog.cleanup.policy = [delete]\n');
    expect(text).toContain('\tlog.retention.ms = null\n');
    expect(text).toContain('\tlog.flush.interval.messages = 9223372036854775807\n');
  });
});

describe('loadKafkaConfigFile', () => {
  it('reads the shipped config/server.properties with overrides winning', () => {
    const file = path.join(__dirname, '../../../config/server.properties');
    const { config, warnings } = loadKafkaConfigFile(file, ['broker.id=5', 'log.dirs=/tmp/x']);
    expect(warnings).toEqual([]);
    expect(config.brokerId).toBe(5);
    expect(config.logDirs).toEqual(['/tmp/x']);
    expect(config.listeners[0]).toMatchObject({ host: '127.0.0.1', port: 9092 });
    expect(config.offsetsTopicReplicationFactor).toBe(1);
    expect(config.groupInitialRebalanceDelayMs).toBe(0);
    expect(config.zookeeperConnect).toBe('localhost:2181');
  });

  it('loads each broker of the local 3-broker cluster', () => {
    for (const id of [1, 2, 3]) {
      const { config, warnings } = loadKafkaConfigFile(path.join(__dirname, `../../../config/server-${id}.properties`));
      expect(warnings).toEqual([]);
      expect(config.brokerId).toBe(id);
      expect(config.listeners[0].port).toBe(9092 + id);
      expect(config.logDirs).toEqual([`/tmp/zafka-logs-${id}`]);
      expect(config.defaultReplicationFactor).toBe(3);
    }
  });

  it('throws ConfigError for a missing file', () => {
    const missing = path.join(os.tmpdir(), `zafka-no-such-${process.pid}.properties`);
    expect(() => loadKafkaConfigFile(missing)).toThrow(ConfigError);
  });

  it('handles a file with continuation lines and unknown keys', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-config-'));
    const file = path.join(dir, 'server.properties');
    fs.writeFileSync(file, 'broker.id=2\nzookeeper.connect=a:2181,\\\n  b:2181/chroot\nmystery.key=1\n');
    const { config, warnings } = loadKafkaConfigFile(file);
    expect(config.zookeeperConnect).toBe('a:2181,b:2181/chroot');
    expect(warnings).toHaveLength(1);
    fs.rmSync(dir, { recursive: true });
  });
});
