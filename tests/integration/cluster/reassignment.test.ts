// Partition reassignment with three real brokers and kafka-reassign-partitions: a topic with data
// moves from [1,2] to [2,3]; the data reaches broker 3 through ordinary replication, broker 1's
// copy is deleted, and nothing is lost. A reassignment blocked by a stopped broker is reported
// "still in progress" and refuses a second --execute until it completes.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';

describe('partition reassignment', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  const file = (name: string, content: object) => {
    const p = path.join(cluster.baseDir, name);
    fs.writeFileSync(p, JSON.stringify(content));
    return p;
  };

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'replica.lag.time.max.ms': 4000, 'auto.leader.rebalance.enable': false, 'zookeeper.session.timeout.ms': 10000 } });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 10000, 10000);
  });

  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  test('[1,2] -> [2,3] with data: assignment, ISR, broker 3 has every record, broker 1 deleted its copy', async () => {
    const topic = 'moving';
    const zkArgs = ['--zookeeper', cluster.zkConnect];
    expect((await runCli('kafka-topics', [...zkArgs, '--create', '--topic', topic, '--replica-assignment', '1:2'])).code).toBe(0);
    await waitFor('full ISR', async () => (await partitionsOf(cluster, topic))[0]?.isr.length === 2);

    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    const values = Array.from({ length: 500 }, (_, i) => `record-${i}-${'x'.repeat(100)}`);
    for (let i = 0; i < values.length; i += 100) await producer.send({ topic, acks: -1, messages: values.slice(i, i + 100).map((value) => ({ value })) });
    await waitFor('broker 1 holds the partition', () => fs.existsSync(path.join(cluster.broker(1).logDir, `${topic}-0`)));

    // --generate proposes over the given brokers without changing anything.
    const topicsFile = file('topics.json', { topics: [{ topic }], version: 1 });
    const gen = await runCli('kafka-reassign-partitions', [...zkArgs, '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '2,3']);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain(`Current partition replica assignment\n{"version":1,"partitions":[{"topic":"${topic}","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}\n`);
    const proposed = JSON.parse(gen.stdout.split('Proposed partition reassignment configuration\n')[1]);
    expect([...proposed.partitions[0].replicas].sort()).toEqual([2, 3]);

    const plan = file('plan.json', { version: 1, partitions: [{ topic, partition: 0, replicas: [2, 3] }] });
    const exec = await runCli('kafka-reassign-partitions', [...zkArgs, '--execute', '--reassignment-json-file', plan]);
    expect(exec.stderr).toBe('');
    expect(exec.code).toBe(0);
    expect(exec.stdout).toContain('Save this to use as the --reassignment-json-file option during rollback');
    expect(exec.stdout).toContain('Successfully started reassignment of partitions.');

    await waitFor('reassignment done', async () => (await zk.getPartitionReassignmentList()) === null, 30000);
    const full = (await zk.getFullReplicaAssignment([topic])).get(topic)!;
    expect(full.partitions.get(0)).toEqual([2, 3]);
    expect(full.addingReplicas.size + full.removingReplicas.size).toBe(0);

    const verify = await runCli('kafka-reassign-partitions', [...zkArgs, '--verify', '--reassignment-json-file', plan]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`Reassignment of partition ${topic}-0 completed successfully`);

    const [p] = await waitFor('metadata follows', async () => {
      const ps = await partitionsOf(cluster, topic);
      return ps[0]?.replicas.join() === '2,3' && [...ps[0].isr].sort().join() === '2,3' ? ps : undefined;
    });
    expect(p.leader).toBe(2);
    await waitFor('broker 1 deleted its replica', () => !fs.existsSync(path.join(cluster.broker(1).logDir, `${topic}-0`)));

    // Broker 3 alone serves every record once broker 2 is gone.
    await producer.disconnect();
    await cluster.stopBroker(2);
    await waitFor('broker 3 leads', async () => (await partitionsOf(cluster, topic))[0]?.leader === 3, 30000);
    const r = await kcat(['-C', '-b', `127.0.0.1:${cluster.broker(3).port}`, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n']);
    expect(r.stdout.split('\n').filter((l) => l !== '')).toEqual(values);
    await cluster.startBroker(2);
    await waitFor('broker 2 back in the ISR', async () => (await partitionsOf(cluster, topic))[0]?.isr.length === 2, 30000);
  });

  test('a reassignment waiting for a stopped broker: --verify says in progress, --execute refuses, then it completes', async () => {
    const topic = 'waiting';
    const zkArgs = ['--zookeeper', cluster.zkConnect];
    const controller = (await clusterMetadata(cluster)).controllerId;
    const [stopped, holder] = [1, 2, 3].filter((id) => id !== controller).concat(controller);
    expect((await runCli('kafka-topics', [...zkArgs, '--create', '--topic', topic, '--replica-assignment', String(holder)])).code).toBe(0);
    await waitFor('a leader', async () => (await partitionsOf(cluster, topic))[0]?.leader === holder);

    const plan = file('plan2.json', { version: 1, partitions: [{ topic, partition: 0, replicas: [holder, stopped] }] });
    await cluster.signal(stopped, 'SIGSTOP');
    try {
      const exec = await runCli('kafka-reassign-partitions', [...zkArgs, '--execute', '--reassignment-json-file', plan]);
      expect(exec.stdout).toContain('Successfully started reassignment of partitions.');
      const verify = await runCli('kafka-reassign-partitions', [...zkArgs, '--verify', '--reassignment-json-file', plan]);
      expect(verify.stdout).toContain(`Reassignment of partition ${topic}-0 is still in progress`);
      const again = await runCli('kafka-reassign-partitions', [...zkArgs, '--execute', '--reassignment-json-file', plan]);
      expect(again.stdout).toContain('There is an existing assignment running.');
    } finally {
      await cluster.signal(stopped, 'SIGCONT');
    }
    await waitFor('reassignment done', async () => (await zk.getPartitionReassignmentList()) === null, 30000);
    expect((await zk.getReplicaAssignment([topic])).get(topic)!.get(0)).toEqual([holder, stopped]);
  });

  test('bad arguments: message, usage and exit 1', async () => {
    const none = await runCli('kafka-reassign-partitions', ['--zookeeper', cluster.zkConnect]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Command must include exactly one action: --generate, --execute or --verify');
    expect(none.stderr).toContain('--reassignment-json-file');
    const noFile = await runCli('kafka-reassign-partitions', ['--zookeeper', cluster.zkConnect, '--execute']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('If --execute option is used, command must include --reassignment-json-file');
    const badBroker = file('bad.json', { version: 1, partitions: [{ topic: 'moving', partition: 0, replicas: [2, 9] }] });
    const r = await runCli('kafka-reassign-partitions', ['--zookeeper', cluster.zkConnect, '--execute', '--reassignment-json-file', badBroker]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The proposed assignment contains non-existent brokerIDs: 9');
  });
});
