// What kafka-topics needs from a cluster, implemented twice as in Kafka 2.4's TopicCommand:
// ZooKeeper-direct (--zookeeper, zk-topic-service.ts) and over the Kafka protocol
// (--bootstrap-server, admin-topic-service.ts). The command logic and output are shared.

export interface PartitionDescription {
  partition: number;
  /** -1 when there is no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicDescription {
  name: string;
  isInternal: boolean;
  markedForDeletion: boolean;
  /** Non-default configs, in the order to print them. */
  configs: Array<[string, string]>;
  partitions: PartitionDescription[];
}

export interface NewTopicSpec {
  name: string;
  /** -1 = broker default (only over the Kafka protocol). */
  partitions: number;
  replicationFactor: number;
  /** Partition i -> replicas; when given, partitions/replicationFactor are ignored. */
  assignment?: number[][];
  configs: Map<string, string>;
}

export interface TopicService {
  listTopics(excludeInternal: boolean): Promise<{ name: string; markedForDeletion: boolean }[]>;
  describeTopics(names: string[]): Promise<TopicDescription[]>;
  /** Ids of the live brokers (for --unavailable-partitions). */
  liveBrokers(): Promise<Set<number>>;
  createTopic(spec: NewTopicSpec): Promise<void>;
  /** newAssignment covers only the added partitions. */
  addPartitions(topic: string, current: TopicDescription, count: number, newAssignment?: number[][]): Promise<void>;
  changeConfigs(topic: string, set: Map<string, string>, remove: string[]): Promise<void>;
  /** Resolves false when the topic was already marked for deletion. */
  deleteTopic(topic: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Kafka's internal topics (Topic.isInternal): __consumer_offsets and __transaction_state. */
export function isInternalTopic(name: string): boolean {
  return name === '__consumer_offsets' || name === '__transaction_state';
}
