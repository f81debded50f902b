// Replica placement must match Kafka's AdminUtils for the same start index and shift, so a cluster
// converted between Kafka and Zafka places partitions the same way.
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { assignReplicasToBrokers, BrokerMetadata, brokersForRackMode, rackAlternatedBrokerList } from '../../../controller/replica-assignment';

const noRack = (...ids: number[]): BrokerMetadata[] => ids.map((id) => ({ id, rack: null }));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as KafkaError).code;
  }
  return undefined;
};

describe('rack-unaware assignment', () => {
  it('matches Kafka for 5 brokers, 10 partitions, rf 3, fixed start index 0', () => {
    const a = assignReplicasToBrokers(noRack(0, 1, 2, 3, 4), 10, 3, { fixedStartIndex: 0 });
    expect(Object.fromEntries(a)).toEqual({
      0: [0, 1, 2], 1: [1, 2, 3], 2: [2, 3, 4], 3: [3, 4, 0], 4: [4, 0, 1],
      // the follower shift grows once the partition id wraps past the broker count
      5: [0, 2, 3], 6: [1, 3, 4], 7: [2, 4, 0], 8: [3, 0, 1], 9: [4, 1, 2],
    });
  });

  it('reproduces the reference cluster\'s topics (broker list 0,2,1 from Kafka\'s metadata cache)', () => {
    // r3: 3 partitions, rf 3, start index 0, shift 0 -> /brokers/topics/r3 in the txn log
    expect(Object.fromEntries(assignReplicasToBrokers(noRack(0, 2, 1), 3, 3, { fixedStartIndex: 0 }))).toEqual({
      0: [0, 2, 1], 1: [2, 1, 0], 2: [1, 0, 2],
    });
    // d: 2 partitions, rf 2, start index 1, shift 0 (random draws 0.4 and 0.0)
    const draws = [0.4, 0.0];
    expect(Object.fromEntries(assignReplicasToBrokers(noRack(0, 2, 1), 2, 2, { random: () => draws.shift()! }))).toEqual({
      0: [2, 1], 1: [1, 0],
    });
  });

  it('continues from startPartitionId when adding partitions', () => {
    const a = assignReplicasToBrokers(noRack(0, 1, 2), 2, 2, { fixedStartIndex: 0, startPartitionId: 3 });
    expect([...a.keys()]).toEqual([3, 4]);
    expect(a.get(3)).toEqual([0, 2]); // partition 3 wraps: shift 1
  });

  it('spreads leaders evenly and never repeats a broker in a partition', () => {
    const a = assignReplicasToBrokers(noRack(1, 2, 3, 4), 40, 3);
    const leaders = new Map<number, number>();
    for (const replicas of a.values()) {
      expect(new Set(replicas).size).toBe(3);
      leaders.set(replicas[0], (leaders.get(replicas[0]) ?? 0) + 1);
    }
    expect([...leaders.values()]).toEqual([10, 10, 10, 10]);
  });

  it('rejects bad partition counts and replication factors', () => {
    expect(codeOf(() => assignReplicasToBrokers(noRack(0, 1), 0, 1))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(codeOf(() => assignReplicasToBrokers(noRack(0, 1), 1, 0))).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(codeOf(() => assignReplicasToBrokers(noRack(0, 1), 1, 3))).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
  });
});

describe('rack-aware assignment', () => {
  const brokers: BrokerMetadata[] = [
    { id: 0, rack: 'rack1' }, { id: 1, rack: 'rack3' }, { id: 2, rack: 'rack3' },
    { id: 3, rack: 'rack2' }, { id: 4, rack: 'rack2' }, { id: 5, rack: 'rack1' },
  ];

  it('alternates racks in the broker list', () => {
    expect(rackAlternatedBrokerList(brokers)).toEqual([0, 3, 1, 5, 4, 2]);
  });

  it('puts each partition\'s replicas on distinct racks', () => {
    const rackOf = new Map(brokers.map((b) => [b.id, b.rack]));
    const a = assignReplicasToBrokers(brokers, 12, 3, { fixedStartIndex: 2 });
    for (const replicas of a.values()) expect(new Set(replicas.map((r) => rackOf.get(r))).size).toBe(3);
    expect(a.get(0)![0]).toBe(1); // first replica = arranged[(0 + 2) % 6]
  });

  it('uses each rack once before reusing one when rf exceeds the rack count', () => {
    const two: BrokerMetadata[] = [{ id: 0, rack: 'a' }, { id: 1, rack: 'a' }, { id: 2, rack: 'b' }, { id: 3, rack: 'b' }];
    for (const replicas of assignReplicasToBrokers(two, 8, 3).values()) {
      const racks = replicas.map((r) => two[r].rack);
      expect(new Set(racks.slice(0, 2)).size).toBe(2);
      expect(new Set(replicas).size).toBe(3);
    }
  });

  it('refuses partial rack information unless the mode is safe or disabled', () => {
    const partial: BrokerMetadata[] = [{ id: 0, rack: 'a' }, { id: 1, rack: null }];
    expect(codeOf(() => assignReplicasToBrokers(partial, 1, 1))).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(assignReplicasToBrokers(brokersForRackMode(partial, 'safe'), 2, 2).size).toBe(2);
    expect(brokersForRackMode(brokers, 'disabled').every((b) => b.rack === null)).toBe(true);
  });
});
