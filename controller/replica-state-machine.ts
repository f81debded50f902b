// Kafka's (Zk)ReplicaStateMachine, 2.4 semantics. Per replica (topic, partition, broker):
//   -> NewReplica        LeaderAndIsr(isNew) to that broker if the partition already has a leader
//   -> OnlineReplica     LeaderAndIsr to that broker (not from NewReplica: creation sent it)
//   -> OfflineReplica    StopReplica(delete=false) to it, remove it from the ISR in ZooKeeper
//                        (conditional update, retried on BadVersion; a removed leader leaves
//                        leader -1; the LAST ISR member is kept so a clean leader can return),
//                        LeaderAndIsr to the other replicas, UpdateMetadata to everyone
//   -> ReplicaDeletionStarted   StopReplica(delete=true); the answer comes back as an event
//   -> ReplicaDeletionSuccessful / ReplicaDeletionIneligible   bookkeeping for topic deletion
//   -> NonExistentReplica       dropped from the assignment
// One handleStateChanges call = one request batch.

import { getLogger, Logger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import { REPLICA_VALID_PREVIOUS, ReplicaState } from './controller-states';
import { keyOf, LeaderAndIsr, LeaderIsrAndControllerEpoch, NO_LEADER, PartitionAndReplica, TopicPartition } from './controller-types';
import { isBadVersion, isControllerMoved, LeaderAndIsrUpdate } from './controller-zk';
import { stateChangeLogger, StateMachineDeps } from './partition-state-machine';

export class ReplicaStateMachine {
  private readonly log: Logger;

  constructor(private readonly deps: StateMachineDeps) {
    this.log = getLogger('kafka.controller.ZkReplicaStateMachine', `[ReplicaStateMachine controllerId=${deps.controllerId}] `, 'controller');
  }

  private get ctx(): ControllerContext {
    return this.deps.context;
  }

  private get stateLog(): Logger {
    return stateChangeLogger(this.deps.controllerId, this.ctx.epoch);
  }

  /**
   * Failover: replicas on live brokers go Online (this sends LeaderAndIsr for every partition to
   * its live replicas), the others Offline. Replicas on dead brokers start as
   * ReplicaDeletionIneligible, so a pending topic deletion waits for them (Kafka does the same).
   */
  async startup(partitions: TopicPartition[] = this.ctx.allPartitions()): Promise<void> {
    this.log.info('Initializing replica state');
    const online: PartitionAndReplica[] = [];
    const offline: PartitionAndReplica[] = [];
    for (const tp of partitions) {
      for (const replica of this.ctx.partitionReplicaAssignment(tp)) {
        const r = { topic: tp.topic, partition: tp.partition, replica };
        if (this.ctx.isReplicaOnline(replica)) {
          this.ctx.putReplicaState(r, 'OnlineReplica');
          online.push(r);
        } else {
          this.ctx.putReplicaState(r, 'ReplicaDeletionIneligible');
          offline.push(r);
        }
      }
    }
    this.log.info('Triggering online replica state changes');
    await this.handleStateChanges(online, 'OnlineReplica');
    this.log.info('Triggering offline replica state changes');
    await this.handleStateChanges(offline, 'OfflineReplica');
  }

  shutdown(): void {
    this.log.info('Stopped replica state machine');
  }

  async handleStateChanges(replicas: PartitionAndReplica[], target: ReplicaState): Promise<void> {
    if (replicas.length === 0) return;
    this.deps.batch.newBatch();
    try {
      const byBroker = new Map<number, PartitionAndReplica[]>();
      for (const r of replicas) {
        let list = byBroker.get(r.replica);
        if (!list) byBroker.set(r.replica, (list = []));
        list.push(r);
      }
      for (const [replicaId, list] of byBroker) await this.doHandleStateChanges(replicaId, list, target);
      this.deps.batch.sendRequestsToBrokers(this.ctx.epoch);
    } catch (err) {
      this.deps.batch.clear();
      if (isControllerMoved(err)) {
        this.log.error(`Controller moved to another broker when moving some replicas to ${target} state: ${(err as Error).message}`);
        throw err;
      }
      this.log.error(`Error while moving some replicas to ${target} state: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private transitioned(r: PartitionAndReplica, from: ReplicaState, to: ReplicaState): void {
    this.stateLog.info(`Changed state of replica ${r.replica} for partition ${r.topic}-${r.partition} from ${from} to ${to}`);
    this.ctx.putReplicaState(r, to);
  }

  private failed(r: PartitionAndReplica, from: ReplicaState, to: ReplicaState, why: string): void {
    this.stateLog.error(
      `Controller ${this.deps.controllerId} epoch ${this.ctx.epoch} failed to change state of replica ${r.replica} ` +
        `for partition ${r.topic}-${r.partition} from ${from} to ${to}: ${why}`,
    );
  }

  private async doHandleStateChanges(replicaId: number, replicas: PartitionAndReplica[], target: ReplicaState): Promise<void> {
    const ctx = this.ctx;
    const batch = this.deps.batch;
    const valid: PartitionAndReplica[] = [];
    for (const r of replicas) {
      const current = ctx.replicaState(r);
      if (REPLICA_VALID_PREVIOUS[target].includes(current)) valid.push(r);
      else this.failed(r, current, target, 'invalid transition');
    }
    switch (target) {
      case 'NewReplica':
        for (const r of valid) {
          const tp = ctx.tp(r.topic, r.partition);
          const info = ctx.partitionLeadershipInfo.get(keyOf(tp));
          if (info && info.leaderAndIsr.leader === replicaId) {
            this.failed(r, ctx.replicaState(r), 'NewReplica', 'it is being requested to become leader');
            continue;
          }
          if (info) batch.addLeaderAndIsrRequestForBrokers([replicaId], tp, info, ctx.partitionReplicaAssignment(tp), true);
          this.transitioned(r, ctx.replicaState(r), 'NewReplica');
        }
        return;
      case 'OnlineReplica':
        for (const r of valid) {
          const tp = ctx.tp(r.topic, r.partition);
          const current = ctx.replicaState(r);
          if (current === 'NewReplica') {
            const assignment = ctx.partitionReplicaAssignment(tp);
            if (!assignment.includes(replicaId)) {
              this.log.error(`Adding replica (${replicaId}) that is not part of the assignment ${assignment.join(',')}`);
              ctx.updatePartitionReplicaAssignment(tp, [...assignment, replicaId]);
            }
          } else {
            const info = ctx.partitionLeadershipInfo.get(keyOf(tp));
            if (info) batch.addLeaderAndIsrRequestForBrokers([replicaId], tp, info, ctx.partitionReplicaAssignment(tp), false);
          }
          this.transitioned(r, current, 'OnlineReplica');
        }
        return;
      case 'OfflineReplica': {
        const withLeadership: TopicPartition[] = [];
        for (const r of valid) {
          const tp = ctx.tp(r.topic, r.partition);
          batch.addStopReplicaRequestForBrokers([replicaId], tp, false);
          if (ctx.partitionLeadershipInfo.has(keyOf(tp))) withLeadership.push(tp);
          else {
            this.transitioned(r, ctx.replicaState(r), 'OfflineReplica');
            batch.addUpdateMetadataRequestForBrokers(ctx.liveOrShuttingDownBrokerIds(), [tp]);
          }
        }
        const updated = await this.removeReplicasFromIsr(replicaId, withLeadership);
        for (const { tp, info } of updated) {
          if (!ctx.isTopicQueuedUpForDeletion(tp.topic)) {
            const recipients = ctx.partitionReplicaAssignment(tp).filter((id) => id !== replicaId);
            batch.addLeaderAndIsrRequestForBrokers(recipients, tp, info, ctx.partitionReplicaAssignment(tp), false);
          }
          const r = { topic: tp.topic, partition: tp.partition, replica: replicaId };
          this.transitioned(r, ctx.replicaState(r), 'OfflineReplica');
        }
        return;
      }
      case 'ReplicaDeletionStarted':
        for (const r of valid) {
          this.transitioned(r, ctx.replicaState(r), 'ReplicaDeletionStarted');
          batch.addStopReplicaRequestForBrokers([replicaId], ctx.tp(r.topic, r.partition), true);
        }
        return;
      case 'ReplicaDeletionIneligible':
      case 'ReplicaDeletionSuccessful':
        for (const r of valid) this.transitioned(r, ctx.replicaState(r), target);
        return;
      case 'NonExistentReplica':
        for (const r of valid) {
          const tp = ctx.tp(r.topic, r.partition);
          const from = ctx.replicaState(r);
          ctx.updatePartitionReplicaAssignment(
            tp,
            ctx.partitionReplicaAssignment(tp).filter((id) => id !== replicaId),
          );
          this.transitioned(r, from, 'NonExistentReplica');
        }
        return;
    }
  }

  /**
   * Removes replicaId from each partition's ISR in ZooKeeper (Kafka's removeReplicasFromIsr):
   * re-reads the state, skips partitions whose ISR does not contain it (their state is still
   * reported so the other replicas hear about it), retries lost conditional updates.
   */
  private async removeReplicasFromIsr(
    replicaId: number,
    partitions: TopicPartition[],
  ): Promise<{ tp: TopicPartition; info: LeaderIsrAndControllerEpoch }[]> {
    const ctx = this.ctx;
    const done: { tp: TopicPartition; info: LeaderIsrAndControllerEpoch }[] = [];
    let remaining = partitions;
    for (let attempt = 0; remaining.length > 0 && attempt <= 50; attempt++) {
      const states = await this.deps.zk.getTopicPartitionStates(remaining);
      const updates: LeaderAndIsrUpdate[] = [];
      for (const tp of remaining) {
        const key = keyOf(tp);
        const state = states.get(key);
        const r = { topic: tp.topic, partition: tp.partition, replica: replicaId };
        if (!state) {
          // A damaged state znode: logged once by the client and watched by the controller.
          if (states.invalid.has(key)) {
            this.deps.onDamagedPartitionStates?.([{ tp, error: states.invalid.get(key)! }]);
          } else if (!ctx.isTopicQueuedUpForDeletion(tp.topic)) {
            this.failed(r, ctx.replicaState(r), 'OfflineReplica', 'the leader and isr path in zookeeper is empty');
          }
          continue;
        }
        if (state.controllerEpoch > ctx.epoch) {
          this.failed(r, ctx.replicaState(r), 'OfflineReplica', `leader and isr path written by another controller (epoch ${state.controllerEpoch})`);
          continue;
        }
        const current = state.leaderAndIsr;
        if (!current.isr.includes(replicaId)) {
          const info = { leaderAndIsr: current, controllerEpoch: ctx.epoch };
          ctx.partitionLeadershipInfo.set(key, info);
          done.push({ tp, info });
          continue;
        }
        const leader = current.leader === replicaId ? NO_LEADER : current.leader;
        const isr = current.isr.length === 1 ? current.isr : current.isr.filter((id) => id !== replicaId);
        const next: LeaderAndIsr = { leader, leaderEpoch: current.leaderEpoch + 1, isr, zkVersion: current.zkVersion };
        updates.push({ topic: tp.topic, partition: tp.partition, leaderAndIsr: next, controllerEpoch: ctx.epoch });
      }
      const retry: TopicPartition[] = [];
      if (updates.length > 0) {
        const results = await this.deps.zk.updateLeaderAndIsr(updates, ctx.epochZkVersion);
        for (const u of updates) {
          const key = keyOf(u);
          const tp = ctx.tp(u.topic, u.partition);
          const error = results.failed.get(key);
          const zkVersion = results.succeeded.get(key);
          if (error && !isBadVersion(error)) {
            const r = { topic: u.topic, partition: u.partition, replica: replicaId };
            this.failed(r, ctx.replicaState(r), 'OfflineReplica', error.message);
          } else if (error || zkVersion === undefined) {
            retry.push(tp);
          } else {
            const info = { leaderAndIsr: { ...u.leaderAndIsr, zkVersion }, controllerEpoch: ctx.epoch };
            ctx.partitionLeadershipInfo.set(key, info);
            done.push({ tp, info });
          }
        }
      }
      remaining = retry;
    }
    return done;
  }
}
