import { ControllerContext } from '../../../controller/controller-context';
import { ControllerBrokerRequestBatch } from '../../../controller/controller-request-batch';
import { ControllerRequest } from '../../../controller/controller-requests';
import { broker } from './fake-cluster';

function setup() {
  const ctx = new ControllerContext();
  ctx.epoch = 3;
  ctx.setLiveBrokers([broker(0, 24), broker(1, 253), broker(2, 255)]);
  ctx.allTopics = new Set(['t', 'd']);
  for (let p = 0; p < 3; p++) {
    ctx.updatePartitionReplicaAssignment({ topic: 't', partition: p }, [p % 3, (p + 1) % 3]);
    ctx.partitionLeadershipInfo.set(`t-${p}`, { leaderAndIsr: { leader: p % 3, leaderEpoch: 1, isr: [p % 3, (p + 1) % 3], zkVersion: 2 }, controllerEpoch: 3 });
  }
  ctx.updatePartitionReplicaAssignment({ topic: 'd', partition: 0 }, [2, 1]);
  ctx.partitionLeadershipInfo.set('d-0', { leaderAndIsr: { leader: 2, leaderEpoch: 5, isr: [2, 1], zkVersion: 9 }, controllerEpoch: 3 });
  const sent: { broker: number; request: ControllerRequest }[] = [];
  const batch = new ControllerBrokerRequestBatch({ controllerId: 0, context: ctx, send: (b, request) => sent.push({ broker: b, request }) });
  return { ctx, batch, sent };
}

describe('ControllerBrokerRequestBatch', () => {
  test('one LeaderAndIsr per broker grouping its partitions, then one UpdateMetadata per live broker', () => {
    const { ctx, batch, sent } = setup();
    batch.newBatch();
    for (let p = 0; p < 3; p++) {
      const tp = ctx.tp('t', p);
      batch.addLeaderAndIsrRequestForBrokers(ctx.partitionReplicaAssignment(tp), tp, ctx.partitionLeadershipInfo.get(`t-${p}`)!, ctx.partitionReplicaAssignment(tp), p === 0);
    }
    batch.sendRequestsToBrokers(3);
    expect(sent.map((s) => `${s.request.api}->${s.broker}`)).toEqual([
      'LeaderAndIsr->0', 'LeaderAndIsr->1', 'LeaderAndIsr->2',
      'UpdateMetadata->0', 'UpdateMetadata->1', 'UpdateMetadata->2',
    ]);
    const lais1 = sent[1].request;
    if (lais1.api !== 'LeaderAndIsr') throw new Error('expected LeaderAndIsr');
    expect(lais1.body.brokerEpoch).toBe(253);
    expect(lais1.body.controllerEpoch).toBe(3);
    expect(lais1.body.topicStates).toEqual([{ topicName: 't', partitionStates: [
      { partitionIndex: 0, controllerEpoch: 3, leader: 0, leaderEpoch: 1, isr: [0, 1], partitionEpoch: 2, replicas: [0, 1], isNew: true },
      { partitionIndex: 1, controllerEpoch: 3, leader: 1, leaderEpoch: 1, isr: [1, 2], partitionEpoch: 2, replicas: [1, 2], isNew: false },
    ] }]);
    expect(lais1.body.liveLeaders.map((l) => l.brokerId).sort()).toEqual([0, 1]);
    const um = sent[4].request;
    if (um.api !== 'UpdateMetadata') throw new Error('expected UpdateMetadata');
    expect(um.body.brokerEpoch).toBe(253);
    expect(um.body.topicStates[0].partitionStates).toHaveLength(3);
    expect(um.body.liveBrokers.map((b) => b.id)).toEqual([0, 1, 2]);
    expect(um.body.liveBrokers[0].endpoints).toEqual([{ port: 19092, host: '127.0.0.1', listener: 'PLAINTEXT', securityProtocol: 0 }]);
    expect(batch.isEmpty()).toBe(true);
  });

  test('UpdateMetadata marks offline replicas and announces deleted topics with leader -2', () => {
    const { ctx, batch, sent } = setup();
    ctx.removeLiveBrokers([1]);
    ctx.topicsToBeDeleted.add('d');
    batch.newBatch();
    batch.addUpdateMetadataRequestForBrokers([0, 1, 2], [ctx.tp('d', 0), ctx.tp('t', 0)]);
    batch.sendRequestsToBrokers(3);
    expect(sent.map((s) => s.broker)).toEqual([0, 2]); // broker 1 is gone: skipped
    const um = sent[0].request;
    if (um.api !== 'UpdateMetadata') throw new Error('expected UpdateMetadata');
    const d0 = um.body.topicStates.find((t) => t.topicName === 'd')!.partitionStates[0];
    expect(d0).toMatchObject({ leader: -2, leaderEpoch: 0, zkVersion: 0, isr: [2, 1], offlineReplicas: [1] });
    const t0 = um.body.topicStates.find((t) => t.topicName === 't')!.partitionStates[0];
    expect(t0).toMatchObject({ leader: 0, leaderEpoch: 1, zkVersion: 2, offlineReplicas: [1] });
  });

  test('StopReplica: per broker one request without delete, then one with delete', () => {
    const { ctx, batch, sent } = setup();
    batch.newBatch();
    batch.addStopReplicaRequestForBrokers([2], ctx.tp('d', 0), true);
    batch.addStopReplicaRequestForBrokers([2], ctx.tp('t', 1), false);
    batch.addStopReplicaRequestForBrokers([2], ctx.tp('t', 2), false);
    batch.sendRequestsToBrokers(3);
    expect(sent.map((s) => s.request.api === 'StopReplica' && [s.broker, s.request.body.deletePartitions, s.request.body.topics])).toEqual([
      [2, false, [{ name: 't', partitionIndexes: [1, 2] }]],
      [2, true, [{ name: 'd', partitionIndexes: [0] }]],
    ]);
  });

  test('refuses to start a batch over a non-empty one', () => {
    const { ctx, batch } = setup();
    batch.addUpdateMetadataRequestForBrokers([0], [ctx.tp('t', 0)]);
    expect(() => batch.newBatch()).toThrow(/not empty/);
  });
});
