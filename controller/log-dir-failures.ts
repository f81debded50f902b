// The controller's side of a broker's failed log dir (Kafka 2.4's LogDirEventNotification and
// LeaderAndIsrResponseReceived events). A broker whose log dir went offline writes
// /log_dir_event_notification/log_dir_event_<seq>; the controller then sends LeaderAndIsr for
// every replica on that broker (the OnlineReplica transition). The broker answers
// KAFKA_STORAGE_ERROR for the replicas in the offline dir: those are marked offline
// (context.replicasOnOfflineDirs), so leadership moves to a healthy in-sync replica and the ISR
// loses them, exactly as if their broker had died, while its other replicas keep serving.
import type { Logger } from '../broker/logging';
import { ErrorCode } from '../broker/protocol/errors';
import type { ControllerContext } from './controller-context';
import type { ControllerEvent } from './controller-event';
import type { PartitionAndReplica } from './controller-types';
import { keyOf } from './controller-types';
import type { ControllerZkClient, Watcher } from './controller-zk';
import type { ReplicaStateMachine } from './replica-state-machine';

export interface LogDirFailureDeps {
  context: ControllerContext;
  zk: ControllerZkClient;
  replicaStateMachine: ReplicaStateMachine;
  onReplicasBecomeOffline(replicas: PartitionAndReplica[]): Promise<void>;
  isActive(): boolean;
  watch(event: ControllerEvent): Watcher;
  log: Logger;
}

export class LogDirFailures {
  constructor(private readonly deps: LogDirFailureDeps) {}

  /**
   * Failover: watch for new notifications and drop pending ones; the LeaderAndIsr sent to every
   * live replica at failover asks each broker again, and its answers mark offline replicas.
   */
  async onControllerFailover(): Promise<void> {
    const zk = this.deps.zk;
    if (!zk.getLogDirEventNotifications || !zk.deleteLogDirEventNotifications) return;
    await zk.getLogDirEventNotifications(this.deps.watch({ type: 'LogDirEventNotification' }));
    this.deps.log.info('Deleting log dir event notifications');
    await zk.deleteLogDirEventNotifications(undefined, this.deps.context.epochZkVersion);
  }

  async processLogDirEventNotification(): Promise<void> {
    const zk = this.deps.zk;
    if (!this.deps.isActive() || !zk.getLogDirEventNotifications || !zk.getBrokerIdsFromLogDirEvents || !zk.deleteLogDirEventNotifications) return;
    const names = await zk.getLogDirEventNotifications(this.deps.watch({ type: 'LogDirEventNotification' }));
    if (names.length === 0) return;
    try {
      const brokerIds = await zk.getBrokerIdsFromLogDirEvents(names, (name, reason) =>
        this.deps.log.warn(`Ignoring log dir event notification ${name}: ${reason}`),
      );
      if (brokerIds.length === 0) return;
      this.deps.log.info(`Handling log directory failure for brokers ${brokerIds.join(',')}`);
      const ctx = this.deps.context;
      // Kafka's onBrokerLogDirFailure: LeaderAndIsr to all their replicas to learn which are still online.
      const replicas = ctx.replicasOnBrokers(brokerIds.filter((id) => ctx.liveOrShuttingDownBroker(id) !== undefined));
      await this.deps.replicaStateMachine.handleStateChanges(replicas, 'OnlineReplica');
    } finally {
      await zk.deleteLogDirEventNotifications(names, this.deps.context.epochZkVersion);
    }
  }

  /** Kafka's processLeaderAndIsrResponseReceived: KAFKA_STORAGE_ERROR = offline replica, NONE = online. */
  async processLeaderAndIsrResponse(brokerId: number, partitionErrors: { topic: string; partition: number; errorCode: ErrorCode }[]): Promise<void> {
    if (!this.deps.isActive()) return;
    const ctx = this.deps.context;
    if (!ctx.liveOrShuttingDownBroker(brokerId)) return;
    const previous = ctx.replicasOnOfflineDirs.get(brokerId) ?? new Set<string>();
    const current = new Set(previous);
    const newlyOffline: PartitionAndReplica[] = [];
    for (const p of partitionErrors) {
      const key = keyOf(p);
      if (p.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) {
        current.add(key);
        if (!previous.has(key)) newlyOffline.push({ topic: p.topic, partition: p.partition, replica: brokerId });
      } else if (p.errorCode === ErrorCode.NONE) {
        current.delete(key);
      }
    }
    if (current.size === 0) ctx.replicasOnOfflineDirs.delete(brokerId);
    else ctx.replicasOnOfflineDirs.set(brokerId, current);
    if (newlyOffline.length === 0) return;
    this.deps.log.info(`Mark replicas ${newlyOffline.map((r) => `${r.topic}-${r.partition}`).join(',')} on broker ${brokerId} as offline`);
    await this.deps.onReplicasBecomeOffline(newlyOffline);
  }
}
