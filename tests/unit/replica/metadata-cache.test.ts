import { LEADER_DURING_DELETE, MetadataCache, type PartitionStateInfo } from '../../../broker/metadata-cache';

const broker = (id: number) => ({ id, rack: null, endpoints: [{ listener: 'PLAINTEXT', host: '127.0.0.1', port: 9000 + id, securityProtocol: 0 }] });
const state = (topic: string, partition: number, leader: number): PartitionStateInfo => ({
  topic, partition, leader, controllerEpoch: 1, leaderEpoch: 0, isr: [leader], zkVersion: 0, replicas: [leader], offlineReplicas: [],
});

describe('MetadataCache', () => {
  test('UpdateMetadata replaces live brokers and upserts partitions', () => {
    const cache = new MetadataCache(1);
    cache.update(1, [broker(1), broker(2)], [state('t', 1, 2), state('t', 0, 1)]);
    expect(cache.controllerId).toBe(1);
    expect(cache.partitionsOf('t').map((p) => p.partition)).toEqual([0, 1]);
    expect(cache.allPartitionsHaveLeaders('t')).toBe(true);
    cache.update(1, [broker(1)], []);
    expect(cache.aliveBroker(2)).toBeUndefined();
    expect(cache.allPartitionsHaveLeaders('t')).toBe(false);
    expect(cache.endpointFor(1, 'PLAINTEXT')?.port).toBe(9001);
  });

  test('partitions sent with leader -2 (being deleted) leave the cache, and the topic with its last one', () => {
    const cache = new MetadataCache(1);
    cache.update(1, [broker(1)], [state('t', 0, 1), state('t', 1, 1)]);
    expect(cache.update(1, [broker(1)], [state('t', 0, LEADER_DURING_DELETE)])).toEqual([]);
    expect(cache.hasTopic('t')).toBe(true);
    expect(cache.update(1, [broker(1)], [state('t', 1, LEADER_DURING_DELETE)])).toEqual(['t']);
    expect(cache.hasTopic('t')).toBe(false);
  });

  test('waitForUpdate resolves on the next update', async () => {
    const cache = new MetadataCache(1);
    const waiting = cache.waitForUpdate(5000);
    cache.update(1, [broker(1)], []);
    await expect(waiting).resolves.toBeUndefined();
  });
});
