// The part of KafkaZkClient (controller/zk/kafka-zk-client.ts) the controller calls, written as
// an interface so the controller depends on the contract, not the class, and unit tests can use
// an in-memory fake. Every write takes the controller's epochZkVersion: KafkaZkClient runs it in
// a multi that first checks /controller_epoch's version, so a controller that lost its place
// cannot write (it gets ControllerMovedError and resigns).
//
// Watches are one-shot, as in ZooKeeper: a read that takes a watcher arms it once.
//
// Batched reads answer a ZnodeMap: the decoded values, and in `.invalid` the znodes that exist but
// are damaged (already logged once by the client), so the controller skips only those.

import { BadVersionError, ControllerMovedError, NodeExistsError, NoNodeError } from './zk/zk-errors';
import type { ZnodeMap } from './zk/znode-json';
import { BrokerInfo, LeaderAndIsr, LeaderIsrAndControllerEpoch, TopicPartition } from './controller-types';

export type Watcher = () => void;

export interface NewPartitionState {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerEpoch: number;
}

export interface LeaderAndIsrUpdate {
  topic: string;
  partition: number;
  leaderAndIsr: LeaderAndIsr;
  controllerEpoch: number;
}

/** Per-partition outcome, keyed "topic-partition". */
export interface ZkUpdateResults {
  succeeded: Map<string, number>;
  failed: Map<string, Error>;
}

export interface ControllerZkClient {
  getControllerId(watcher?: Watcher): Promise<number | null>;
  registerControllerAndIncrementEpoch(brokerId: number): Promise<{ epoch: number; epochZkVersion: number }>;
  /** Kafka's triggerControllerMove: drop /controller (epoch-checked) so another broker can win. */
  deleteController(epochZkVersion: number): Promise<void>;

  getAllBrokers(): Promise<BrokerInfo[]>;
  getBrokerIds(watcher?: Watcher): Promise<number[]>;

  getAllTopics(watcher?: Watcher): Promise<string[]>;
  getReplicaAssignment(
    topics: string[],
    dataWatcher?: (topic: string) => void,
  ): Promise<ZnodeMap<string, Map<number, number[]>>>;
  getTopicPartitionStates(partitions: TopicPartition[]): Promise<ZnodeMap<string, LeaderIsrAndControllerEpoch>>;
  /** A one-shot watch on a partition's state znode; resolves its stat (null when absent). */
  watchTopicPartitionState(tp: TopicPartition, watcher: Watcher): Promise<{ version: number } | null>;
  createTopicPartitionStates(states: NewPartitionState[], epochZkVersion: number): Promise<ZkUpdateResults>;
  updateLeaderAndIsr(updates: LeaderAndIsrUpdate[], epochZkVersion: number): Promise<ZkUpdateResults>;

  getTopicDeletions(watcher?: Watcher): Promise<string[]>;
  deleteTopicZNode(topic: string, epochZkVersion: number): Promise<void>;
  deleteTopicDeletions(topics: string[], epochZkVersion: number): Promise<void>;
  deleteTopicConfigs(topics: string[], epochZkVersion: number): Promise<void>;

  getEntityConfigs(entityType: 'topics' | 'brokers', name: string): Promise<Record<string, string>>;

  /** Children of /isr_change_notification (isr_change_<seq>). */
  getIsrChangeNotifications(watcher?: Watcher): Promise<string[]>;
  /** The partitions named in those notifications (missing ones are skipped). */
  getPartitionsFromIsrChangeNotifications(notifications: string[]): Promise<TopicPartition[]>;
  /** Deletes the given notifications, or all of them when `notifications` is undefined. */
  deleteIsrChangeNotifications(notifications: string[] | undefined, epochZkVersion: number): Promise<void>;

  /** Children of /log_dir_event_notification (log_dir_event_<seq>). Optional: test fakes may leave the log dir calls out. */
  getLogDirEventNotifications?(watcher?: Watcher): Promise<string[]>;
  /** The broker ids those notifications name; a malformed one goes to onBad and is skipped. */
  getBrokerIdsFromLogDirEvents?(names: readonly string[], onBad: (name: string, reason: string) => void): Promise<number[]>;
  /** Deletes the given notifications, or all of them when `names` is undefined. */
  deleteLogDirEventNotifications?(names: readonly string[] | undefined, epochZkVersion: number): Promise<void>;

  /** /admin/preferred_replica_election, or null when absent (the watch then waits for its creation). */
  getPreferredReplicaElection(watcher?: Watcher): Promise<TopicPartition[] | null>;
  deletePreferredReplicaElection(epochZkVersion: number): Promise<void>;

  /** /admin/reassign_partitions (topic-partition key -> target replicas), or null when absent. */
  getPartitionReassignment(watcher?: Watcher): Promise<Map<string, number[]> | null>;

  // ---- reassignment (partition-reassignment.ts) ----

  /** /admin/reassign_partitions as a list, or null when absent (the watch then waits for its creation). */
  getPartitionReassignmentList(watcher?: Watcher): Promise<PartitionReassignment[] | null>;
  /** Rewrites the remaining reassignments (fenced). */
  setOrCreatePartitionReassignment(reassignments: PartitionReassignment[], epochZkVersion: number): Promise<void>;
  /** Deletes /admin/reassign_partitions (fenced; absent is fine). */
  deletePartitionReassignment(epochZkVersion: number): Promise<void>;
  /** Topic znodes with adding/removing replicas (version 2); dataWatcher as getReplicaAssignment. */
  getFullReplicaAssignment(topics: string[], dataWatcher?: (topic: string) => void): Promise<ZnodeMap<string, TopicAssignment>>;
  /** Rewrites /brokers/topics/<t> with adding/removing replicas (fenced). */
  setTopicFullAssignment(topic: string, assignment: TopicAssignment, epochZkVersion: number): Promise<void>;
  /** One partition state, arming a watch on its znode (null when absent). */
  getTopicPartitionStateAndWatch(tp: TopicPartition, watcher: Watcher): Promise<LeaderIsrAndControllerEpoch | null>;
}

/** A topic znode's content: partition -> replicas, and the replicas being added/removed. */
export interface TopicAssignment {
  partitions: Map<number, number[]>;
  addingReplicas: Map<number, number[]>;
  removingReplicas: Map<number, number[]>;
}

/** One entry of /admin/reassign_partitions. */
export interface PartitionReassignment {
  topic: string;
  partition: number;
  replicas: number[];
}

export function isControllerMoved(err: unknown): boolean {
  return err instanceof ControllerMovedError;
}

export function isBadVersion(err: unknown): boolean {
  return err instanceof BadVersionError;
}

export function isNoNode(err: unknown): boolean {
  return err instanceof NoNodeError;
}

export function isNodeExists(err: unknown): boolean {
  return err instanceof NodeExistsError;
}
