// What the controller does about damaged znodes (garbage that controller/zk refuses to decode; the
// ZooKeeper client logs each one once): skip only that topic or partition, serve the rest, and
// bring it back when the znode is repaired. Kafka 2.4 reads a damaged topic znode as an empty
// topic but then fails its failover in a loop on other damage, and a partition whose state znode
// was damaged stays offline even after a repair; Zafka recovers without a restart.
//
// Recovery triggers:
//   /brokers/topics/<t>    the per-topic data watch every controller keeps (PartitionModifications):
//                          a repaired znode loads the topic as a failover would.
//   .../partitions/<p>/state   Kafka has no watch here; Zafka watches only the damaged ones
//                          (DamagedPartitionStateChange). Besides, every election re-reads the
//                          state of the partitions it elects, so a broker change or a failover
//                          also notices a repair.

import { Logger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import { ControllerEvent } from './controller-event';
import { keyOf, TopicPartition } from './controller-types';
import { ControllerZkClient, TopicAssignment, Watcher } from './controller-zk';
import { PartitionStateMachine } from './partition-state-machine';
import { ReplicaStateMachine } from './replica-state-machine';
import { InvalidZnodeError } from './zk/znode-json';

export interface DamagedZnodesDeps {
  context: ControllerContext;
  zk: ControllerZkClient;
  log: Logger;
  isActive: () => boolean;
  /** A one-shot ZooKeeper watcher that enqueues `event` while this controller term lasts. */
  watch: (event: ControllerEvent) => Watcher;
  partitionStateMachine: PartitionStateMachine;
  replicaStateMachine: ReplicaStateMachine;
  /** Reads /brokers/topics/<t> arming the controller's per-topic data watch. */
  readTopics: (topics: string[]) => ReturnType<ControllerZkClient['getFullReplicaAssignment']>;
  /** Registers a topic's adding/removing replicas with the reassignment bookkeeping. */
  loadTopicAssignment: (topic: string, assignment: TopicAssignment) => void;
  sendUpdateMetadata: (brokers: number[], partitions: TopicPartition[]) => void;
}

export type DamagedState = { tp: TopicPartition; error: InvalidZnodeError };

export class DamagedZnodes {
  /**
   * Topics whose /brokers/topics/<t> could not be decoded when first read: known by name only (no
   * partitions), as Kafka 2.4 reads such a topic as empty.
   */
  private readonly topics = new Set<string>();
  /** "topic-partition" of damaged state znodes with a watch armed (one watch each). */
  private readonly stateWatches = new Set<string>();

  constructor(private readonly deps: DamagedZnodesDeps) {}

  /** Resignation: the next term finds the damage again when it reads. */
  reset(): void {
    this.topics.clear();
    this.stateWatches.clear();
  }

  addTopics(topics: Iterable<string>): void {
    for (const t of topics) this.topics.add(t);
  }

  hasTopic(topic: string): boolean {
    return this.topics.has(topic);
  }

  removeTopic(topic: string): void {
    this.topics.delete(topic);
  }

  /**
   * Caches the partitions' states as read from ZooKeeper; returns the keys of damaged state znodes
   * (then watched), which must start Offline rather than New: their znode exists.
   */
  async loadStates(partitions: TopicPartition[]): Promise<Set<string>> {
    if (partitions.length === 0) return new Set();
    const states = await this.deps.zk.getTopicPartitionStates(partitions);
    for (const [key, state] of states) this.deps.context.partitionLeadershipInfo.set(key, state);
    const damaged = partitions.filter((tp) => states.invalid.has(keyOf(tp))).map((tp) => ({ tp, error: states.invalid.get(keyOf(tp)) as InvalidZnodeError }));
    this.watchStates(damaged);
    return new Set(damaged.map((d) => keyOf(d.tp)));
  }

  /**
   * Watches damaged state znodes: rewriting one enqueues DamagedPartitionStateChange. If the
   * znode changed between the read and the watch (repaired meanwhile), the event is enqueued now.
   */
  watchStates(damaged: DamagedState[]): void {
    for (const { tp, error } of damaged) {
      const key = keyOf(tp);
      if (this.stateWatches.has(key)) continue;
      this.stateWatches.add(key);
      const enqueue = this.deps.watch({ type: 'DamagedPartitionStateChange', topic: tp.topic, partition: tp.partition });
      const fired = () => {
        this.stateWatches.delete(key);
        enqueue();
      };
      this.deps.zk.watchTopicPartitionState(tp, fired).then(
        (stat) => {
          if (stat === null || stat.version !== error.zkVersion) fired();
        },
        (err: unknown) => {
          this.stateWatches.delete(key);
          this.deps.log.warn(`Could not watch the state znode of partition ${key}: ${(err as Error).message}`);
        },
      );
    }
  }

  /**
   * A watched (damaged) state znode changed. If it is valid now, the partition comes back: an
   * Offline one gets a leader elected from the repaired state; an Online one (its leader never
   * died) takes the repaired state into the cache and metadata. Still damaged: watched again.
   */
  async processPartitionStateChange(topic: string, partition: number): Promise<void> {
    const ctx = this.deps.context;
    if (!this.deps.isActive() || !ctx.hasPartition({ topic, partition }) || ctx.isTopicQueuedUpForDeletion(topic)) return;
    const tp = ctx.tp(topic, partition);
    const key = keyOf(tp);
    const states = await this.deps.zk.getTopicPartitionStates([tp]);
    const state = states.get(key);
    if (!state) {
      const error = states.invalid.get(key);
      if (error) this.watchStates([{ tp, error }]);
      return;
    }
    this.deps.log.info(`The state znode of partition ${key} is valid again (${ctx.partitionState(tp)})`);
    if (ctx.partitionState(tp) === 'OnlinePartition') {
      ctx.partitionLeadershipInfo.set(key, state);
      this.deps.sendUpdateMetadata(ctx.liveOrShuttingDownBrokerIds(), [tp]);
    } else if (ctx.partitionState(tp) === 'OfflinePartition') {
      await this.deps.partitionStateMachine.handleStateChanges([tp], 'OnlinePartition', { kind: 'OfflinePartition', allowUnclean: false });
    }
  }

  /**
   * /brokers/topics/<t> of a topic skipped as damaged changed: if it decodes now, load the topic as
   * a failover would (assignment, partition states, replica and partition state machines).
   */
  async restoreTopic(topic: string): Promise<void> {
    const ctx = this.deps.context;
    const assignment = (await this.deps.readTopics([topic])).get(topic);
    if (!assignment) return; // still damaged (the client logs a new damage once), or deleted meanwhile
    this.topics.delete(topic);
    const partitions: TopicPartition[] = [];
    for (const [partition, replicas] of assignment.partitions) {
      ctx.updatePartitionReplicaAssignment({ topic, partition }, replicas);
      partitions.push(ctx.tp(topic, partition));
    }
    this.deps.loadTopicAssignment(topic, assignment);
    this.deps.log.info(`Topic ${topic}'s znode is valid again: loading its ${partitions.length} partitions`);
    const damagedStates = await this.loadStates(partitions);
    await this.deps.replicaStateMachine.startup(partitions);
    await this.deps.partitionStateMachine.startup(partitions, damagedStates);
    this.deps.sendUpdateMetadata(ctx.liveOrShuttingDownBrokerIds(), partitions.filter((tp) => ctx.partitionLeadershipInfo.has(keyOf(tp))));
  }
}
