// Topic deletion end to end (Kafka's TopicDeletionManager): DeleteTopics marks
// /admin/delete_topics/<t>; the controller stops the replicas with deletePartitions, every broker
// removes <t>-<p> (renamed to <t>-<p>.<uuid>-delete, then removed), and the controller removes
// /brokers/topics/<t>, /config/topics/<t> and the marker. A topic created again under the same
// name is a new topic: empty, offsets from 0.
import * as fs from 'fs';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { KafkaClient } from '../../broker/network/kafka-client';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { DeleteTopics } from '../../broker/protocol/messages/delete-topics';
import { ListOffsets } from '../../broker/protocol/messages/list-offsets';
import { Metadata } from '../../broker/protocol/messages/metadata';
import { TestCluster } from '../helpers/cluster';
import { kcat } from '../helpers/kcat';
import { waitFor } from '../helpers/wait';

const TOPIC = 'doomed';
const PARTITIONS = 3;

describe('topic deletion', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 2 });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 30000);
  });

  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  /** A connection to the controller (CreateTopics and DeleteTopics must go there). */
  async function controllerClient(): Promise<KafkaClient> {
    const id = await waitFor('a controller', () => zk.getControllerId());
    return KafkaClient.connect('127.0.0.1', cluster.broker(id).port, { clientId: 'deletion-test' });
  }

  async function createTopic(): Promise<void> {
    const client = await controllerClient();
    try {
      const res = await client.send(CreateTopics, 3, {
        topics: [{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '86400000' }] }],
        timeoutMs: 10000,
        validateOnly: false,
      });
      expect(res.topics).toEqual([expect.objectContaining({ name: TOPIC, errorCode: 0 })]);
    } finally {
      client.close();
    }
    // Every partition has a leader on every broker's metadata before clients use it.
    for (const b of cluster.brokers) {
      await waitFor(`${TOPIC} leaders on broker ${b.id}`, async () => {
        const c = await KafkaClient.connect('127.0.0.1', b.port);
        try {
          const md = await c.send(Metadata, 1, { topics: [{ name: TOPIC }] });
          const t = md.topics.find((x) => x.name === TOPIC);
          return t && t.errorCode === 0 && t.partitions.length === PARTITIONS && t.partitions.every((p) => p.leaderId >= 0);
        } finally {
          c.close();
        }
      });
    }
  }

  const partitionDirs = () =>
    cluster.brokers.flatMap((b) => fs.readdirSync(b.logDir).filter((d) => d.startsWith(`${TOPIC}-`)).map((d) => `${b.id}/${d}`));

  async function produce(partition: number, values: string[]): Promise<void> {
    const r = await kcat(['-P', '-b', cluster.bootstrap, '-t', TOPIC, '-p', String(partition), '-X', 'acks=all'], { input: values.join('\n') + '\n', timeoutMs: 15000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  }

  async function consume(partition: number): Promise<string[]> {
    const r = await kcat(['-C', '-b', cluster.bootstrap, '-t', TOPIC, '-p', String(partition), '-o', 'beginning', '-e', '-q', '-f', '%o:%s\n']);
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  test('delete removes the data dirs and the znodes; re-creating starts at offset 0', async () => {
    await createTopic();
    expect((await zk.getEntityConfigs('topics', TOPIC))['retention.ms']).toBe('86400000');
    for (let p = 0; p < PARTITIONS; p++) await produce(p, Array.from({ length: 20 }, (_, i) => `old-${p}-${i}`));
    await waitFor('old records', async () => (await consume(2)).length === 20);
    // Replication factor 1 over 2 brokers: the partitions are spread, each broker deletes its own.
    await waitFor('a dir per partition', () => partitionDirs().length === PARTITIONS);
    expect(new Set(partitionDirs().map((d) => d.split('/')[0])).size).toBe(2);

    const client = await controllerClient();
    try {
      const res = await client.send(DeleteTopics, 3, { topicNames: [TOPIC], timeoutMs: 15000 });
      expect(res.responses).toEqual([{ name: TOPIC, errorCode: 0 }]);
    } finally {
      client.close();
    }

    await waitFor('the partition dirs (and their -delete renames) to be gone', () => partitionDirs().length === 0, 20000);
    await waitFor('/brokers/topics/doomed to be gone', async () => (await zk.zk.exists(`/brokers/topics/${TOPIC}`)) === null);
    expect(await zk.zk.exists(`/config/topics/${TOPIC}`)).toBeNull();
    await waitFor('/admin/delete_topics/doomed to be gone', async () => (await zk.zk.exists(`/admin/delete_topics/${TOPIC}`)) === null);
    expect(await zk.getAllTopics()).not.toContain(TOPIC);
    // Brokers no longer list it.
    for (const b of cluster.brokers) {
      await waitFor(`${TOPIC} gone from broker ${b.id}'s metadata`, async () => {
        const c = await KafkaClient.connect('127.0.0.1', b.port);
        try {
          const md = await c.send(Metadata, 1, { topics: null });
          return !md.topics.some((t) => t.name === TOPIC);
        } finally {
          c.close();
        }
      });
    }

    // The same name again: a new, empty topic.
    await createTopic();
    expect(await zk.getEntityConfigs('topics', TOPIC)).toEqual({ 'retention.ms': '86400000' });
    await waitFor('a dir per partition again', () => partitionDirs().length === PARTITIONS);
    const leader = async (p: number) => (await zk.getTopicPartitionStates([{ topic: TOPIC, partition: p }])).get(`${TOPIC}-${p}`)!.leaderAndIsr.leader;
    for (let p = 0; p < PARTITIONS; p++) {
      const c = await KafkaClient.connect('127.0.0.1', cluster.broker(await leader(p)).port);
      try {
        const res = await c.send(ListOffsets, 1, {
          replicaId: -1,
          topics: [{ name: TOPIC, partitions: [{ partitionIndex: p, timestamp: -1 }, ] }],
        });
        expect(res.topics[0].partitions[0]).toEqual(expect.objectContaining({ errorCode: 0, offset: 0 }));
      } finally {
        c.close();
      }
    }
    await produce(1, ['new-a', 'new-b']);
    const after = await waitFor('the new records', async () => {
      const got = await consume(1);
      return got.length >= 2 ? got : undefined;
    });
    expect(after).toEqual(['0:new-a', '1:new-b']);
  }, 60000);
});
