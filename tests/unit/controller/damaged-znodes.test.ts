// The controller against damaged znodes (in-memory ZooKeeper): a damaged topic or partition state
// znode takes only that topic or partition out, and repairing the znode brings it back through a
// watch, with no failover or broker change needed.
import { KafkaController } from '../../../controller/kafka-controller';
import { broker, FakeZk, flush, recordingConnections, SentRequest } from './fake-cluster';

async function settle(controller: KafkaController) {
  for (let i = 0; i < 6; i++) {
    await controller.idle();
    await flush();
  }
}

async function start(zk: FakeZk, brokerId = 0) {
  const sent: SentRequest[] = [];
  const controller = new KafkaController({ brokerId, zkClient: zk, config: { autoLeaderRebalanceEnable: false }, connectionFactory: recordingConnections(sent) });
  await controller.startup();
  await settle(controller);
  return { controller, sent };
}

function cluster(n = 3): FakeZk {
  const zk = new FakeZk();
  for (let i = 0; i < n; i++) zk.brokers.set(i, broker(i));
  return zk;
}

const leader = (zk: FakeZk, key: string) => zk.states.get(key)!.leaderAndIsr.leader;

describe('KafkaController with damaged znodes', () => {
  const running: KafkaController[] = [];
  afterEach(async () => {
    for (const c of running.splice(0)) await c.shutdown();
  });

  test('a damaged topic znode at failover: the controller is elected once, serves the other topics, and loads the topic when the znode is repaired', async () => {
    const zk = cluster();
    zk.createTopic('good', [[0, 1], [1, 2]]);
    zk.createTopic('bad', [[2, 0], [0, 2]]);
    const first = await start(zk, 0);
    await first.controller.shutdown();
    zk.controllerId = null;
    zk.damagedTopics.add('bad');

    const { controller } = await start(zk, 1);
    running.push(controller);
    expect(controller.isActive()).toBe(true);
    expect(controller.context.allTopics.has('bad')).toBe(true); // known by name, as Kafka 2.4 reads it as empty
    expect(controller.context.hasPartition({ topic: 'bad', partition: 0 })).toBe(false);

    // New topics and broker failures are handled meanwhile.
    zk.createTopic('fresh', [[1, 0]]);
    zk.removeBroker(2);
    await settle(controller);
    expect(leader(zk, 'fresh-0')).toBe(1);
    expect(leader(zk, 'good-1')).toBe(1);
    expect(leader(zk, 'bad-0')).toBe(2); // untouched: the controller does not know the topic

    zk.repairTopic('bad');
    await settle(controller);
    expect(controller.context.hasPartition({ topic: 'bad', partition: 0 })).toBe(true);
    expect(leader(zk, 'bad-0')).toBe(0); // its dead leader replaced from the ISR
    expect(controller.context.partitionState(controller.context.tp('bad', 1))).toBe('OnlinePartition');
  });

  test('a topic whose znode is damaged can still be deleted', async () => {
    const zk = cluster();
    zk.createTopic('bad', [[0, 1]]);
    const first = await start(zk, 0);
    await first.controller.shutdown();
    zk.controllerId = null;
    zk.damagedTopics.add('bad');
    const { controller } = await start(zk, 1);
    running.push(controller);
    zk.markForDeletion('bad');
    await settle(controller);
    expect(zk.writes).toContain('delete topic bad');
    expect(zk.topics.has('bad')).toBe(false);
    expect(controller.context.allTopics.has('bad')).toBe(false);
  });

  test('a damaged partition state: the other partitions of a dead leader move, the damaged one stays Offline and untouched until its znode is repaired', async () => {
    const zk = cluster();
    zk.createTopic('t', [[0, 1], [0, 2], [1, 0]]);
    const { controller } = await start(zk, 2);
    running.push(controller);
    zk.damageState('t-0');
    await settle(controller);
    const damagedVersion = zk.states.get('t-0')!.leaderAndIsr.zkVersion;

    zk.removeBroker(0);
    await settle(controller);
    expect(leader(zk, 't-1')).toBe(2);
    expect(leader(zk, 't-2')).toBe(1);
    expect(controller.context.partitionState(controller.context.tp('t', 0))).toBe('OfflinePartition');
    expect(zk.states.get('t-0')!.leaderAndIsr.zkVersion).toBe(damagedVersion); // nobody wrote over the damage
    expect(zk.writes.filter((w) => w.startsWith('update t-0'))).toEqual([]);

    zk.repairState('t-0');
    await settle(controller);
    expect(leader(zk, 't-0')).toBe(1);
    expect(controller.context.partitionState(controller.context.tp('t', 0))).toBe('OnlinePartition');
  });

  test('a damaged state znode at failover starts Offline (never re-created) and is elected once repaired', async () => {
    const zk = cluster();
    zk.createTopic('t', [[0, 1], [1, 2]]);
    const first = await start(zk, 0);
    await first.controller.shutdown();
    zk.controllerId = null;
    zk.damageState('t-1');

    const { controller } = await start(zk, 2);
    running.push(controller);
    expect(controller.context.partitionState(controller.context.tp('t', 1))).toBe('OfflinePartition');
    expect(controller.context.partitionState(controller.context.tp('t', 0))).toBe('OnlinePartition');
    expect(zk.writes.filter((w) => w.startsWith('create t-1'))).toHaveLength(1); // only the original creation

    zk.repairState('t-1');
    await settle(controller);
    expect(controller.context.partitionState(controller.context.tp('t', 1))).toBe('OnlinePartition');
    expect(leader(zk, 't-1')).toBe(1);
  });
});
