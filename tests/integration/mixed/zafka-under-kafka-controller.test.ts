// Zafka brokers under an Apache Kafka 2.4 controller (issue 14, point 1): the Kafka broker
// starts first and wins /controller; Zafka brokers join, lead and follow, are restarted (clean
// and kill -9) and must get back into the ISR, with a producer running and 0 acknowledged
// records lost. Run with inter.broker.protocol.version 2.4 (LeaderAndIsr v4, UpdateMetadata v6,
// StopReplica v2, all flexible) and 2.0 (v1, v4, v0: the oldest a rolling upgrade from 2.0
// passes through; the Kafka broker then fetches with Fetch v8 / OffsetsForLeaderEpoch v1).
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { LeaderAndIsr } from '../../../broker/protocol/messages/leader-and-isr';
import { StopReplica } from '../../../broker/protocol/messages/stop-replica';
import { UpdateMetadata } from '../../../broker/protocol/messages/update-metadata';
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { partitionsOf, metadataFrom } from '../../helpers/metadata';
import { brokerEpoch, describeWithKafka, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';

const KAFKA_ID = 3;

describeWithKafka('Zafka brokers under a Kafka 2.4 controller', () => {
  describe.each(['2.4', '2.0'])('inter.broker.protocol.version %s', (ibp) => {
    let cluster: TestCluster;
    let kafka: ReferenceKafkaBroker;
    /** Broker 1's epoch (czxid of its registration) before it is restarted. */
    let firstEpochOfBroker1 = -1;

    beforeAll(async () => {
      cluster = await TestCluster.create({ brokers: 2, config: { 'offsets.topic.replication.factor': 3 } });
      kafka = await ReferenceKafkaBroker.create({ id: KAFKA_ID, zkConnect: cluster.zkConnect, interBrokerProtocolVersion: ibp, config: { 'offsets.topic.replication.factor': 3 } });
      await kafka.start();
      await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
      await waitFor('three brokers in metadata', async () => (await metadataFrom(kafka.port)).brokers.length === 3, 60000, 500);
      firstEpochOfBroker1 = await brokerEpoch(cluster.zkConnect, 1);
    }, 240000);

    afterAll(async () => {
      await cluster?.stop();
      await kafka?.destroy();
    });

    const topic = `under-kafka-${ibp.replace('.', '-')}`;
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
        topics: [{ topic, replicaAssignment: [0, 1, 2].map((p) => ({ partition: p, replicas: [[1, 2, 3], [2, 3, 1], [3, 1, 2]][p] })) }],
        waitForLeaders: true,
      });
      await admin.disconnect();
      await waitFor('full ISR', async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 60000, 500);

      const stream = new AckedStream(kafkajs(allBootstrap()), topic, 3, 10, true);
      await stream.start();
      await waitFor('some acknowledged records', () => stream.acked.length > 200, 60000);

      await cluster.stopBroker(1); // controlled shutdown answered by the Kafka controller
      await cluster.startBroker(1);
      await waitFor('broker 1 back in every ISR', async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.includes(1)), 90000, 500);

      await cluster.kill(2);
      await waitFor('broker 2 out of /brokers/ids', async () => (await metadataFrom(kafka.port)).brokers.length === 2, 60000, 500);
      await cluster.startBroker(2);
      await waitFor('broker 2 back in every ISR', async () => (await partitionsOf(cluster, topic)).every((p) => p.isr.length === 3), 90000, 500);

      const before = stream.acked.length;
      await waitFor('records acknowledged after the restarts', () => stream.acked.length > before + 200, 60000);
      await stream.stop();
      const rows = await consumeUntilAll(allBootstrap(), topic, stream.acked, 60000);
      checkAcknowledged(rows, stream.acked);
    }, 400000);

    test('control requests for the previous incarnation of a broker get STALE_BROKER_EPOCH (KIP-380), with the broker unharmed', async () => {
      const epoch = await brokerEpoch(cluster.zkConnect, 1);
      expect(epoch).toBeGreaterThan(firstEpochOfBroker1);
      const client = await KafkaClient.connect('127.0.0.1', cluster.broker(1).port, { clientId: 'stale-controller' });
      try {
        const stale = { controllerId: KAFKA_ID, controllerEpoch: 1, brokerEpoch: firstEpochOfBroker1 };
        // The versions of inter.broker.protocol.version 2.2-2.3 and 2.4 (older ones carry no epoch).
        for (const [lai, um, sr] of [[2, 5, 1], [4, 6, 2]]) {
          expect((await client.send(LeaderAndIsr, lai, { ...stale, topicStates: [], liveLeaders: [] })).errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
          expect((await client.send(UpdateMetadata, um, { ...stale, topicStates: [], liveBrokers: [] })).errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
          expect((await client.send(StopReplica, sr, { ...stale, deletePartitions: false, topics: [] })).errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
        }
        // The broker is unharmed: still serving, still in every ISR.
        expect((await partitionsOf(cluster, topic)).every((p) => p.isr.includes(1))).toBe(true);
      } finally {
        client.close();
      }
    });
  });
});
