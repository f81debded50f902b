// Where the old consumer keeps its offsets, by offsets.storage (Kafka 0.8.2's
// ZookeeperConsumerConnector.commitOffsets / fetchOffsets):
// - zookeeper: /consumers/<g>/offsets/<t>/<p>, written only when the offset changed.
// - kafka: OffsetCommit to the group coordinator (a simple commit: generation -1, member "");
//   with dual.commit.enabled each partition the coordinator accepted is also written to
//   ZooKeeper, and fetch takes max(ZooKeeper, Kafka). That is the migration's "during the move"
//   mode: whichever side a consumer reads from, it never goes backwards.
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { ErrorCode } from '../../broker/protocol/errors';
import type { ClusterClient } from '../client/cluster-client';
import { errorName } from '../client/retry';
import { commitOffsets, fetchCommittedOffsets, tpKey } from '../groups/coordinator-client';
import type { ZkConsumerConfig } from './zk-consumer-config';

export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

export class ConsumerOffsetStorage {
  /** Kafka's checkpointedZkOffsets: skip ZooKeeper writes of unchanged offsets. */
  private readonly checkpointedZk = new Map<string, number>();

  constructor(
    private readonly zkClient: KafkaZkClient,
    private readonly client: ClusterClient,
    private readonly config: ZkConsumerConfig,
  ) {}

  private get usesZk(): boolean {
    return this.config.offsetsStorage === 'zookeeper' || this.config.dualCommitEnabled;
  }

  /** topic\0partition -> committed offset, for the partitions that have one. */
  async fetch(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (partitions.length === 0) return out;
    if (this.config.offsetsStorage === 'kafka') {
      const topics = [...new Set(partitions.map((p) => p.topic))];
      const committed = await fetchCommittedOffsets(this.client, this.config.groupId, topics);
      for (const p of partitions) {
        const c = committed.get(tpKey(p.topic, p.partition));
        if (c !== undefined) out.set(tpKey(p.topic, p.partition), c.offset);
      }
    }
    if (this.usesZk) {
      const zk = await Promise.all(partitions.map((p) => this.zkClient.getConsumerOffset(this.config.groupId, p.topic, p.partition)));
      partitions.forEach((p, i) => {
        const z = zk[i];
        if (z === null || !Number.isFinite(z)) return;
        const k = tpKey(p.topic, p.partition);
        out.set(k, Math.max(out.get(k) ?? -1, z));
      });
    }
    return out;
  }

  /** Commits; throws when the coordinator refused a partition (the caller logs it, as autoCommit does). */
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    if (this.config.offsetsStorage === 'zookeeper') {
      await Promise.all(offsets.map((o) => this.commitToZooKeeper(o)));
      return;
    }
    const results = await commitOffsets(this.client, this.config.groupId, offsets.map((o) => ({ ...o, metadata: '' })));
    const failed: string[] = [];
    await Promise.all(
      offsets.map(async (o) => {
        const code = results.get(tpKey(o.topic, o.partition)) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        if (code !== ErrorCode.NONE) failed.push(`${o.topic}-${o.partition}: ${errorName(code)}`);
        else if (this.config.dualCommitEnabled) await this.commitToZooKeeper(o);
      }),
    );
    if (failed.length > 0) throw new Error(`Offset commit to Kafka failed for ${failed.join(', ')}`);
  }

  private async commitToZooKeeper(o: PartitionOffset): Promise<void> {
    const k = tpKey(o.topic, o.partition);
    if (this.checkpointedZk.get(k) === o.offset) return;
    await this.zkClient.setConsumerOffset(this.config.groupId, o.topic, o.partition, o.offset);
    this.checkpointedZk.set(k, o.offset);
  }
}
