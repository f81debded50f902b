// The client's view of the cluster from the last Metadata response: brokers by id, topics with
// their partitions sorted by index, the controller. Immutable: a refresh builds a new one.
import { ErrorCode } from '../../broker/protocol/errors';
import type { MetadataResponse } from '../../broker/protocol/messages/metadata';

export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionMetadata {
  partition: number;
  errorCode: ErrorCode;
  /** -1 when the partition has no leader. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMetadata {
  name: string;
  errorCode: ErrorCode;
  isInternal: boolean;
  /** Sorted by partition index. */
  partitions: PartitionMetadata[];
}

export class ClusterMetadata {
  readonly brokers: ReadonlyMap<number, BrokerNode>;
  readonly topics: ReadonlyMap<string, TopicMetadata>;

  constructor(
    brokers: BrokerNode[],
    topics: TopicMetadata[],
    readonly controllerId: number,
    readonly clusterId: string | null,
  ) {
    this.brokers = new Map(brokers.map((b) => [b.nodeId, b]));
    this.topics = new Map(topics.map((t) => [t.name, t]));
  }

  static empty(): ClusterMetadata {
    return new ClusterMetadata([], [], -1, null);
  }

  static fromResponse(res: MetadataResponse): ClusterMetadata {
    const brokers = res.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack }));
    const topics = res.topics.map((t) => ({
      name: t.name,
      errorCode: t.errorCode as ErrorCode,
      isInternal: t.isInternal,
      partitions: t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          errorCode: p.errorCode as ErrorCode,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas,
        }))
        .sort((a, b) => a.partition - b.partition),
    }));
    return new ClusterMetadata(brokers, topics, res.controllerId, res.clusterId);
  }

  /** Merges a response for some topics into this view (brokers and controller are replaced). */
  merge(res: MetadataResponse): ClusterMetadata {
    const fresh = ClusterMetadata.fromResponse(res);
    const topics = new Map(this.topics);
    for (const [name, t] of fresh.topics) topics.set(name, t);
    return new ClusterMetadata([...fresh.brokers.values()], [...topics.values()], fresh.controllerId, fresh.clusterId);
  }

  partition(topic: string, partition: number): PartitionMetadata | undefined {
    const t = this.topics.get(topic);
    if (t === undefined) return undefined;
    const p = t.partitions[partition];
    return p !== undefined && p.partition === partition ? p : t.partitions.find((x) => x.partition === partition);
  }

  /** Leader id of a partition, or -1 when unknown or leaderless. */
  leaderFor(topic: string, partition: number): number {
    const p = this.partition(topic, partition);
    return p === undefined || p.errorCode === ErrorCode.LEADER_NOT_AVAILABLE ? -1 : p.leader;
  }
}
