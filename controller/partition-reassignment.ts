// Kafka 2.4's partition reassignment (KafkaController.onPartitionReassignment and friends, KIP-455
// on ZooKeeper), triggered by /admin/reassign_partitions (kafka-reassign-partitions --execute).
// RS/AR/RR/ORS/TRS are explained in replica-reassignment.ts. Per partition:
//
//   U1  write the topic znode with RS = TRS ++ ORS, adding_replicas = AR, removing_replicas = RR
//       (ZooKeeper before memory: it is the only persistent copy of ORS, so a new controller resumes)
//   U2  the same in memory; replicas dropped by a replaced reassignment are stopped and deleted
//   Phase A (TRS not all in the ISR):
//     A1  bump the leader epoch in the state znode, LeaderAndIsr(RS) to every replica in RS
//     A2  AR -> NewReplica (LeaderAndIsr isNew): the new replicas start fetching from the leader
//     ...then wait: the leader adds caught-up followers to the ISR; its state znode write (watched)
//     and the ISR change notification both make the controller check again.
//   Phase B (TRS all in the ISR):
//     B1  AR -> OnlineReplica;  B2  RS = TRS in memory
//     B3  leader not in TRS (or dead): elect one from TRS (ReassignPartitionLeaderElection); else
//         bump the epoch and send LeaderAndIsr(TRS) so the leader forgets RR
//     B4/B5  RR -> Offline (StopReplica, out of the ISR) -> NonExistent (StopReplica delete=true)
//     B6  topic znode: RS = TRS, empty adding/removing
//     B7  drop the partition from /admin/reassign_partitions (delete the znode when empty)
//     B8  UpdateMetadata to every broker
// While a topic is being reassigned it cannot be deleted (deletion resumes afterwards).
//
// AlterPartitionReassignments (KIP-455) takes Zafka's own route: the accepted partitions are merged
// into /admin/reassign_partitions and started at once (see processApiPartitionReassignment).

import { getLogger, Logger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import { ErrorCode } from '../broker/protocol/errors';
import { AlterReassignmentRequest, AlterReassignmentResult, ControllerEvent } from './controller-event';
import { ControllerBrokerRequestBatch } from './controller-request-batch';
import { keyOf, LeaderIsrAndControllerEpoch, PartitionAndReplica, TopicPartition } from './controller-types';
import { ControllerZkClient, isBadVersion, isControllerMoved, PartitionReassignment, TopicAssignment, Watcher } from './controller-zk';
import { PartitionStateMachine, StateChangeFailedError, stateChangeLogger } from './partition-state-machine';
import {
  formatReplicaAssignment,
  isBeingReassigned,
  isReassignmentComplete,
  reassignTo,
  ReplicaAssignment,
  replicaAssignment,
  sameAssignment,
  targetReplicas,
} from './replica-reassignment';
import { ReplicaStateMachine } from './replica-state-machine';
import { TopicDeletionManager } from './topic-deletion-manager';
import { isInvalidZnode } from './zk/znode-json';

export interface PartitionReassignmentDeps {
  controllerId: number;
  context: ControllerContext;
  zk: ControllerZkClient;
  batch: ControllerBrokerRequestBatch;
  partitionStateMachine: PartitionStateMachine;
  replicaStateMachine: ReplicaStateMachine;
  topicDeletionManager: TopicDeletionManager;
  isActive: () => boolean;
  watch: (event: ControllerEvent) => Watcher;
  sendUpdateMetadata: (brokers: number[], partitions: TopicPartition[]) => void;
}

export class PartitionReassignments {
  private readonly log: Logger;
  /** Adding/removing replicas of partitions whose assignment is mid-reassignment (RS is in the context). */
  private readonly moving = new Map<string, { adding: number[]; removing: number[] }>();
  /** Kafka's partitionsBeingReassigned: from U2 until B7. */
  private readonly beingReassigned = new Map<string, TopicPartition>();
  /** One state-znode watcher per partition, so re-reading does not pile up watches. */
  private readonly isrWatchers = new Map<string, Watcher>();

  constructor(private readonly deps: PartitionReassignmentDeps) {
    this.log = getLogger('kafka.controller.KafkaController', `[Controller id=${deps.controllerId}] `, 'controller');
  }

  private get ctx(): ControllerContext {
    return this.deps.context;
  }

  // ---- bookkeeping ----

  fullAssignment(tp: TopicPartition): ReplicaAssignment {
    const m = this.moving.get(keyOf(tp));
    return { replicas: this.ctx.partitionReplicaAssignment(tp), addingReplicas: m?.adding ?? [], removingReplicas: m?.removing ?? [] };
  }

  private updateFullAssignment(tp: TopicPartition, a: ReplicaAssignment): void {
    this.ctx.updatePartitionReplicaAssignment(tp, [...a.replicas]);
    if (isBeingReassigned(a)) this.moving.set(keyOf(tp), { adding: [...a.addingReplicas], removing: [...a.removingReplicas] });
    else this.moving.delete(keyOf(tp));
  }

  /** Failover: a topic znode with adding/removing replicas is a reassignment to resume. */
  loadTopicAssignment(topic: string, assignment: TopicAssignment): void {
    for (const [partition, replicas] of assignment.partitions) {
      const adding = assignment.addingReplicas.get(partition) ?? [];
      const removing = assignment.removingReplicas.get(partition) ?? [];
      if (adding.length === 0 && removing.length === 0) continue;
      const tp = this.ctx.tp(topic, partition);
      this.updateFullAssignment(tp, { replicas, addingReplicas: adding, removingReplicas: removing });
      this.beingReassigned.set(keyOf(tp), tp);
    }
  }

  partitionsBeingReassigned(): TopicPartition[] {
    return [...this.beingReassigned.values()];
  }

  isBeingReassigned(tp: TopicPartition): boolean {
    return this.beingReassigned.has(keyOf(tp));
  }

  /** Resignation: the next term reloads everything from ZooKeeper. */
  reset(): void {
    this.moving.clear();
    this.beingReassigned.clear();
    this.isrWatchers.clear();
  }

  // ---- triggers ----

  /** Failover: new requests in /admin/reassign_partitions, then the ones only the topic znodes remember. */
  async initialize(): Promise<void> {
    const resumed = await this.processZkPartitionReassignment();
    for (const tp of this.partitionsBeingReassigned()) {
      if (!resumed.has(keyOf(tp))) await this.onPartitionReassignment(tp, this.fullAssignment(tp));
    }
  }

  /** /admin/reassign_partitions created or changed. Returns the keys of partitions (re)started. */
  async processZkPartitionReassignment(): Promise<Set<string>> {
    const started = new Set<string>();
    if (!this.deps.isActive()) return started;
    const requested = await this.readZkReassignments(this.deps.watch({ type: 'PartitionReassignment' }));
    if (requested === null) return started;
    const failed = new Map<string, string>();
    for (const r of requested) {
      const tp = this.ctx.tp(r.topic, r.partition);
      const key = keyOf(tp);
      const why = this.invalidReason(tp, r.replicas);
      if (why !== null) {
        failed.set(key, why);
        continue;
      }
      try {
        await this.onPartitionReassignment(tp, reassignTo(this.fullAssignment(tp), r.replicas));
        started.add(key);
      } catch (err) {
        if (isControllerMoved(err)) {
          this.log.info(`Failed completing reassignment of partition ${key} because controller has moved to another broker`);
          throw err;
        }
        this.log.error(`Error completing reassignment of partition ${key}: ${(err as Error)?.stack ?? String(err)}`);
        failed.set(key, 'UNKNOWN_SERVER_ERROR');
      }
    }
    if (failed.size > 0) {
      this.log.warn(`Failed reassignment through zk with the following errors: Map(${[...failed].map(([k, e]) => `${k} -> ${e}`).join(', ')})`);
      await this.maybeRemoveFromZkReassignment((r) => failed.has(keyOf(r)));
    }
    return started;
  }

  /**
   * /admin/reassign_partitions, or null when absent. A damaged znode (logged once by the client)
   * is a request that can never be carried out: it is deleted, so that it neither lingers nor
   * blocks the next kafka-reassign-partitions (Kafka 2.4 reads it as empty and leaves it there).
   */
  private async readZkReassignments(watcher?: Watcher): Promise<PartitionReassignment[] | null> {
    try {
      return await this.deps.zk.getPartitionReassignmentList(watcher);
    } catch (err) {
      if (!isInvalidZnode(err)) throw err;
      this.log.info(`Deleting the damaged ${err.path}`);
      await this.deps.zk.deletePartitionReassignment(this.ctx.epochZkVersion);
      return null;
    }
  }

  /**
   * Kafka 2.4 rejects unknown partitions and topics being deleted here; Zafka also rejects an empty
   * or duplicated replica list (the tools never write one, and it could never complete).
   */
  private invalidReason(tp: TopicPartition, replicas: readonly number[]): string | null {
    if (this.deps.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic)) {
      this.log.info(`Skipping reassignment of ${keyOf(tp)} since the topic is currently being deleted`);
      return 'UNKNOWN_TOPIC_OR_PARTITION';
    }
    if (!this.ctx.hasPartition(tp) || this.ctx.partitionReplicaAssignment(tp).length === 0) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (replicas.length === 0 || new Set(replicas).size !== replicas.length || replicas.some((r) => !Number.isInteger(r) || r < 0)) {
      return 'INVALID_REPLICA_ASSIGNMENT';
    }
    return null;
  }

  /**
   * AlterPartitionReassignments at the controller (in its event loop). Valid new reassignments are
   * merged into /admin/reassign_partitions (fenced write) and started before answering, so a
   * ListPartitionReassignments right after sees them, as in Kafka. Differences from Kafka 2.4,
   * which replaces and cancels reassignments here: a partition already being reassigned (or listed
   * in the znode) answers REASSIGNMENT_IN_PROGRESS, and cancellation (replicas null) is not
   * supported: NO_REASSIGNMENT_IN_PROGRESS when none runs, INVALID_REPLICA_ASSIGNMENT otherwise.
   */
  async processApiPartitionReassignment(requests: readonly AlterReassignmentRequest[]): Promise<AlterReassignmentResult[]> {
    const pending = (await this.readZkReassignments()) ?? [];
    const pendingKeys = new Set(pending.map((r) => keyOf(r)));
    const live = new Set(this.ctx.liveOrShuttingDownBrokerIds());
    const accepted: PartitionReassignment[] = [];
    const results = requests.map((r): AlterReassignmentResult => {
      const tp = this.ctx.tp(r.topic, r.partition);
      const key = keyOf(tp);
      const answer = (errorCode: ErrorCode, errorMessage: string | null = null): AlterReassignmentResult => ({ topic: r.topic, partition: r.partition, errorCode, errorMessage });
      const inProgress = this.beingReassigned.has(key) || pendingKeys.has(key);
      if (r.replicas === null) {
        return inProgress
          ? answer(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Cancelling the reassignment of ${key} is not supported by Zafka's controller`)
          : answer(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, `No reassignment in progress for partition ${key}`);
      }
      const why = this.invalidReason(tp, r.replicas);
      if (why === 'UNKNOWN_TOPIC_OR_PARTITION') return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic or partition ${key}`);
      if (why !== null) return answer(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Invalid replica list [${r.replicas.join(',')}] for partition ${key}`);
      const dead = r.replicas.filter((b) => !live.has(b));
      if (dead.length > 0) {
        return answer(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Replica assignment has brokers that are not alive. Replica list: ${r.replicas.join(',')}, live broker list: ${[...live].sort((a, b) => a - b).join(',')}`,
        );
      }
      if (inProgress) return answer(ErrorCode.REASSIGNMENT_IN_PROGRESS, `A reassignment of partition ${key} is already in progress`);
      pendingKeys.add(key);
      accepted.push({ topic: tp.topic, partition: tp.partition, replicas: [...r.replicas] });
      return answer(ErrorCode.NONE);
    });
    if (accepted.length > 0) {
      this.log.info(`Handling AlterPartitionReassignments for ${accepted.map((r) => `${r.topic}-${r.partition} -> [${r.replicas.join(',')}]`).join(', ')}`);
      await this.deps.zk.setOrCreatePartitionReassignment([...pending, ...accepted], this.ctx.epochZkVersion);
      await this.processZkPartitionReassignment();
    }
    return results;
  }

  /** ListPartitionReassignments: partitions mid-reassignment with their full assignment (Kafka's isBeingReassigned). */
  ongoingReassignments(): { tp: TopicPartition; assignment: ReplicaAssignment }[] {
    return this.partitionsBeingReassigned()
      .map((tp) => ({ tp, assignment: this.fullAssignment(tp) }))
      .filter((o) => isBeingReassigned(o.assignment));
  }

  /** The state znode of a reassigning partition changed (PartitionReassignmentIsrChange). */
  async processPartitionReassignmentIsrChange(topic: string, partition: number): Promise<void> {
    if (!this.deps.isActive()) return;
    const tp = this.beingReassigned.get(keyOf({ topic, partition }));
    if (!tp) return;
    const a = this.fullAssignment(tp);
    if (await this.isReassignmentComplete(tp, a)) {
      this.log.info(`Target replicas ${targetReplicas(a).join(',')} have all caught up with the leader for reassigning partition ${keyOf(tp)}`);
      await this.onPartitionReassignment(tp, a);
    }
  }

  /** ISR change notifications name partitions too: the same check, for those being reassigned. */
  async onIsrChangeNotification(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) await this.processPartitionReassignmentIsrChange(tp.topic, tp.partition);
  }

  /** A broker came (back): reassignments that wait for it continue. */
  async onBrokerStartup(newBrokers: number[]): Promise<void> {
    for (const tp of this.partitionsBeingReassigned()) {
      const a = this.fullAssignment(tp);
      if (targetReplicas(a).some((r) => newBrokers.includes(r))) await this.onPartitionReassignment(tp, a);
    }
  }

  // ---- the algorithm ----

  async onPartitionReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    const rsm = this.deps.replicaStateMachine;
    this.deps.topicDeletionManager.markTopicIneligibleForDeletion([tp.topic], 'topic reassignment in progress');
    await this.updateCurrentReassignment(tp, reassignment);
    const replicasOf = (ids: readonly number[]): PartitionAndReplica[] => ids.map((replica) => ({ topic: tp.topic, partition: tp.partition, replica }));

    if (!(await this.isReassignmentComplete(tp, reassignment))) {
      await this.updateLeaderEpochAndSendRequest(tp, reassignment); // A1
      for (const r of replicasOf(reassignment.addingReplicas)) await rsm.handleStateChanges([r], 'NewReplica'); // A2
      return;
    }
    await rsm.handleStateChanges(replicasOf(reassignment.addingReplicas), 'OnlineReplica'); // B1
    const completed = replicaAssignment(targetReplicas(reassignment));
    this.updateFullAssignment(tp, completed); // B2
    await this.moveReassignedPartitionLeaderIfRequired(tp, completed); // B3
    await this.stopRemovedReplicas(tp, reassignment.removingReplicas); // B4, B5
    await this.updateReplicaAssignmentForPartition(tp, completed); // B6
    await this.removePartitionFromReassigningPartitions(tp, completed); // B7
    this.deps.sendUpdateMetadata(this.ctx.liveOrShuttingDownBrokerIds(), [tp]); // B8
    await this.deps.topicDeletionManager.resumeDeletionForTopics([tp.topic]);
  }

  private async updateCurrentReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    const current = this.fullAssignment(tp);
    if (!sameAssignment(current, reassignment)) {
      this.log.debug(`Updating assignment of partition ${keyOf(tp)} from ${formatReplicaAssignment(current)} to ${formatReplicaAssignment(reassignment)}`);
      await this.updateReplicaAssignmentForPartition(tp, reassignment); // U1
      this.updateFullAssignment(tp, reassignment); // U2
      // Replacing a reassignment in progress: replicas it was adding that the new one does not want.
      const unneeded = current.replicas.filter((r) => !reassignment.replicas.includes(r));
      if (unneeded.length > 0) await this.stopRemovedReplicas(tp, unneeded);
    }
    this.beingReassigned.set(keyOf(tp), tp);
  }

  /** Reads the state znode (re-arming the partition's watch); true once TRS is within the ISR. */
  private async isReassignmentComplete(tp: TopicPartition, a: ReplicaAssignment): Promise<boolean> {
    if (!isBeingReassigned(a)) return true;
    const state = await this.deps.zk.getTopicPartitionStateAndWatch(tp, this.isrWatcher(tp));
    if (state) this.refreshLeadershipCache(tp, state);
    return isReassignmentComplete(a, state ? state.leaderAndIsr.isr : null);
  }

  private isrWatcher(tp: TopicPartition): Watcher {
    const key = keyOf(tp);
    let w = this.isrWatchers.get(key);
    if (!w) {
      w = this.deps.watch({ type: 'PartitionReassignmentIsrChange', topic: tp.topic, partition: tp.partition });
      this.isrWatchers.set(key, w);
    }
    return w;
  }

  private refreshLeadershipCache(tp: TopicPartition, state: LeaderIsrAndControllerEpoch): void {
    const cached = this.ctx.partitionLeadershipInfo.get(keyOf(tp));
    if (!cached || state.leaderAndIsr.zkVersion >= cached.leaderAndIsr.zkVersion) this.ctx.partitionLeadershipInfo.set(keyOf(tp), state);
  }

  private async moveReassignedPartitionLeaderIfRequired(tp: TopicPartition, completed: ReplicaAssignment): Promise<void> {
    const replicas = completed.replicas;
    const leader = this.ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader ?? -1;
    const list = replicas.join(',');
    if (!replicas.includes(leader)) {
      this.log.info(`Leader ${leader} for partition ${keyOf(tp)} being reassigned, is not in the new list of replicas ${list}. Re-electing leader`);
      await this.deps.partitionStateMachine.handleStateChanges([tp], 'OnlinePartition', { kind: 'ReassignPartition' });
    } else if (this.ctx.isReplicaOnline(leader)) {
      this.log.info(`Leader ${leader} for partition ${keyOf(tp)} being reassigned, is already in the new list of replicas ${list} and is alive`);
      await this.updateLeaderEpochAndSendRequest(tp, completed);
    } else {
      this.log.info(`Leader ${leader} for partition ${keyOf(tp)} being reassigned, is already in the new list of replicas ${list} but is dead`);
      await this.deps.partitionStateMachine.handleStateChanges([tp], 'OnlinePartition', { kind: 'ReassignPartition' });
    }
  }

  private async stopRemovedReplicas(tp: TopicPartition, removed: readonly number[]): Promise<void> {
    if (removed.length === 0) return;
    const rsm = this.deps.replicaStateMachine;
    const replicas = removed.map((replica) => ({ topic: tp.topic, partition: tp.partition, replica }));
    await rsm.handleStateChanges(replicas, 'OfflineReplica');
    await rsm.handleStateChanges(replicas, 'ReplicaDeletionStarted');
    // As Kafka 2.4: the StopReplica(delete) answer is not awaited (a failed delete is only logged by the broker).
    await rsm.handleStateChanges(replicas, 'ReplicaDeletionSuccessful');
    await rsm.handleStateChanges(replicas, 'NonExistentReplica');
  }

  /** Rewrites the whole topic znode with this partition's (full) assignment. */
  private async updateReplicaAssignmentForPartition(tp: TopicPartition, a: ReplicaAssignment): Promise<void> {
    const topic: TopicAssignment = { partitions: new Map(), addingReplicas: new Map(), removingReplicas: new Map() };
    for (const p of this.ctx.partitionsForTopic(tp.topic)) {
      const full = p.partition === tp.partition ? a : this.fullAssignment(p);
      topic.partitions.set(p.partition, [...full.replicas]);
      if (full.addingReplicas.length > 0) topic.addingReplicas.set(p.partition, [...full.addingReplicas]);
      if (full.removingReplicas.length > 0) topic.removingReplicas.set(p.partition, [...full.removingReplicas]);
    }
    await this.deps.zk.setTopicFullAssignment(tp.topic, topic, this.ctx.epochZkVersion);
    this.log.info(`Successfully updated assignment of partition ${keyOf(tp)} to ${formatReplicaAssignment(a)}`);
  }

  private async removePartitionFromReassigningPartitions(tp: TopicPartition, a: ReplicaAssignment): Promise<void> {
    const key = keyOf(tp);
    this.isrWatchers.delete(key);
    const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
    await this.maybeRemoveFromZkReassignment((r) => keyOf(r) === key && same(r.replicas, a.replicas));
    this.beingReassigned.delete(key);
  }

  private async maybeRemoveFromZkReassignment(shouldRemove: (r: PartitionReassignment) => boolean): Promise<void> {
    const current = await this.readZkReassignments();
    if (current === null) return;
    const removing = current.filter(shouldRemove);
    const remaining = current.filter((r) => !shouldRemove(r));
    this.log.info(`Removing partitions ${removing.map((r) => `${r.topic}-${r.partition}`).join(',')} from the list of reassigned partitions in zookeeper`);
    if (remaining.length === 0) {
      this.log.info('No more partitions need to be reassigned. Deleting zk path /admin/reassign_partitions');
      await this.deps.zk.deletePartitionReassignment(this.ctx.epochZkVersion);
    } else if (removing.length > 0) {
      await this.deps.zk.setOrCreatePartitionReassignment(remaining, this.ctx.epochZkVersion);
    }
  }

  /** A1/B3: same leader and ISR, leader epoch + 1 (so brokers accept the new replica list). */
  private async updateLeaderEpochAndSendRequest(tp: TopicPartition, a: ReplicaAssignment): Promise<void> {
    const stateLog = stateChangeLogger(this.deps.controllerId, this.ctx.epoch);
    const updated = await this.updateLeaderEpoch(tp);
    if (!updated) {
      stateLog.error(`Failed to send LeaderAndIsr request with new replica assignment ${formatReplicaAssignment(a)} to leader for partition being reassigned ${keyOf(tp)}`);
      return;
    }
    const batch = this.deps.batch;
    batch.newBatch();
    batch.addLeaderAndIsrRequestForBrokers(a.replicas, tp, updated, [...a.replicas], false);
    batch.sendRequestsToBrokers(this.ctx.epoch);
    stateLog.debug(`Sent LeaderAndIsr request with new replica assignment ${formatReplicaAssignment(a)} to leader ${updated.leaderAndIsr.leader} for partition being reassigned ${keyOf(tp)}`);
  }

  private async updateLeaderEpoch(tp: TopicPartition): Promise<LeaderIsrAndControllerEpoch | null> {
    const ctx = this.ctx;
    const key = keyOf(tp);
    for (let attempt = 0; attempt <= 50; attempt++) {
      const state = (await this.deps.zk.getTopicPartitionStates([tp])).get(key);
      if (!state) throw new Error(`Cannot update leader epoch for partition ${key} as leaderAndIsr path is empty. This could mean we somehow tried to reassign a partition that doesn't exist`);
      if (state.controllerEpoch > ctx.epoch) {
        throw new StateChangeFailedError(
          `Leader and isr path written by another controller. This probably means the current controller with epoch ${ctx.epoch} went through a soft failure and another controller was elected with epoch ${state.controllerEpoch}. Aborting state change by this controller`,
        );
      }
      const current = state.leaderAndIsr;
      const next = { ...current, leaderEpoch: current.leaderEpoch + 1 };
      const results = await this.deps.zk.updateLeaderAndIsr([{ topic: tp.topic, partition: tp.partition, leaderAndIsr: next, controllerEpoch: ctx.epoch }], ctx.epochZkVersion);
      const error = results.failed.get(key);
      if (error && !isBadVersion(error)) throw error;
      const zkVersion = results.succeeded.get(key);
      if (zkVersion === undefined) continue; // a leader changed the ISR meanwhile: read again
      const info = { leaderAndIsr: { ...next, zkVersion }, controllerEpoch: ctx.epoch };
      ctx.partitionLeadershipInfo.set(key, info);
      this.log.info(`Updated leader epoch for partition ${key} to ${next.leaderEpoch}`);
      return info;
    }
    return null;
  }
}
