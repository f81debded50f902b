// Kafka's ControllerBrokerRequestBatch: while one event runs, the state machines add
// LeaderAndIsr / UpdateMetadata / StopReplica entries per broker; sendRequestsToBrokers then
// sends ONE request of each kind per broker (LeaderAndIsr first, then UpdateMetadata, then
// StopReplica without and with delete), so brokers see a consistent batch instead of one request
// per partition.
//
// Rules kept from Kafka 2.4:
// - every LeaderAndIsr entry also queues UpdateMetadata for that partition to every live broker;
// - UpdateMetadata reads the partition's state when the batch is sent, and announces a topic
//   queued for deletion with leader -2 (LeaderDuringDelete) so brokers drop it from metadata;
// - offlineReplicas are the assigned replicas whose broker is not live (or is shutting down);
// - requests to a broker that is no longer registered are skipped.

import { getLogger } from '../broker/logging';
import { ControllerContext } from './controller-context';
import {
  ControllerRequest,
  ControllerResponse,
  LeaderAndIsrPartitionStateData,
  SECURITY_PROTOCOL_IDS,
  UpdateMetadataBrokerData,
  UpdateMetadataPartitionStateData,
} from './controller-requests';
import { BrokerInfo, keyOf, LEADER_DURING_DELETE, LeaderIsrAndControllerEpoch, TopicPartition } from './controller-types';

/** How the batch hands a request to the channel manager (one ordered queue per broker). */
export type RequestSender = (
  brokerId: number,
  request: ControllerRequest,
  onResponse?: (response: ControllerResponse) => void,
) => void;

export interface RequestBatchOptions {
  controllerId: number;
  context: ControllerContext;
  send: RequestSender;
  /** inter.broker.listener.name: the endpoint named in LeaderAndIsr's liveLeaders. */
  interBrokerListenerName?: string;
  /** Called with each broker's answer to LeaderAndIsr (per-partition KAFKA_STORAGE_ERROR marks offline replicas). */
  onLeaderAndIsrResponse?: (brokerId: number, response: ControllerResponse) => void;
  /** Called with the answer to a StopReplica(deletePartitions=true). */
  onStopReplicaDeleteResponse?: (brokerId: number, response: ControllerResponse, partitions: TopicPartition[]) => void;
}

interface Entry<S> {
  tp: TopicPartition;
  state: S;
}

export class ControllerBrokerRequestBatch {
  private leaderAndIsr = new Map<number, Map<string, Entry<LeaderAndIsrPartitionStateData>>>();
  private updateMetadataBrokers = new Set<number>();
  private updateMetadataPartitions = new Map<string, TopicPartition>();
  private stopReplica = new Map<number, { keep: Map<string, TopicPartition>; del: Map<string, TopicPartition> }>();

  constructor(private readonly options: RequestBatchOptions) {}

  private get ctx(): ControllerContext {
    return this.options.context;
  }

  isEmpty(): boolean {
    return this.leaderAndIsr.size === 0 && this.updateMetadataBrokers.size === 0 && this.stopReplica.size === 0;
  }

  /** Kafka refuses to start a batch over a non-empty one: that would be a bug upstream. */
  newBatch(): void {
    if (!this.isEmpty()) {
      throw new Error('Controller to broker state change requests batch is not empty while creating a new one');
    }
  }

  clear(): void {
    this.leaderAndIsr.clear();
    this.updateMetadataBrokers.clear();
    this.updateMetadataPartitions.clear();
    this.stopReplica.clear();
  }

  addLeaderAndIsrRequestForBrokers(
    brokerIds: Iterable<number>,
    tp: TopicPartition,
    info: LeaderIsrAndControllerEpoch,
    replicas: number[],
    isNew: boolean,
  ): void {
    const key = keyOf(tp);
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let perBroker = this.leaderAndIsr.get(brokerId);
      if (!perBroker) {
        perBroker = new Map();
        this.leaderAndIsr.set(brokerId, perBroker);
      }
      // A replica told "new" once in this batch stays new even if a later entry replaces it.
      const alreadyNew = perBroker.get(key)?.state.isNew ?? false;
      perBroker.set(key, {
        tp,
        state: {
          partitionIndex: tp.partition,
          controllerEpoch: info.controllerEpoch,
          leader: info.leaderAndIsr.leader,
          leaderEpoch: info.leaderAndIsr.leaderEpoch,
          isr: [...info.leaderAndIsr.isr],
          partitionEpoch: info.leaderAndIsr.zkVersion,
          replicas: [...replicas],
          isNew: isNew || alreadyNew,
        },
      });
    }
    this.addUpdateMetadataRequestForBrokers(this.ctx.liveOrShuttingDownBrokerIds(), [tp]);
  }

  addStopReplicaRequestForBrokers(brokerIds: Iterable<number>, tp: TopicPartition, deletePartition: boolean): void {
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let perBroker = this.stopReplica.get(brokerId);
      if (!perBroker) {
        perBroker = { keep: new Map(), del: new Map() };
        this.stopReplica.set(brokerId, perBroker);
      }
      (deletePartition ? perBroker.del : perBroker.keep).set(keyOf(tp), tp);
    }
  }

  /** With no partitions this only refreshes the brokers' list of live brokers. */
  addUpdateMetadataRequestForBrokers(brokerIds: Iterable<number>, partitions: Iterable<TopicPartition>): void {
    for (const id of brokerIds) if (id >= 0) this.updateMetadataBrokers.add(id);
    for (const tp of partitions) this.updateMetadataPartitions.set(keyOf(tp), tp);
  }

  sendRequestsToBrokers(controllerEpoch: number): void {
    try {
      this.sendLeaderAndIsr(controllerEpoch);
      this.sendUpdateMetadata(controllerEpoch);
      this.sendStopReplica(controllerEpoch);
    } finally {
      this.clear();
    }
  }

  private stateChangeLog(controllerEpoch: number) {
    return getLogger('state.change.logger', `[Controller id=${this.options.controllerId} epoch=${controllerEpoch}] `, 'state-change');
  }

  private interBrokerEndpoint(b: BrokerInfo): { host: string; port: number } {
    const name = this.options.interBrokerListenerName ?? 'PLAINTEXT';
    const ep = b.endpoints.find((e) => e.listenerName === name) ?? b.endpoints[0];
    return ep ? { host: ep.host, port: ep.port } : { host: b.host, port: b.port };
  }

  private sendLeaderAndIsr(controllerEpoch: number): void {
    const log = this.stateChangeLog(controllerEpoch);
    for (const [brokerId, entries] of this.leaderAndIsr) {
      const broker = this.ctx.liveOrShuttingDownBroker(brokerId);
      if (!broker) continue;
      const byTopic = new Map<string, LeaderAndIsrPartitionStateData[]>();
      const leaderIds = new Set<number>();
      for (const { tp, state } of entries.values()) {
        const kind = state.leader === brokerId ? 'become-leader' : 'become-follower';
        log.info(`Sending ${kind} LeaderAndIsr request ${formatLaisState(tp, state)} to broker ${brokerId} for partition ${keyOf(tp)}`);
        let list = byTopic.get(tp.topic);
        if (!list) byTopic.set(tp.topic, (list = []));
        list.push(state);
        leaderIds.add(state.leader);
      }
      const liveLeaders = this.ctx
        .liveOrShuttingDownBrokers()
        .filter((b) => leaderIds.has(b.id))
        .map((b) => {
          const ep = this.interBrokerEndpoint(b);
          return { brokerId: b.id, hostName: ep.host, port: ep.port };
        });
      this.options.send(brokerId, {
        api: 'LeaderAndIsr',
        body: {
          controllerId: this.options.controllerId,
          controllerEpoch,
          brokerEpoch: broker.epoch,
          topicStates: [...byTopic].map(([topicName, partitionStates]) => ({ topicName, partitionStates })),
          liveLeaders,
        },
      }, this.options.onLeaderAndIsrResponse && ((response) => this.options.onLeaderAndIsrResponse?.(brokerId, response)));
    }
  }

  private sendUpdateMetadata(controllerEpoch: number): void {
    if (this.updateMetadataBrokers.size === 0) return;
    const log = this.stateChangeLog(controllerEpoch);
    const byTopic = new Map<string, UpdateMetadataPartitionStateData[]>();
    const recipients = [...this.updateMetadataBrokers].filter((id) => this.ctx.liveOrShuttingDownBroker(id));
    for (const tp of this.updateMetadataPartitions.values()) {
      const state = this.updateMetadataPartitionState(tp);
      if (!state) {
        log.info(`Leader not yet assigned for partition ${keyOf(tp)}. Skip sending UpdateMetadataRequest.`);
        continue;
      }
      log.debug(`Sending UpdateMetadata request ${formatUmState(tp, state)} to brokers ${formatIds(recipients)} for partition ${keyOf(tp)}`);
      let list = byTopic.get(tp.topic);
      if (!list) byTopic.set(tp.topic, (list = []));
      list.push(state);
    }
    const topicStates = [...byTopic].map(([topicName, partitionStates]) => ({ topicName, partitionStates }));
    const liveBrokers = this.ctx.liveOrShuttingDownBrokers().map(toUpdateMetadataBroker);
    for (const brokerId of recipients) {
      const broker = this.ctx.liveOrShuttingDownBroker(brokerId) as BrokerInfo;
      this.options.send(brokerId, {
        api: 'UpdateMetadata',
        body: { controllerId: this.options.controllerId, controllerEpoch, brokerEpoch: broker.epoch, topicStates, liveBrokers },
      });
    }
  }

  private updateMetadataPartitionState(tp: TopicPartition): UpdateMetadataPartitionStateData | null {
    const info = this.ctx.partitionLeadershipInfo.get(keyOf(tp));
    if (!info) return null;
    const replicas = this.ctx.partitionReplicaAssignment(tp);
    const offlineReplicas = replicas.filter((r) => !this.ctx.isReplicaOnline(r, false, tp));
    const l = info.leaderAndIsr;
    // Kafka's LeaderAndIsr.duringDelete(isr): leader -2, epoch and version 0.
    const beingDeleted = this.ctx.topicsToBeDeleted.has(tp.topic);
    return {
      partitionIndex: tp.partition,
      controllerEpoch: info.controllerEpoch,
      leader: beingDeleted ? LEADER_DURING_DELETE : l.leader,
      leaderEpoch: beingDeleted ? 0 : l.leaderEpoch,
      isr: [...l.isr],
      zkVersion: beingDeleted ? 0 : l.zkVersion,
      replicas: [...replicas],
      offlineReplicas,
    };
  }

  private sendStopReplica(controllerEpoch: number): void {
    const log = getLogger('kafka.controller.ControllerBrokerRequestBatch', '', 'controller');
    for (const [brokerId, { keep, del }] of this.stopReplica) {
      const broker = this.ctx.liveOrShuttingDownBroker(brokerId);
      if (!broker) continue;
      for (const [deletePartitions, tps] of [[false, keep], [true, del]] as const) {
        if (tps.size === 0) continue;
        log.debug(
          `The stop replica request (delete = ${deletePartitions}) sent to broker ${brokerId} is ` +
            [...tps.values()].map((tp) => `[Topic=${tp.topic},Partition=${tp.partition},Replica=${brokerId}]`).join(','),
        );
        const byTopic = new Map<string, number[]>();
        for (const tp of tps.values()) {
          let list = byTopic.get(tp.topic);
          if (!list) byTopic.set(tp.topic, (list = []));
          list.push(tp.partition);
        }
        const onDelete = this.options.onStopReplicaDeleteResponse;
        this.options.send(
          brokerId,
          {
            api: 'StopReplica',
            body: {
              controllerId: this.options.controllerId,
              controllerEpoch,
              brokerEpoch: broker.epoch,
              deletePartitions,
              topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
            },
          },
          deletePartitions && onDelete ? (response) => onDelete(brokerId, response, [...tps.values()]) : undefined,
        );
      }
    }
  }
}

export function toUpdateMetadataBroker(b: BrokerInfo): UpdateMetadataBrokerData {
  return {
    id: b.id,
    endpoints: b.endpoints.map((e) => ({
      port: e.port,
      host: e.host,
      listener: e.listenerName,
      securityProtocol: SECURITY_PROTOCOL_IDS[e.securityProtocol] ?? 0,
    })),
    rack: b.rack,
  };
}

function formatIds(ids: number[]): string {
  return `Set(${ids.join(', ')})`;
}

function formatLaisState(tp: TopicPartition, s: LeaderAndIsrPartitionStateData): string {
  return (
    `LeaderAndIsrPartitionState(topicName='${tp.topic}', partitionIndex=${s.partitionIndex}, controllerEpoch=${s.controllerEpoch}, ` +
    `leader=${s.leader}, leaderEpoch=${s.leaderEpoch}, isr=[${s.isr.join(', ')}], zkVersion=${s.partitionEpoch}, ` +
    `replicas=[${s.replicas.join(', ')}], isNew=${s.isNew})`
  );
}

function formatUmState(tp: TopicPartition, s: UpdateMetadataPartitionStateData): string {
  return (
    `UpdateMetadataPartitionState(topicName='${tp.topic}', partitionIndex=${s.partitionIndex}, controllerEpoch=${s.controllerEpoch}, ` +
    `leader=${s.leader}, leaderEpoch=${s.leaderEpoch}, isr=[${s.isr.join(', ')}], zkVersion=${s.zkVersion}, ` +
    `replicas=[${s.replicas.join(', ')}], offlineReplicas=[${s.offlineReplicas.join(', ')}])`
  );
}
