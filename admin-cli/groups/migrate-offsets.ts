// Moves a group's offsets from ZooKeeper (/consumers/<g>/offsets, the pre-0.9 consumer) into
// Kafka (__consumer_offsets, via OffsetCommit v2 to the group coordinator), the one-shot step of
// the upgrade path in docs/MIGRATION.md. Rules:
// - Refuse while an old consumer of the group is registered in /consumers/<g>/ids (it would keep
//   committing to ZooKeeper after the copy) unless --force: in dual-commit mode those consumers
//   commit to Kafka too, so forcing is safe then.
// - Refuse while the group has active members in Kafka: a simple commit (generation -1) is
//   only accepted for an inactive group, and active members own their offsets.
// - Never move a partition backwards: the new offset is max(ZooKeeper, Kafka), as the 0.8.2
//   dual-commit consumer reads max(ZooKeeper, Kafka).
// - Read the offsets back from the coordinator before --delete-zk-offsets removes anything.
import { ErrorCode } from '../../broker/protocol/errors';
import { ConsumerGroupZkClient } from '../../controller/zk/consumer-group-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { ClusterClient } from '../client/cluster-client';
import { errorName } from '../client/retry';
import { commitOffsets, describeGroup, fetchCommittedOffsets, tpKey } from './coordinator-client';

export interface MigrationOptions {
  group: string;
  /** Only these topics (default: every topic with ZooKeeper offsets). */
  topics?: string[];
  force: boolean;
  deleteZkOffsets: boolean;
  dryRun: boolean;
}

export interface MigratedPartition {
  topic: string;
  partition: number;
  zkOffset: number;
  /** The group's offset in Kafka before the migration, if any. */
  kafkaOffset?: number;
  newOffset: number;
}

export class MigrationRefused extends Error {}

export interface MigrationResult {
  partitions: MigratedPartition[];
  deletedZkOffsets: boolean;
}

export async function migrateZkOffsets(zk: KafkaZkClient, client: ClusterClient, o: MigrationOptions): Promise<MigrationResult> {
  const groups = new ConsumerGroupZkClient(zk);
  const members = await groups.getConsumersInGroup(o.group);
  if (members.length > 0 && !o.force) {
    throw new MigrationRefused(
      `Consumer group '${o.group}' has ${members.length} consumer(s) registered in ZooKeeper (${members.join(', ')}). ` +
        'Stop them first, or run them with offsets.storage=kafka and dual.commit.enabled=true and pass --force.',
    );
  }
  const zkOffsets = await groups.getGroupOffsets(o.group);
  const topics = [...zkOffsets.keys()].filter((t) => o.topics === undefined || o.topics.includes(t));
  const planned: MigratedPartition[] = [];
  const state = (await describeGroup(client, o.group)).groupState;
  if (state !== 'Empty' && state !== 'Dead') {
    throw new MigrationRefused(`Consumer group '${o.group}' is active in Kafka (state ${state}): its members own its offsets there; stop them before migrating.`);
  }
  const kafka = await fetchCommittedOffsets(client, o.group, null);
  for (const topic of topics) {
    for (const [partition, zkOffset] of [...zkOffsets.get(topic)!].sort((a, b) => a[0] - b[0])) {
      const kafkaOffset = kafka.get(tpKey(topic, partition))?.offset;
      planned.push({ topic, partition, zkOffset, kafkaOffset, newOffset: Math.max(zkOffset, kafkaOffset ?? -1) });
    }
  }
  if (planned.length === 0) throw new MigrationRefused(`Consumer group '${o.group}' has no offsets in ZooKeeper${o.topics ? ` for ${o.topics.join(', ')}` : ''}.`);
  if (o.dryRun) return { partitions: planned, deletedZkOffsets: false };

  const results = await commitOffsets(client, o.group, planned.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.newOffset, metadata: '' })));
  const failed = planned.filter((p) => (results.get(tpKey(p.topic, p.partition)) ?? ErrorCode.UNKNOWN_SERVER_ERROR) !== ErrorCode.NONE);
  if (failed.length > 0) {
    throw new Error(`OffsetCommit failed for ${failed.map((p) => `${p.topic}-${p.partition}: ${errorName(results.get(tpKey(p.topic, p.partition)) ?? ErrorCode.UNKNOWN_SERVER_ERROR)}`).join(', ')}`);
  }
  const check = await fetchCommittedOffsets(client, o.group, [...new Set(planned.map((p) => p.topic))]);
  const wrong = planned.filter((p) => check.get(tpKey(p.topic, p.partition))?.offset !== p.newOffset);
  if (wrong.length > 0) throw new Error(`The coordinator does not return the migrated offsets for ${wrong.map((p) => `${p.topic}-${p.partition}`).join(', ')}; ZooKeeper offsets kept.`);

  let deletedZkOffsets = false;
  if (o.deleteZkOffsets) {
    for (const topic of topics) await groups.deleteGroupOffsets(o.group, topic);
    if ((await groups.getTopicsWithOffsets(o.group)).length === 0) await groups.deleteGroupOffsets(o.group);
    deletedZkOffsets = true;
  }
  return { partitions: planned, deletedZkOffsets };
}
