// Kafka 0.8's RangeAssignor (partition.assignment.strategy=range, the default): per topic, the
// sorted partitions are cut into contiguous ranges over the sorted consumer threads; the first
// (partitions % threads) threads get one extra. Every consumer computes the same answer from the
// same ZooKeeper reads, which is the whole of the old consumer's "coordination".
export interface ThreadId {
  consumer: string;
  thread: number;
}

/** "<consumerId>-<thread>" -> parts (the consumer id itself may contain '-'). */
export function parseThreadId(s: string): ThreadId {
  const dash = s.lastIndexOf('-');
  const thread = Number(s.slice(dash + 1));
  if (dash < 0 || !Number.isInteger(thread)) return { consumer: s, thread: 0 };
  return { consumer: s.slice(0, dash), thread };
}

/** Kafka's ConsumerThreadId ordering: by consumer id (string order), then thread number. */
export function compareThreadIds(a: string, b: string): number {
  const x = parseThreadId(a);
  const y = parseThreadId(b);
  if (x.consumer !== y.consumer) return x.consumer < y.consumer ? -1 : 1;
  return x.thread - y.thread;
}

/**
 * topic -> partition -> owning thread id, for every topic that has both partitions and
 * subscribed threads. Partitions left over when there are more threads than partitions stay
 * with nobody; threads beyond the partition count get nothing (Kafka logs a warning).
 */
export function rangeAssign(
  partitionsPerTopic: ReadonlyMap<string, readonly number[]>,
  consumersPerTopic: ReadonlyMap<string, readonly string[]>,
): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const [topic, threads] of consumersPerTopic) {
    const partitions = [...(partitionsPerTopic.get(topic) ?? [])].sort((a, b) => a - b);
    const consumers = [...threads].sort(compareThreadIds);
    if (partitions.length === 0 || consumers.length === 0) continue;
    const perConsumer = Math.floor(partitions.length / consumers.length);
    const withExtra = partitions.length % consumers.length;
    const owners = new Map<number, string>();
    consumers.forEach((threadId, position) => {
      const start = perConsumer * position + Math.min(position, withExtra);
      const count = perConsumer + (position + 1 > withExtra ? 0 : 1);
      for (let i = start; i < start + count; i++) owners.set(partitions[i], threadId);
    });
    out.set(topic, owners);
  }
  return out;
}

/** The partitions of each topic that one consumer's threads own under an assignment. */
export function partitionsOwnedBy(assignment: ReadonlyMap<string, ReadonlyMap<number, string>>, consumerId: string): Array<{ topic: string; partition: number; threadId: string }> {
  const mine: Array<{ topic: string; partition: number; threadId: string }> = [];
  for (const [topic, owners] of assignment) {
    for (const [partition, threadId] of owners) if (parseThreadId(threadId).consumer === consumerId) mine.push({ topic, partition, threadId });
  }
  return mine.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}
