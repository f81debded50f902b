// Kafka's (Zk)PartitionStateMachine, 2.4 semantics:
//   NonExistent -> New           assignment known, nothing written yet
//   New -> Online                leader = first live replica in assignment order, ISR = live
//                                replicas, leader epoch 0; created with createTopicPartitionStates
//   Offline/Online -> Online     leader elected by a strategy from the state READ BACK from
//                                ZooKeeper, written with a conditional update (zkVersion), retried
//                                after re-reading on BadVersion (a leader changed the ISR meanwhile)
//   New/Online/Offline -> Offline, Offline -> NonExistent   bookkeeping only
// Each handleStateChanges call is one request batch: LeaderAndIsr to the replicas and
// UpdateMetadata to every live broker go out once, at the end.
// A partition with no eligible leader keeps its state (Offline) and is retried whenever brokers
// come back (triggerOnlinePartitionStateChange).

import { getLogger, Logger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import { ControllerBrokerRequestBatch } from './controller-request-batch';
import { PARTITION_VALID_PREVIOUS, PartitionState } from './controller-states';
import {
  ControllerConfig,
  formatLeaderAndIsr,
  keyOf,
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  TopicPartition,
} from './controller-types';
import { ControllerZkClient, isBadVersion, isControllerMoved, isNodeExists, LeaderAndIsrUpdate } from './controller-zk';
import { electLeader, LeaderElectionStrategy, strategyName } from './leader-election';
import { InvalidZnodeError, isInvalidZnode } from './zk/znode-json';

export interface StateMachineDeps {
  controllerId: number;
  context: ControllerContext;
  zk: ControllerZkClient;
  batch: ControllerBrokerRequestBatch;
  config: ControllerConfig;
  /**
   * Partitions whose state znode was found damaged (the client has logged it): the controller
   * watches those znodes so that their repair brings the partition back.
   */
  onDamagedPartitionStates?: (damaged: { tp: TopicPartition; error: InvalidZnodeError }[]) => void;
}

export class StateChangeFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateChangeFailedError';
  }
}

/** Per partition key: the new LeaderAndIsr, or why the election failed. */
export type ElectionResults = Map<string, { tp: TopicPartition; result: LeaderAndIsr | Error }>;

export function stateChangeLogger(controllerId: number, epoch: number): Logger {
  return getLogger('state.change.logger', `[Controller id=${controllerId} epoch=${epoch}] `, 'state-change');
}

export class PartitionStateMachine {
  private readonly log: Logger;

  constructor(private readonly deps: StateMachineDeps) {
    this.log = getLogger('kafka.controller.ZkPartitionStateMachine', `[PartitionStateMachine controllerId=${deps.controllerId}] `, 'controller');
  }

  private get ctx(): ControllerContext {
    return this.deps.context;
  }

  private get stateLog(): Logger {
    return stateChangeLogger(this.deps.controllerId, this.ctx.epoch);
  }

  /**
   * Failover (or a topic whose damaged znode was repaired: `partitions` are its partitions):
   * derive each partition's state from the leadership read from ZooKeeper, then elect. A partition
   * whose state znode is damaged (`damagedStates` keys) is Offline, not New: its state znode
   * exists, so it must be elected from a repaired state, never re-created.
   */
  async startup(partitions: TopicPartition[] = this.ctx.allPartitions(), damagedStates: ReadonlySet<string> = new Set()): Promise<void> {
    this.log.info('Initializing partition state');
    for (const tp of partitions) {
      const info = this.ctx.partitionLeadershipInfo.get(keyOf(tp));
      if (!info && damagedStates.has(keyOf(tp))) this.ctx.putPartitionState(tp, 'OfflinePartition');
      else if (!info) this.ctx.putPartitionState(tp, 'NewPartition');
      else if (this.ctx.isReplicaOnline(info.leaderAndIsr.leader, false, tp)) this.ctx.putPartitionState(tp, 'OnlinePartition');
      else this.ctx.putPartitionState(tp, 'OfflinePartition');
    }
    this.log.info('Triggering online partition state changes');
    await this.triggerOnlinePartitionStateChange();
  }

  shutdown(): void {
    this.log.info('Stopped partition state machine');
  }

  /** Elects leaders for every New/Offline partition not being deleted (from the index, no scan). */
  async triggerOnlinePartitionStateChange(): Promise<ElectionResults> {
    const partitions = this.ctx.partitionsNotOnlineList().filter((tp) => !this.ctx.isTopicQueuedUpForDeletion(tp.topic));
    return this.handleStateChanges(partitions, 'OnlinePartition', { kind: 'OfflinePartition', allowUnclean: false });
  }

  async handleStateChanges(
    partitions: TopicPartition[],
    target: PartitionState,
    strategy?: LeaderElectionStrategy,
  ): Promise<ElectionResults> {
    if (partitions.length === 0) return new Map();
    this.deps.batch.newBatch();
    try {
      const results = await this.doHandleStateChanges(partitions, target, strategy);
      this.deps.batch.sendRequestsToBrokers(this.ctx.epoch);
      return results;
    } catch (err) {
      this.deps.batch.clear();
      if (isControllerMoved(err)) {
        this.log.error(`Controller moved to another broker when moving some partitions to ${target} state: ${(err as Error).message}`);
        throw err;
      }
      this.log.error(`Error while moving some partitions to ${target} state: ${(err as Error).stack ?? String(err)}`);
      return new Map();
    }
  }

  private async doHandleStateChanges(
    partitions: TopicPartition[],
    target: PartitionState,
    strategy?: LeaderElectionStrategy,
  ): Promise<ElectionResults> {
    const valid: TopicPartition[] = [];
    for (const tp of partitions) {
      const current = this.ctx.partitionState(tp);
      if (PARTITION_VALID_PREVIOUS[target].includes(current)) valid.push(tp);
      else
        this.stateLog.error(
          `Controller ${this.deps.controllerId} epoch ${this.ctx.epoch} failed to change state for partition ${keyOf(tp)} ` +
            `from ${current} to ${target}: invalid transition`,
        );
    }
    switch (target) {
      case 'NewPartition':
        for (const tp of valid) {
          this.stateLog.info(
            `Changed partition ${keyOf(tp)} state from ${this.ctx.partitionState(tp)} to NewPartition with assigned replicas ` +
              this.ctx.partitionReplicaAssignment(tp).join(','),
          );
          this.ctx.putPartitionState(tp, 'NewPartition');
        }
        return new Map();
      case 'OfflinePartition':
      case 'NonExistentPartition':
        for (const tp of valid) {
          this.stateLog.info(`Changed partition ${keyOf(tp)} state from ${this.ctx.partitionState(tp)} to ${target}`);
          this.ctx.putPartitionState(tp, target);
        }
        return new Map();
      case 'OnlinePartition': {
        const uninitialized = valid.filter((tp) => this.ctx.partitionState(tp) === 'NewPartition');
        const toElect = valid.filter((tp) => this.ctx.partitionState(tp) !== 'NewPartition');
        if (uninitialized.length > 0) {
          for (const tp of await this.initializeLeaderAndIsrForPartitions(uninitialized)) {
            const info = this.ctx.partitionLeadershipInfo.get(keyOf(tp)) as LeaderIsrAndControllerEpoch;
            this.stateLog.info(`Changed partition ${keyOf(tp)} from NewPartition to OnlinePartition with state ${formatLeaderAndIsr(info.leaderAndIsr)}`);
            this.ctx.putPartitionState(tp, 'OnlinePartition');
          }
        }
        if (toElect.length === 0) return new Map();
        if (!strategy) throw new Error(`No leader election strategy for partitions ${toElect.map(keyOf).join(',')}`);
        const results = await this.electLeaderForPartitions(toElect, strategy);
        for (const { tp, result } of results.values()) {
          if (result instanceof Error) continue; // stays where it was; retried on the next trigger
          this.stateLog.info(`Changed partition ${keyOf(tp)} from ${this.ctx.partitionState(tp)} to OnlinePartition with state ${formatLeaderAndIsr(result)}`);
          this.ctx.putPartitionState(tp, 'OnlinePartition');
        }
        return results;
      }
    }
  }

  private async initializeLeaderAndIsrForPartitions(partitions: TopicPartition[]): Promise<TopicPartition[]> {
    const ctx = this.ctx;
    const planned = new Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch }>();
    for (const tp of partitions) {
      const replicas = ctx.partitionReplicaAssignment(tp);
      const live = replicas.filter((r) => ctx.isReplicaOnline(r, false, tp));
      if (live.length === 0) {
        this.failed(
          tp,
          'NewPartition',
          'OnlinePartition',
          `Controller ${this.deps.controllerId} epoch ${ctx.epoch} encountered error during state change of partition ${keyOf(tp)} ` +
            `from New to Online, assigned replicas are [${replicas.join(',')}], live brokers are [${ctx.liveBrokerIds().join(',')}]. ` +
            'No assigned replica is alive.',
        );
        continue;
      }
      planned.set(keyOf(tp), {
        tp,
        info: { leaderAndIsr: { leader: live[0], leaderEpoch: 0, isr: live, zkVersion: 0 }, controllerEpoch: ctx.epoch },
      });
    }
    if (planned.size === 0) return [];
    const states = [...planned.values()].map(({ tp, info }) => ({
      topic: tp.topic,
      partition: tp.partition,
      leader: info.leaderAndIsr.leader,
      leaderEpoch: 0,
      isr: info.leaderAndIsr.isr,
      controllerEpoch: ctx.epoch,
    }));
    let results;
    try {
      results = await this.deps.zk.createTopicPartitionStates(states, ctx.epochZkVersion);
    } catch (err) {
      if (isControllerMoved(err)) throw err;
      for (const { tp } of planned.values()) this.failed(tp, 'NewPartition', 'OnlinePartition', (err as Error).message);
      return [];
    }
    const ok: TopicPartition[] = [];
    for (const [key, { tp, info }] of planned) {
      const error = results.failed.get(key);
      if (error) {
        const why = isNodeExists(error) ? 'partition state znode already exists' : error.message;
        this.failed(tp, 'NewPartition', 'OnlinePartition', why);
        continue;
      }
      const zkVersion = results.succeeded.get(key) ?? 0;
      const created = { leaderAndIsr: { ...info.leaderAndIsr, zkVersion }, controllerEpoch: info.controllerEpoch };
      ctx.partitionLeadershipInfo.set(key, created);
      this.deps.batch.addLeaderAndIsrRequestForBrokers(created.leaderAndIsr.isr, tp, created, ctx.partitionReplicaAssignment(tp), true);
      ok.push(tp);
    }
    return ok;
  }

  /** Kafka's electLeaderForPartitions: retry the partitions whose conditional update lost a race. */
  private async electLeaderForPartitions(partitions: TopicPartition[], strategy: LeaderElectionStrategy): Promise<ElectionResults> {
    const all: ElectionResults = new Map();
    let remaining = partitions;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 50) {
        for (const tp of remaining) all.set(keyOf(tp), { tp, result: new StateChangeFailedError('too many conditional update conflicts') });
        break;
      }
      const { finished, retry } = await this.doElectLeaderForPartitions(remaining, strategy);
      for (const [key, r] of finished) {
        // A damaged state znode was logged once by the client; logging it at every trigger would flood.
        if (r.result instanceof Error && !isInvalidZnode(r.result)) this.failed(r.tp, this.ctx.partitionState(r.tp), 'OnlinePartition', r.result.message);
        all.set(key, r);
      }
      remaining = retry;
    }
    return all;
  }

  private async doElectLeaderForPartitions(
    partitions: TopicPartition[],
    strategy: LeaderElectionStrategy,
  ): Promise<{ finished: ElectionResults; retry: TopicPartition[] }> {
    const ctx = this.ctx;
    const finished: ElectionResults = new Map();
    // Read back every time: this is also how a repaired state znode is noticed (Kafka has no watch on it).
    const states = await this.deps.zk.getTopicPartitionStates(partitions);
    const damaged = partitions.filter((tp) => states.invalid.has(keyOf(tp))).map((tp) => ({ tp, error: states.invalid.get(keyOf(tp)) as InvalidZnodeError }));
    if (damaged.length > 0) this.deps.onDamagedPartitionStates?.(damaged);
    const valid: { tp: TopicPartition; current: LeaderAndIsr }[] = [];
    for (const tp of partitions) {
      const key = keyOf(tp);
      const state = states.get(key);
      const invalid = states.invalid.get(key);
      if (invalid) {
        finished.set(key, { tp, result: invalid });
      } else if (!state) {
        finished.set(key, {
          tp,
          result: new StateChangeFailedError(`LeaderAndIsr information doesn't exist for partition ${key} in ${ctx.partitionState(tp)} state`),
        });
      } else if (state.controllerEpoch > ctx.epoch) {
        finished.set(key, {
          tp,
          result: new StateChangeFailedError(
            `Aborted leader election for partition ${key} since the LeaderAndIsr path was already written by another controller. ` +
              `This probably means that the current controller ${this.deps.controllerId} went through a soft failure and another ` +
              `controller was elected with epoch ${state.controllerEpoch}.`,
          ),
        });
      } else valid.push({ tp, current: state.leaderAndIsr });
    }
    if (valid.length === 0) return { finished, retry: [] };

    const shuttingDown = ctx.shuttingDownBrokerIds;
    const updates: LeaderAndIsrUpdate[] = [];
    const recipients = new Map<string, number[]>();
    for (const { tp, current } of valid) {
      const assignment = ctx.partitionReplicaAssignment(tp);
      const includeShuttingDown = strategy.kind === 'ControlledShutdownPartition';
      const live = assignment.filter((r) => ctx.isReplicaOnline(r, includeShuttingDown, tp));
      let uncleanAllowed = false;
      if (strategy.kind === 'OfflinePartition' && !strategy.allowUnclean && !current.isr.some((r) => ctx.isReplicaOnline(r, false, tp))) {
        // Only partitions with no live ISR member pay for the topic config read (Kafka 2.4 too).
        uncleanAllowed = await this.uncleanLeaderElectionEnabled(tp.topic);
      }
      const { leaderAndIsr, unclean } = electLeader(strategy, {
        assignment,
        current,
        liveReplicas: new Set(live),
        shuttingDownBrokers: shuttingDown,
        uncleanAllowed,
      });
      if (!leaderAndIsr) {
        finished.set(keyOf(tp), {
          tp,
          result: new StateChangeFailedError(`Failed to elect leader for partition ${keyOf(tp)} under strategy ${strategyName(strategy)}`),
        });
        continue;
      }
      if (unclean) {
        this.log.warn(`Unclean leader election. Partition ${keyOf(tp)} has been assigned leader ${leaderAndIsr.leader} from deposed leader ${current.leader}.`);
      }
      updates.push({ topic: tp.topic, partition: tp.partition, leaderAndIsr, controllerEpoch: ctx.epoch });
      recipients.set(keyOf(tp), live);
    }
    if (updates.length === 0) return { finished, retry: [] };

    const results = await this.deps.zk.updateLeaderAndIsr(updates, ctx.epochZkVersion);
    const retry: TopicPartition[] = [];
    for (const u of updates) {
      const key = keyOf(u);
      const tp = ctx.tp(u.topic, u.partition);
      const error = results.failed.get(key);
      if (error) {
        if (isBadVersion(error)) retry.push(tp);
        else finished.set(key, { tp, result: error });
        continue;
      }
      const zkVersion = results.succeeded.get(key);
      if (zkVersion === undefined) {
        retry.push(tp);
        continue;
      }
      const leaderAndIsr: LeaderAndIsr = { ...u.leaderAndIsr, zkVersion };
      const info = { leaderAndIsr, controllerEpoch: ctx.epoch };
      ctx.partitionLeadershipInfo.set(key, info);
      this.deps.batch.addLeaderAndIsrRequestForBrokers(recipients.get(key) ?? [], tp, info, ctx.partitionReplicaAssignment(tp), false);
      finished.set(key, { tp, result: leaderAndIsr });
    }
    return { finished, retry };
  }

  /** unclean.leader.election.enable: topic override from /config/topics/<t>, else the broker's. */
  private async uncleanLeaderElectionEnabled(topic: string): Promise<boolean> {
    try {
      const configs = await this.deps.zk.getEntityConfigs('topics', topic);
      const value = configs['unclean.leader.election.enable'];
      if (value !== undefined) return value.trim().toLowerCase() === 'true';
    } catch (err) {
      // A damaged /config/topics/<t> has been logged once by the client already.
      if (!isInvalidZnode(err)) this.log.warn(`Could not read the configuration of topic ${topic}: ${(err as Error).message}`);
    }
    return this.deps.config.uncleanLeaderElectionEnable;
  }

  private failed(tp: TopicPartition, from: PartitionState, to: PartitionState, why: string): void {
    this.stateLog.error(
      `Controller ${this.deps.controllerId} epoch ${this.ctx.epoch} failed to change state for partition ${keyOf(tp)} from ${from} to ${to}: ${why}`,
    );
  }
}
