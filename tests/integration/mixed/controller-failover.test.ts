// One Zafka broker and one Apache Kafka 2.4 broker, a producer (acks=all) running throughout
// (issue 14, points 2 and 3): the controller is kill -9ed in both directions (Kafka -> Zafka
// and Zafka -> Kafka), each kill on a leader whose follower was frozen while it took acks=1
// records, so the restarted old leader holds a divergent tail it must truncate by asking the
// new leader of the other kind (OffsetsForLeaderEpoch both ways). Outcome: 0 acknowledged
// records lost, none of the divergent acks=1 records readable, replicas byte-identical.
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { describeWithKafka, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';
import { controllerVia, partitionsVia, produceAcksOne, waitForFullIsr, waitForIdenticalReplicas } from './mixed-cluster';

const ZAFKA = 1;
const KAFKA = 2;
const TOPIC = 'mixed-failover';

describeWithKafka('controller failover between Kafka 2.4 and Zafka (kill -9), with leader-epoch truncation both ways', () => {
  let cluster: TestCluster;
  let kafka: ReferenceKafkaBroker;
  let stream: AckedStream;
  const diverged: string[] = [];

  const ports = () => [cluster.broker(ZAFKA).port, kafka.port];
  const bootstrap = () => `${cluster.bootstrap},${kafka.bootstrap}`;

  beforeAll(async () => {
    cluster = await TestCluster.create({ brokers: 1, firstId: ZAFKA, config: { 'offsets.topic.replication.factor': 2 } });
    kafka = await ReferenceKafkaBroker.create({ id: KAFKA, zkConnect: cluster.zkConnect, interBrokerProtocolVersion: '2.4' });
    await kafka.start(); // first, so the Kafka broker is the controller
    await cluster.startBroker(ZAFKA);
    const admin = kafkajs(bootstrap()).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, replicaAssignment: [{ partition: 0, replicas: [ZAFKA, KAFKA] }, { partition: 1, replicas: [KAFKA, ZAFKA] }] }], waitForLeaders: true });
    await admin.disconnect();
    await waitForFullIsr(ports(), TOPIC);
    stream = new AckedStream(kafkajs(bootstrap()), TOPIC, 2, 10, true);
    await stream.start();
    await waitFor('records acknowledged', () => stream.acked.length > 100, 60000);
  }, 300000);

  afterAll(async () => {
    await stream?.stop();
    await cluster?.stop();
    await kafka?.destroy();
  });

  const ackedGrows = async () => {
    const before = stream.acked.length;
    const started = Date.now();
    try {
      await waitFor('the producer to get acknowledgements again', () => stream.acked.length > before + 50, 120000);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last producer errors: ${stream.errors.slice(-3).join(' | ')}`);
    }
    process.stdout.write(`controller-failover: acknowledgements resumed ${Date.now() - started} ms after the broker rejoined\n`);
  };

  test('Zafka leader killed under the Kafka controller: Kafka leads, the restarted Zafka broker truncates its divergent tail and rejoins the ISR', async () => {
    expect(await controllerVia(ports())).toBe(KAFKA);
    expect((await partitionsVia(ports(), TOPIC))[0].leader).toBe(ZAFKA);
    kafka.pause();
    const values = Array.from({ length: 5 }, (_, i) => `diverged-zafka-${i}`);
    await produceAcksOne(cluster.bootstrap, TOPIC, 0, values);
    diverged.push(...values);
    await cluster.kill(ZAFKA);
    kafka.resume();
    await waitFor('Kafka leads partition 0', async () => (await partitionsVia([kafka.port], TOPIC))[0]?.leader === KAFKA, 60000, 500);
    await cluster.startBroker(ZAFKA);
    await waitForFullIsr(ports(), TOPIC);
    await ackedGrows();
  }, 300000);

  test('Kafka controller (and leader) killed: Zafka becomes controller and leader, the restarted Kafka broker truncates by asking Zafka and rejoins', async () => {
    const leaders = await partitionsVia(ports(), TOPIC);
    expect(leaders.some((p) => p.leader === KAFKA)).toBe(true);
    await cluster.signal(ZAFKA, 'SIGSTOP');
    const values = Array.from({ length: 5 }, (_, i) => `diverged-kafka-${i}`);
    try {
      for (const p of leaders.filter((x) => x.leader === KAFKA)) await produceAcksOne(kafka.bootstrap, TOPIC, p.partition, values.map((v) => `${v}-p${p.partition}`));
    } finally {
      await kafka.kill();
      await cluster.signal(ZAFKA, 'SIGCONT');
    }
    diverged.push(...leaders.filter((x) => x.leader === KAFKA).flatMap((p) => values.map((v) => `${v}-p${p.partition}`)));
    await waitFor('Zafka is controller and leads everything', async () => {
      const parts = await partitionsVia([cluster.broker(ZAFKA).port], TOPIC);
      return (await controllerVia([cluster.broker(ZAFKA).port])) === ZAFKA && parts.every((p) => p.leader === ZAFKA);
    }, 60000, 500);
    await kafka.start();
    await waitForFullIsr(ports(), TOPIC);
    await ackedGrows();
  }, 300000);

  test('Zafka controller killed: Kafka becomes controller again, the Zafka broker rejoins; 0 acknowledged lost, diverged records gone, replicas identical', async () => {
    expect(await controllerVia(ports())).toBe(ZAFKA);
    await cluster.kill(ZAFKA);
    await waitFor('Kafka is controller', async () => (await controllerVia([kafka.port])) === KAFKA, 60000, 500);
    await cluster.startBroker(ZAFKA);
    await waitForFullIsr(ports(), TOPIC);
    await ackedGrows();

    await stream.stop();
    const rows = await consumeUntilAll(bootstrap(), TOPIC, stream.acked, 60000);
    checkAcknowledged(rows, stream.acked);
    expect(rows.filter((r) => diverged.includes(r.value))).toEqual([]);
    for (const partition of [0, 1]) await waitForIdenticalReplicas(cluster.broker(ZAFKA).logDir, kafka.logDirs[0], TOPIC, partition);
  }, 300000);
});
