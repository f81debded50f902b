// The pre-0.9 high-level consumer (Kafka 0.8.2's ZookeeperConsumerConnector), one stream per
// topic: members coordinate only through ZooKeeper.
// - Register the ephemeral /consumers/<g>/ids/<consumerId>; watch /consumers/<g>/ids (members
//   come and go) and /brokers/topics/<t> (partitions added): either one triggers a rebalance.
// - Rebalance: stop fetching, commit consumed offsets (auto.commit.enable), release our
//   /owners znodes, compute the range assignment from ZooKeeper, read the committed offsets,
//   then claim each partition with an ephemeral /owners/<t>/<p>. A claim fails while the previous
//   owner has not released yet: undo this try's claims, wait rebalance.backoff.ms and start over,
//   at most rebalance.max.retries times (then fail, as ConsumerRebalanceFailedException).
// - Fetch from the committed offset, or by auto.offset.reset (smallest/largest) when none.
// - Offsets advance as records are handed out by next() (Kafka's ConsumerIterator), are committed
//   every auto.commit.interval.ms, before each rebalance and at shutdown.
// Single-threaded: watch events only set a flag; the rebalance runs between polls, so no fetch
// is in flight while ownership changes.
import { ConsumerGroupZkClient } from '../../controller/zk/consumer-group-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { getLogger } from '../../broker/logging';
import type { ClusterClient } from '../client/cluster-client';
import { PartitionConsumer, type ConsumerRecord } from '../client/partition-consumer';
import { sleep } from '../client/retry';
import { tpKey } from '../groups/coordinator-client';
import { ConsumerOffsetStorage } from './consumer-offset-storage';
import { partitionsOwnedBy, rangeAssign } from './range-assignor';
import { consumerIdString, type ZkConsumerConfig } from './zk-consumer-config';

const log = getLogger('kafka.consumer.ZookeeperConsumerConnector');

export interface OwnedPartition {
  topic: string;
  partition: number;
  threadId: string;
}

export class ZookeeperConsumerConnector {
  readonly consumerId: string;
  private readonly groups: ConsumerGroupZkClient;
  private readonly storage: ConsumerOffsetStorage;
  private owned: OwnedPartition[] = [];
  /** topic\0partition -> offset of the next record to hand out (what gets committed). */
  private readonly consumed = new Map<string, { topic: string; partition: number; offset: number }>();
  private consumer: PartitionConsumer | null = null;
  private buffer: ConsumerRecord[] = [];
  private rebalanceRequested = true;
  private lastCommitAt = Date.now();
  private closed = false;
  private readonly onChange = () => {
    this.rebalanceRequested = true;
  };

  constructor(
    private readonly zkClient: KafkaZkClient,
    private readonly client: ClusterClient,
    private readonly config: ZkConsumerConfig,
    private readonly topics: readonly string[],
  ) {
    this.consumerId = consumerIdString(config);
    this.groups = new ConsumerGroupZkClient(zkClient);
    this.storage = new ConsumerOffsetStorage(zkClient, client, config);
    // A new session lost our ephemerals: re-register and rebalance (Kafka's ZKSessionExpireListener).
    zkClient.zk.onNewSession(async () => {
      this.owned = [];
      this.dropFetcher();
      if (!this.closed) await this.register();
      this.rebalanceRequested = true;
    });
  }

  /** Registers in the group and runs the first rebalance. */
  async start(): Promise<void> {
    await this.register();
    await this.syncedRebalance();
  }

  /** What this consumer owns now (after the last rebalance). */
  ownedPartitions(): readonly OwnedPartition[] {
    return this.owned;
  }

  /**
   * The next record, or null when none arrived within one fetch wait. Rebalances first when a
   * watch fired; auto-commits when the interval has passed.
   */
  async next(): Promise<ConsumerRecord | null> {
    if (this.closed) return null;
    if (this.rebalanceRequested) await this.syncedRebalance();
    if (this.config.autoCommitEnable && Date.now() - this.lastCommitAt >= this.config.autoCommitIntervalMs) await this.autoCommit();
    if (this.buffer.length === 0) {
      if (this.consumer === null) {
        await sleep(this.config.fetchWaitMaxMs);
        return null;
      }
      this.buffer = await this.consumer.poll();
      if (this.rebalanceRequested) {
        // Ownership is about to change: hand out nothing fetched under the old assignment.
        this.buffer = [];
        return null;
      }
    }
    const r = this.buffer.shift();
    if (r === undefined) return null;
    const c = this.consumed.get(tpKey(r.topic, r.partition));
    if (c) c.offset = r.offset + 1;
    return r;
  }

  async commitOffsets(): Promise<void> {
    await this.storage.commit(this.owned.map((p) => this.consumed.get(tpKey(p.topic, p.partition))).filter((c) => c !== undefined && c.offset >= 0) as Array<{ topic: string; partition: number; offset: number }>);
    this.lastCommitAt = Date.now();
  }

  /** Kafka's shutdown: stop fetching, commit (auto.commit.enable), release ownership, leave the group. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.config.autoCommitEnable) await this.autoCommit();
      this.dropFetcher();
      await this.releaseOwnership();
      await this.groups.deregisterConsumer(this.config.groupId, this.consumerId);
    } finally {
      this.client.close();
      await this.zkClient.close();
    }
  }

  private async register(): Promise<void> {
    const subscription: Record<string, number> = {};
    for (const t of this.topics) subscription[t] = 1;
    await this.groups.registerConsumer(this.config.groupId, this.consumerId, { subscription, pattern: 'static', timestamp: Date.now() });
    log.info(`end registering consumer ${this.consumerId} in ZK`);
  }

  private async autoCommit(): Promise<void> {
    try {
      await this.commitOffsets();
    } catch (err) {
      // Kafka's autoCommit logs and lets it go; the next interval tries again.
      log.error(`exception during autoCommit: ${(err as Error).message}`);
      this.lastCommitAt = Date.now();
    }
  }

  private async syncedRebalance(): Promise<void> {
    for (let i = 0; i < this.config.rebalanceMaxRetries; i++) {
      if (this.closed) return;
      let done = false;
      try {
        done = await this.rebalance();
      } catch (err) {
        // ZooKeeper may change while we read it; another watch event follows.
        log.info(`exception during rebalance: ${(err as Error).message}`);
      }
      if (done) return;
      await sleep(this.config.rebalanceBackoffMs);
    }
    throw new Error(`${this.consumerId} can't rebalance after ${this.config.rebalanceMaxRetries} retries`);
  }

  /** One try; false when some partition is still owned by another consumer. */
  private async rebalance(): Promise<boolean> {
    this.rebalanceRequested = false;
    const group = this.config.groupId;
    const consumersPerTopic = await this.groups.getConsumersPerTopic(group, this.onChange);
    const partitionsPerTopic = new Map<string, number[]>();
    for (const t of this.topics) partitionsPerTopic.set(t, await this.groups.getTopicPartitionsWatched(t, this.onChange));
    const subscribed = new Map([...consumersPerTopic].filter(([t]) => this.topics.includes(t)));

    if (this.config.autoCommitEnable && this.owned.length > 0) await this.commitOffsets();
    this.dropFetcher();
    await this.releaseOwnership();

    const mine = partitionsOwnedBy(rangeAssign(partitionsPerTopic, subscribed), this.consumerId);
    const committed = await this.storage.fetch(mine);
    const claims = await Promise.all(mine.map((p) => this.groups.claimPartition(group, p.topic, p.partition, p.threadId)));
    if (claims.some((ok) => !ok)) {
      await Promise.all(mine.filter((_, i) => claims[i]).map((p) => this.groups.releasePartition(group, p.topic, p.partition)));
      log.info(`waiting for the partition ownership to be deleted: ${mine.filter((_, i) => !claims[i]).map((p) => `${p.topic}-${p.partition}`).join(', ')}`);
      return false;
    }
    this.owned = mine;
    if (mine.length === 0) return true;
    const reset = this.config.autoOffsetReset === 'smallest' ? 'earliest' : 'latest';
    const consumer = new PartitionConsumer(this.client, { maxWaitMs: this.config.fetchWaitMaxMs, autoOffsetReset: reset });
    await consumer.assign(mine.map((p) => ({ topic: p.topic, partition: p.partition, offset: committed.get(tpKey(p.topic, p.partition)) ?? reset })));
    this.consumer = consumer;
    for (const p of mine) this.consumed.set(tpKey(p.topic, p.partition), { topic: p.topic, partition: p.partition, offset: consumer.position(p.topic, p.partition) ?? -1 });
    log.info(`${this.consumerId} owns ${mine.map((p) => `${p.topic}-${p.partition}`).join(', ')}`);
    return true;
  }

  private dropFetcher(): void {
    this.consumer = null;
    this.buffer = [];
  }

  private async releaseOwnership(): Promise<void> {
    const owned = this.owned;
    this.owned = [];
    for (const p of owned) this.consumed.delete(tpKey(p.topic, p.partition));
    await Promise.all(owned.map((p) => this.groups.releasePartition(this.config.groupId, p.topic, p.partition)));
  }
}
