// Zafka brokers under an Apache Kafka 2.4 controller (issue 14, point 1): the Kafka broker
// starts first and wins /controller; Zafka brokers join, lead and follow, are restarted (clean
// and kill -9) and must get back into the ISR, with a producer running and 0 acknowledged
// records lost.
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf, metadataFrom } from '../../helpers/metadata';
import { describeWithKafka, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';

const KAFKA_ID = 3;

describeWithKafka('Zafka brokers under a Kafka 2.4 controller', () => {
  let cluster: TestCluster;
  let kafka: ReferenceKafkaBroker;

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 2, config: { 'offsets.topic.replication.factor': 3 } });
    kafka = await ReferenceKafkaBroker.create({ id: KAFKA_ID, zkConnect: cluster.zkConnect, interBrokerProtocolVersion: '2.4', config: { 'offsets.topic.replication.factor': 3 } });
    await kafka.start();
    await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
    await waitFor('three brokers in metadata', async () => (await metadataFrom(kafka.port)).brokers.length === 3, 60000, 500);
  }, 240000);

  afterAll(async () => {
    await cluster?.stop();
    await kafka?.destroy();
  });

  const allBootstrap = () => [cluster.bootstrap, kafka.bootstrap].join(',');

  test('the Kafka broker is controller and Zafka brokers serve metadata from it', async () => {
    for (const b of cluster.brokers) {
      const m = await metadataFrom(b.port);
      expect(m.controllerId).toBe(KAFKA_ID);
      expect(m.brokers.map((x) => x.nodeId).sort()).toEqual([1, 2, 3]);
    }
  });

  test('restarted Zafka brokers get back into the ISR under the Kafka controller; 0 acknowledged records lost', async () => {
    const admin = kafkajs(allBootstrap()).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'under-kafka', replicaAssignment: [0, 1, 2].map((p) => ({ partition: p, replicas: [[1, 2, 3], [2, 3, 1], [3, 1, 2]][p] })) }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    await waitFor('full ISR', async () => (await partitionsOf(cluster, 'under-kafka')).every((p) => p.isr.length === 3), 60000, 500);

    const stream = new AckedStream(kafkajs(allBootstrap()), 'under-kafka', 3, 10, true);
    await stream.start();
    await waitFor('some acknowledged records', () => stream.acked.length > 200, 60000);

    await cluster.stopBroker(1); // controlled shutdown answered by the Kafka controller
    await cluster.startBroker(1);
    await waitFor('broker 1 back in every ISR', async () => (await partitionsOf(cluster, 'under-kafka')).every((p) => p.isr.includes(1)), 90000, 500);

    await cluster.kill(2);
    await waitFor('broker 2 out of /brokers/ids', async () => (await metadataFrom(kafka.port)).brokers.length === 2, 60000, 500);
    await cluster.startBroker(2);
    await waitFor('broker 2 back in every ISR', async () => (await partitionsOf(cluster, 'under-kafka')).every((p) => p.isr.length === 3), 90000, 500);

    const before = stream.acked.length;
    await waitFor('records acknowledged after the restarts', () => stream.acked.length > before + 200, 60000);
    await stream.stop();
    const rows = await consumeUntilAll(allBootstrap(), 'under-kafka', stream.acked, 60000);
    checkAcknowledged(rows, stream.acked);
  }, 400000);
});
