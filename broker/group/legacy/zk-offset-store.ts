// OffsetCommit v0 / OffsetFetch v0: offsets in ZooKeeper at /consumers/<group>/offsets/<topic>/<partition>,
// as Kafka 0.8.1 clients expect (Kafka 2.4 KafkaApis keeps this path for version 0).
// What Kafka does, and this store with it:
// - The znode holds the decimal offset only. Commit metadata is checked against
//   offset.metadata.max.bytes (OFFSET_METADATA_TOO_LARGE) but never stored; a v0 fetch answers
//   metadata "" (OffsetFetchResponse.NO_METADATA). Kafka 0.8 did the same.
// - Commit is setData, or create with parents when absent (zkClient.setOrCreateConsumerOffset).
// - A ZooKeeper failure is the partition's error (Errors.forException -> UNKNOWN_SERVER_ERROR).
// - fetch() answers null when no offset was committed; Kafka 2.4 turns that into
//   UNKNOWN_TOPIC_OR_PARTITION with offset -1 (OffsetFetchResponse.UNKNOWN_PARTITION), which is
//   the v0 handler's job, as is answering UNKNOWN_TOPIC_OR_PARTITION for topics not in metadata.
import { isInvalidZnode, type KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { getLogger } from '../../logging';
import { ErrorCode } from '../../protocol/errors';
import type { LegacyOffsetStore } from '../legacy-offsets';

const log = getLogger('kafka.coordinator.group.ZkOffsetStore', '', 'server');

export class ZkOffsetStore implements LegacyOffsetStore {
  constructor(
    private readonly zkClient: KafkaZkClient,
    /** offset.metadata.max.bytes (Kafka's default 4096). */
    private readonly offsetMetadataMaxBytes = 4096,
  ) {}

  async commit(group: string, topic: string, partition: number, offset: number, metadata: string | null): Promise<ErrorCode> {
    if (metadata !== null && metadata !== undefined && metadata.length > this.offsetMetadataMaxBytes) return ErrorCode.OFFSET_METADATA_TOO_LARGE;
    try {
      await this.zkClient.setConsumerOffset(group, topic, partition, offset);
      return ErrorCode.NONE;
    } catch (err) {
      log.warn(`Failed to commit offset ${offset} of ${topic}-${partition} for group ${group} to ZooKeeper: ${(err as Error).message}`);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  async fetch(group: string, topic: string, partition: number): Promise<{ offset: number; metadata: string } | null> {
    // A damaged offset znode (logged once by the client) is no committed offset: the consumer resets.
    const offset = await this.zkClient.getConsumerOffset(group, topic, partition).catch((e: unknown) => {
      if (isInvalidZnode(e)) return null;
      throw e;
    });
    if (offset === null) return null;
    return { offset, metadata: '' };
  }
}
