// An in-memory __consumer_offsets log for coordinator tests: one list of entries per partition,
// every append succeeds. appendRaw adds bytes as they are (damaged batches, legacy message sets),
// the way they could lie on disk.
import { GroupCoordinator, type GroupCoordinatorConfig } from '../../../broker/group/group-coordinator';
import { GroupMetadataManager, type OffsetsLogAccess } from '../../../broker/group/group-metadata-manager';
import { ErrorCode } from '../../../broker/protocol/errors';
import { baseOffsetOf, CompressionType, lastOffsetOf } from '../../../broker/protocol/records/batch-header';
import { writeInt64 } from '../../../broker/protocol/primitives';
import { iterateEntries } from '../../../broker/protocol/records/log-entries';
import type { Partition } from '../../../broker/replica/partition';

/** The offset after the entry at pos: v2 batches by their header, legacy entries by their offset. */
function nextOffsetAfter(buf: Buffer, pos: number): number {
  return buf.readInt8(pos + 16) === 2 ? lastOffsetOf(buf, pos) + 1 : baseOffsetOf(buf, pos) + 1;
}

export class FakeOffsetsLog implements OffsetsLogAccess {
  readonly batches = new Map<number, Buffer[]>();

  private entries(partition: number): Buffer[] {
    let list = this.batches.get(partition);
    if (!list) this.batches.set(partition, (list = []));
    return list;
  }

  logEndOffset(partition: number): number {
    let end = 0;
    for (const b of this.entries(partition)) for (const e of iterateEntries(b)) end = nextOffsetAfter(b, e.pos);
    return end;
  }

  getPartition(_topic: string, partition: number): Partition | undefined {
    const batches = this.entries(partition);
    return {
      isLeader: () => true,
      log: {
        logStartOffset: 0,
        logEndOffset: this.logEndOffset(partition),
        read: (start: number) => ({ records: Buffer.concat(batches.filter((b) => nextOffsetAfter(b, 0) > start)), firstEntryOffset: start }),
      },
    } as unknown as Partition;
  }

  /** Stores bytes as given (their offsets included). */
  appendRaw(partition: number, bytes: Buffer): void {
    this.entries(partition).push(bytes);
  }

  async appendRecords(_acks: number, _timeout: number, entries: { topic: string; partition: number; records: Buffer | null }[]) {
    return entries.map((e) => {
      const base = this.logEndOffset(e.partition);
      const batch = Buffer.from(e.records!);
      writeInt64(batch, base, 0);
      this.entries(e.partition).push(batch);
      return { topic: e.topic, partition: e.partition, errorCode: ErrorCode.NONE, baseOffset: base, logAppendTime: -1, logStartOffset: 0 };
    });
  }
}

export const TEST_COORDINATOR_CONFIG: GroupCoordinatorConfig = { groupMinSessionTimeoutMs: 10, groupMaxSessionTimeoutMs: 60000, groupInitialRebalanceDelayMs: 0, groupMaxSize: 100 };

/** A started coordinator (no expiration timer) over one offsets partition of the given log. */
export function coordinatorOver(log: FakeOffsetsLog, config: GroupCoordinatorConfig = TEST_COORDINATOR_CONFIG): GroupCoordinator {
  const manager = new GroupMetadataManager(
    { brokerId: 0, offsetsTopicNumPartitions: 1, offsetsCommitTimeoutMs: 1000, offsetsCommitRequiredAcks: -1, offsetsRetentionMs: 60000, offsetsRetentionCheckIntervalMs: 60000, offsetsLoadBufferSize: 1 << 20, offsetMetadataMaxBytes: 4096, compression: CompressionType.NONE },
    log,
  );
  const c = new GroupCoordinator(config, manager);
  c.startup(false);
  return c;
}
