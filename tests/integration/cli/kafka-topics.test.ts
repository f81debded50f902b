// kafka-topics against a real cluster, both through ZooKeeper (--zookeeper) and through the
// brokers (--bootstrap-server), with output asserted as Kafka 2.4 prints it; plus the
// command-line errors, which must exit 1 with a message and the usage.
import { TestCluster } from '../../helpers/cluster';
import { eventually, runCli } from './run-cli';

jest.setTimeout(120000);

describe('kafka-topics', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const zk = () => ['--zookeeper', cluster.zkConnect];
  const bs = () => ['--bootstrap-server', cluster.bootstrap];

  it('creates, lists, describes, alters and deletes through ZooKeeper', async () => {
    const created = await runCli('kafka-topics', [...zk(), '--create', '--topic', 'zk-topic', '--partitions', '2', '--replication-factor', '1', '--config', 'retention.ms=123456']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic zk-topic.\n' });

    const again = await runCli('kafka-topics', [...zk(), '--create', '--topic', 'zk-topic', '--partitions', '2', '--replication-factor', '1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Error while executing topic command : Topic 'zk-topic' already exists.");
    const quiet = await runCli('kafka-topics', [...zk(), '--create', '--if-not-exists', '--topic', 'zk-topic', '--partitions', '2', '--replication-factor', '1']);
    expect(quiet).toMatchObject({ code: 0, stdout: '' });

    const listed = await runCli('kafka-topics', [...zk(), '--list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')).toContain('zk-topic');

    const described = await eventually(async () => {
      const r = await runCli('kafka-topics', [...zk(), '--describe', '--topic', 'zk-topic']);
      expect(r.stdout).toContain('Leader: 0');
      expect(r.stdout).not.toContain('Leader: none');
      return r;
    });
    expect(described.stdout).toBe(
      'Topic: zk-topic\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: retention.ms=123456\n' +
        '\tTopic: zk-topic\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\n' +
        '\tTopic: zk-topic\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\n',
    );

    const altered = await runCli('kafka-topics', [...zk(), '--alter', '--topic', 'zk-topic', '--partitions', '3']);
    expect(altered.code).toBe(0);
    expect(altered.stdout).toContain('Adding partitions succeeded!');
    const shrink = await runCli('kafka-topics', [...zk(), '--alter', '--topic', 'zk-topic', '--partitions', '1']);
    expect(shrink.code).toBe(1);
    expect(shrink.stderr).toContain('can only be increased');
    const after = await runCli('kafka-topics', [...zk(), '--describe', '--topic', 'zk-topic']);
    expect(after.stdout).toContain('PartitionCount: 3');

    const missing = await runCli('kafka-topics', [...zk(), '--describe', '--topic', 'no-such-topic']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Topic 'no-such-topic' does not exist as expected");

    const deleted = await runCli('kafka-topics', [...zk(), '--delete', '--topic', 'zk-topic']);
    expect(deleted).toMatchObject({
      code: 0,
      stdout: 'Topic zk-topic is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n',
    });
    await eventually(async () => {
      const r = await runCli('kafka-topics', [...zk(), '--list']);
      expect(r.stdout.split('\n')).not.toContain('zk-topic');
    });
  });

  it('creates with a replica assignment through ZooKeeper', async () => {
    const r = await runCli('kafka-topics', [...zk(), '--create', '--topic', 'assigned', '--replica-assignment', '0,0,0']);
    expect(r).toMatchObject({ code: 0, stdout: 'Created topic assigned.\n' });
    const d = await eventually(async () => {
      const x = await runCli('kafka-topics', [...zk(), '--describe', '--topic', 'assigned']);
      expect(x.stdout).toContain('PartitionCount: 3');
      return x;
    });
    expect(d.stdout).toContain('\tTopic: assigned\tPartition: 2\tLeader:');
  });

  it('creates, lists, describes, alters and deletes through the brokers', async () => {
    const created = await runCli('kafka-topics', [...bs(), '--create', '--topic', 'bs-topic', '--partitions', '3', '--replication-factor', '1']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic bs-topic.\n' });

    const dup = await runCli('kafka-topics', [...bs(), '--create', '--topic', 'bs-topic', '--partitions', '3', '--replication-factor', '1']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("Topic 'bs-topic' already exists.");

    const listed = await eventually(async () => {
      const r = await runCli('kafka-topics', [...bs(), '--list']);
      expect(r.stdout.split('\n')).toContain('bs-topic');
      return r;
    });
    const names = listed.stdout.trim().split('\n');
    expect(names).toEqual([...names].sort());

    const described = await runCli('kafka-topics', [...bs(), '--describe', '--topic', 'bs-topic']);
    expect(described.code).toBe(0);
    const lines = described.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Topic: bs-topic\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: /);
    expect(lines.slice(1)).toEqual([0, 1, 2].map((p) => `\tTopic: bs-topic\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0`));

    const under = await runCli('kafka-topics', [...bs(), '--describe', '--under-replicated-partitions']);
    expect(under).toMatchObject({ code: 0, stdout: '' });

    // CreatePartitions may not be served yet: then the tool must say so clearly.
    const altered = await runCli('kafka-topics', [...bs(), '--alter', '--topic', 'bs-topic', '--partitions', '4']);
    if (altered.code === 0) expect(altered.stdout).toContain('Adding partitions succeeded!');
    else expect(altered.stderr).toContain('does not support the CreatePartitions API');

    const deleted = await runCli('kafka-topics', [...bs(), '--delete', '--topic', 'bs-topic']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Topic bs-topic is marked for deletion.');
  });
});

describe('kafka-topics command-line errors', () => {
  it.each([
    [['--create', '--zookeeper', 'localhost:1', '--partitions', '1', '--replication-factor', '1'], 'Missing required argument "[topic]"'],
    [['--list', '--no-such-option', '--zookeeper', 'localhost:1'], "unknown option '--no-such-option'"],
    [['--list', '--zookeeper', 'localhost:1', '--bootstrap-server', 'localhost:2'], 'Only one of --bootstrap-server or --zookeeper must be specified'],
    [['--list'], 'Only one of --bootstrap-server or --zookeeper must be specified'],
    [['--create', '--zookeeper', 'localhost:1', '--topic', 't', '--partitions', 'three', '--replication-factor', '1'], 'expects an integer'],
    [['--create', '--zookeeper', 'localhost:1', '--topic', 't', '--partitions', '-1', '--replication-factor', '1'], 'The partitions must be greater than 0'],
    [[], 'Create, delete, describe, or change a topic.'],
  ])('%j exits 1 with a message and the usage', async (args, message) => {
    const r = await runCli('kafka-topics', args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Usage: kafka-topics');
  });
});
