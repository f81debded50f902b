// DeleteRecords on three real brokers: kafkajs's deleteTopicRecords moves the log start offset
// on the leader and answers once every follower has moved too; consumers starting at "earliest"
// begin there on the leader and, after a leader change, on a former follower; the offset is
// checkpointed and survives a restart of the whole cluster. Bad input gets Kafka's error codes.
// The same cluster carries a cluster-wide dynamic broker config to every broker.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigResourceTypes } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { AlterConfigs } from '../../../broker/protocol/messages/alter-configs';
import { DeleteRecords } from '../../../broker/protocol/messages/delete-records';
import { DescribeConfigs } from '../../../broker/protocol/messages/describe-configs';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { metadataFrom, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'trim-me';

describe('DeleteRecords across a 3-broker cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 3,
      // Log start offsets checkpointed every second, so that a follower's can be read from disk.
      config: { 'log.flush.start.offset.checkpoint.interval.ms': 1000, 'default.replication.factor': 3, 'replica.lag.time.max.ms': 10000, 'controlled.shutdown.retry.backoff.ms': 500, 'auto.leader.rebalance.enable': false },
    });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: TOPIC, numPartitions: 1, replicationFactor: 3 },
        { topic: 'compacted', numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (let i = 0; i < 100; i += 20) {
      await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 20 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}` })) });
    }
    await producer.send({ topic: 'compacted', acks: -1, messages: [{ key: 'a', value: '1' }] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const leaderOf = async (topic: string) => (await waitFor('a leader', async () => (await partitionsOf(cluster, topic))[0]?.leader >= 0 && (await partitionsOf(cluster, topic))[0])).leader;
  const lowWatermark = async () => {
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(TOPIC))[0];
    } finally {
      await admin.disconnect();
    }
  };
  /** The first offset a fresh consumer group reads from "earliest". */
  const firstOffsetFromEarliest = async (groupId: string): Promise<number> => {
    const consumer = kafkajs(cluster.bootstrap).consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    try {
      return await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no record consumed')), 60000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(Number(message.offset));
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
  };
  const deleteRaw = async (brokerId: number, topic: string, partitionIndex: number, offset: number) => {
    const client = await KafkaClient.connect('127.0.0.1', cluster.broker(brokerId).port, { clientId: 'delete-records-test' });
    try {
      const r = await client.send(DeleteRecords, 1, { topics: [{ name: topic, partitions: [{ partitionIndex, offset }] }], timeoutMs: 10000 });
      return r.topics[0].partitions[0];
    } finally {
      client.close();
    }
  };

  test('kafkajs deleteTopicRecords moves the log start offset; a consumer from earliest starts there on the leader; it is checkpointed at once', async () => {
    const leader = await leaderOf(TOPIC);
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [TOPIC] }); // kafkajs finds leaders from its cached metadata only
    await admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: '40' }] });
    await admin.disconnect();
    expect(await lowWatermark()).toMatchObject({ low: '40', high: '100' });
    expect(await firstOffsetFromEarliest('from-earliest-1')).toBe(40);
    const checkpoint = fs.readFileSync(path.join(cluster.broker(leader).logDir, 'log-start-offset-checkpoint'), 'utf8');
    expect(checkpoint.split('\n')).toContain(`${TOPIC} 0 40`);
  });

  test('after a leader change the former follower serves the new log start offset', async () => {
    const oldLeader = await leaderOf(TOPIC);
    await cluster.stopBroker(oldLeader);
    const newLeader = await waitFor('a new leader', async () => {
      const l = (await partitionsOf(cluster, TOPIC))[0]?.leader;
      return l !== undefined && l >= 0 && l !== oldLeader ? l : null;
    }, 30000);
    expect(newLeader).not.toBe(oldLeader);
    expect((await lowWatermark()).low).toBe('40');
    expect(await firstOffsetFromEarliest('from-earliest-2')).toBe(40);
    // The follower on the stopped broker does not hold the answer back: Kafka's low watermark
    // counts replicas on live brokers only (as the new leader's metadata shows them).
    await waitFor('the new leader to see the old one gone', async () => !(await metadataFrom(cluster.broker(newLeader).port)).brokers.some((b) => b.nodeId === oldLeader) || null);
    const r = await deleteRaw(newLeader, TOPIC, 0, 55);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, lowWatermark: 55 });
    // The old leader comes back as a follower and learns the new log start offset from the
    // leader's fetch responses (its checkpoint file shows it).
    await cluster.startBroker(oldLeader);
    await cluster.waitForAllBrokers();
    const checkpointOf = (id: number) => fs.readFileSync(path.join(cluster.broker(id).logDir, 'log-start-offset-checkpoint'), 'utf8').split('\n');
    await waitFor('the returning follower to learn log start offset 55', () => checkpointOf(oldLeader).includes(`${TOPIC} 0 55`) || null, 30000);
  });

  test('bad input: beyond the high watermark and negative offsets get OFFSET_OUT_OF_RANGE, unknown partitions UNKNOWN_TOPIC_OR_PARTITION, an internal topic INVALID_TOPIC_EXCEPTION, a compacted topic POLICY_VIOLATION, a follower NOT_LEADER_OR_FOLLOWER', async () => {
    const leader = await leaderOf(TOPIC);
    const follower = cluster.brokers.map((b) => b.id).find((id) => id !== leader)!;
    expect(await deleteRaw(leader, TOPIC, 0, 101)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 });
    expect(await deleteRaw(leader, TOPIC, 0, -5)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 });
    expect(await deleteRaw(leader, TOPIC, 7, 1)).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, lowWatermark: -1 });
    expect(await deleteRaw(leader, 'no-such-topic', 0, 1)).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    expect(await deleteRaw(leader, '__consumer_offsets', 0, 0)).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    expect(await deleteRaw(await leaderOf('compacted'), 'compacted', 0, 1)).toMatchObject({ errorCode: ErrorCode.POLICY_VIOLATION });
    expect(await deleteRaw(follower, TOPIC, 0, 60)).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    expect((await lowWatermark()).low).toBe('55');

    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [TOPIC] });
    // kafkajs wraps the per-partition error (OFFSET_OUT_OF_RANGE, checked raw above) in a generic one.
    await expect(admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: '1000' }] })).rejects.toThrow('Error while deleting records');
    await admin.disconnect();
    expect((await lowWatermark()).low).toBe('55');
  });

  test('the log start offset survives a restart of every broker', async () => {
    for (const b of cluster.brokers) await cluster.stopBroker(b.id);
    for (const b of cluster.brokers) {
      const text = fs.readFileSync(path.join(b.logDir, 'log-start-offset-checkpoint'), 'utf8');
      expect(text.split('\n')).toContain(`${TOPIC} 0 55`);
    }
    await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
    await cluster.waitForAllBrokers();
    await leaderOf(TOPIC);
    expect(await waitFor('low watermark', async () => (await lowWatermark().catch(() => null))?.low === '55' || null, 30000)).toBe(true);
    expect(await firstOffsetFromEarliest('from-earliest-3')).toBe(55);
  });

  test('a cluster-wide dynamic broker config (/config/brokers/<default>) reaches every broker; DescribeConfigs on each shows DYNAMIC_DEFAULT_BROKER_CONFIG', async () => {
    const client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'dynamic-default-test' });
    try {
      const r = await client.send(AlterConfigs, 0, { resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'log.retention.bytes', value: '123456789' }] }], validateOnly: false });
      expect(r.responses[0].errorCode).toBe(ErrorCode.NONE);
    } finally {
      client.close();
    }
    const zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
    try {
      expect((await zk.zk.getData('/config/brokers/<default>')).data!.toString()).toBe('{"version":1,"config":{"log.retention.bytes":"123456789"}}');
    } finally {
      await zk.close();
    }
    for (const b of cluster.brokers) {
      const entry = await waitFor(`broker ${b.id} to apply the cluster-wide config`, async () => {
        const c = await KafkaClient.connect('127.0.0.1', b.port, { clientId: 'dynamic-default-test' });
        try {
          const d = await c.send(DescribeConfigs, 1, { resources: [{ resourceType: 4, resourceName: String(b.id), configurationKeys: ['log.retention.bytes'] }], includeSynonyms: true });
          const e = d.results[0].configs[0];
          return e?.value === '123456789' ? e : null;
        } finally {
          c.close();
        }
      });
      expect(entry.configSource).toBe(3);
      expect(entry.synonyms[0]).toEqual({ name: 'log.retention.bytes', value: '123456789', source: 3 });
    }
    // kafkajs describes the topic: the retention.bytes of a topic without an override follows.
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    const d = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC, configNames: ['retention.bytes'] }] });
    await admin.disconnect();
    expect(d.resources[0].configEntries[0]).toMatchObject({ configName: 'retention.bytes', configValue: '123456789', configSource: 3 });
  });
});
