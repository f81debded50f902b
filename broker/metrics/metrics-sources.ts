// What the metrics module reads from the broker at scrape time, as narrow views of the real
// subsystems (ReplicaManager, LogManager, KafkaController, GroupCoordinator) so that the
// collectors depend on no broker wiring and unit tests can hand them plain objects.
import type { BrokerTopicStats } from './broker-topic-stats';
import type { RequestMetrics } from './request-metrics';

export interface LogView {
  readonly topic: string;
  readonly partition: number;
  readonly size: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly numberOfSegments: number;
}

export interface PartitionView {
  readonly topic: string;
  readonly partition: number;
  readonly isr: readonly number[];
  readonly replicas: readonly number[];
  readonly log: { readonly config: { readonly minInsyncReplicas: number } };
  isLeader(): boolean;
}

export interface ReplicaManagerView {
  allPartitions(): Iterable<PartitionView>;
  readonly isrStats: { readonly shrinks: number; readonly expands: number; readonly failedUpdates: number };
  /** Watched entries per purgatory (Kafka's DelayedOperationPurgatory PurgatorySize). */
  purgatorySizes(): { readonly produce: number; readonly fetch: number };
}

export interface ControllerView {
  isActive(): boolean;
  readonly context: {
    offlinePartitionCount(): number;
    readonly allTopics: { readonly size: number };
    allPartitions(): readonly unknown[];
  };
}

export interface GroupView {
  readonly currentState: string;
  readonly offsets: { readonly size: number };
}

export interface GroupCoordinatorView {
  readonly manager: { currentGroups(): readonly GroupView[] };
}

export interface MetricsSources {
  readonly topicStats: BrokerTopicStats;
  readonly requests: RequestMetrics;
  /** Each returns undefined until its subsystem has started. */
  replicaManager(): ReplicaManagerView | undefined;
  logs(): Iterable<LogView> | undefined;
  controller(): ControllerView | undefined;
  groupCoordinator(): GroupCoordinatorView | undefined;
}
