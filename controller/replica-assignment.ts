// Replica placement for new topics and partitions, following Kafka's AdminUtils.assignReplicasToBrokers:
// - rack-unaware: partition p's first replica is broker[(p + startIndex) % n]; the followers sit at a
//   "shift" from it that grows by one each time the partition id wraps past n, so leaders and followers
//   both spread evenly (with a random start index and shift, unless fixed for tests);
// - rack-aware (every broker has broker.rack): the same walk over a rack-alternated broker list,
//   skipping a broker whose rack already holds a replica while some rack holds none, and a broker
//   already holding a replica while some broker holds none.
// The broker list order matters (Kafka's ZooKeeper path passes it sorted by id).
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaError } from '../broker/protocol/kafka-error';

export interface BrokerMetadata {
  id: number;
  rack: string | null;
}

/** Kafka's RackAwareMode: Enforced fails on partial rack info, Safe falls back to rack-unaware, Disabled ignores racks. */
export type RackAwareMode = 'enforced' | 'safe' | 'disabled';

export interface AssignmentOptions {
  /** Fixed start index and initial shift (Kafka's fixedStartIndex); -1 = random. */
  fixedStartIndex?: number;
  /** First partition id (for partitions added to an existing topic). */
  startPartitionId?: number;
  /** Random source in [0, 1); Math.random by default. */
  random?: () => number;
}

/** Index of a follower: 1 + (shift + j) % (n - 1) places after the first replica, never on it. */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, j: number, nBrokers: number): number {
  const shift = 1 + ((secondReplicaShift + j) % (nBrokers - 1));
  return (firstReplicaIndex + shift) % nBrokers;
}

/**
 * partition id -> replicas (first = preferred leader). Throws KafkaError INVALID_PARTITIONS,
 * INVALID_REPLICATION_FACTOR (rf < 1 or rf > brokers) or INVALID_REPLICA_ASSIGNMENT (rack
 * information on some brokers only, with rack-aware placement enforced).
 */
export function assignReplicasToBrokers(
  brokers: readonly BrokerMetadata[],
  nPartitions: number,
  replicationFactor: number,
  options: AssignmentOptions = {},
): Map<number, number[]> {
  if (nPartitions <= 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) {
    throw new KafkaError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
    );
  }
  if (brokers.every((b) => b.rack === null)) {
    return assignRackUnaware(nPartitions, replicationFactor, brokers.map((b) => b.id), options);
  }
  if (brokers.some((b) => b.rack === null)) {
    throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Not all brokers have rack information for replica rack aware assignment.');
  }
  return assignRackAware(nPartitions, replicationFactor, brokers, options);
}

/** Applies RackAwareMode to the brokers before assignment (Safe drops racks if any broker lacks one). */
export function brokersForRackMode(brokers: readonly BrokerMetadata[], mode: RackAwareMode): BrokerMetadata[] {
  if (mode === 'disabled') return brokers.map((b) => ({ id: b.id, rack: null }));
  if (mode === 'safe' && brokers.some((b) => b.rack === null)) return brokers.map((b) => ({ id: b.id, rack: null }));
  return [...brokers];
}

function startValues(n: number, options: AssignmentOptions): { startIndex: number; shift: number; firstPartition: number } {
  const random = options.random ?? Math.random;
  const fixed = options.fixedStartIndex ?? -1;
  const startIndex = fixed >= 0 ? fixed : Math.floor(random() * n);
  const shift = fixed >= 0 ? fixed : Math.floor(random() * n);
  return { startIndex, shift, firstPartition: Math.max(0, options.startPartitionId ?? -1) };
}

function assignRackUnaware(nPartitions: number, rf: number, brokerIds: readonly number[], options: AssignmentOptions): Map<number, number[]> {
  const n = brokerIds.length;
  const out = new Map<number, number[]>();
  let { startIndex, shift, firstPartition: partition } = startValues(n, options);
  for (let i = 0; i < nPartitions; i++, partition++) {
    if (partition > 0 && partition % n === 0) shift += 1;
    const first = (partition + startIndex) % n;
    const replicas = [brokerIds[first]];
    for (let j = 0; j < rf - 1; j++) replicas.push(brokerIds[replicaIndex(first, shift, j, n)]);
    out.set(partition, replicas);
  }
  return out;
}

/** Brokers ordered rack by rack (racks sorted, brokers sorted within a rack): r1b1, r2b1, r1b2, ... */
export function rackAlternatedBrokerList(brokers: readonly BrokerMetadata[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const b of brokers) {
    const list = byRack.get(b.rack!) ?? [];
    list.push(b.id);
    byRack.set(b.rack!, list);
  }
  const racks = [...byRack.keys()].sort();
  const queues = racks.map((r) => byRack.get(r)!.sort((a, b) => a - b));
  const out: number[] = [];
  for (let i = 0; out.length < brokers.length; i = (i + 1) % racks.length) {
    const next = queues[i].shift();
    if (next !== undefined) out.push(next);
  }
  return out;
}

function assignRackAware(nPartitions: number, rf: number, brokers: readonly BrokerMetadata[], options: AssignmentOptions): Map<number, number[]> {
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack!]));
  const numRacks = new Set(rackOf.values()).size;
  const arranged = rackAlternatedBrokerList(brokers);
  const n = arranged.length;
  const out = new Map<number, number[]>();
  let { startIndex, shift, firstPartition: partition } = startValues(n, options);
  for (let i = 0; i < nPartitions; i++, partition++) {
    if (partition > 0 && partition % n === 0) shift += 1;
    const first = (partition + startIndex) % n;
    const leader = arranged[first];
    const replicas = [leader];
    const racksWithReplicas = new Set([rackOf.get(leader)!]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let j = 0; j < rf - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(first, shift * numRacks, k, n)];
        const rack = rackOf.get(broker)!;
        k++;
        const rackOk = !racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks;
        const brokerOk = !brokersWithReplicas.has(broker) || brokersWithReplicas.size === n;
        if (rackOk && brokerOk) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          break;
        }
      }
    }
    out.set(partition, replicas);
  }
  return out;
}
