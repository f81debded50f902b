import { ControllerContext } from '../../../controller/controller-context';
import { broker } from './fake-cluster';

describe('ControllerContext', () => {
  function ctxWithTopics(): ControllerContext {
    const ctx = new ControllerContext();
    ctx.setLiveBrokers([broker(0), broker(1), broker(2)]);
    ctx.allTopics = new Set(['a-b', 'c']);
    ctx.updatePartitionReplicaAssignment({ topic: 'a-b', partition: 0 }, [0, 1]);
    ctx.updatePartitionReplicaAssignment({ topic: 'a-b', partition: 1 }, [1, 2]);
    ctx.updatePartitionReplicaAssignment({ topic: 'c', partition: 0 }, [2, 0]);
    return ctx;
  }

  test('indexes partitions per broker and keeps the index current on reassignment and topic removal', () => {
    const ctx = ctxWithTopics();
    const keys = (id: number) => ctx.partitionsOnBroker(id).map((tp) => `${tp.topic}-${tp.partition}`).sort();
    expect(keys(0)).toEqual(['a-b-0', 'c-0']);
    expect(keys(2)).toEqual(['a-b-1', 'c-0']);
    ctx.updatePartitionReplicaAssignment({ topic: 'a-b', partition: 0 }, [1, 2]);
    expect(keys(0)).toEqual(['c-0']);
    expect(keys(2)).toEqual(['a-b-0', 'a-b-1', 'c-0']);
    ctx.removeTopic('a-b');
    expect(keys(2)).toEqual(['c-0']);
    expect(ctx.allTopics.has('a-b')).toBe(false);
    expect(ctx.partitionsForTopic('a-b')).toEqual([]);
    expect(ctx.replicasOnBrokers([0, 2]).map((r) => `${r.topic}-${r.partition}:${r.replica}`).sort()).toEqual(['c-0:0', 'c-0:2']);
  });

  test('shutting-down brokers are live only when asked to include them', () => {
    const ctx = ctxWithTopics();
    ctx.shuttingDownBrokerIds.add(1);
    expect(ctx.liveBrokerIds()).toEqual([0, 2]);
    expect(ctx.liveOrShuttingDownBrokerIds()).toEqual([0, 1, 2]);
    expect(ctx.isReplicaOnline(1)).toBe(false);
    expect(ctx.isReplicaOnline(1, true)).toBe(true);
    ctx.removeLiveBrokers([2]);
    expect(ctx.isReplicaOnline(2, true)).toBe(false);
  });

  test('tracks partitions not online without scanning, and replica states', () => {
    const ctx = ctxWithTopics();
    const a0 = ctx.tp('a-b', 0);
    const c0 = ctx.tp('c', 0);
    ctx.putPartitionState(a0, 'NewPartition');
    ctx.putPartitionState(c0, 'OfflinePartition');
    expect(ctx.partitionsNotOnlineList()).toHaveLength(2);
    expect(ctx.offlinePartitionCount()).toBe(1);
    ctx.putPartitionState(a0, 'OnlinePartition');
    expect(ctx.partitionsNotOnlineList()).toEqual([c0]);
    ctx.putReplicaState({ topic: 'c', partition: 0, replica: 2 }, 'OnlineReplica');
    expect(ctx.replicaState({ topic: 'c', partition: 0, replica: 2 })).toBe('OnlineReplica');
    expect(ctx.replicaState({ topic: 'c', partition: 0, replica: 0 })).toBe('NonExistentReplica');
    ctx.removeTopic('c');
    expect(ctx.partitionsNotOnlineList()).toEqual([]);
    expect(ctx.replicaState({ topic: 'c', partition: 0, replica: 2 })).toBe('NonExistentReplica');
  });
});
