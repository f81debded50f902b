// kill -9 the controller: another broker becomes controller (after the dead one's ZooKeeper
// session expires) and the cluster keeps working: topics can be created, led and deleted.
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

describe('controller failover', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('a new controller is elected and topics can still be created, led and deleted', async () => {
    const before = (await clusterMetadata(cluster)).controllerId;
    expect(before).toBeGreaterThan(0);
    await cluster.kill(before);

    const after = await waitFor('a new controller', async () => {
      const m = await clusterMetadata(cluster);
      return m.controllerId > 0 && m.controllerId !== before && m.brokers.length === 2 ? m.controllerId : undefined;
    }, 30000, 200);
    expect(after).not.toBe(before);

    const client = kafkajs(cluster.brokers.filter((b) => b.id !== before).map((b) => `127.0.0.1:${b.port}`).join(','));
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'after-failover', numPartitions: 4, replicationFactor: 2 }], waitForLeaders: true });
    const parts = await partitionsOf(cluster, 'after-failover');
    expect(parts).toHaveLength(4);
    expect(parts.every((p) => p.leader > 0 && p.leader !== before && p.isr.length === 2)).toBe(true);

    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic: 'after-failover', acks: -1, messages: Array.from({ length: 40 }, (_, i) => ({ key: String(i), value: `v${i}` })) });
    await producer.disconnect();
    const live = cluster.brokers.filter((b) => b.id !== before).map((b) => `127.0.0.1:${b.port}`).join(',');
    const expected = Array.from({ length: 40 }, (_, i) => `v${i}`);
    expect((await consumeUntilAll(live, 'after-failover', expected)).map((r) => r.value).sort()).toEqual(expected.sort());

    await admin.deleteTopics({ topics: ['after-failover'], timeout: 15000 });
    await waitFor('topic deleted', async () => !(await admin.listTopics()).includes('after-failover'), 20000);
    await admin.disconnect();

    // The old controller comes back as an ordinary broker.
    await cluster.startBroker(before);
    await waitFor('three live brokers', async () => (await clusterMetadata(cluster)).brokers.length === 3, 20000);
    expect((await clusterMetadata(cluster)).controllerId).toBe(after);
  });
});
