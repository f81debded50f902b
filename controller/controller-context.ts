// Kafka's ControllerContext: everything the active controller knows, loaded from ZooKeeper at
// failover and then kept current by events. Only the event loop touches it.
//
// Unlike Kafka 2.4, which scans every partition for "partitions on broker X" and "partitions in
// state Offline/New", this keeps two indexes (replicas per broker, partitions not online) so a
// broker failure or a new topic costs work proportional to what changed (ARCHITECTURE.md §8).

import { PartitionState, ReplicaState } from './controller-states';
import {
  BrokerInfo,
  keyOf,
  LeaderIsrAndControllerEpoch,
  PartitionAndReplica,
  replicaKey,
  TopicPartition,
  tpKey,
} from './controller-types';

export class ControllerContext {
  epoch = 0;
  epochZkVersion = 0;

  private liveBrokers = new Map<number, BrokerInfo>();
  readonly shuttingDownBrokerIds = new Set<number>();
  /**
   * Kafka's replicasOnOfflineDirs: brokerId -> keys of partitions whose replica on that broker is
   * in a failed log dir (it answered LeaderAndIsr with KAFKA_STORAGE_ERROR). Such a replica is
   * not online although its broker is; cleared when the broker registers again (a restart).
   */
  readonly replicasOnOfflineDirs = new Map<number, Set<string>>();

  allTopics = new Set<string>();
  /** topic -> partition -> assigned replicas, in assignment order (preferred replica first). */
  private assignments = new Map<string, Map<number, number[]>>();
  private tpByKey = new Map<string, TopicPartition>();
  /** brokerId -> keys of partitions with a replica on that broker. */
  private partitionsByBroker = new Map<number, Set<string>>();

  readonly partitionLeadershipInfo = new Map<string, LeaderIsrAndControllerEpoch>();

  private partitionStates = new Map<string, PartitionState>();
  /** Keys of partitions in NewPartition or OfflinePartition: what an online trigger looks at. */
  private partitionsNotOnline = new Set<string>();
  private replicaStates = new Map<string, ReplicaState>();

  // Topic deletion bookkeeping (Kafka 2.4 keeps it in the context too).
  readonly topicsToBeDeleted = new Set<string>();
  readonly topicsWithDeletionStarted = new Set<string>();
  readonly topicsIneligibleForDeletion = new Set<string>();

  // ---- brokers ----

  setLiveBrokers(brokers: BrokerInfo[]): void {
    this.liveBrokers = new Map(brokers.map((b) => [b.id, b]));
  }

  addLiveBrokers(brokers: BrokerInfo[]): void {
    for (const b of brokers) {
      this.liveBrokers.set(b.id, b);
      this.replicasOnOfflineDirs.delete(b.id);
    }
  }

  removeLiveBrokers(ids: Iterable<number>): void {
    for (const id of ids) {
      this.liveBrokers.delete(id);
      this.replicasOnOfflineDirs.delete(id);
    }
  }

  liveOrShuttingDownBroker(id: number): BrokerInfo | undefined {
    return this.liveBrokers.get(id);
  }

  liveOrShuttingDownBrokers(): BrokerInfo[] {
    return [...this.liveBrokers.values()];
  }

  /** Sorted ids of registered brokers, including those shutting down. */
  liveOrShuttingDownBrokerIds(): number[] {
    return [...this.liveBrokers.keys()].sort((a, b) => a - b);
  }

  /** Kafka's liveBrokerIds: registered and not in controlled shutdown. */
  liveBrokerIds(): number[] {
    return this.liveOrShuttingDownBrokerIds().filter((id) => !this.shuttingDownBrokerIds.has(id));
  }

  liveBrokerIdAndEpochs(): Map<number, number> {
    return new Map([...this.liveBrokers.values()].map((b) => [b.id, b.epoch]));
  }

  /**
   * Kafka's isReplicaOnline: the broker is registered and (unless asked to include them) not
   * shutting down, and, when the partition is given, its replica there is not in a failed log dir.
   * Shutting-down brokers still count for offline-replica reporting.
   */
  isReplicaOnline(brokerId: number, includeShuttingDownBrokers = false, tp?: TopicPartition): boolean {
    if (!this.liveBrokers.has(brokerId)) return false;
    if (tp && this.replicasOnOfflineDirs.get(brokerId)?.has(keyOf(tp))) return false;
    return includeShuttingDownBrokers || !this.shuttingDownBrokerIds.has(brokerId);
  }

  // ---- topics and assignments ----

  partitionReplicaAssignment(tp: TopicPartition): number[] {
    return this.assignments.get(tp.topic)?.get(tp.partition) ?? [];
  }

  hasPartition(tp: TopicPartition): boolean {
    return this.assignments.get(tp.topic)?.has(tp.partition) ?? false;
  }

  updatePartitionReplicaAssignment(tp: TopicPartition, replicas: number[]): void {
    const key = keyOf(tp);
    let byPartition = this.assignments.get(tp.topic);
    if (!byPartition) {
      byPartition = new Map();
      this.assignments.set(tp.topic, byPartition);
    }
    const old = byPartition.get(tp.partition) ?? [];
    for (const r of old) this.partitionsByBroker.get(r)?.delete(key);
    byPartition.set(tp.partition, [...replicas]);
    const canonical = this.tpByKey.get(key) ?? { topic: tp.topic, partition: tp.partition };
    this.tpByKey.set(key, canonical);
    for (const r of replicas) {
      let set = this.partitionsByBroker.get(r);
      if (!set) {
        set = new Set();
        this.partitionsByBroker.set(r, set);
      }
      set.add(key);
    }
  }

  partitionsForTopic(topic: string): TopicPartition[] {
    const byPartition = this.assignments.get(topic);
    if (!byPartition) return [];
    return [...byPartition.keys()].sort((a, b) => a - b).map((p) => this.tp(topic, p));
  }

  allPartitions(): TopicPartition[] {
    return [...this.tpByKey.values()];
  }

  partitionsOnBroker(brokerId: number): TopicPartition[] {
    const keys = this.partitionsByBroker.get(brokerId);
    return keys ? [...keys].map((k) => this.tpByKey.get(k) as TopicPartition) : [];
  }

  replicasOnBrokers(brokerIds: Iterable<number>): PartitionAndReplica[] {
    const out: PartitionAndReplica[] = [];
    for (const id of brokerIds) {
      for (const tp of this.partitionsOnBroker(id)) out.push({ topic: tp.topic, partition: tp.partition, replica: id });
    }
    return out;
  }

  replicasForPartitions(partitions: Iterable<TopicPartition>): PartitionAndReplica[] {
    const out: PartitionAndReplica[] = [];
    for (const tp of partitions) {
      for (const r of this.partitionReplicaAssignment(tp)) out.push({ topic: tp.topic, partition: tp.partition, replica: r });
    }
    return out;
  }

  replicasForTopic(topic: string): PartitionAndReplica[] {
    return this.replicasForPartitions(this.partitionsForTopic(topic));
  }

  /** Forget a topic entirely (its znode is gone). */
  removeTopic(topic: string): void {
    for (const tp of this.partitionsForTopic(topic)) {
      const key = keyOf(tp);
      for (const r of this.partitionReplicaAssignment(tp)) {
        this.partitionsByBroker.get(r)?.delete(key);
        this.replicaStates.delete(replicaKey({ ...tp, replica: r }));
      }
      this.partitionLeadershipInfo.delete(key);
      this.partitionStates.delete(key);
      this.partitionsNotOnline.delete(key);
      this.tpByKey.delete(key);
    }
    this.assignments.delete(topic);
    this.allTopics.delete(topic);
  }

  /** The canonical TopicPartition object for a key's parts (keeps map identities stable). */
  tp(topic: string, partition: number): TopicPartition {
    return this.tpByKey.get(tpKey(topic, partition)) ?? { topic, partition };
  }

  // ---- partition and replica states ----

  partitionState(tp: TopicPartition): PartitionState {
    return this.partitionStates.get(keyOf(tp)) ?? 'NonExistentPartition';
  }

  putPartitionState(tp: TopicPartition, state: PartitionState): void {
    const key = keyOf(tp);
    if (state === 'NonExistentPartition') this.partitionStates.delete(key);
    else this.partitionStates.set(key, state);
    if (state === 'NewPartition' || state === 'OfflinePartition') this.partitionsNotOnline.add(key);
    else this.partitionsNotOnline.delete(key);
  }

  /** Partitions in NewPartition or OfflinePartition, from the index (no full scan). */
  partitionsNotOnlineList(): TopicPartition[] {
    return [...this.partitionsNotOnline].map((k) => this.tpByKey.get(k)).filter((tp): tp is TopicPartition => !!tp);
  }

  offlinePartitionCount(): number {
    let n = 0;
    for (const k of this.partitionsNotOnline) if (this.partitionStates.get(k) === 'OfflinePartition') n++;
    return n;
  }

  replicaState(r: PartitionAndReplica): ReplicaState {
    return this.replicaStates.get(replicaKey(r)) ?? 'NonExistentReplica';
  }

  putReplicaState(r: PartitionAndReplica, state: ReplicaState): void {
    if (state === 'NonExistentReplica') this.replicaStates.delete(replicaKey(r));
    else this.replicaStates.set(replicaKey(r), state);
  }

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.topicsToBeDeleted.has(topic);
  }

  /** Forget everything: called on resignation so a later term starts from ZooKeeper again. */
  reset(): void {
    this.epoch = 0;
    this.epochZkVersion = 0;
    this.liveBrokers.clear();
    this.shuttingDownBrokerIds.clear();
    this.replicasOnOfflineDirs.clear();
    this.allTopics.clear();
    this.assignments.clear();
    this.tpByKey.clear();
    this.partitionsByBroker.clear();
    this.partitionLeadershipInfo.clear();
    this.partitionStates.clear();
    this.partitionsNotOnline.clear();
    this.replicaStates.clear();
    this.topicsToBeDeleted.clear();
    this.topicsWithDeletionStarted.clear();
    this.topicsIneligibleForDeletion.clear();
  }
}
