// The upgrade path off ZooKeeper offsets (docs/MIGRATION.md), end to end: an old consumer reads
// 400 of 1,000 records and commits to ZooKeeper; kafka-consumer-groups --zookeeper shows lag 600;
// kafka-migrate-offsets refuses while an old consumer is registered, then copies the offsets to
// the group coordinator; a kafkajs consumer of the same group resumes at record 400 and reads
// exactly the other 600. A second case runs the old consumer in dual-commit mode.
import { ConsumerGroupZkClient } from '../../../controller/zk/consumer-group-zk-client';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';

jest.setTimeout(120000);

/** The data row of a kafka-consumer-groups offsets table for one partition, split on spaces. */
function row(stdout: string, group: string, topic: string, partition: number): string[] | undefined {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((c) => c[0] === group && c[1] === topic && c[2] === String(partition));
}

describe('migrating a group from ZooKeeper offsets to Kafka', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  let groups: ConsumerGroupZkClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 4 } });
    for (const topic of ['upgrade', 'dual']) {
      const r = await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', topic, '--partitions', '1', '--replication-factor', '1']);
      expect(r.code).toBe(0);
      const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
      await producer.connect();
      for (let b = 0; b < 10; b++) {
        await producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ value: `record-${b * 100 + i}` })) });
      }
      await producer.disconnect();
    }
    zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
    groups = new ConsumerGroupZkClient(zk);
  });
  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('old consumer -> ZooKeeper offsets -> migration -> kafkajs resumes at 400', async () => {
    const legacy = await runCli('kafka-console-consumer', ['--zookeeper', cluster.zkConnect, '--topic', 'upgrade', '--group', 'upg', '--from-beginning', '--max-messages', '400']);
    expect(legacy.code).toBe(0);
    expect(legacy.stderr).toContain('Processed a total of 400 messages');
    expect(legacy.stdout.trim().split('\n')).toEqual(Array.from({ length: 400 }, (_, i) => `record-${i}`));
    expect(await zk.getConsumerOffset('upg', 'upgrade', 0)).toBe(400);
    expect((await zk.zk.getData('/consumers/upg/offsets/upgrade/0')).data!.toString()).toBe('400');

    const list = await runCli('kafka-consumer-groups', ['--zookeeper', cluster.zkConnect, '--list']);
    expect(list.stdout.split('\n')).toContain('upg');
    const zkDescribe = await runCli('kafka-consumer-groups', ['--zookeeper', cluster.zkConnect, '--describe', '--group', 'upg']);
    expect(zkDescribe.code).toBe(0);
    expect(zkDescribe.stdout).toMatch(/GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID\s+HOST\s+CLIENT-ID/);
    expect(row(zkDescribe.stdout, 'upg', 'upgrade', 0)).toEqual(['upg', 'upgrade', '0', '400', '1000', '600', '-', '-', '-']);

    // An old consumer still registered: the migration refuses unless forced.
    await groups.registerConsumer('upg', 'upg_still-running', { subscription: { upgrade: 1 }, pattern: 'static', timestamp: Date.now() });
    const refused = await runCli('kafka-migrate-offsets', ['--zookeeper', cluster.zkConnect, '--group', 'upg']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('registered in ZooKeeper (upg_still-running)');
    await groups.deregisterConsumer('upg', 'upg_still-running');

    const migrated = await runCli('kafka-migrate-offsets', ['--zookeeper', cluster.zkConnect, '--bootstrap-server', cluster.bootstrap, '--group', 'upg', '--delete-zk-offsets']);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain("Migrated 1 partition offset(s) of group 'upg' to Kafka. Deleted its offsets from ZooKeeper.");
    expect(await zk.getConsumerOffset('upg', 'upgrade', 0)).toBeNull();

    const describe = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'upg']);
    expect(describe.code).toBe(0);
    expect(row(describe.stdout, 'upg', 'upgrade', 0)?.slice(0, 6)).toEqual(['upg', 'upgrade', '0', '400', '1000', '600']);

    const consumer = kafkajs(cluster.bootstrap).consumer({ groupId: 'upg', maxWaitTimeInMs: 200 });
    const seen: number[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'upgrade', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.value!.toString().slice('record-'.length))) });
      await waitFor('kafkajs to read 600 records', () => seen.length >= 600, 60000);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await consumer.disconnect();
    }
    expect(seen[0]).toBe(400);
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => 400 + i));
  });

  it('dual-commit mode commits to ZooKeeper and to Kafka', async () => {
    const legacy = await runCli('kafka-console-consumer', [
      '--zookeeper', cluster.zkConnect, '--topic', 'dual', '--group', 'dual-g', '--from-beginning', '--max-messages', '250',
      '--consumer-property', 'offsets.storage=kafka', '--consumer-property', 'dual.commit.enabled=true',
    ]);
    expect(legacy.code).toBe(0);
    expect(legacy.stdout.trim().split('\n')).toHaveLength(250);
    expect(await zk.getConsumerOffset('dual-g', 'dual', 0)).toBe(250);
    const describe = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'dual-g']);
    expect(row(describe.stdout, 'dual-g', 'dual', 0)?.slice(0, 6)).toEqual(['dual-g', 'dual', '0', '250', '1000', '750']);

    // A second old consumer in dual-commit mode resumes from max(ZooKeeper, Kafka).
    await zk.setConsumerOffset('dual-g', 'dual', 0, 100);
    const again = await runCli('kafka-console-consumer', [
      '--zookeeper', cluster.zkConnect, '--topic', 'dual', '--group', 'dual-g', '--max-messages', '1',
      '--consumer-property', 'offsets.storage=kafka', '--consumer-property', 'dual.commit.enabled=true',
    ]);
    expect(again.stdout.trim()).toBe('record-250');
  });

  it('kafka-consumer-groups resets and deletes the migrated (now inactive) group', async () => {
    const list = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--list']);
    expect(list.stdout.split('\n')).toContain('upg');
    const state = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'upg', '--state']);
    expect(state.stdout).toMatch(/GROUP\s+COORDINATOR \(ID\)\s+ASSIGNMENT-STRATEGY\s+STATE\s+#MEMBERS/);
    expect(state.stdout).toMatch(/upg\s+127\.0\.0\.1:\d+ \(0\)\s+\S*\s*Empty\s+0/);

    const dry = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--reset-offsets', '--group', 'upg', '--topic', 'upgrade', '--to-offset', '100', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(row(dry.stdout, 'upg', 'upgrade', 0)).toEqual(['upg', 'upgrade', '0', '100']);
    const unchanged = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'upg']);
    expect(row(unchanged.stdout, 'upg', 'upgrade', 0)?.[3]).toBe('1000');

    const exec = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--reset-offsets', '--group', 'upg', '--all-topics', '--shift-by', '-300', '--execute']);
    expect(row(exec.stdout, 'upg', 'upgrade', 0)).toEqual(['upg', 'upgrade', '0', '700']);
    const after = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'upg']);
    expect(row(after.stdout, 'upg', 'upgrade', 0)?.slice(3, 6)).toEqual(['700', '1000', '300']);
    const future = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--reset-offsets', '--group', 'upg', '--all-topics', '--to-datetime', '2999-01-01T00:00:00.000Z', '--dry-run']);
    expect(row(future.stdout, 'upg', 'upgrade', 0)?.[3]).toBe('1000');

    const del = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete', '--group', 'upg']);
    expect(del.stdout).toContain("Deletion of requested consumer groups ('upg') was successful.");
    const gone = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', 'upg']);
    expect(gone.stdout).toContain("Error: Consumer group 'upg' does not exist.");
  });
});
