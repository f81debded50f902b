// Which __consumer_offsets partition holds a group: Kafka's
// Utils.abs(groupId.hashCode) % offsets.topic.num.partitions. The hash must be Java's
// String.hashCode (UTF-16 code units, int32 overflow), or clients of a mixed Kafka/Zafka
// deployment — and tools that compute the partition themselves — would disagree with us.

export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1], in int32 arithmetic over UTF-16 units. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: Integer.MIN_VALUE maps to 0 (not to itself, as Math.abs would in Java). */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

export function partitionFor(groupId: string, numPartitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % numPartitions;
}
