// Partition reassignment and ElectLeaders through the controller, against in-memory ZooKeeper and
// brokers: the assignment steps (pure), then the order of ZooKeeper writes and broker requests.
import { KafkaController } from '../../../controller/kafka-controller';
import {
  fromOldAndNewReplicas,
  isReassignmentComplete,
  originReplicas,
  reassignTo,
  replicaAssignment,
  targetReplicas,
} from '../../../controller/replica-reassignment';
import { ErrorCode } from '../../../broker/protocol/errors';
import { broker, FakeZk, flush, recordingConnections, SentRequest } from './fake-cluster';

describe('ReplicaAssignment steps', () => {
  test('RS = target ++ origin, AR = target - origin, RR = origin - target', () => {
    const a = fromOldAndNewReplicas([1, 2], [2, 3]);
    expect(a).toEqual({ replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] });
    expect(originReplicas(a)).toEqual([2, 1]); // RS order, as Kafka
    expect(targetReplicas(a)).toEqual([2, 3]);
    expect(fromOldAndNewReplicas([1, 2, 3], [4, 5, 6]).replicas).toEqual([4, 5, 6, 1, 2, 3]);
  });

  test('a replacing reassignment starts from the origin replicas, not the half-added ones', () => {
    const first = fromOldAndNewReplicas([1, 2], [2, 3]);
    expect(reassignTo(first, [2, 4])).toEqual({ replicas: [2, 4, 1], addingReplicas: [4], removingReplicas: [1] });
    // Cancelling (target = origin) leaves nothing to add or remove.
    expect(reassignTo(first, [1, 2])).toEqual({ replicas: [1, 2], addingReplicas: [], removingReplicas: [] });
  });

  test('complete once every target replica is in the ISR', () => {
    const a = fromOldAndNewReplicas([1, 2], [2, 3]);
    expect(isReassignmentComplete(a, [1, 2])).toBe(false);
    expect(isReassignmentComplete(a, null)).toBe(false);
    expect(isReassignmentComplete(a, [1, 2, 3])).toBe(true);
    expect(isReassignmentComplete(replicaAssignment([1]), [])).toBe(true);
  });
});

async function start(zk: FakeZk) {
  const sent: SentRequest[] = [];
  const controller = new KafkaController({ brokerId: 0, zkClient: zk, config: { autoLeaderRebalanceEnable: false }, connectionFactory: recordingConnections(sent) });
  await controller.startup();
  await settle(controller);
  return { controller, sent };
}

async function settle(controller: KafkaController) {
  for (let i = 0; i < 4; i++) {
    await controller.idle();
    await flush();
  }
}

function cluster(): FakeZk {
  const zk = new FakeZk();
  for (const id of [1, 2, 3]) zk.brokers.set(id, broker(id));
  return zk;
}

const leaderAndIsrTo = (sent: SentRequest[], brokerId: number) =>
  sent.flatMap((s) => (s.broker === brokerId && s.request.api === 'LeaderAndIsr' ? s.request.body.topicStates.flatMap((t) => t.partitionStates) : []));
const stopReplicaTo = (sent: SentRequest[], brokerId: number) =>
  sent.flatMap((s) => (s.broker === brokerId && s.request.api === 'StopReplica' ? [s.request.body.deletePartitions] : []));

describe('partition reassignment', () => {
  let controller: KafkaController | undefined;
  afterEach(async () => {
    await controller?.shutdown();
    controller = undefined;
  });

  test('[1,2] -> [2,3]: phase A writes RS/AR/RR and starts replica 3; phase B moves the leader, stops 1, cleans up', async () => {
    const zk = cluster();
    zk.createTopic('t', [[1, 2]]);
    const r = await start(zk);
    controller = r.controller;
    zk.writes.length = 0;
    r.sent.length = 0;

    zk.requestReassignment([{ topic: 't', partition: 0, replicas: [2, 3] }]);
    await settle(controller);
    expect(zk.writes).toEqual(['assign t 0:2,3,1 adding=0:3 removing=0:1', 'update t-0 leader=1 epoch=1 isr=1,2']);
    for (const b of [1, 2, 3]) expect(leaderAndIsrTo(r.sent, b).map((p) => [p.leader, p.leaderEpoch, p.replicas])).toContainEqual([1, 1, [2, 3, 1]]);
    expect(controller.context.partitionReplicaAssignment({ topic: 't', partition: 0 })).toEqual([2, 3, 1]);
    expect(zk.reassignment).not.toBeNull();

    // The leader adds 3 to the ISR once it caught up: the state znode watch fires.
    zk.writes.length = 0;
    r.sent.length = 0;
    zk.leaderSetsIsr('t-0', [1, 2, 3]);
    await settle(controller);
    expect(zk.writes).toEqual([
      'update t-0 leader=2 epoch=2 isr=1,2,3', // B3: leader 1 is not in TRS
      'update t-0 leader=2 epoch=3 isr=2,3', // B4: 1 leaves the ISR
      'assign t 0:2,3 adding= removing=', // B6
      'delete reassign', // B7
    ]);
    expect(stopReplicaTo(r.sent, 1)).toEqual([false, true]);
    expect(leaderAndIsrTo(r.sent, 1)).toEqual([]);
    expect(leaderAndIsrTo(r.sent, 3).map((p) => [p.leader, p.replicas])).toContainEqual([2, [2, 3]]);
    expect(controller.context.partitionReplicaAssignment({ topic: 't', partition: 0 })).toEqual([2, 3]);
    expect(controller.reassignments.partitionsBeingReassigned()).toEqual([]);
  });

  test('one partition completes: the request znode keeps the others', async () => {
    const zk = cluster();
    zk.createTopic('t', [[1], [1]]);
    const r = await start(zk);
    controller = r.controller;
    zk.requestReassignment([
      { topic: 't', partition: 0, replicas: [2] },
      { topic: 't', partition: 1, replicas: [3] },
    ]);
    await settle(controller);
    zk.writes.length = 0;
    zk.leaderSetsIsr('t-0', [1, 2]);
    await settle(controller);
    expect(zk.writes).toContain('set reassign t-1=3');
    expect(zk.reassignment).toEqual([{ topic: 't', partition: 1, replicas: [3] }]);
    expect(zk.topics.get('t')).toEqual(new Map([[0, [2]], [1, [3, 1]]]));
    expect(zk.states.get('t-0')!.leaderAndIsr).toMatchObject({ leader: 2, isr: [2] });
  });

  test('a new controller resumes from the topic znode (adding/removing replicas)', async () => {
    const zk = cluster();
    zk.createTopic('t', [[2, 3, 1]]);
    zk.adding.set('t', new Map([[0, [3]]]));
    zk.removing.set('t', new Map([[0, [1]]]));
    zk.states.set('t-0', { leaderAndIsr: { leader: 1, leaderEpoch: 4, isr: [1, 2, 3], zkVersion: 7 }, controllerEpoch: 0 });
    const r = await start(zk);
    controller = r.controller;
    expect(zk.topics.get('t')).toEqual(new Map([[0, [2, 3]]]));
    expect(zk.states.get('t-0')!.leaderAndIsr).toMatchObject({ leader: 2, isr: [2, 3] });
    expect(zk.adding.get('t')!.size).toBe(0);
  });

  test('unknown partitions and empty replica lists are dropped from the request', async () => {
    const zk = cluster();
    zk.createTopic('t', [[1]]);
    const r = await start(zk);
    controller = r.controller;
    zk.requestReassignment([
      { topic: 'nope', partition: 0, replicas: [2] },
      { topic: 't', partition: 0, replicas: [] },
    ]);
    await settle(controller);
    expect(zk.reassignment).toBeNull();
    expect(zk.topics.get('t')).toEqual(new Map([[0, [1]]]));
  });
});

describe('ElectLeaders (AdminClientTriggered preferred election)', () => {
  let controller: KafkaController | undefined;
  afterEach(async () => {
    await controller?.shutdown();
    controller = undefined;
  });

  test('moves leadership back to the preferred replica, then answers ELECTION_NOT_NEEDED', async () => {
    const zk = cluster();
    zk.createTopic('p', [[1, 2], [3]]);
    zk.states.set('p-0', { leaderAndIsr: { leader: 2, leaderEpoch: 3, isr: [2, 1], zkVersion: 5 }, controllerEpoch: 0 });
    zk.states.set('p-1', { leaderAndIsr: { leader: 3, leaderEpoch: 0, isr: [3], zkVersion: 0 }, controllerEpoch: 0 });
    const r = await start(zk);
    controller = r.controller;
    const first = await controller.electPreferredLeaders([{ topic: 'p', partition: 0 }, { topic: 'p', partition: 1 }, { topic: 'x', partition: 0 }]);
    expect(first.map((x) => [x.topic, x.partition, x.errorCode, x.leader])).toEqual(
      expect.arrayContaining([
        ['p', 0, ErrorCode.NONE, 1],
        ['p', 1, ErrorCode.ELECTION_NOT_NEEDED, -1],
        ['x', 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1],
      ]),
    );
    expect(zk.states.get('p-0')!.leaderAndIsr).toMatchObject({ leader: 1, leaderEpoch: 4 });
    const second = await controller.electPreferredLeaders(null);
    expect(second.every((x) => x.errorCode === ErrorCode.ELECTION_NOT_NEEDED)).toBe(true);
  });

  test('PREFERRED_LEADER_NOT_AVAILABLE when the preferred replica is out of the ISR', async () => {
    const zk = cluster();
    zk.createTopic('p', [[1, 2]]);
    zk.states.set('p-0', { leaderAndIsr: { leader: 2, leaderEpoch: 3, isr: [2], zkVersion: 5 }, controllerEpoch: 0 });
    const r = await start(zk);
    controller = r.controller;
    const [res] = await controller.electPreferredLeaders([{ topic: 'p', partition: 0 }]);
    expect(res.errorCode).toBe(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
    expect(res.errorMessage).toMatch(/Failed to elect leader/);
  });

  test('a broker that is not the controller answers NOT_CONTROLLER', async () => {
    const zk = cluster();
    zk.controllerId = 2;
    const r = await start(zk);
    controller = r.controller;
    const [res] = await controller.electPreferredLeaders([{ topic: 'p', partition: 0 }]);
    expect(res.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });
});
