// Reassignment between Apache Kafka 2.4 and Zafka brokers (issue 14, point 3): partitions move
// from a Kafka broker onto Zafka brokers (the Kafka broker retired) and back, with Kafka's own
// kafka-reassign-partitions.sh one way and Zafka's the other, under a Kafka controller and under
// a Zafka controller, a producer (acks=all) running throughout: 0 acknowledged records lost, the
// retired broker's copies deleted, and the replicas that end up together byte-identical.
import * as fs from 'fs';
import * as path from 'path';
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { describeWithKafka, ReferenceKafkaBroker, runKafkaTool } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';
import { controllerVia, partitionsVia, waitForFullIsr, waitForIdenticalReplicas } from './mixed-cluster';

const KAFKA = 3;
type Kind = 'Kafka' | 'Zafka';

describeWithKafka('reassignment between Kafka 2.4 and Zafka brokers with both tools', () => {
  for (const controllerKind of ['Kafka', 'Zafka'] as Kind[]) {
    describe(`under a ${controllerKind} controller`, () => {
      const topic = `reassign-under-${controllerKind.toLowerCase()}`;
      let cluster: TestCluster;
      let kafka: ReferenceKafkaBroker;
      let stream: AckedStream;

      const ports = () => [...cluster.brokers.map((b) => b.port), kafka.port];
      const bootstrap = () => `${cluster.bootstrap},${kafka.bootstrap}`;
      const planFile = (name: string, assignment: number[][]) => {
        const file = path.join(cluster.baseDir, `${name}.json`);
        fs.writeFileSync(file, JSON.stringify({ version: 1, partitions: assignment.map((replicas, partition) => ({ topic, partition, replicas })) }));
        return file;
      };
      /** kafka-reassign-partitions --zookeeper with Kafka's tool or Zafka's. */
      const reassign = (tool: Kind, args: string[]) => {
        const all = ['--zookeeper', cluster.zkConnect, ...args];
        return tool === 'Kafka' ? runKafkaTool('kafka-reassign-partitions.sh', all) : runCli('kafka-reassign-partitions', all);
      };
      const move = async (tool: Kind, name: string, assignment: number[][]) => {
        const plan = planFile(name, assignment);
        const exec = await reassign(tool, ['--execute', '--reassignment-json-file', plan]);
        expect(exec.stdout).toContain('Successfully started reassignment of partitions.');
        await waitFor(`${tool}'s --verify to report ${name} complete`, async () => {
          const verify = await reassign(tool, ['--verify', '--reassignment-json-file', plan]);
          return assignment.every((_, p) => verify.stdout.includes(`Reassignment of partition ${topic}-${p} completed successfully`));
        }, 180000, 2000);
        await waitFor('metadata shows the new assignment', async () => {
          const parts = await partitionsVia(ports(), topic);
          return parts.every((p) => JSON.stringify(p.replicas) === JSON.stringify(assignment[p.partition]));
        }, 60000, 500);
        await waitForFullIsr(ports(), topic);
        const before = stream.acked.length;
        await waitFor('acknowledgements after the move', () => stream.acked.length > before + 50, 120000);
      };

      beforeAll(async () => {
        cluster = await TestCluster.create({ brokers: 2, config: { 'offsets.topic.replication.factor': 2 } });
        kafka = await ReferenceKafkaBroker.create({ id: KAFKA, zkConnect: cluster.zkConnect, interBrokerProtocolVersion: '2.4', config: { 'offsets.topic.replication.factor': 2 } });
        if (controllerKind === 'Kafka') await kafka.start();
        await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
        if (controllerKind === 'Zafka') await kafka.start();
        const admin = kafkajs(bootstrap()).admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [KAFKA, 1] }, { partition: 1, replicas: [1, KAFKA] }] }], waitForLeaders: true });
        await admin.disconnect();
        await waitForFullIsr(ports(), topic);
        stream = new AckedStream(kafkajs(bootstrap()), topic, 2, 10, true);
        await stream.start();
        await waitFor('records acknowledged', () => stream.acked.length > 100, 60000);
      }, 300000);

      afterAll(async () => {
        await stream?.stop();
        await cluster?.stop();
        await kafka?.destroy();
      });

      const [forwardTool, backTool]: Kind[] = controllerKind === 'Kafka' ? ['Kafka', 'Zafka'] : ['Zafka', 'Kafka'];

      test(`${forwardTool}'s tool moves everything off the Kafka broker onto Zafka brokers; its copies are deleted`, async () => {
        const controller = await controllerVia(ports());
        expect(controllerKind === 'Kafka' ? controller === KAFKA : controller === 1 || controller === 2).toBe(true);
        await move(forwardTool, 'retire-kafka', [[1, 2], [2, 1]]);
        await waitFor('the Kafka broker deleted its copies', () => [0, 1].every((p) => !fs.existsSync(path.join(kafka.logDirs[0], `${topic}-${p}`))), 90000, 1000);
      }, 400000);

      test(`${backTool}'s tool moves everything back onto the Kafka broker; 0 acknowledged lost, replicas identical`, async () => {
        await move(backTool, 'back-to-kafka', [[KAFKA, 1], [1, KAFKA]]);
        await stream.stop();
        const rows = await consumeUntilAll(bootstrap(), topic, stream.acked, 60000);
        checkAcknowledged(rows, stream.acked);
        for (const partition of [0, 1]) await waitForIdenticalReplicas(cluster.broker(1).logDir, kafka.logDirs[0], topic, partition);
      }, 400000);
    });
  }
});
