// The znodes of the pre-0.9 ZooKeeper-coordinated consumer (Kafka 0.8's ZKGroupDirs /
// ZKGroupTopicDirs), after ZkData.scala's style: one object per znode with path/encode/decode.
//   /consumers/<group>/ids/<consumerId>             ephemeral, registration JSON
//   /consumers/<group>/owners/<topic>/<partition>   ephemeral, the owning consumer thread id
//   /consumers/<group>/offsets/<topic>/<partition>  persistent, decimal offset (zk-data.ts: ConsumerOffset)
// Kafka 0.8 never stored commit metadata in ZooKeeper: the offset znode holds the number only.
import { ConsumerPathZNode } from './zk-data';
import { ZnodeJson } from './znode-json';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

export const ConsumerGroupZNode = { path: (group: string): string => `${ConsumerPathZNode.path}/${group}` };
export const ConsumerIdsZNode = { path: (group: string): string => `${ConsumerGroupZNode.path(group)}/ids` };
export const ConsumerOwnersZNode = { path: (group: string): string => `${ConsumerGroupZNode.path(group)}/owners` };
export const ConsumerOwnersTopicZNode = { path: (group: string, topic: string): string => `${ConsumerOwnersZNode.path(group)}/${topic}` };
export const ConsumerOffsetsZNode = { path: (group: string): string => `${ConsumerGroupZNode.path(group)}/offsets` };
export const ConsumerOffsetsTopicZNode = { path: (group: string, topic: string): string => `${ConsumerOffsetsZNode.path(group)}/${topic}` };

/** Kafka 0.8's TopicCount patterns: a static topic list, or a whitelist/blacklist regex. */
export type SubscriptionPattern = 'static' | 'white_list' | 'black_list';

export interface ConsumerRegistration {
  /** topic (or regex, for wildcard patterns) -> number of consumer threads (streams). */
  subscription: Record<string, number>;
  pattern: SubscriptionPattern;
  /** Registration time, ms. */
  timestamp: number;
}

export const ConsumerIdZNode = {
  path: (group: string, consumerId: string): string => `${ConsumerIdsZNode.path(group)}/${consumerId}`,
  /**
   * Kafka 0.8.2's registerConsumerInZK: Json.encode(Map("version" -> 1, "subscription" -> ...,
   * "pattern" -> ..., "timestamp" -> "<ms>")); a 4-entry immutable Map keeps insertion order.
   */
  encode(r: ConsumerRegistration): Buffer {
    const subscription = Object.entries(r.subscription).map(([t, n]) => `${JSON.stringify(t)}:${n}`).join(',');
    return utf8(`{"version":1,"subscription":{${subscription}},"pattern":${JSON.stringify(r.pattern)},"timestamp":"${r.timestamp}"}`);
  },
  /** subscription: topic -> stream count (ints >= 1); pattern one of Kafka 0.8's three. `path` names the znode. */
  decode(bytes: Buffer | null, path = '/consumers/<group>/ids/<consumerId>'): ConsumerRegistration {
    const j = ZnodeJson.parse(path, bytes);
    const subs = j.object('subscription');
    const subscription: Record<string, number> = {};
    for (const t of subs.keys()) subscription[t] = subs.int(t, { min: 1 });
    const pattern = j.has('pattern') ? j.string('pattern') : 'static';
    if (pattern !== 'static' && pattern !== 'white_list' && pattern !== 'black_list') j.fail('pattern', `unknown pattern ${JSON.stringify(pattern)}`);
    return { subscription, pattern: pattern as SubscriptionPattern, timestamp: j.longish('timestamp', 0) };
  },
};

export const ConsumerOwnerZNode = {
  path: (group: string, topic: string, partition: number): string => `${ConsumerOwnersTopicZNode.path(group, topic)}/${partition}`,
  /** The owner is a ConsumerThreadId as a string: "<consumerId>-<threadId>". */
  encode: (consumerThreadId: string): Buffer => utf8(consumerThreadId),
  decode: (bytes: Buffer | null): string => (bytes ? bytes.toString('utf8') : ''),
};

/** "<consumerId>-<threadId>", Kafka's ConsumerThreadId.toString. */
export function consumerThreadId(consumerId: string, threadId: number): string {
  return `${consumerId}-${threadId}`;
}
