// The controller's "move leadership on purpose" paths, as in Kafka 2.4's KafkaController:
// - controlled shutdown (ControlledShutdown request): move leadership off the broker, drop it
//   from ISRs, and report which partitions it still leads (the broker retries until none);
// - preferred replica election from /admin/preferred_replica_election (ZkTriggered);
// - auto leader rebalance (auto.leader.rebalance.enable): every
//   leader.imbalance.check.interval.seconds, a broker whose share of partitions led by someone
//   else exceeds leader.imbalance.per.broker.percentage gets its preferred leaderships back.

import { getLogger, Logger } from '../broker/logging';
import { ErrorCode } from '../broker/protocol/errors';
import { ControllerContext } from './controller-context';
import { ControlledShutdownResult, ControllerEvent, ElectLeaderResult } from './controller-event';
import { ControllerBrokerRequestBatch } from './controller-request-batch';
import { ControllerConfig, keyOf, TopicPartition } from './controller-types';
import { ControllerZkClient, Watcher } from './controller-zk';
import { preferredReplicaPartitionLeaderElection } from './leader-election';
import { PartitionStateMachine, StateChangeFailedError } from './partition-state-machine';
import { ReplicaStateMachine } from './replica-state-machine';
import { isInvalidZnode } from './zk/znode-json';

export interface LeaderElectionsDeps {
  controllerId: number;
  context: ControllerContext;
  zk: ControllerZkClient;
  config: ControllerConfig;
  partitionStateMachine: PartitionStateMachine;
  replicaStateMachine: ReplicaStateMachine;
  batch: ControllerBrokerRequestBatch;
  isActive: () => boolean;
  watch: (event: ControllerEvent) => Watcher;
  scheduleRebalance: (delayMs: number) => void;
}

export type ElectionTrigger = 'ZkTriggered' | 'AutoTriggered' | 'AdminClientTriggered';

export class LeaderElections {
  private readonly log: Logger;

  constructor(private readonly deps: LeaderElectionsDeps) {
    this.log = getLogger('kafka.controller.KafkaController', `[Controller id=${deps.controllerId}] `, 'controller');
  }

  private get ctx(): ControllerContext {
    return this.deps.context;
  }

  async controlledShutdown(brokerId: number, brokerEpoch: number): Promise<ControlledShutdownResult> {
    const ctx = this.ctx;
    if (!this.deps.isActive()) return { errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] };
    // KIP-380: a request from an older incarnation of the broker must not shut down the new one.
    const cachedEpoch = ctx.liveOrShuttingDownBroker(brokerId)?.epoch;
    if (brokerEpoch !== -1 && cachedEpoch !== undefined && brokerEpoch < cachedEpoch) {
      this.log.info(`Ignoring controlled shutdown of broker ${brokerId}: stale broker epoch ${brokerEpoch}, current ${cachedEpoch}`);
      return { errorCode: ErrorCode.STALE_BROKER_EPOCH, remainingPartitions: [] };
    }
    this.log.info(`Shutting down broker ${brokerId}`);
    if (!ctx.liveOrShuttingDownBroker(brokerId)) {
      this.log.warn(`Broker ${brokerId} is not registered; cannot shut it down`);
      return { errorCode: ErrorCode.BROKER_NOT_AVAILABLE, remainingPartitions: [] };
    }
    ctx.shuttingDownBrokerIds.add(brokerId);
    this.log.debug(`All shutting down brokers: ${[...ctx.shuttingDownBrokerIds].join(',')}`);
    this.log.debug(`Live brokers: ${ctx.liveBrokerIds().join(',')}`);

    // Single-replica partitions cannot move; they simply go offline with the broker.
    const toActOn = ctx
      .partitionsOnBroker(brokerId)
      .filter(
        (tp) =>
          ctx.partitionReplicaAssignment(tp).length > 1 &&
          ctx.partitionLeadershipInfo.has(keyOf(tp)) &&
          !ctx.isTopicQueuedUpForDeletion(tp.topic),
      );
    const led = toActOn.filter((tp) => ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader === brokerId);
    const followed = toActOn.filter((tp) => ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader !== brokerId);
    await this.deps.partitionStateMachine.handleStateChanges(led, 'OnlinePartition', { kind: 'ControlledShutdownPartition' });
    if (followed.length > 0) {
      this.deps.batch.newBatch();
      for (const tp of followed) this.deps.batch.addStopReplicaRequestForBrokers([brokerId], tp, false);
      this.deps.batch.sendRequestsToBrokers(ctx.epoch);
    }
    // As a follower it leaves the ISR (and the leader hears about it).
    await this.deps.replicaStateMachine.handleStateChanges(
      followed.map((tp) => ({ topic: tp.topic, partition: tp.partition, replica: brokerId })),
      'OfflineReplica',
    );
    const remaining = ctx.partitionsOnBroker(brokerId).filter((tp) => {
      const info = ctx.partitionLeadershipInfo.get(keyOf(tp));
      return (
        info?.leaderAndIsr.leader === brokerId &&
        !ctx.isTopicQueuedUpForDeletion(tp.topic) &&
        ctx.partitionReplicaAssignment(tp).length > 1
      );
    });
    return {
      errorCode: ErrorCode.NONE,
      remainingPartitions: remaining.map((tp) => ({ topicName: tp.topic, partitionIndex: tp.partition })),
    };
  }

  /** /admin/preferred_replica_election: elect, then delete the znode (the tool waits for that). */
  async processZkPreferredReplicaElection(): Promise<void> {
    if (!this.deps.isActive()) return;
    let requested: TopicPartition[] | null;
    try {
      requested = await this.deps.zk.getPreferredReplicaElection(this.deps.watch({ type: 'ReplicaLeaderElection' }));
    } catch (err) {
      if (!isInvalidZnode(err)) throw err;
      // Logged once by the client; a request that cannot be read is dropped, as Kafka 2.4 does
      // (it reads invalid JSON as no partitions, then deletes the znode).
      this.log.info(`Deleting the damaged ${err.path}`);
      await this.deps.zk.deletePreferredReplicaElection(this.ctx.epochZkVersion);
      return;
    }
    if (requested === null) return;
    try {
      const known = requested.filter((tp) => this.ctx.hasPartition(tp)).map((tp) => this.ctx.tp(tp.topic, tp.partition));
      const unknown = requested.filter((tp) => !this.ctx.hasPartition(tp));
      if (unknown.length > 0) this.log.warn(`Skipping preferred replica election for partitions ${unknown.map(keyOf).join(',')} since they do not exist`);
      const deleting = known.filter((tp) => this.ctx.isTopicQueuedUpForDeletion(tp.topic));
      this.log.info(`Skipping preferred replica election for partitions due to topic deletion: ${deleting.map(keyOf).join(',')}`);
      const live = known.filter((tp) => !this.ctx.isTopicQueuedUpForDeletion(tp.topic));
      const electable = live.filter((tp) => this.ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader !== this.ctx.partitionReplicaAssignment(tp)[0]);
      await this.onReplicaElection(electable, 'ZkTriggered');
    } finally {
      await this.deps.zk.deletePreferredReplicaElection(this.ctx.epochZkVersion);
    }
  }

  /**
   * ElectLeaders (Kafka's processReplicaLeaderElection with AdminClientTriggered, PREFERRED):
   * unknown partitions UNKNOWN_TOPIC_OR_PARTITION, topics being deleted INVALID_TOPIC_EXCEPTION,
   * partitions already led by their preferred replica ELECTION_NOT_NEEDED, failed elections
   * PREFERRED_LEADER_NOT_AVAILABLE. null = every partition.
   */
  async processAdminPreferredElection(requested: TopicPartition[] | null): Promise<ElectLeaderResult[]> {
    const ctx = this.ctx;
    const result = (tp: TopicPartition, errorCode: ErrorCode, errorMessage: string | null = null, leader = -1): ElectLeaderResult => ({
      topic: tp.topic,
      partition: tp.partition,
      errorCode,
      errorMessage,
      leader,
    });
    if (!this.deps.isActive()) return (requested ?? []).map((tp) => result(tp, ErrorCode.NOT_CONTROLLER));
    const partitions = requested ?? ctx.allPartitions();
    const out: ElectLeaderResult[] = [];
    const electable: TopicPartition[] = [];
    for (const tp of partitions) {
      if (!ctx.hasPartition(tp)) {
        this.log.info(`Skipping replica leader election (PREFERRED) for partition ${keyOf(tp)} by AdminClientTriggered since it doesn't exist.`);
        out.push(result(tp, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.'));
      } else if (ctx.isTopicQueuedUpForDeletion(tp.topic)) {
        out.push(result(tp, ErrorCode.INVALID_TOPIC_EXCEPTION, 'The topic is being deleted'));
      } else if (ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader === ctx.partitionReplicaAssignment(tp)[0]) {
        out.push(result(tp, ErrorCode.ELECTION_NOT_NEEDED));
      } else {
        electable.push(ctx.tp(tp.topic, tp.partition));
      }
    }
    this.log.info(`Starting replica leader election (PREFERRED) for partitions ${electable.map(keyOf).join(',')} triggered by AdminClientTriggered`);
    const results =
      electable.length === 0
        ? new Map()
        : await this.deps.partitionStateMachine.handleStateChanges(electable, 'OnlinePartition', { kind: 'PreferredReplicaPartition' });
    for (const tp of electable) {
      const r = results.get(keyOf(tp))?.result;
      if (r === undefined) out.push(result(tp, ErrorCode.UNKNOWN_SERVER_ERROR, `Could not elect a leader for partition ${keyOf(tp)}`));
      else if (r instanceof StateChangeFailedError) out.push(result(tp, ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, r.message));
      else if (r instanceof Error) out.push(result(tp, ErrorCode.UNKNOWN_SERVER_ERROR, r.message));
      else out.push(result(tp, ErrorCode.NONE, null, r.leader));
    }
    return out;
  }

  async onReplicaElection(partitions: TopicPartition[], trigger: ElectionTrigger): Promise<void> {
    this.log.info(`Starting replica leader election (PREFERRED) for partitions ${partitions.map(keyOf).join(',')} triggered by ${trigger}`);
    if (partitions.length === 0) return;
    await this.deps.partitionStateMachine.handleStateChanges(partitions, 'OnlinePartition', { kind: 'PreferredReplicaPartition' });
  }

  async processAutoPreferredReplicaLeaderElection(): Promise<void> {
    if (!this.deps.isActive()) return;
    try {
      this.log.info('Processing automatic preferred replica leader election');
      await this.checkAndTriggerAutoLeaderRebalance();
    } finally {
      if (this.deps.isActive()) this.deps.scheduleRebalance(this.deps.config.leaderImbalanceCheckIntervalSeconds * 1000);
    }
  }

  /** Candidates per preferred broker, exported for tests through rebalanceCandidates(). */
  rebalanceCandidates(): Map<number, TopicPartition[]> {
    const ctx = this.ctx;
    const byPreferred = new Map<number, TopicPartition[]>();
    for (const tp of ctx.allPartitions()) {
      if (ctx.isTopicQueuedUpForDeletion(tp.topic)) continue;
      const preferred = ctx.partitionReplicaAssignment(tp)[0];
      if (preferred === undefined) continue;
      let list = byPreferred.get(preferred);
      if (!list) byPreferred.set(preferred, (list = []));
      list.push(tp);
    }
    const out = new Map<number, TopicPartition[]>();
    for (const [broker, tps] of byPreferred) {
      const notPreferred = tps.filter((tp) => ctx.partitionLeadershipInfo.get(keyOf(tp))?.leaderAndIsr.leader !== broker);
      const ratio = notPreferred.length / tps.length;
      this.log.debug(`Leader imbalance ratio for broker ${broker} is ${ratio}`);
      if (ratio <= this.deps.config.leaderImbalancePerBrokerPercentage / 100) continue;
      const candidates = notPreferred.filter((tp) => ctx.allTopics.has(tp.topic) && this.canPreferredReplicaBeLeader(tp));
      if (candidates.length > 0) out.set(broker, candidates);
    }
    return out;
  }

  private async checkAndTriggerAutoLeaderRebalance(): Promise<void> {
    for (const candidates of this.rebalanceCandidates().values()) {
      if (!this.deps.isActive()) return;
      await this.onReplicaElection(candidates, 'AutoTriggered');
    }
  }

  private canPreferredReplicaBeLeader(tp: TopicPartition): boolean {
    const info = this.ctx.partitionLeadershipInfo.get(keyOf(tp));
    if (!info) return false;
    const assignment = this.ctx.partitionReplicaAssignment(tp);
    const live = new Set(assignment.filter((r) => this.ctx.isReplicaOnline(r, false, tp)));
    return preferredReplicaPartitionLeaderElection(assignment, info.leaderAndIsr.isr, live) !== null;
  }
}
