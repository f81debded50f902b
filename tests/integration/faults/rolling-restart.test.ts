// A rolling restart with controlled shutdown (SIGTERM) of each broker in turn while a kafkajs
// producer (acks=all) and a kafkajs group consumer run: no record lost, the producer never sees
// an error it could not retry (its send() calls all succeed), and the group consumer — whose
// coordinator moves with every restart — recovers and sees every acknowledged record.
import type { Consumer } from 'kafkajs';
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

describe('rolling restart with controlled shutdown', () => {
  let cluster: TestCluster;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'controlled.shutdown.retry.backoff.ms': 300, 'replica.lag.time.max.ms': 5000 } });
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await cluster?.stop();
  });

  test('every broker restarted in turn; nothing lost, no producer failure', async () => {
    const topic = 'rolling';
    const client = kafkajs(cluster.bootstrap);
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();

    const stream = new AckedStream(client, topic, 3);
    await stream.start();

    // A live group consumer of all partitions, running throughout. kafkajs may log (and retry)
    // coordinator and rebalance errors while brokers restart; it must recover.
    consumer = client.consumer({ groupId: 'rolling-group', sessionTimeout: 10000, ...TEST_CONSUMER_FETCH });
    const seen = new Set<string>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value) seen.add(message.value.toString());
      },
    });

    for (const b of cluster.brokers) {
      const before = stream.acked.length;
      await waitFor('progress', () => stream.acked.length >= before + 50, 30000, 20);
      expect(await cluster.stopBroker(b.id)).toBe(0);
      expect(cluster.output(b.id)).toMatch(/Controlled shutdown request returned successfully/);
      await cluster.startBroker(b.id);
      await waitFor(`broker ${b.id} back in every ISR`, async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 30000, 200);
    }
    const last = stream.acked.length;
    await waitFor('progress after the last restart', () => stream.acked.length >= last + 50, 30000, 20);
    await stream.stop();
    expect(stream.errors).toEqual([]);

    await waitFor('the live consumer saw every acknowledged record', () => stream.acked.every((v) => seen.has(v)), 30000, 200);
    await consumer.disconnect();
    consumer = undefined;
    checkAcknowledged(await consumeUntilAll(cluster.bootstrap, topic, stream.acked), stream.acked);
  });
});
