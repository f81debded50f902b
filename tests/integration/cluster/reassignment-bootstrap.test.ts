// kafka-reassign-partitions --bootstrap-server (Kafka 2.5's tool over KIP-455) with three real
// brokers: --generate from Metadata, --execute through AlterPartitionReassignments, --verify through
// ListPartitionReassignments until "completed successfully"; the data is still all there. The
// APIs answer NOT_CONTROLLER away from the controller, and the --zookeeper path is unchanged.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { AlterPartitionReassignments } from '../../../broker/protocol/messages/alter-partition-reassignments';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { ListPartitionReassignments } from '../../../broker/protocol/messages/list-partition-reassignments';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';

describe('partition reassignment with --bootstrap-server', () => {
  let cluster: TestCluster;
  const file = (name: string, content: object) => {
    const p = path.join(cluster.baseDir, name);
    fs.writeFileSync(p, JSON.stringify(content));
    return p;
  };
  const withClient = async <T>(brokerId: number, fn: (c: KafkaClient) => Promise<T>): Promise<T> => {
    const client = await KafkaClient.connect('127.0.0.1', cluster.broker(brokerId).port, { clientId: 'test-reassign' });
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  };

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'replica.lag.time.max.ms': 4000, 'auto.leader.rebalance.enable': false, 'zookeeper.session.timeout.ms': 10000 } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Creates [1,2], writes records, moves to [2,3] with the tool in `mode`, checks every record on broker 3's copy. */
  async function moveWithData(topic: string, toolArgs: string[], started: string) {
    expect((await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', topic, '--replica-assignment', '1:2'])).code).toBe(0);
    await waitFor('full ISR', async () => (await partitionsOf(cluster, topic))[0]?.isr.length === 2);
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    const values = Array.from({ length: 300 }, (_, i) => `record-${i}-${'x'.repeat(50)}`);
    for (let i = 0; i < values.length; i += 100) await producer.send({ topic, acks: -1, messages: values.slice(i, i + 100).map((value) => ({ value })) });
    await producer.disconnect();

    const topicsFile = file(`${topic}-topics.json`, { topics: [{ topic }], version: 1 });
    const gen = await runCli('kafka-reassign-partitions', [...toolArgs, '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '2,3']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain(`Current partition replica assignment\n{"version":1,"partitions":[{"topic":"${topic}","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}\n`);
    const proposed = JSON.parse(gen.stdout.split('Proposed partition reassignment configuration\n')[1]);
    expect([...proposed.partitions[0].replicas].sort()).toEqual([2, 3]);

    const plan = file(`${topic}-plan.json`, { version: 1, partitions: [{ topic, partition: 0, replicas: [2, 3] }] });
    const exec = await runCli('kafka-reassign-partitions', [...toolArgs, '--execute', '--reassignment-json-file', plan]);
    expect(exec.stderr).toBe('');
    expect(exec.code).toBe(0);
    expect(exec.stdout).toContain('Save this to use as the --reassignment-json-file option during rollback');
    expect(exec.stdout).toContain(started);

    await waitFor(
      '--verify says completed',
      async () => {
        const v = await runCli('kafka-reassign-partitions', [...toolArgs, '--verify', '--reassignment-json-file', plan]);
        expect(v.code).toBe(0);
        return v.stdout.includes(`Reassignment of partition ${topic}-0 completed successfully`);
      },
      30000,
    );
    const [p] = await waitFor('metadata follows', async () => {
      const ps = await partitionsOf(cluster, topic);
      return ps[0]?.replicas.join() === '2,3' && [...ps[0].isr].sort().join() === '2,3' ? ps : undefined;
    });
    expect(p.leader).toBe(2);
    await waitFor('broker 1 deleted its replica', () => !fs.existsSync(path.join(cluster.broker(1).logDir, `${topic}-0`)));
    const r = await kcat(['-C', '-b', `127.0.0.1:${cluster.broker(3).port}`, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n']);
    expect(r.stdout.split('\n').filter((l) => l !== '')).toEqual(values);
  }

  test('--bootstrap-server: [1,2] -> [2,3] with data, --verify until completed', async () => {
    await moveWithData('moving-b', ['--bootstrap-server', cluster.bootstrap], 'Successfully started partition reassignment for moving-b-0');
  });

  test('--zookeeper: unchanged', async () => {
    await moveWithData('moving-z', ['--zookeeper', cluster.zkConnect], 'Successfully started reassignment of partitions.');
  });

  test('the APIs: advertised, controller only, per-partition errors, in progress listed and refused', async () => {
    const controller = (await clusterMetadata(cluster)).controllerId;
    const [other, spare] = [1, 2, 3].filter((id) => id !== controller);
    const versions = await withClient(other, (c) => c.send(ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }));
    expect(versions.apiKeys.filter((k) => k.apiKey === 45 || k.apiKey === 46)).toEqual([
      { apiKey: 45, minVersion: 0, maxVersion: 0 },
      { apiKey: 46, minVersion: 0, maxVersion: 0 },
    ]);

    const topic = 'api-checks';
    expect((await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', topic, '--replica-assignment', String(controller)])).code).toBe(0);
    await waitFor('a leader', async () => (await partitionsOf(cluster, topic))[0]?.leader === controller);

    const list = await withClient(other, (c) => c.send(ListPartitionReassignments, 0, { topics: null }));
    expect(list.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    const alterElsewhere = await withClient(other, (c) => c.send(AlterPartitionReassignments, 0, { topics: [{ name: topic, partitions: [{ partitionIndex: 0, replicas: [controller, other] }] }] }));
    expect(alterElsewhere.responses[0].partitions[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);

    const bad = await withClient(controller, (c) =>
      c.send(AlterPartitionReassignments, 0, {
        topics: [
          { name: topic, partitions: [{ partitionIndex: 0, replicas: null }, { partitionIndex: 1, replicas: [controller] }] },
          { name: 'no-such-topic', partitions: [{ partitionIndex: 0, replicas: [controller] }] },
        ],
      }),
    );
    const codes = bad.responses.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}:${ErrorCode[p.errorCode]}`));
    expect(codes.sort()).toEqual([`${topic}-0:NO_REASSIGNMENT_IN_PROGRESS`, `${topic}-1:UNKNOWN_TOPIC_OR_PARTITION`, 'no-such-topic-0:UNKNOWN_TOPIC_OR_PARTITION']);
    const dead = await withClient(controller, (c) => c.send(AlterPartitionReassignments, 0, { topics: [{ name: topic, partitions: [{ partitionIndex: 0, replicas: [controller, 9] }] }] }));
    expect(dead.responses[0].partitions[0].errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);

    // A reassignment waiting for a stopped broker is listed with its adding/removing replicas.
    const plan = file('api-plan.json', { version: 1, partitions: [{ topic, partition: 0, replicas: [spare] }] });
    const args = ['--bootstrap-server', `127.0.0.1:${cluster.broker(controller).port}`];
    await cluster.signal(spare, 'SIGSTOP');
    try {
      const exec = await runCli('kafka-reassign-partitions', [...args, '--execute', '--reassignment-json-file', plan]);
      expect(exec.stderr).toBe('');
      expect(exec.code).toBe(0);
      const ongoing = await withClient(controller, (c) => c.send(ListPartitionReassignments, 0, { topics: [{ name: topic, partitionIndexes: [0] }] }));
      expect(ongoing.errorCode).toBe(ErrorCode.NONE);
      expect(ongoing.topics).toEqual([{ name: topic, partitions: [{ partitionIndex: 0, replicas: [spare, controller], addingReplicas: [spare], removingReplicas: [controller] }] }]);
      const verify = await runCli('kafka-reassign-partitions', [...args, '--verify', '--reassignment-json-file', plan]);
      expect(verify.stdout).toContain(`Reassignment of partition ${topic}-0 is still in progress`);
      const again = await runCli('kafka-reassign-partitions', [...args, '--execute', '--reassignment-json-file', plan]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Cannot execute because there is an existing partition assignment.');
      const twice = await withClient(controller, (c) => c.send(AlterPartitionReassignments, 0, { topics: [{ name: topic, partitions: [{ partitionIndex: 0, replicas: [spare] }] }] }));
      expect(twice.responses[0].partitions[0].errorCode).toBe(ErrorCode.REASSIGNMENT_IN_PROGRESS);
    } finally {
      await cluster.signal(spare, 'SIGCONT');
    }
    await waitFor(
      'completed',
      async () => (await runCli('kafka-reassign-partitions', [...args, '--verify', '--reassignment-json-file', plan])).stdout.includes('completed successfully'),
      30000,
    );
  });
});
