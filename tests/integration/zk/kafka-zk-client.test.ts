// KafkaZkClient against a real ZooKeeper: every write compared with what Kafka 2.4 does
// (shared/reference/kafka-2.4-zookeeper): paths, JSON, multis (same-transaction writes share a zxid).
import { KafkaZkClient, generateClusterId } from '../../../controller/zk/kafka-zk-client';
import { BadVersionError, ControllerMovedError, NodeExistsError } from '../../../controller/zk/zk-errors';
import { BrokerIdZNode } from '../../../controller/zk/zk-data';
import type { WatchedEvent } from '../../../controller/zk/zookeeper-client';
import { freshChroot } from '../../helpers/zookeeper';

const SESSION_MS = 6000;
const broker = (id: number) => ({
  id,
  host: '127.0.0.1',
  port: 19092 + id,
  rack: null,
  endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 19092 + id }],
  jmxPort: -1,
  timestamp: 1795312108116,
});
const text = async (c: KafkaZkClient, path: string) => (await c.zk.getData(path)).data?.toString('utf8') ?? null;
const waitFor = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('KafkaZkClient', () => {
  let connect: string;
  const clients: KafkaZkClient[] = [];
  const open = async () => {
    const c = await KafkaZkClient.connect(connect, SESSION_MS);
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    connect = freshChroot('zk-client');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('creates the chroot, the persistent paths and the cluster id', async () => {
    const zk = await open();
    await zk.createTopLevelPaths();
    await zk.createTopLevelPaths(); // idempotent, as on every broker start
    expect((await zk.zk.getChildren('/')).sort()).toEqual(
      ['admin', 'brokers', 'config', 'consumers', 'isr_change_notification', 'latest_producer_id_block', 'log_dir_event_notification'],
    );
    expect((await zk.zk.getChildren('/config')).sort()).toEqual(['brokers', 'changes', 'clients', 'topics', 'users']);
    expect((await zk.zk.getData('/brokers/seqid')).data).toBeNull();

    const proposed = generateClusterId();
    expect(proposed).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await zk.getOrCreateClusterId(proposed)).toBe(proposed);
    expect(await zk.getOrCreateClusterId(generateClusterId())).toBe(proposed);
    expect(await text(zk, '/cluster/id')).toBe(`{"version":"1","id":"${proposed}"}`);
  });

  it('registers a broker in one multi, refuses a duplicate id, frees it with the session', async () => {
    const a = await open();
    const b = await open();
    const epoch = await a.registerBroker(broker(0));
    const stat = (await a.zk.exists('/brokers/ids/0'))!;
    // create (null data) + setData in one transaction: dataVersion 1 and mzxid == czxid, as Kafka's stat
    expect(stat.version).toBe(1);
    expect(stat.mzxid).toBe(stat.czxid);
    expect(epoch).toBe(stat.czxid);
    expect(stat.ephemeralOwner).toBe(a.zk.sessionId);
    expect(await text(a, '/brokers/ids/0')).toBe(BrokerIdZNode.encode(broker(0)).toString());

    await expect(b.registerBroker(broker(0))).rejects.toThrow(/already registered/);
    await expect(b.registerBroker(broker(0))).rejects.toBeInstanceOf(NodeExistsError);
    expect(await a.registerBroker(broker(0))).toBe(epoch); // same session: kept

    expect(await b.registerBroker(broker(1))).toBeGreaterThan(epoch);
    expect(await b.getBrokerIds()).toEqual([0, 1]);
    const all = await b.getAllBrokers();
    expect(all.map((x) => [x.id, x.port, x.epoch])).toEqual([[0, 19092, epoch], [1, 19093, all[1].epoch]]);

    await a.close();
    expect(await b.getBrokerIds()).toEqual([1]);
    expect(await b.registerBroker(broker(0))).toBeGreaterThan(epoch);
  });

  it('elects a controller with an epoch bump in the same multi and fences a deposed one', async () => {
    const first = await open();
    const second = await open();
    expect(await first.getControllerEpoch()).toBeNull();
    const won = await first.registerControllerAndIncrementEpoch(1);
    expect(won).toEqual({ epoch: 1, epochZkVersion: 1 });
    expect(await text(first, '/controller_epoch')).toBe('1');
    expect(await text(first, '/controller')).toMatch(/^\{"version":1,"brokerid":1,"timestamp":"\d+"\}$/);
    const controller = (await first.zk.exists('/controller'))!;
    const epochStat = (await first.zk.exists('/controller_epoch'))!;
    expect(controller.czxid).toBe(epochStat.mzxid); // one transaction
    expect(epochStat.czxid).toBeLessThan(epochStat.mzxid); // "0" was created first

    await expect(second.registerControllerAndIncrementEpoch(2)).rejects.toBeInstanceOf(ControllerMovedError);
    expect(await second.getControllerId()).toBe(1);

    // partition state written by the first controller (the topic znode comes first, as in Kafka)
    await first.createTopicAssignment('fenced', new Map([[0, [1, 2]], [1, [2, 1]], [2, [1, 2]]]));
    const created = await first.createTopicPartitionStates(
      [0, 1, 2].map((p) => ({ topic: 'fenced', partition: p, leader: 1, leaderEpoch: 0, isr: [1, 2], controllerEpoch: 1 })),
      won.epochZkVersion,
    );
    expect([...created.succeeded.keys()].sort()).toEqual(['fenced-0', 'fenced-1', 'fenced-2']);
    expect(await text(first, '/brokers/topics/fenced/partitions/1/state')).toBe('{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2]}');

    // the controller moves: the watch on /controller fires, the second broker wins epoch 2
    const events: WatchedEvent[] = [];
    expect(await second.getControllerId((e) => events.push(e))).toBe(1);
    await second.deleteController(-1);
    await waitFor(() => events.length > 0);
    expect(events[0]).toEqual({ type: 'NodeDeleted', path: '/controller' });
    expect(await second.registerControllerAndIncrementEpoch(2)).toEqual({ epoch: 2, epochZkVersion: 2 });

    // the deposed controller's fenced write fails and changes nothing
    const update = { topic: 'fenced', partition: 0, leaderAndIsr: { leader: 2, leaderEpoch: 1, isr: [2], zkVersion: 0 }, controllerEpoch: 1 };
    await expect(first.updateLeaderAndIsr([update], won.epochZkVersion)).rejects.toBeInstanceOf(ControllerMovedError);
    await expect(first.deleteTopicZNode('fenced', won.epochZkVersion)).rejects.toBeInstanceOf(ControllerMovedError);
    expect((await first.getTopicPartitionStates([{ topic: 'fenced', partition: 0 }])).get('fenced-0')!.leaderAndIsr.leader).toBe(1);
  });

  it('creates and updates partition states conditionally on their zkVersion', async () => {
    const zk = await open();
    const epochZkVersion = (await zk.getControllerEpoch())!.zkVersion;
    const n = 50;
    const states = Array.from({ length: n }, (_, p) => ({ topic: 'many', partition: p, leader: 0, leaderEpoch: 0, isr: [0], controllerEpoch: 2 }));
    await zk.createTopicAssignment('many', new Map(states.map((s) => [s.partition, [0]])));
    const created = await zk.createTopicPartitionStates(states, epochZkVersion);
    expect(created.succeeded.size).toBe(n);
    const again = await zk.createTopicPartitionStates(states.slice(0, 1), epochZkVersion);
    expect(again.failed.get('many-0')).toBeInstanceOf(NodeExistsError);
    expect(await zk.getTopicPartitions('many')).toEqual(states.map((s) => s.partition));

    const read = await zk.getTopicPartitionStates([{ topic: 'many', partition: 7 }, { topic: 'absent', partition: 0 }]);
    expect([...read.keys()]).toEqual(['many-7']);
    expect(read.get('many-7')).toEqual({ leaderAndIsr: { leader: 0, leaderEpoch: 0, isr: [0], zkVersion: 0 }, controllerEpoch: 2 });

    const result = await zk.updateLeaderAndIsr(
      [
        { topic: 'many', partition: 7, leaderAndIsr: { leader: -1, leaderEpoch: 1, isr: [0], zkVersion: 0 }, controllerEpoch: 2 },
        { topic: 'many', partition: 8, leaderAndIsr: { leader: -1, leaderEpoch: 1, isr: [0], zkVersion: 5 }, controllerEpoch: 2 },
      ],
      epochZkVersion,
    );
    expect(result.succeeded).toEqual(new Map([['many-7', 1]]));
    expect(result.failed.get('many-8')).toBeInstanceOf(BadVersionError);

    // a leader's own ISR write: conditional, not fenced by the controller epoch
    const isr = { leader: 0, leaderEpoch: 1, isr: [0, 1], controllerEpoch: 2 };
    expect(await zk.updatePartitionStateConditionally('many', 7, isr, 1)).toBe(2);
    expect(await zk.updatePartitionStateConditionally('many', 7, isr, 1)).toBe(2); // retried write already applied
    expect(await zk.updatePartitionStateConditionally('many', 7, { ...isr, isr: [0] }, 1)).toBeInstanceOf(BadVersionError);
  });

  it('watches topics one-shot, deletes topic znodes and deletion requests', async () => {
    const zk = await open();
    const epochZkVersion = (await zk.getControllerEpoch())!.zkVersion;
    const childEvents: WatchedEvent[] = [];
    const watcher = (e: WatchedEvent) => childEvents.push(e);
    await zk.getAllTopics(watcher);
    await zk.getAllTopics(watcher); // same watcher twice: still one notification
    await zk.createTopicAssignment('w', new Map([[0, [0]]]));
    await zk.createTopicAssignment('w2', new Map([[0, [0]]]));
    await waitFor(() => childEvents.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(childEvents).toEqual([{ type: 'NodeChildrenChanged', path: '/brokers/topics' }]);

    const changed: string[] = [];
    const onChange = (t: string) => changed.push(t);
    expect(new Map(await zk.getReplicaAssignment(['w', 'w2', 'nope'], onChange))).toEqual(new Map([['w', new Map([[0, [0]]])], ['w2', new Map([[0, [0]]])]]));
    await zk.setTopicAssignment('w', new Map([[0, [0]], [1, [0]]]));
    await waitFor(() => changed.length > 0);
    expect(changed).toEqual(['w']);

    await zk.createTopicPartitionStates([{ topic: 'w', partition: 0, leader: 0, leaderEpoch: 0, isr: [0], controllerEpoch: 2 }], epochZkVersion);
    await zk.setOrCreateEntityConfigs('topics', 'w', { 'retention.ms': '1000' });
    await zk.createTopicDeletion('w');
    expect(await zk.getTopicDeletions()).toEqual(['w']);
    await zk.deleteTopicZNode('w', epochZkVersion);
    await zk.deleteTopicConfigs(['w'], epochZkVersion);
    await zk.deleteTopicDeletions(['w'], epochZkVersion);
    expect(await zk.topicExists('w')).toBe(false);
    expect(await zk.zk.exists('/config/topics/w')).toBeNull();
    expect(await zk.getTopicDeletions()).toEqual([]);
    await zk.deleteTopicZNode('w', epochZkVersion); // absent: fine
  });

  it('handles ISR change notifications, config changes, admin requests and legacy offsets', async () => {
    const zk = await open();
    const epochZkVersion = (await zk.getControllerEpoch())!.zkVersion;
    const created = await zk.createIsrChangeNotification([{ topic: 'r3', partition: 2 }, { topic: 'r3', partition: 1 }]);
    expect(created).toBe('/isr_change_notification/isr_change_0000000000');
    const names = await zk.getIsrChangeNotifications();
    expect(names).toEqual(['isr_change_0000000000']);
    expect(await zk.getPartitionsFromIsrChangeNotifications(names)).toEqual([{ topic: 'r3', partition: 2 }, { topic: 'r3', partition: 1 }]);
    await zk.deleteIsrChangeNotifications(undefined, epochZkVersion);
    expect(await zk.getIsrChangeNotifications()).toEqual([]);

    await zk.setOrCreateEntityConfigs('topics', 'd', { 'segment.bytes': '200000' });
    await zk.setOrCreateEntityConfigs('topics', 'd', { 'segment.bytes': '200000', 'retention.ms': '3600000' });
    expect(await text(zk, '/config/topics/d')).toBe('{"version":1,"config":{"segment.bytes":"200000","retention.ms":"3600000"}}');
    expect(await zk.getEntityConfigs('topics', 'nope')).toEqual({});
    expect(await zk.createConfigChangeNotification('topics/d')).toBe('/config/changes/config_change_0000000000');
    expect((await zk.getConfigChangeNotifications()).map((n) => [n.name, n.entityPath])).toEqual([['config_change_0000000000', 'topics/d']]);
    expect((await zk.getAllEntityConfigs('topics')).get('d')).toEqual({ 'segment.bytes': '200000', 'retention.ms': '3600000' });

    const fired: string[] = [];
    expect(await zk.getPreferredReplicaElection((e) => fired.push(e.type))).toBeNull();
    await zk.createPreferredReplicaElection([{ topic: 'r3', partition: 0 }]);
    await waitFor(() => fired.length > 0);
    expect(fired).toEqual(['NodeCreated']);
    expect(await zk.getPreferredReplicaElection()).toEqual([{ topic: 'r3', partition: 0 }]);
    await zk.deletePreferredReplicaElection(epochZkVersion);
    await zk.createPartitionReassignment([{ topic: 'r3', partition: 0, replicas: [2, 1] }]);
    expect(await zk.getPartitionReassignment()).toEqual(new Map([['r3-0', [2, 1]]]));
    await zk.deletePartitionReassignment(epochZkVersion);
    expect(await zk.getPartitionReassignment()).toBeNull();

    expect(await zk.getConsumerOffset('g', 't', 0)).toBeNull();
    await zk.setConsumerOffset('g', 't', 0, 42);
    await zk.setConsumerOffset('g', 't', 0, 43);
    expect(await zk.getConsumerOffset('g', 't', 0)).toBe(43);
    expect(await text(zk, '/consumers/g/offsets/t/0')).toBe('43');
  });
});
