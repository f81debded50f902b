// Kafka's ReplicaFetcherManager: one ReplicaFetcher per leader broker this broker follows
// partitions on (num.replica.fetchers = 1), created on demand and stopped when it has nothing
// left to fetch. A partition moves between fetchers when its leader changes.
import type { Partition } from './partition';
import { ReplicaFetcher, type ReplicaFetcherConfig, type SourceBroker } from './replica-fetcher';

export class ReplicaFetcherManager {
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  /** partition key -> leader id it is fetched from */
  private readonly assigned = new Map<string, number>();

  constructor(
    private readonly config: ReplicaFetcherConfig,
    private readonly onProgress: (partition: Partition) => void,
  ) {}

  /** Follow `partition` on `leader` (replacing any earlier assignment; truncation starts over). */
  addPartition(partition: Partition, leader: SourceBroker): void {
    this.removePartition(partition.key);
    let fetcher = this.fetchers.get(leader.id);
    if (fetcher && (fetcher.source.host !== leader.host || fetcher.source.port !== leader.port)) {
      void fetcher.stop();
      this.fetchers.delete(leader.id);
      fetcher = undefined;
    }
    if (!fetcher) {
      fetcher = new ReplicaFetcher(leader, this.config, this.onProgress);
      this.fetchers.set(leader.id, fetcher);
      fetcher.start();
    }
    fetcher.addPartition(partition);
    this.assigned.set(partition.key, leader.id);
  }

  removePartition(key: string): void {
    const leaderId = this.assigned.get(key);
    if (leaderId === undefined) return;
    this.assigned.delete(key);
    const fetcher = this.fetchers.get(leaderId);
    if (!fetcher) return;
    fetcher.removePartition(key);
    if (fetcher.size === 0) {
      this.fetchers.delete(leaderId);
      void fetcher.stop();
    }
  }

  async shutdown(): Promise<void> {
    const all = [...this.fetchers.values()];
    this.fetchers.clear();
    this.assigned.clear();
    await Promise.all(all.map((f) => f.stop()));
  }
}
