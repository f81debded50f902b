// kill -9 of the group coordinator's broker in a three-broker cluster: another broker becomes
// leader of the group's __consumer_offsets partition, loads it, and the group resumes from the
// offsets committed before the kill (acks=-1 commits are on every ISR replica).
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import type { EachMessagePayload, Kafka } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

describe('group coordinator failover', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'offsets.topic.num.partitions': 3, 'default.replication.factor': 3 } });
  }, 60000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** The coordinator FindCoordinator names, once it is not `not` (metadata lags a kill). */
  async function coordinatorOf(groupId: string, viaPort: number, not = -1): Promise<number> {
    return waitFor(`a coordinator for ${groupId}`, async () => {
      const client = await KafkaClient.connect('127.0.0.1', viaPort, { clientId: 'failover-test' });
      try {
        const r = await client.send(FindCoordinator, 1, { key: groupId, keyType: 0 });
        return r.errorCode === ErrorCode.NONE && r.nodeId !== not ? r.nodeId : undefined;
      } finally {
        client.close();
      }
    }, 60000, 200);
  }

  async function consume(client: Kafka, groupId: string, topic: string, seen: string[], until: () => boolean): Promise<void> {
    const consumer = client.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 8000, retry: { retries: 20 }, ...TEST_CONSUMER_FETCH });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) });
    try {
      await waitFor('records consumed', until, 60000);
      await new Promise((r) => setTimeout(r, 1000)); // anything more would be a replay
    } finally {
      await consumer.disconnect();
    }
  }

  test('the group resumes from its committed offsets on the new coordinator', async () => {
    const topic = 'failover';
    const groupId = 'g-failover';
    let client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const send = async (c: Kafka, values: string[]) => {
      const producer = c.producer({ createPartitioner: DEFAULT_PARTITIONER });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
      await producer.disconnect();
    };
    const first = Array.from({ length: 30 }, (_, i) => `a${i}`);
    await send(client, first);
    const seen1: string[] = [];
    await consume(client, groupId, topic, seen1, () => first.every((v) => seen1.includes(v)));
    expect(seen1.sort()).toEqual([...first].sort());

    const coordinator = await coordinatorOf(groupId, cluster.brokers[0].port);
    await cluster.kill(coordinator);
    const survivors = cluster.brokers.filter((b) => b.id !== coordinator);
    const newCoordinator = await coordinatorOf(groupId, survivors[0].port, coordinator);
    expect(survivors.map((b) => b.id)).toContain(newCoordinator);

    client = kafkajs(survivors.map((b) => `127.0.0.1:${b.port}`).join(','));
    const second = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await send(client, second);
    const seen2: string[] = [];
    await consume(client, groupId, topic, seen2, () => second.every((v) => seen2.includes(v)));
    expect(seen2.sort()).toEqual([...second].sort());
  }, 180000);
});
