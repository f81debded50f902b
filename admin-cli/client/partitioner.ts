// Kafka 2.4's DefaultPartitioner: an explicit partition wins; keyed records go to
// toPositive(murmur2(key)) % numPartitions; unkeyed records stick to one partition until its
// batch is closed, then move on (KIP-480 sticky partitioning), which makes larger batches than
// round-robin.
import { murmur2, toPositive } from './murmur2';

export interface PartitionerTopic {
  /** Number of partitions of the topic. */
  numPartitions: number;
  /** Partitions that currently have a leader (may be empty). */
  availablePartitions: readonly number[];
}

export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

export class DefaultPartitioner {
  private readonly sticky = new Map<string, number>();

  partition(topic: string, key: Uint8Array | null, info: PartitionerTopic): number {
    if (key !== null) return partitionForKey(key, info.numPartitions);
    const current = this.sticky.get(topic);
    if (current !== undefined && current < info.numPartitions) return current;
    return this.pickNew(topic, info, -1);
  }

  /** Called when the batch of the sticky partition was closed: the next unkeyed record moves on. */
  onNewBatch(topic: string, info: PartitionerTopic, prevPartition: number): void {
    if (this.sticky.get(topic) === prevPartition) this.pickNew(topic, info, prevPartition);
  }

  private pickNew(topic: string, info: PartitionerTopic, avoid: number): number {
    const candidates = info.availablePartitions.length > 0 ? info.availablePartitions : range(info.numPartitions);
    let choice = candidates[Math.floor(Math.random() * candidates.length)];
    if (candidates.length > 1) {
      while (choice === avoid) choice = candidates[Math.floor(Math.random() * candidates.length)];
    }
    this.sticky.set(topic, choice);
    return choice;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
