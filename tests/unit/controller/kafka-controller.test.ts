// The controller end to end against in-memory ZooKeeper and brokers: what it writes, in which
// order, and what each broker is told.
import { KafkaController } from '../../../controller/kafka-controller';
import { ControllerConfig } from '../../../controller/controller-types';
import { ControllerZkClient } from '../../../controller/controller-zk';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { broker, FakeZk, flush, recordingConnections, SentRequest } from './fake-cluster';

// Compile-time check: the real ZooKeeper client satisfies the controller's contract.
export const realClientFits = (c: KafkaZkClient): ControllerZkClient => c;

async function start(zk: FakeZk, config: Partial<ControllerConfig> = {}, brokerId = 0) {
  const sent: SentRequest[] = [];
  const active: boolean[] = [];
  const controller = new KafkaController({
    brokerId,
    zkClient: zk,
    config: { autoLeaderRebalanceEnable: false, ...config },
    connectionFactory: recordingConnections(sent),
    onActiveChange: (a) => active.push(a),
  });
  await controller.startup();
  await settle(controller);
  return { controller, sent, active };
}

async function settle(controller: KafkaController) {
  for (let i = 0; i < 4; i++) {
    await controller.idle();
    await flush();
  }
}

const state = (zk: FakeZk, key: string) => {
  const s = zk.states.get(key)!;
  return { leader: s.leaderAndIsr.leader, epoch: s.leaderAndIsr.leaderEpoch, isr: s.leaderAndIsr.isr };
};

function cluster(n = 3): FakeZk {
  const zk = new FakeZk();
  for (let i = 0; i < n; i++) zk.brokers.set(i, broker(i));
  return zk;
}

describe('KafkaController', () => {
  let controller: KafkaController | undefined;
  afterEach(async () => {
    await controller?.shutdown();
    controller = undefined;
  });

  test('wins the election, bumps the epoch and tells every live broker the broker list', async () => {
    const zk = cluster();
    const r = await start(zk);
    controller = r.controller;
    expect(controller.isActive()).toBe(true);
    expect(controller.epoch).toBe(1);
    expect(zk.controllerId).toBe(0);
    expect(r.active).toEqual([true]);
    const um = r.sent.filter((s) => s.request.api === 'UpdateMetadata');
    expect(um.map((s) => s.broker).sort()).toEqual([0, 1, 2]);
  });

  test('a loser stays passive and takes over when /controller disappears', async () => {
    const zk = cluster();
    zk.controllerId = 1;
    zk.controllerEpoch = 4;
    zk.epochZkVersion = 4;
    const r = await start(zk);
    controller = r.controller;
    expect(controller.isActive()).toBe(false);
    zk.controllerId = null;
    zk.fire('/controller');
    await settle(controller);
    expect(controller.isActive()).toBe(true);
    expect(controller.epoch).toBe(5);
  });

  test('new topic: leader = first live replica in assignment order, ISR = live replicas, epoch 0; LeaderAndIsr isNew', async () => {
    const zk = cluster();
    zk.brokers.delete(2);
    const r = await start(zk);
    controller = r.controller;
    r.sent.length = 0;
    zk.createTopic('r3', [[0, 2, 1], [2, 1, 0], [1, 0, 2]]);
    await settle(controller);
    expect(state(zk, 'r3-0')).toEqual({ leader: 0, epoch: 0, isr: [0, 1] });
    expect(state(zk, 'r3-1')).toEqual({ leader: 1, epoch: 0, isr: [1, 0] });
    expect(state(zk, 'r3-2')).toEqual({ leader: 1, epoch: 0, isr: [1, 0] });
    const lais = r.sent.filter((s) => s.request.api === 'LeaderAndIsr');
    expect(lais.map((s) => s.broker).sort()).toEqual([0, 1]); // one request per live broker
    const toBroker1 = lais.find((s) => s.broker === 1)!.request;
    if (toBroker1.api !== 'LeaderAndIsr') throw new Error();
    expect(toBroker1.body.topicStates[0].partitionStates.every((p) => p.isNew)).toBe(true);
    expect(toBroker1.body.topicStates[0].partitionStates).toHaveLength(3);
    // LeaderAndIsr before UpdateMetadata on each broker's connection.
    const order = r.sent.filter((s) => s.broker === 1).map((s) => s.request.api);
    expect(order.indexOf('LeaderAndIsr')).toBeLessThan(order.indexOf('UpdateMetadata'));
  });

  test('dead broker: its leaderships move to the next live ISR replica; last ISR member is kept with leader -1', async () => {
    const zk = cluster();
    zk.createTopic('r3', [[0, 2, 1], [2, 1, 0]]);
    zk.createTopic('single', [[0]]);
    const r = await start(zk);
    controller = r.controller;
    expect(state(zk, 'r3-0')).toEqual({ leader: 0, epoch: 0, isr: [0, 2, 1] });
    r.sent.length = 0;
    zk.removeBroker(0);
    await settle(controller);
    expect(state(zk, 'r3-0')).toEqual({ leader: 2, epoch: 1, isr: [2, 1] });
    expect(state(zk, 'r3-1')).toEqual({ leader: 2, epoch: 1, isr: [2, 1] });
    expect(state(zk, 'single-0')).toEqual({ leader: -1, epoch: 1, isr: [0] });
    expect(controller.context.partitionState(controller.context.tp('single', 0))).toBe('OfflinePartition');
    expect(r.sent.some((s) => s.broker === 0)).toBe(false);
    const um = r.sent.filter((s) => s.request.api === 'UpdateMetadata' && s.broker === 1).pop()!.request;
    if (um.api !== 'UpdateMetadata') throw new Error();
    expect(um.body.liveBrokers.map((b) => b.id)).toEqual([1, 2]);

    // It comes back: the offline partition gets its only ISR member as leader again.
    zk.addBroker(broker(0, 500));
    await settle(controller);
    expect(state(zk, 'single-0')).toEqual({ leader: 0, epoch: 2, isr: [0] });
    expect(r.sent.some((s) => s.broker === 0 && s.request.api === 'LeaderAndIsr')).toBe(true);
  });

  test('unclean election only with the topic override', async () => {
    const zk = cluster(2);
    zk.createTopic('u', [[0, 1]]);
    zk.createTopic('c', [[0, 1]]);
    const r = await start(zk);
    controller = r.controller;
    // Broker 1 fell out of both ISRs earlier.
    for (const t of ['u', 'c']) {
      const s = zk.states.get(`${t}-0`)!;
      zk.states.set(`${t}-0`, { ...s, leaderAndIsr: { ...s.leaderAndIsr, isr: [0], zkVersion: 1 } });
    }
    zk.topicConfigs.set('u', { 'unclean.leader.election.enable': 'true' });
    zk.removeBroker(0);
    await settle(controller);
    expect(state(zk, 'u-0').leader).toBe(1);
    expect(state(zk, 'u-0').isr).toEqual([1]);
    expect(state(zk, 'c-0').leader).toBe(-1);
  });

  test('a bounced broker (same id, new epoch) is handled as dead then new', async () => {
    const zk = cluster();
    zk.createTopic('r3', [[0, 1, 2]]);
    const r = await start(zk);
    controller = r.controller;
    zk.brokers.set(0, broker(0, 999));
    zk.fire('/brokers/ids');
    await settle(controller);
    // Leadership moved away from 0 when it "died", and 0 was told about the partition again.
    expect(state(zk, 'r3-0').leader).toBe(1);
    expect(controller.context.liveBrokerIdAndEpochs().get(0)).toBe(999);
    const lais0 = r.sent.filter((s) => s.broker === 0 && s.request.api === 'LeaderAndIsr').pop()!.request;
    if (lais0.api !== 'LeaderAndIsr') throw new Error();
    expect(lais0.body.brokerEpoch).toBe(999);
  });

  test('topic deletion: leader -2 metadata, StopReplica delete to every replica, then znodes removed', async () => {
    const zk = cluster();
    zk.createTopic('d', [[1, 0], [2, 1]]);
    zk.topicConfigs.set('d', { 'segment.bytes': '200000' });
    const r = await start(zk);
    controller = r.controller;
    r.sent.length = 0;
    zk.writes.length = 0;
    zk.markForDeletion('d');
    await settle(controller);
    expect(zk.topics.has('d')).toBe(false);
    expect(zk.deletions.has('d')).toBe(false);
    expect(zk.topicConfigs.has('d')).toBe(false);
    expect(zk.writes.slice(-3)).toEqual(['delete topic d', 'delete config d', 'delete marker d']);
    expect(controller.context.allTopics.has('d')).toBe(false);
    const deletes = r.sent.filter((s) => s.request.api === 'StopReplica' && s.request.body.deletePartitions);
    expect(deletes.map((s) => s.broker).sort()).toEqual([0, 1, 2]);
    const um = r.sent.find((s) => s.request.api === 'UpdateMetadata')!.request;
    if (um.api !== 'UpdateMetadata') throw new Error();
    expect(um.body.topicStates[0].partitionStates.every((p) => p.leader === -2)).toBe(true);
  });

  test('topic deletion waits for a dead replica broker, then completes when it returns', async () => {
    const zk = cluster();
    zk.createTopic('d', [[1, 2]]);
    const r = await start(zk);
    controller = r.controller;
    zk.removeBroker(2);
    await settle(controller);
    zk.markForDeletion('d');
    await settle(controller);
    expect(zk.topics.has('d')).toBe(true);
    expect(controller.context.topicsIneligibleForDeletion.has('d')).toBe(true);
    zk.addBroker(broker(2, 700));
    await settle(controller);
    expect(zk.topics.has('d')).toBe(false);
  });

  test('delete.topic.enable=false removes the marker and keeps the topic', async () => {
    const zk = cluster();
    zk.createTopic('keep', [[0]]);
    const r = await start(zk, { deleteTopicEnable: false });
    controller = r.controller;
    zk.markForDeletion('keep');
    await settle(controller);
    expect(zk.deletions.size).toBe(0);
    expect(zk.topics.has('keep')).toBe(true);
  });

  test('ISR change notification: re-reads the states and sends UpdateMetadata, deletes the notification', async () => {
    const zk = cluster();
    zk.createTopic('r3', [[0, 1, 2]]);
    const r = await start(zk);
    controller = r.controller;
    const s = zk.states.get('r3-0')!;
    zk.states.set('r3-0', { ...s, leaderAndIsr: { ...s.leaderAndIsr, isr: [0, 1], zkVersion: 1 } });
    zk.isrNotifications.set('isr_change_0000000000', [{ topic: 'r3', partition: 0 }]);
    r.sent.length = 0;
    zk.fire('/isr_change_notification');
    await settle(controller);
    expect(zk.isrNotifications.size).toBe(0);
    const um = r.sent.filter((x) => x.request.api === 'UpdateMetadata');
    expect(um.map((x) => x.broker).sort()).toEqual([0, 1, 2]);
    const body = um[0].request;
    if (body.api !== 'UpdateMetadata') throw new Error();
    expect(body.body.topicStates[0].partitionStates[0]).toMatchObject({ isr: [0, 1], zkVersion: 1 });
  });

  test('controlled shutdown moves leadership off the broker and shrinks ISRs', async () => {
    const zk = cluster();
    zk.createTopic('r3', [[0, 1, 2], [1, 0, 2]]);
    zk.createTopic('single', [[0]]);
    const r = await start(zk);
    controller = r.controller;
    const result = await controller.controlledShutdown(0, 100);
    expect(result.errorCode).toBe(0);
    expect(result.remainingPartitions).toEqual([]);
    expect(state(zk, 'r3-0')).toEqual({ leader: 1, epoch: 1, isr: [1, 2] });
    expect(state(zk, 'r3-1')).toEqual({ leader: 1, epoch: 1, isr: [1, 2] });
    expect(state(zk, 'single-0').leader).toBe(0); // cannot move; goes offline with the broker
    expect(r.sent.some((s) => s.broker === 0 && s.request.api === 'StopReplica' && !s.request.body.deletePartitions)).toBe(true);
    expect((await controller.controlledShutdown(0, 50)).errorCode).toBe(77); // STALE_BROKER_EPOCH
    expect((await controller.controlledShutdown(9, -1)).errorCode).toBe(8); // BROKER_NOT_AVAILABLE
  });

  test('a controller whose epoch moved resigns on its next fenced write', async () => {
    const zk = cluster();
    const r = await start(zk);
    controller = r.controller;
    zk.stealEpoch();
    zk.controllerId = 1;
    zk.createTopic('late', [[0]]);
    await settle(controller);
    expect(controller.isActive()).toBe(false);
    expect(zk.states.has('late-0')).toBe(false);
    expect(r.active).toEqual([true, false]);
  });

  test('preferred replica election from ZooKeeper restores the preferred leader and deletes the request', async () => {
    const zk = cluster();
    zk.createTopic('p', [[0, 1]]);
    const r = await start(zk);
    controller = r.controller;
    zk.removeBroker(0);
    await settle(controller);
    zk.addBroker(broker(0, 300));
    await settle(controller);
    expect(state(zk, 'p-0').leader).toBe(1);
    const s = zk.states.get('p-0')!; // broker 0 caught up and rejoined the ISR
    zk.states.set('p-0', { ...s, leaderAndIsr: { ...s.leaderAndIsr, isr: [1, 0], zkVersion: s.leaderAndIsr.zkVersion + 1 } });
    zk.preferred = [{ topic: 'p', partition: 0 }];
    zk.fire('/admin/preferred_replica_election');
    await settle(controller);
    expect(state(zk, 'p-0').leader).toBe(0);
    expect(zk.preferred).toBeNull();
  });
});
