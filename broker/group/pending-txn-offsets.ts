// A group's transactional offset commits that are written but not yet decided (Kafka's
// GroupMetadata.pendingTransactionalOffsetCommits, KIP-98): per producer id, the offsets its open
// transaction committed. They are invisible to OffsetFetch until the transaction's COMMIT marker
// reaches the group's __consumer_offsets partition; an ABORT marker drops them.
import type { Logger } from '../logging';
import { tpKey, type TopicPartitionOffset } from './group-metadata';
import type { OffsetAndMetadata } from './group-records';

export class PendingTxnOffsets {
  private readonly byProducer = new Map<number, Map<string, TopicPartitionOffset>>();

  get isEmpty(): boolean {
    return this.byProducer.size === 0;
  }

  get producerIds(): number[] {
    return [...this.byProducer.keys()];
  }

  hasProducer(producerId: number): boolean {
    return this.byProducer.has(producerId);
  }

  /** The producer's pending offsets (for tests and DescribeGroups-like views); empty when none. */
  of(producerId: number): TopicPartitionOffset[] {
    return [...(this.byProducer.get(producerId)?.values() ?? [])];
  }

  /** Offsets found pending when the partition was loaded (written, marker not yet in the log). */
  initialize(producerId: number, offsets: Iterable<TopicPartitionOffset>): void {
    const map = this.producerMap(producerId);
    for (const o of offsets) map.set(tpKey(o.topic, o.partition), o);
  }

  /** Before the append: not yet written (appendedBatchOffset -1). */
  prepare(producerId: number, offsets: { topic: string; partition: number; offsetAndMetadata: OffsetAndMetadata }[]): void {
    const map = this.producerMap(producerId);
    for (const o of offsets) map.set(tpKey(o.topic, o.partition), { topic: o.topic, partition: o.partition, appendedBatchOffset: -1, offsetAndMetadata: o.offsetAndMetadata });
  }

  /** The append succeeded: remember where, unless a later commit of the same transaction replaced it meanwhile. */
  onAppend(producerId: number, entry: TopicPartitionOffset): void {
    const current = this.byProducer.get(producerId)?.get(tpKey(entry.topic, entry.partition));
    if (current && current.offsetAndMetadata === entry.offsetAndMetadata) current.appendedBatchOffset = entry.appendedBatchOffset;
  }

  /** The append failed: the client gets the error and retries, maybe at another coordinator. */
  fail(producerId: number, topic: string, partition: number): void {
    const map = this.byProducer.get(producerId);
    if (!map) return;
    map.delete(tpKey(topic, partition));
    if (map.size === 0) this.byProducer.delete(producerId);
  }

  /**
   * The producer's transaction ended. On commit each pending offset becomes the group's current
   * one unless the current one was written later (Kafka's CommitRecordMetadataAndOffset.olderThan
   * compares the batch offsets, exactly as the loader does, so the cache and a reload agree).
   */
  complete(producerId: number, isCommit: boolean, offsets: Map<string, TopicPartitionOffset>, logger: Logger, groupId: string): void {
    const pending = this.byProducer.get(producerId);
    this.byProducer.delete(producerId);
    if (!pending || !isCommit) return;
    for (const [key, o] of pending) {
      if (o.appendedBatchOffset < 0) {
        // Kafka throws IllegalStateException here: a marker cannot precede the record it decides,
        // since EndTxn only follows an answered TxnOffsetCommit. Not materialized, never thrown.
        logger.error(`Not completing the transactional offset commit of producer ${producerId} for group ${groupId} on ${o.topic}-${o.partition}: its record was not appended to the log`);
        continue;
      }
      const current = offsets.get(key);
      if (!current || current.appendedBatchOffset < o.appendedBatchOffset) offsets.set(key, o);
    }
  }

  /** Offsets removed from the group (deleted topic, OffsetDelete): pending commits of them go too. */
  remove(topic: string, partition: number): void {
    const key = tpKey(topic, partition);
    for (const [producerId, map] of this.byProducer) {
      map.delete(key);
      if (map.size === 0) this.byProducer.delete(producerId);
    }
  }

  private producerMap(producerId: number): Map<string, TopicPartitionOffset> {
    let map = this.byProducer.get(producerId);
    if (!map) this.byProducer.set(producerId, (map = new Map()));
    return map;
  }
}
