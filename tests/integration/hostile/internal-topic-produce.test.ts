// Produce to an internal topic (__consumer_offsets) from an ordinary client gets
// INVALID_TOPIC_EXCEPTION and writes nothing, as in Kafka (ReplicaManager.appendToLocalLog:
// "Cannot append to internal topic"): otherwise any client could plant records that the group
// coordinator loads as group metadata. Only the client id "__admin_client" may append.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { ListOffsets } from '../../../broker/protocol/messages/list-offsets';
import { Produce } from '../../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

const OFFSETS_TOPIC = '__consumer_offsets';

describe('produce to an internal topic', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 2 } });
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'internal-topic-test' });
    // FindCoordinator creates __consumer_offsets.
    await waitFor('a coordinator', async () => (await client.send(FindCoordinator, 1, { key: 'g', keyType: 0 })).errorCode === ErrorCode.NONE, 30000);
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  async function endOffsets(): Promise<number[]> {
    const r = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: OFFSETS_TOPIC, partitions: [0, 1].map((p) => ({ partitionIndex: p, timestamp: -1 })) }] });
    return r.topics[0].partitions.map((p) => p.offset);
  }

  test('kafkajs producing to __consumer_offsets gets INVALID_TOPIC_EXCEPTION and the topic is unchanged', async () => {
    const before = await endOffsets();
    const producer = kafkajs(cluster.bootstrap, 'planter').producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: OFFSETS_TOPIC, acks: -1, messages: [{ partition: 0, key: 'poison', value: 'not group metadata' }] })).rejects.toMatchObject({
        type: 'INVALID_TOPIC_EXCEPTION',
      });
    } finally {
      await producer.disconnect();
    }
    expect(await endOffsets()).toEqual(before);
  });

  test('a request mixing an internal and an ordinary topic appends only to the ordinary one; __admin_client may append', async () => {
    const batch = encodeRecordBatch({ records: [{ value: 'v' }] });
    const r = await client.send(Produce, 7, {
      transactionalId: null, acks: 1, timeoutMs: 5000,
      topicData: [{ name: OFFSETS_TOPIC, partitionData: [{ index: 1, records: batch }] }, { name: 'ordinary', partitionData: [{ index: 0, records: batch }] }],
    });
    const byTopic = new Map(r.responses.map((t) => [t.name, t.partitionResponses[0].errorCode]));
    expect(byTopic.get(OFFSETS_TOPIC)).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    // 'ordinary' does not exist yet: it is auto-created, as for any produce.
    expect([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.LEADER_NOT_AVAILABLE]).toContain(byTopic.get('ordinary'));

    const before = await endOffsets();
    const admin = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: '__admin_client' });
    try {
      const ok = await admin.send(Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: OFFSETS_TOPIC, partitionData: [{ index: 1, records: batch }] }] });
      expect(ok.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    } finally {
      admin.close();
    }
    expect((await endOffsets())[1]).toBe(before[1] + 1);
  });
});
