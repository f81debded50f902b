// The broker's view of the cluster, fed only by the controller's UpdateMetadata requests (as in
// Kafka: brokers never read partition state from ZooKeeper to answer Metadata).

/** Leader id the controller sends for partitions of a topic being deleted (Kafka's LeaderDuringDelete). */
export const LEADER_DURING_DELETE = -2;
export const NO_LEADER = -1;

export interface BrokerEndpoint {
  listener: string;
  host: string;
  port: number;
  securityProtocol: number;
}

export interface LiveBroker {
  id: number;
  endpoints: BrokerEndpoint[];
  rack: string | null;
}

export interface PartitionStateInfo {
  topic: string;
  partition: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
  offlineReplicas: number[];
}

export class MetadataCache {
  private brokers = new Map<number, LiveBroker>();
  private topics = new Map<string, Map<number, PartitionStateInfo>>();
  private controllerIdValue: number | null = null;
  /** Resolved whenever an update lands; lets CreateTopics/DeleteTopics wait for the controller's result. */
  private waiters: Array<() => void> = [];

  constructor(readonly brokerId: number) {}

  get controllerId(): number | null {
    return this.controllerIdValue;
  }

  /** Apply one UpdateMetadata: the live broker list is replaced, partition states are upserted. */
  update(controllerId: number, liveBrokers: LiveBroker[], partitionStates: PartitionStateInfo[]): string[] {
    this.controllerIdValue = controllerId;
    this.brokers = new Map(liveBrokers.map((b) => [b.id, b]));
    const deleted: string[] = [];
    for (const state of partitionStates) {
      if (state.leader === LEADER_DURING_DELETE) {
        const partitions = this.topics.get(state.topic);
        partitions?.delete(state.partition);
        if (partitions && partitions.size === 0) {
          this.topics.delete(state.topic);
          deleted.push(state.topic);
        }
        continue;
      }
      let partitions = this.topics.get(state.topic);
      if (!partitions) {
        partitions = new Map();
        this.topics.set(state.topic, partitions);
      }
      partitions.set(state.partition, state);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return deleted;
  }

  /** Resolves at the next update, or after timeoutMs. */
  waitForUpdate(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, timeoutMs));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  aliveBrokers(): LiveBroker[] {
    return [...this.brokers.values()].sort((a, b) => a.id - b.id);
  }

  aliveBroker(id: number): LiveBroker | undefined {
    return this.brokers.get(id);
  }

  endpointFor(id: number, listener: string): BrokerEndpoint | undefined {
    return this.brokers.get(id)?.endpoints.find((e) => e.listener === listener);
  }

  hasTopic(topic: string): boolean {
    return this.topics.has(topic);
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  partitionsOf(topic: string): PartitionStateInfo[] {
    const partitions = this.topics.get(topic);
    return partitions ? [...partitions.values()].sort((a, b) => a.partition - b.partition) : [];
  }

  /** Partitions of every topic in the cache. */
  partitionCount(): number {
    let n = 0;
    for (const partitions of this.topics.values()) n += partitions.size;
    return n;
  }

  partitionState(topic: string, partition: number): PartitionStateInfo | undefined {
    return this.topics.get(topic)?.get(partition);
  }

  /**
   * True when every partition of the topic has a live leader (CreateTopics completes then), and
   * there are at least `expected` of them (the controller brings a large topic online in slices).
   */
  allPartitionsHaveLeaders(topic: string, expected = 1): boolean {
    const partitions = this.topics.get(topic);
    if (!partitions || partitions.size === 0 || partitions.size < expected) return false;
    for (const p of partitions.values()) if (p.leader < 0 || !this.brokers.has(p.leader)) return false;
    return true;
  }
}
