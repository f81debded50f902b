// The producer's per-topic partition info (count, partitions with a leader), taken from the
// ClusterClient's metadata. Records for a topic not yet known wait here while its metadata is
// fetched (allowing auto-creation, as Kafka's producer does), then resume or fail together.
import type { ClusterClient } from './cluster-client';
import type { PartitionerTopic } from './partitioner';

interface Parked {
  resume: () => void;
  fail: (err: Error) => void;
}

export class TopicRouter {
  private readonly topics = new Map<string, PartitionerTopic>();
  private readonly parked = new Map<string, Parked[]>();

  constructor(
    private readonly client: ClusterClient,
    private readonly onTopicFailed: (err: Error) => void,
    private readonly onChange: () => void,
  ) {}

  known(topic: string): PartitionerTopic | undefined {
    return this.topics.get(topic);
  }

  park(topic: string, resume: () => void, fail: (err: Error) => void): void {
    const waiting = this.parked.get(topic);
    if (waiting) {
      waiting.push({ resume, fail });
      return;
    }
    this.parked.set(topic, [{ resume, fail }]);
    this.client.topicMetadata(topic, { allowAutoTopicCreation: true, requireLeaders: false }).then(
      () => {
        this.update(topic);
        const list = this.parked.get(topic) ?? [];
        this.parked.delete(topic);
        for (const p of list) p.resume();
        this.onChange();
      },
      (err: Error) => {
        const list = this.parked.get(topic) ?? [];
        this.parked.delete(topic);
        this.onTopicFailed(err);
        for (const p of list) p.fail(err);
      },
    );
  }

  /** Re-reads metadata of every topic in use (leaders moved or were elected). */
  async refresh(): Promise<void> {
    const names = [...this.topics.keys()];
    if (names.length === 0) return;
    await this.client.refreshMetadata(names);
    for (const name of names) this.update(name);
    this.onChange();
  }

  private update(topic: string): void {
    const t = this.client.metadata.topics.get(topic);
    if (t === undefined || t.partitions.length === 0) return;
    this.topics.set(topic, {
      numPartitions: t.partitions.length,
      availablePartitions: t.partitions.filter((p) => p.leader >= 0).map((p) => p.partition),
    });
  }
}
