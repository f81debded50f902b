// Hostile ZooKeeper content against a real 3-broker cluster: garbage written into znodes (as a
// broken tool or an operator's zkCli.sh could) must affect only its own topic, partition or
// request. Each damaged znode gets one error line naming it (per broker that reads it, not per
// read), the rest of the cluster keeps working, and repairing the znode brings its topic or
// partition back. Kafka 2.4 loops on controller election for a damaged topic znode and leaves a
// partition with a damaged state znode offline; these tests pin Zafka's better behaviour.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CreateTopics } from '../../../broker/protocol/messages/create-topics';
import { AdminZkClient } from '../../../controller/zk/admin-zk-client';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { CreateMode } from '../../../controller/zk/zookeeper-client';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kcat } from '../../helpers/kcat';
import { clusterMetadata, partitionsOf } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

const ELECTION_ERROR = 'Error while electing or becoming controller';

describe('damaged znodes', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  const figures: Record<string, number> = {};

  /** Lines containing `text` in every broker's output (dead brokers' files included). */
  const linesWith = (text: string) =>
    cluster.brokers.reduce((n, b) => n + cluster.output(b.id).split('\n').filter((l) => l.includes(text)).length, 0);
  const damagedLines = (znode: string) => linesWith(`Invalid znode ${znode}`);
  const liveBootstrap = () => cluster.brokers.filter((b) => b.process !== null).map((b) => `127.0.0.1:${b.port}`).join(',');

  /**
   * Produces with acks=all through kcat: librdkafka serves the partitions that have a leader even
   * when another partition of the topic has none (kafkajs refuses the whole topic's metadata).
   */
  async function produce(topic: string, partition: number, values: string[]): Promise<void> {
    const r = await kcat(['-P', '-b', liveBootstrap(), '-t', topic, '-p', String(partition), '-X', 'acks=all'], { input: values.join('\n') + '\n', timeoutMs: 60000 });
    expect(r.code).toBe(0);
  }

  async function expectConsumed(topic: string, values: string[]): Promise<void> {
    const rows = await consumeUntilAll(liveBootstrap(), topic, values, 30000);
    const got = new Set(rows.map((r) => r.value));
    expect(values.filter((v) => !got.has(v))).toEqual([]);
  }

  /**
   * CreateTopics sent to the controller (raw protocol: kafkajs's admin refreshes metadata of every
   * topic and gives up on any leaderless partition, such as those of a damaged topic whose leader
   * died), then waits for every partition to have a leader.
   */
  async function createTopics(topics: { topic: string; numPartitions?: number; replicationFactor?: number; replicaAssignment?: { partition: number; replicas: number[] }[] }[]): Promise<void> {
    const controller = cluster.broker((await clusterMetadata(cluster)).controllerId);
    const client = await KafkaClient.connect('127.0.0.1', controller.port, { clientId: 'damaged-znodes-test' });
    try {
      const r = await client.send(CreateTopics, 2, {
        topics: topics.map((t) => ({
          name: t.topic,
          numPartitions: t.replicaAssignment ? -1 : (t.numPartitions ?? 1),
          replicationFactor: t.replicaAssignment ? -1 : (t.replicationFactor ?? 1),
          assignments: (t.replicaAssignment ?? []).map((a) => ({ partitionIndex: a.partition, brokerIds: a.replicas })),
          configs: [],
        })),
        timeoutMs: 30000,
        validateOnly: false,
      });
      expect(r.topics.map((t) => [t.name, t.errorCode])).toEqual(topics.map((t) => [t.topic, ErrorCode.NONE]));
    } finally {
      client.close();
    }
    for (const t of topics) {
      const expected = t.replicaAssignment?.length ?? t.numPartitions ?? 1;
      await waitFor(`leaders for ${t.topic}`, async () => {
        const parts = await partitionsOf(cluster, t.topic);
        return parts.length === expected && parts.every((p) => p.leader >= 0);
      }, 40000, 200);
    }
  }

  const leadersOf = async (topic: string) => (await partitionsOf(cluster, topic)).map((p) => p.leader);

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'auto.leader.rebalance.enable': false } });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
  });

  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
    fs.writeFileSync(path.join(os.tmpdir(), 'zafka-damaged-znodes-figures.json'), JSON.stringify(figures, null, 2));
  });

  test('garbage JSON in /brokers/topics/<t>, then the controller is killed: one new controller (no election loop), other topics and CreateTopics work, the topic returns when repaired', async () => {
    await createTopics([
      { topic: 'healthy', numPartitions: 3, replicationFactor: 3 },
      { topic: 'broken', numPartitions: 3, replicationFactor: 3 },
    ]);
    await produce('healthy', 0, ['h0']);
    await produce('broken', 1, ['b-before']);
    const original = (await zk.zk.getData('/brokers/topics/broken')).data!;
    await zk.zk.setData('/brokers/topics/broken', Buffer.from('{"version":2,"partitions":{"0":[1,2,'));

    const before = (await clusterMetadata(cluster)).controllerId;
    await cluster.kill(before);
    const after = await waitFor('a new controller', async () => {
      const m = await clusterMetadata(cluster);
      return m.controllerId > 0 && m.controllerId !== before && m.brokers.length === 2 ? m.controllerId : undefined;
    }, 40000, 200);

    await createTopics([{ topic: 'created-after', numPartitions: 2, replicationFactor: 2 }]);
    await produce('healthy', 1, ['h1']);
    await produce('created-after', 0, ['c0']);
    await expectConsumed('healthy', ['h0', 'h1']);
    await expectConsumed('created-after', ['c0']);

    // Let any would-be election loop show itself before counting.
    await new Promise((r) => setTimeout(r, 3000));
    figures.electionErrorLines = linesWith(ELECTION_ERROR);
    figures.brokersTopicsLines = damagedLines('/brokers/topics/broken');
    expect(figures.electionErrorLines).toBe(0);
    expect((await clusterMetadata(cluster)).controllerId).toBe(after);
    expect(figures.brokersTopicsLines).toBeGreaterThanOrEqual(1);
    expect(figures.brokersTopicsLines).toBeLessThanOrEqual(2);

    // Repair: the data watch on the topic znode loads it; partitions led by the dead broker get new leaders.
    await zk.zk.setData('/brokers/topics/broken', original);
    await waitFor('every partition of the repaired topic led by a live broker', async () => {
      const leaders = await leadersOf('broken');
      return leaders.length === 3 && leaders.every((l) => l > 0 && l !== before);
    }, 30000, 200);
    await produce('broken', 1, ['b-after']);
    await expectConsumed('broken', ['b-before', 'b-after']);

    await cluster.startBroker(before);
    await cluster.waitForAllBrokers();
  });

  test('garbage in a partition state znode, then its leader is killed: other partitions get new leaders and serve; the partition returns when its znode is repaired', async () => {
    const controller = (await clusterMetadata(cluster)).controllerId;
    const [leader, follower] = cluster.brokers.map((b) => b.id).filter((id) => id !== controller);
    await createTopics([
      {
        topic: 'states',
        replicaAssignment: [
          { partition: 0, replicas: [leader, follower] },
          { partition: 1, replicas: [leader, controller] },
          { partition: 2, replicas: [follower, leader] },
        ],
      },
      { topic: 'bystander', replicaAssignment: [{ partition: 0, replicas: [leader, follower] }, { partition: 1, replicas: [leader, controller] }] },
    ]);
    for (let p = 0; p < 3; p++) await produce('states', p, [`s${p}-before`]);
    await produce('bystander', 0, ['y-before']);

    const statePath = '/brokers/topics/states/partitions/0/state';
    const original = (await zk.zk.getData(statePath)).data!;
    const garbage = Buffer.from('{"controller_epoch":1,"leader":"x","version":1,"leader_epoch":0,"isr":"1,2"}');
    await zk.zk.setData(statePath, garbage);
    await cluster.kill(leader);

    await waitFor('new leaders for the undamaged partitions', async () => {
      const [states, bystander] = [await leadersOf('states'), await leadersOf('bystander')];
      return states[1] === controller && states[2] === follower && bystander[0] === follower && bystander[1] === controller;
    }, 40000, 200);
    await produce('states', 1, ['s1-after']);
    await produce('states', 2, ['s2-after']);
    await produce('bystander', 0, ['y-after']);
    await expectConsumed('bystander', ['y-before', 'y-after']);
    expect((await zk.zk.getData(statePath)).data).toEqual(garbage); // nobody overwrote the damage

    await new Promise((r) => setTimeout(r, 2000));
    figures.partitionStateLines = damagedLines(statePath);
    expect(figures.partitionStateLines).toBeGreaterThanOrEqual(1);
    expect(figures.partitionStateLines).toBeLessThanOrEqual(2);

    // Repair with what was there (leader = the dead broker): the controller's watch on the damaged
    // znode elects the live ISR member, with no broker change and no failover needed.
    await zk.zk.setData(statePath, original);
    await waitFor('the repaired partition led by the follower', async () => (await leadersOf('states'))[0] === follower, 30000, 200);
    await produce('states', 0, ['s0-after']);
    await expectConsumed('states', ['s0-before', 's1-before', 's2-before', 's0-after', 's1-after', 's2-after']);
    expect((await clusterMetadata(cluster)).controllerId).toBe(controller);

    await cluster.startBroker(leader);
    await cluster.waitForAllBrokers();
  });

  test('garbage in a state znode of a partition led by the controller, then the controller is killed: the new controller serves every other partition and elects the damaged one once repaired', async () => {
    const controller = (await clusterMetadata(cluster)).controllerId;
    const [a, b] = cluster.brokers.map((x) => x.id).filter((id) => id !== controller);
    await createTopics([
      { topic: 'failover-states', replicaAssignment: [{ partition: 0, replicas: [controller, a] }, { partition: 1, replicas: [controller, b] }, { partition: 2, replicas: [a, controller] }] },
    ]);
    for (let p = 0; p < 3; p++) await produce('failover-states', p, [`f${p}-before`]);
    const statePath = '/brokers/topics/failover-states/partitions/0/state';
    const original = (await zk.zk.getData(statePath)).data!;
    await zk.zk.setData(statePath, Buffer.from('{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,1,"x"]}'));
    await cluster.kill(controller);

    await waitFor('a new controller and new leaders for the undamaged partitions', async () => {
      const m = await clusterMetadata(cluster);
      const leaders = await leadersOf('failover-states');
      return m.controllerId > 0 && m.controllerId !== controller && leaders[1] === b && leaders[2] === a;
    }, 40000, 200);
    await produce('failover-states', 1, ['f1-after']);
    await produce('failover-states', 2, ['f2-after']);

    await zk.zk.setData(statePath, original);
    await waitFor('the repaired partition led by its live ISR member', async () => (await leadersOf('failover-states'))[0] === a, 30000, 200);
    await produce('failover-states', 0, ['f0-after']);
    await expectConsumed('failover-states', ['f0-before', 'f1-before', 'f2-before', 'f0-after', 'f1-after', 'f2-after']);
    figures.failoverPartitionStateLines = damagedLines(statePath);
    expect(figures.failoverPartitionStateLines).toBeGreaterThanOrEqual(1);
    expect(figures.failoverPartitionStateLines).toBeLessThanOrEqual(2);
    expect(linesWith(ELECTION_ERROR)).toBe(0);

    await cluster.startBroker(controller);
    await cluster.waitForAllBrokers();
  });

  test('garbage in /admin/reassign_partitions, /admin/preferred_replica_election, an ISR change notification, a config change notification and /config/topics/<t>: one error line each per reader, and the cluster keeps working', async () => {
    await createTopics([
      { topic: 'moving', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
      { topic: 'configured', numPartitions: 1, replicationFactor: 3 },
    ]);

    // A reassignment request that cannot be read is deleted; the next valid one completes.
    await zk.zk.create('/admin/reassign_partitions', Buffer.from('{"version":1,"partitions":[{"topic":"moving","partition":"zero","replicas":[3]}]}'));
    await waitFor('the damaged reassignment request deleted', async () => (await zk.zk.exists('/admin/reassign_partitions')) === null, 30000, 200);
    await zk.createPartitionReassignment([{ topic: 'moving', partition: 0, replicas: [2, 3] }]);
    await waitFor('the valid reassignment done', async () => {
      const done = (await zk.getPartitionReassignmentList()) === null;
      return done && JSON.stringify((await zk.getReplicaAssignment(['moving'])).get('moving')?.get(0)) === '[2,3]';
    }, 40000, 300);

    await zk.zk.create('/admin/preferred_replica_election', Buffer.from('not json at all'));
    await waitFor('the damaged election request deleted', async () => (await zk.zk.exists('/admin/preferred_replica_election')) === null, 30000, 200);

    const isrNote = await zk.zk.create('/isr_change_notification/isr_change_', Buffer.from('{"version":1,"partitions":[{"topic":7,"partition":0}]}'), CreateMode.PERSISTENT_SEQUENTIAL);
    await waitFor('the damaged ISR notification consumed', async () => (await zk.zk.exists(isrNote)) === null, 30000, 200);

    const configNote = await zk.zk.create('/config/changes/config_change_', Buffer.from('{"version":2}'), CreateMode.PERSISTENT_SEQUENTIAL);
    await zk.zk.setData('/config/topics/configured', Buffer.from('{"version":1,"config":{"retention.ms":{"nested":true}}}'));
    await zk.createConfigChangeNotification('topics/configured');
    // A valid change after the damaged ones is still applied by every broker.
    await new AdminZkClient(zk).changeTopicConfig('moving', { 'retention.ms': '3600000' });
    await waitFor('every broker applied the valid config change', () =>
      cluster.brokers.every((b) => cluster.output(b.id).includes('Processing override for entityPath: topics/moving')), 30000, 200);

    await createTopics([{ topic: 'after-garbage', numPartitions: 2, replicationFactor: 3 }]);
    await produce('configured', 0, ['cfg']);
    await produce('after-garbage', 1, ['ag']);
    await expectConsumed('configured', ['cfg']);
    await expectConsumed('after-garbage', ['ag']);

    await new Promise((r) => setTimeout(r, 2000));
    figures.reassignLines = damagedLines('/admin/reassign_partitions');
    figures.preferredElectionLines = damagedLines('/admin/preferred_replica_election');
    figures.isrNotificationLines = damagedLines(isrNote);
    figures.configChangeLines = damagedLines(configNote);
    figures.configTopicLines = damagedLines('/config/topics/configured');
    expect(figures.reassignLines).toBe(1);
    expect(figures.preferredElectionLines).toBe(1);
    expect(figures.isrNotificationLines).toBe(1);
    // Every broker watches /config/changes and reloads the topic: one line per broker at most.
    expect(figures.configChangeLines).toBeGreaterThanOrEqual(1);
    expect(figures.configChangeLines).toBeLessThanOrEqual(3);
    expect(figures.configTopicLines).toBeGreaterThanOrEqual(1);
    expect(figures.configTopicLines).toBeLessThanOrEqual(3);
    expect(linesWith(ELECTION_ERROR)).toBe(0);
  });
});
