// AlterConfigs, IncrementalAlterConfigs and DescribeConfigs against one real broker: kafkajs's
// admin client for what it has, Zafka's protocol client for IncrementalAlterConfigs (kafkajs
// lacks it) and for reading per-resource error codes. ZooKeeper is read to check the znodes
// Kafka 2.4 would write.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigResourceTypes } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { AlterConfigs } from '../../../broker/protocol/messages/alter-configs';
import { DescribeConfigs } from '../../../broker/protocol/messages/describe-configs';
import { IncrementalAlterConfigs } from '../../../broker/protocol/messages/incremental-alter-configs';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SOURCE = { TOPIC: 1, DYNAMIC_BROKER: 2, DYNAMIC_DEFAULT: 3, STATIC: 4, DEFAULT: 5 };

describe('config admin APIs on one broker', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  let zk: KafkaZkClient;
  const admin = () => kafkajs(cluster.bootstrap).admin();

  beforeAll(async () => {
    cluster = await TestCluster.start({ config: { 'log.retention.hours': 100, 'ssl.key.password': 'do-not-show' } });
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'config-test' });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
    const a = admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic: 'cfg', numPartitions: 1 }, { topic: 'cfg2', numPartitions: 1 }], waitForLeaders: true });
    await a.disconnect();
  });

  afterAll(async () => {
    client?.close();
    await zk?.close();
    await cluster?.stop();
  });

  const znode = async (path: string) => (await zk.zk.getData(path)).data!.toString('utf8');
  const latestNotification = async () => {
    const names = (await zk.zk.getChildren('/config/changes')).sort();
    return znode(`/config/changes/${names[names.length - 1]}`);
  };
  const alter = async (resourceType: number, resourceName: string, configs: Record<string, string>, validateOnly = false) =>
    (await client.send(AlterConfigs, 1, { resources: [{ resourceType, resourceName, configs: Object.entries(configs).map(([name, value]) => ({ name, value })) }], validateOnly })).responses[0];
  const incremental = async (resourceType: number, resourceName: string, configs: { name: string; configOperation: number; value: string | null }[]) =>
    (await client.send(IncrementalAlterConfigs, 1, { resources: [{ resourceType, resourceName, configs }], validateOnly: false })).responses[0];
  const describe = async (resourceType: number, resourceName: string, keys: string[] | null = null) =>
    (await client.send(DescribeConfigs, 2, { resources: [{ resourceType, resourceName, configurationKeys: keys }], includeSynonyms: true })).results[0];

  test('kafkajs alterConfigs on a topic writes /config/topics/<t> and a change notification; describeConfigs shows the override with its synonyms', async () => {
    const a = admin();
    await a.connect();
    await a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] }] });
    expect(JSON.parse(await znode('/config/topics/cfg'))).toEqual({ version: 1, config: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' } });
    expect(await latestNotification()).toBe('{"version":2,"entity_path":"topics/cfg"}');

    const described = await a.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg' }] });
    await a.disconnect();
    const entries = described.resources[0].configEntries;
    const retention = entries.find((e) => e.configName === 'retention.ms')!;
    expect(retention.configValue).toBe('3600000');
    expect(retention.configSource).toBe(SOURCE.TOPIC);
    expect(retention.readOnly).toBe(false);
    // The topic override, then the broker synonyms from log.retention.ms on; log.retention.hours
    // alone (server.properties) is dropped, as Kafka 2.4's configSynonyms does.
    expect(retention.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource])).toEqual([['retention.ms', '3600000', SOURCE.TOPIC]]);
    const segment = entries.find((e) => e.configName === 'segment.bytes')!;
    expect(segment.configSource).toBe(SOURCE.DEFAULT);
    expect(segment.configValue).toBe('1073741824');
  });

  test('AlterConfigs replaces the whole override set; validate_only writes nothing', async () => {
    expect((await alter(TOPIC, 'cfg', { 'retention.ms': '7200000' }, true)).errorCode).toBe(ErrorCode.NONE);
    expect(JSON.parse(await znode('/config/topics/cfg')).config).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'compact' });
    expect((await alter(TOPIC, 'cfg', { 'retention.ms': '7200000' })).errorCode).toBe(ErrorCode.NONE);
    expect(JSON.parse(await znode('/config/topics/cfg')).config).toEqual({ 'retention.ms': '7200000' });
    const policy = (await describe(TOPIC, 'cfg', ['cleanup.policy'])).configs;
    expect(policy).toEqual([expect.objectContaining({ name: 'cleanup.policy', value: 'delete', configSource: SOURCE.DEFAULT })]);
  });

  test('every Kafka 2.4 topic config is described, and those Zafka only stores (preallocate, throttled replicas, ...) are accepted', async () => {
    const all = (await describe(TOPIC, 'cfg2')).configs.map((c) => c.name).sort();
    expect(all).toEqual([
      'cleanup.policy', 'compression.type', 'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms',
      'follower.replication.throttled.replicas', 'index.interval.bytes', 'leader.replication.throttled.replicas',
      'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable', 'message.format.version',
      'message.timestamp.difference.max.ms', 'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms',
      'min.insync.replicas', 'preallocate', 'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.index.bytes',
      'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
    ]);
    const stored = { preallocate: 'true', 'message.downconversion.enable': 'false', 'leader.replication.throttled.replicas': '0:1,0:2', 'message.format.version': '2.1-IV2' };
    expect((await alter(TOPIC, 'cfg2', stored, true)).errorCode).toBe(ErrorCode.NONE);
    expect((await alter(TOPIC, 'cfg2', { 'leader.replication.throttled.replicas': 'everything' }, true)).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alter(TOPIC, 'cfg2', { 'message.format.version': '9.9' }, true)).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const flush = (await describe(TOPIC, 'cfg2', ['flush.ms', 'message.format.version'])).configs;
    expect(flush.map((c) => [c.name, c.value])).toEqual([['flush.ms', '9223372036854775807'], ['message.format.version', '2.4-IV1']]);
  });

  test('bad topic input: unknown config name gets INVALID_CONFIG, a bad value INVALID_REQUEST, an unknown topic UNKNOWN_TOPIC_OR_PARTITION, an illegal name INVALID_TOPIC_EXCEPTION; nothing is written', async () => {
    const before = await znode('/config/topics/cfg');
    const unknownName = await alter(TOPIC, 'cfg', { 'no.such.config': '1' });
    expect(unknownName.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(unknownName.errorMessage).toContain('Unknown topic config name: no.such.config');
    const badValue = await alter(TOPIC, 'cfg', { 'retention.ms': 'soon' });
    expect(badValue.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(badValue.errorMessage).toContain("Invalid config value for resource ConfigResource(type=TOPIC, name='cfg')");
    expect((await alter(TOPIC, 'cfg', { 'min.insync.replicas': '0' })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alter(TOPIC, 'missing-topic', { 'retention.ms': '1' })).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await znode('/config/topics/cfg')).toBe(before);
    expect((await describe(TOPIC, 'missing-topic')).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await describe(TOPIC, 'bad name!')).errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);

    // kafkajs surfaces the broker's error code.
    const a = admin();
    await a.connect();
    await expect(a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'no.such.config', value: '1' }] }] }))
      .rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await a.disconnect();
  });

  test('IncrementalAlterConfigs SET, APPEND (from the current value) and DELETE on a topic; duplicates and APPEND on a non-list config get INVALID_REQUEST', async () => {
    expect((await incremental(TOPIC, 'cfg2', [{ name: 'retention.bytes', configOperation: SET, value: '1048576' }])).errorCode).toBe(ErrorCode.NONE);
    expect((await incremental(TOPIC, 'cfg2', [{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }])).errorCode).toBe(ErrorCode.NONE);
    // APPEND starts from the current value (the broker default "delete").
    expect(JSON.parse(await znode('/config/topics/cfg2')).config).toEqual({ 'retention.bytes': '1048576', 'cleanup.policy': 'delete,compact' });
    expect((await incremental(TOPIC, 'cfg2', [{ name: 'retention.bytes', configOperation: DELETE, value: null }])).errorCode).toBe(ErrorCode.NONE);
    expect(JSON.parse(await znode('/config/topics/cfg2')).config).toEqual({ 'cleanup.policy': 'delete,compact' });
    expect(await latestNotification()).toBe('{"version":2,"entity_path":"topics/cfg2"}');

    const dup = await incremental(TOPIC, 'cfg2', [{ name: 'retention.ms', configOperation: SET, value: '1' }, { name: 'retention.ms', configOperation: DELETE, value: null }]);
    expect(dup.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await incremental(TOPIC, 'cfg2', [{ name: 'retention.ms', configOperation: APPEND, value: '1' }])).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await incremental(TOPIC, 'cfg2', [{ name: 'bogus.key', configOperation: SET, value: '1' }])).errorCode).toBe(ErrorCode.INVALID_CONFIG);
  });

  test('dynamic per-broker config: written to /config/brokers/<id>, described as DYNAMIC_BROKER_CONFIG, and becomes the default of topics without an override', async () => {
    const a = admin();
    await a.connect();
    await a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: 'log.retention.ms', value: '5400000' }] }] });
    await a.disconnect();
    expect(JSON.parse(await znode('/config/brokers/0'))).toEqual({ version: 1, config: { 'log.retention.ms': '5400000' } });
    expect(await latestNotification()).toBe('{"version":2,"entity_path":"brokers/0"}');

    const broker = await waitFor('broker to apply its dynamic config', async () => {
      const r = await describe(BROKER, '0', ['log.retention.ms', 'broker.id', 'ssl.key.password', 'num.io.threads']);
      return r.configs.find((c) => c.name === 'log.retention.ms')?.value === '5400000' ? r : null;
    });
    const byName = new Map(broker.configs.map((c) => [c.name, c]));
    expect(byName.get('log.retention.ms')).toMatchObject({ configSource: SOURCE.DYNAMIC_BROKER, readOnly: false, isSensitive: false });
    expect(byName.get('log.retention.ms')!.synonyms[0]).toEqual({ name: 'log.retention.ms', value: '5400000', source: SOURCE.DYNAMIC_BROKER });
    expect(byName.get('broker.id')).toMatchObject({ value: '0', readOnly: true, configSource: SOURCE.STATIC });
    expect(byName.get('ssl.key.password')).toMatchObject({ value: null, isSensitive: true, configSource: SOURCE.STATIC });
    expect(byName.get('num.io.threads')).toMatchObject({ value: '8', readOnly: false, configSource: SOURCE.DEFAULT });

    // cfg2 has no retention.ms override: its effective value follows the broker's dynamic config.
    const topicRetention = (await describe(TOPIC, 'cfg2', ['retention.ms'])).configs[0];
    expect(topicRetention).toMatchObject({ value: '5400000', configSource: SOURCE.DYNAMIC_BROKER });
  });

  test('bad broker input: read-only config, per-broker config at cluster level, another broker id, a bad value and a password all get INVALID_REQUEST; nothing is written', async () => {
    const before = await znode('/config/brokers/0');
    const readOnly = await alter(BROKER, '0', { 'broker.id': '7' });
    expect(readOnly.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(readOnly.errorMessage).toContain('Cannot update these configs dynamically: Set(broker.id)');
    const perBrokerAtDefault = await alter(BROKER, '', { listeners: 'PLAINTEXT://127.0.0.1:1' });
    expect(perBrokerAtDefault.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(perBrokerAtDefault.errorMessage).toContain('broker id must be specified');
    const otherBroker = await alter(BROKER, '5', { 'log.retention.ms': '1' });
    expect(otherBroker).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unexpected broker id, expected 0, but received 5' });
    expect((await alter(BROKER, '0', { 'log.retention.ms': 'abc' })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alter(BROKER, '0', { 'listener.name.plaintext.ssl.key.password': 'x' })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(await znode('/config/brokers/0')).toBe(before);
    expect((await describe(BROKER, '5')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  test('cluster-wide level: IncrementalAlterConfigs on the empty broker name writes /config/brokers/<default>; per-broker value still wins', async () => {
    const r = await incremental(BROKER, '', [
      { name: 'log.retention.ms', configOperation: SET, value: '999000' },
      { name: 'log.segment.bytes', configOperation: SET, value: '2097152' },
    ]);
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(JSON.parse(await znode('/config/brokers/<default>')).config).toEqual({ 'log.retention.ms': '999000', 'log.segment.bytes': '2097152' });
    expect(await latestNotification()).toBe('{"version":2,"entity_path":"brokers/<default>"}');
    const level = await waitFor('cluster-wide config described', async () => {
      const d = await describe(BROKER, '');
      return d.configs.length === 2 ? d : null;
    });
    expect(level.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['log.retention.ms', '999000', SOURCE.DYNAMIC_DEFAULT],
      ['log.segment.bytes', '2097152', SOURCE.DYNAMIC_DEFAULT],
    ]);
    const own = await waitFor('segment bytes applied', async () => {
      const d = await describe(BROKER, '0', ['log.retention.ms', 'log.segment.bytes']);
      return d.configs.find((c) => c.name === 'log.segment.bytes')?.value === '2097152' ? d : null;
    });
    const retention = own.configs.find((c) => c.name === 'log.retention.ms')!;
    expect(retention.value).toBe('5400000');
    expect(retention.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['log.retention.ms', '5400000', SOURCE.DYNAMIC_BROKER],
      ['log.retention.ms', '999000', SOURCE.DYNAMIC_DEFAULT],
      ['log.retention.hours', '100', SOURCE.STATIC],
      ['log.retention.hours', '168', SOURCE.DEFAULT],
    ]);
  });

  test('a dynamic log config takes effect on existing logs: log.segment.bytes set per broker rolls cfg2\'s segments', async () => {
    expect((await incremental(BROKER, '0', [{ name: 'log.segment.bytes', configOperation: SET, value: '1024' }])).errorCode).toBe(ErrorCode.NONE);
    await waitFor('segment.bytes of cfg2 follows', async () => (await describe(TOPIC, 'cfg2', ['segment.bytes'])).configs[0]?.value === '1024' || null);
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (let i = 0; i < 10; i++) await producer.send({ topic: 'cfg2', acks: -1, messages: [{ key: 'k', value: 'v'.repeat(400) }] });
    await producer.disconnect();
    const segments = fs.readdirSync(path.join(cluster.brokers[0].logDir, 'cfg2-0')).filter((f) => f.endsWith('.log'));
    expect(segments.length).toBeGreaterThan(2);
    // Removing the per-broker value falls back to the cluster-wide one.
    expect((await incremental(BROKER, '0', [{ name: 'log.segment.bytes', configOperation: DELETE, value: null }])).errorCode).toBe(ErrorCode.NONE);
    await waitFor('cluster-wide segment.bytes again', async () => (await describe(TOPIC, 'cfg2', ['segment.bytes'])).configs[0]?.configSource === SOURCE.DYNAMIC_DEFAULT || null);
  });

  test('garbage in /config/brokers/<default>: the broker logs one ERROR line, keeps serving, and starts again', async () => {
    await zk.zk.setData('/config/brokers/<default>', Buffer.from('{not json'));
    await zk.createConfigChangeNotification('brokers/<default>');
    const errors = () => cluster.output(0).split('\n').filter((l) => l.includes('/config/brokers/<default>') && l.includes('ERROR'));
    await waitFor('one error line', () => errors().length === 1 || null);
    expect((await describe(BROKER, '0', ['log.retention.ms'])).errorCode).toBe(ErrorCode.NONE);
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    client.close();
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'config-test' });
    // The per-broker value still applies; the cluster-wide ones are gone with the garbage.
    const d = await describe(BROKER, '0', ['log.retention.ms', 'log.retention.bytes']);
    expect(d.configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['log.retention.bytes', '-1', SOURCE.DEFAULT],
      ['log.retention.ms', '5400000', SOURCE.DYNAMIC_BROKER],
    ]);
  });
});
