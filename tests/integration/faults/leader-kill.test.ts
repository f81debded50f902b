// kill -9 the leader of an RF=3, min.insync.replicas=2 topic while a producer sends with
// acks=all, five times over: afterwards every acknowledged record is consumed, in order within
// its partition, none twice at the same offset.
import { checkAcknowledged, AckedStream } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

describe('leader kill -9 under acks=all', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'replica.lag.time.max.ms': 3000, 'unclean.leader.election.enable': false } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('five leader kills lose no acknowledged record', async () => {
    const topic = 'kill-leader';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    const stream = new AckedStream(client, topic, 2);
    await stream.start();
    for (let round = 0; round < 5; round++) {
      const before = stream.acked.length;
      await waitFor('progress before the kill', () => stream.acked.length >= before + 100, 30000, 20);
      const leader = (await partitionsOf(cluster, topic))[round % 2].leader;
      await cluster.kill(leader);
      await waitFor(`a new leader after killing ${leader}`, async () => {
        const parts = await partitionsOf(cluster, topic);
        return parts.length === 2 && parts.every((p) => p.leader >= 0 && p.leader !== leader);
      }, 30000, 200);
      const atKill = stream.acked.length;
      await waitFor('progress with the leader dead', () => stream.acked.length >= atKill + 50, 30000, 20);
      await cluster.startBroker(leader);
      await waitFor(`broker ${leader} back in every ISR`, async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 30000, 200);
    }
    await stream.stop();
    expect(stream.acked.length).toBeGreaterThan(500);

    const rows = await consumeUntilAll(cluster.bootstrap, topic, stream.acked);
    checkAcknowledged(rows, stream.acked);
  });
});
