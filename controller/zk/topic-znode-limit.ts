// How many partitions a topic can have is bounded by ZooKeeper, not by policy: Kafka keeps a topic's
// whole replica assignment in the one znode /brokers/topics/<t>, and a ZooKeeper server drops the
// connection of any request longer than jute.maxbuffer (default 0xfffff bytes, 1 MiB - 1): the
// write never lands, and with it every other request queued on that session fails. So a count whose
// assignment cannot fit is refused up front with INVALID_PARTITIONS (Kafka 2.4 would answer only
// after trying, with an unknown server error), first by a cheap lower bound that needs no assignment
// (2^24 partitions is refused before anything of that size is allocated), then exactly.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { TopicZNode } from './zk-data';

/** ZooKeeper's default jute.maxbuffer, less room for the rest of the create/setData request (path, ACL, header). */
export const TOPIC_ZNODE_MAX_BYTES = 0xfffff - 4096;

/** Bytes of the empty version-2 topic znode, and of the smallest entry `"<p>":[<b>],` beside the digits of p. */
const EMPTY_TOPIC_ZNODE_BYTES = TopicZNode.encode('', new Map()).length;
const MIN_ENTRY_BYTES_BESIDE_ID = 7;

/** Σ over p < n of the decimal digits of p, in O(digits of n). */
function digitsOfPartitionIds(n: number): number {
  let total = 0;
  for (let digits = 1, low = 0, high = 10; low < n; digits++, low = high, high *= 10) total += (Math.min(n, high) - low) * digits;
  return total;
}

/** A lower bound of the topic znode's size with n partitions (replication factor 1, one-digit broker ids). */
export function minTopicZNodeBytes(n: number): number {
  // The last entry has no comma.
  return n <= 0 ? EMPTY_TOPIC_ZNODE_BYTES : EMPTY_TOPIC_ZNODE_BYTES + digitsOfPartitionIds(n) + n * MIN_ENTRY_BYTES_BESIDE_ID - 1;
}

/** The largest partition count whose lower bound still fits (about 90,000). */
export const MAX_PARTITIONS_PER_TOPIC = (() => {
  let lo = 1;
  let hi = TOPIC_ZNODE_MAX_BYTES;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (minTopicZNodeBytes(mid) <= TOPIC_ZNODE_MAX_BYTES) lo = mid;
    else hi = mid - 1;
  }
  return lo;
})();

function tooMany(topic: string, count: number, bytes: number, exact: boolean): KafkaError {
  return new KafkaError(
    ErrorCode.INVALID_PARTITIONS,
    `Topic '${topic}' cannot have ${count} partitions: its replica assignment would take ${exact ? '' : 'at least '}${bytes} bytes in ` +
      `ZooKeeper (${TopicZNode.path(topic)}), more than the ${TOPIC_ZNODE_MAX_BYTES} a znode can hold under ZooKeeper's default ` +
      `jute.maxbuffer; at most ${MAX_PARTITIONS_PER_TOPIC} partitions fit at replication factor 1, fewer at higher ones.`,
  );
}

/** Refuses a count that cannot fit whatever the assignment (cheap: call before computing one). */
export function checkPartitionCountFits(topic: string, count: number): void {
  if (count > MAX_PARTITIONS_PER_TOPIC) throw tooMany(topic, count, minTopicZNodeBytes(count), false);
}

/**
 * The exact size of the topic znode for `assignment`, without encoding it: the key order Kafka
 * writes (jvm-map-order.ts, the costly part of encoding) does not change the length.
 */
export function topicZNodeBytes(assignment: ReadonlyMap<number, readonly number[]>): number {
  let bytes = EMPTY_TOPIC_ZNODE_BYTES - (assignment.size > 0 ? 1 : 0);
  for (const [p, replicas] of assignment) {
    bytes += String(p).length + 6 + Math.max(0, replicas.length - 1); // "p":[...], and the commas between ids
    for (const r of replicas) bytes += String(r).length;
  }
  return bytes;
}

/** Refuses an assignment whose topic znode would not fit (exact). */
export function checkAssignmentFits(topic: string, assignment: ReadonlyMap<number, readonly number[]>): void {
  checkPartitionCountFits(topic, assignment.size);
  const bytes = topicZNodeBytes(assignment);
  if (bytes > TOPIC_ZNODE_MAX_BYTES) throw tooMany(topic, assignment.size, bytes, true);
}
