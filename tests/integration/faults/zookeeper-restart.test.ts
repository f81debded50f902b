// ZooKeeper restarted under a running cluster (its own ZooKeeper, so other tests are not
// disturbed): brokers reconnect, the cluster keeps its controller and leaders, nothing is lost.
import * as fs from 'fs';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { startZooKeeper, type ZooKeeperProcess } from '../../helpers/zookeeper';
import { waitFor } from '../../helpers/wait';

describe('ZooKeeper restart', () => {
  let zk: ZooKeeperProcess;
  let cluster: TestCluster;

  beforeAll(async () => {
    zk = await startZooKeeper();
    cluster = await TestCluster.start({ brokers: 2, zkConnect: `${zk.connectString}/zafka-zk-restart` });
  });

  afterAll(async () => {
    await cluster?.stop();
    await zk?.stop();
    if (zk) fs.rmSync(zk.dataDir, { recursive: true, force: true });
  });

  test('brokers reconnect and nothing is lost', async () => {
    const topic = 'zk-restart';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    const send = (prefix: string) => producer.send({ topic, acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ key: String(i), value: `${prefix}-${i}` })) });

    await send('before');
    await zk.stop();
    // Leaders keep serving while ZooKeeper is away: the ISR is unchanged.
    await send('during');
    zk = await startZooKeeper({ port: zk.port, dataDir: zk.dataDir });
    await waitFor('brokers registered again', async () => (await clusterMetadata(cluster)).brokers.length === 2, 30000, 200);
    await send('after');
    await producer.disconnect();

    const parts = await partitionsOf(cluster, topic);
    expect(parts.every((p) => p.leader >= 0 && p.isr.length === 2)).toBe(true);
    expect((await clusterMetadata(cluster)).controllerId).toBeGreaterThan(0);
    const expected = ['before', 'during', 'after'].flatMap((prefix) => Array.from({ length: 50 }, (_, i) => `${prefix}-${i}`));
    const values = (await consumeUntilAll(cluster.bootstrap, topic, expected)).map((r) => r.value);
    for (const prefix of ['before', 'during', 'after']) {
      for (let i = 0; i < 50; i++) expect(values).toContain(`${prefix}-${i}`);
    }
  });
});
