// The __consumer_offsets store behind the group coordinator (Kafka's GroupMetadataManager): which
// offsets partitions this broker leads (owned) or is reading (loading), the cache of groups of
// those partitions, writing group metadata and offset commits as records (acks from
// offsets.commit.required.acks, waiting up to offsets.commit.timeout.ms), loading a partition
// into the cache when we become its leader, unloading it when we stop, and the periodic
// expiration of offsets (offsets.retention.minutes) with tombstones for what it removes.
// Transactional offset commits (TxnOffsetCommit, KIP-98) are written as transactional batches
// under the producer's id and epoch, stay pending until the transaction's marker is written to
// the group's partition (handleTxnCompletion), and load back the same way.
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { CompressionType } from '../protocol/records/batch-header';
import { encodeRecordBatch } from '../protocol/records/record-batch';
import type { ProducePartitionResult } from '../replica/replica-manager';
import type { Partition } from '../replica/partition';
import { GroupMetadata, GroupState, tpKey, type TopicPartitionOffset } from './group-metadata';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  type OffsetAndMetadata,
} from './group-records';
import { MemberMetadata } from './member-metadata';
import { OpenGroupsForProducer } from './open-groups-for-producer';
import { readOffsetsPartition, type LoadedGroupValue } from './offsets-partition-reader';
import { GROUP_METADATA_TOPIC_NAME, partitionFor } from './partition-for';

export interface GroupMetadataManagerConfig {
  brokerId: number;
  offsetsTopicNumPartitions: number;
  offsetsCommitTimeoutMs: number;
  offsetsCommitRequiredAcks: number;
  offsetsRetentionMs: number;
  offsetsRetentionCheckIntervalMs: number;
  offsetsLoadBufferSize: number;
  offsetMetadataMaxBytes: number;
  /** offsets.topic.compression.codec */
  compression: CompressionType;
}

/** What the store needs of the replica manager. */
export interface OffsetsLogAccess {
  getPartition(topic: string, partition: number): Partition | undefined;
  appendRecords(requiredAcks: number, timeoutMs: number, entries: { topic: string; partition: number; records: Buffer | null }[]): Promise<ProducePartitionResult[]>;
}

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offsetAndMetadata: OffsetAndMetadata;
}

/** The transactional producer of a TxnOffsetCommit. */
export interface TxnProducer {
  producerId: number;
  producerEpoch: number;
}

export interface FetchedOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  errorCode: ErrorCode;
}

export class GroupMetadataManager {
  private readonly logger;
  private readonly groups = new Map<string, GroupMetadata>();
  private readonly ownedPartitions = new Set<number>();
  private readonly loadingPartitions = new Set<number>();
  /** Bumped when a partition's leadership changes, so a load that is overtaken gives up. */
  private readonly partitionGenerations = new Map<number, number>();
  private expirationTimer: NodeJS.Timeout | undefined;
  private readonly openGroupsForProducer = new OpenGroupsForProducer();

  constructor(
    readonly config: GroupMetadataManagerConfig,
    private readonly log: OffsetsLogAccess,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = getLogger('kafka.coordinator.group.GroupMetadataManager', `[GroupMetadataManager brokerId=${config.brokerId}] `);
  }

  startup(enableMetadataExpiration = true): void {
    if (!enableMetadataExpiration) return;
    this.expirationTimer = setInterval(() => {
      this.cleanupExpiredOffsets().catch((err: unknown) => this.logger.error(`Error expiring offsets: ${(err as Error)?.message ?? err}`));
    }, this.config.offsetsRetentionCheckIntervalMs);
    this.expirationTimer.unref();
  }

  shutdown(): void {
    if (this.expirationTimer) clearInterval(this.expirationTimer);
    this.groups.clear();
    this.ownedPartitions.clear();
    this.loadingPartitions.clear();
  }

  partitionFor(groupId: string): number {
    return partitionFor(groupId, this.config.offsetsTopicNumPartitions);
  }

  isPartitionOwned(p: number): boolean {
    return this.ownedPartitions.has(p);
  }

  isPartitionLoading(p: number): boolean {
    return this.loadingPartitions.has(p);
  }

  isGroupLocal(groupId: string): boolean {
    return this.isPartitionOwned(this.partitionFor(groupId));
  }

  isGroupLoading(groupId: string): boolean {
    return this.isPartitionLoading(this.partitionFor(groupId));
  }

  isLoading(): boolean {
    return this.loadingPartitions.size > 0;
  }

  /** We own the group's partition and hold no live group of that id. */
  groupNotExists(groupId: string): boolean {
    if (!this.isGroupLocal(groupId) || this.isGroupLoading(groupId)) return false;
    const group = this.groups.get(groupId);
    return group === undefined || group.is(GroupState.Dead);
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.groups.get(groupId);
  }

  /** Adds the group unless one of that id is cached already; returns the cached one. */
  addGroup(group: GroupMetadata): GroupMetadata {
    const existing = this.groups.get(group.groupId);
    if (existing) return existing;
    this.groups.set(group.groupId, group);
    return group;
  }

  currentGroups(): GroupMetadata[] {
    return [...this.groups.values()];
  }

  // --------------------------------------------------------------------------------- writes

  private async append(groupId: string, records: { key: Buffer; value: Buffer | null }[], acks: number, producer?: TxnProducer): Promise<ProducePartitionResult | null> {
    const partition = this.partitionFor(groupId);
    // Kafka's getMagic: no local replica of the partition means we are not its coordinator.
    if (!this.log.getPartition(GROUP_METADATA_TOPIC_NAME, partition)) return null;
    const timestamp = this.now();
    // A transactional commit is a transactional batch of the producer (base sequence 0, as Kafka's
    // MemoryRecords.builder in storeOffsets): the log checks its epoch only (ValidationType.EpochOnly).
    const txn = producer ? { producerId: producer.producerId, producerEpoch: producer.producerEpoch, baseSequence: 0, isTransactional: true } : {};
    const batch = encodeRecordBatch({ ...txn, timestamp, compression: this.config.compression, records: records.map((r) => ({ key: r.key, value: r.value, timestamp })) });
    const [result] = await this.log.appendRecords(acks, this.config.offsetsCommitTimeoutMs, [{ topic: GROUP_METADATA_TOPIC_NAME, partition, records: batch }]);
    return result;
  }

  /**
   * Writes the group's metadata with the given assignment (SyncGroup from the leader, or an
   * empty generation). The error is already mapped as Kafka maps it for JoinGroup/SyncGroup.
   */
  async storeGroup(group: GroupMetadata, assignment: Map<string, Buffer>): Promise<ErrorCode> {
    const protocol = group.protocol;
    const value = groupMetadataValue({
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: group.currentStateTimestamp ?? -1,
      members: group.allMemberMetadata.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.metadata(protocol!),
        assignment: assignment.get(m.memberId) ?? Buffer.alloc(0),
      })),
    });
    const result = await this.append(group.groupId, [{ key: groupMetadataKey(group.groupId), value }], this.config.offsetsCommitRequiredAcks);
    if (!result) return ErrorCode.NOT_COORDINATOR;
    if (result.errorCode !== ErrorCode.NONE) {
      this.logger.debug(`Metadata from group ${group.groupId} with generation ${group.generationId} failed when appending to log due to ${ErrorCode[result.errorCode]}`);
    }
    switch (result.errorCode) {
      case ErrorCode.NONE:
        return ErrorCode.NONE;
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      case ErrorCode.NOT_ENOUGH_REPLICAS:
      case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      case ErrorCode.KAFKA_STORAGE_ERROR:
        return ErrorCode.NOT_COORDINATOR;
      case ErrorCode.REQUEST_TIMED_OUT:
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case ErrorCode.MESSAGE_TOO_LARGE:
      case ErrorCode.RECORD_LIST_TOO_LARGE:
      case ErrorCode.INVALID_FETCH_SIZE:
        return ErrorCode.UNKNOWN_SERVER_ERROR;
      default:
        return result.errorCode;
    }
  }

  /**
   * Writes offset commits; per topic-partition errors keyed by tpKey. With a producer (a
   * TxnOffsetCommit) they are pending in the group until the transaction ends.
   */
  async storeOffsets(group: GroupMetadata, offsets: OffsetCommitEntry[], producer?: TxnProducer): Promise<Map<string, ErrorCode>> {
    const errors = new Map<string, ErrorCode>();
    const valid = offsets.filter((o) => Buffer.byteLength(o.offsetAndMetadata.metadata) <= this.config.offsetMetadataMaxBytes);
    if (valid.length === 0) {
      for (const o of offsets) errors.set(tpKey(o.topic, o.partition), ErrorCode.OFFSET_METADATA_TOO_LARGE);
      return errors;
    }
    if (!this.log.getPartition(GROUP_METADATA_TOPIC_NAME, this.partitionFor(group.groupId))) {
      for (const o of offsets) errors.set(tpKey(o.topic, o.partition), ErrorCode.NOT_COORDINATOR);
      return errors;
    }
    if (producer) {
      group.receivedTransactionalOffsetCommits = true;
      this.openGroupsForProducer.add(producer.producerId, group.groupId);
      group.pendingTxnOffsets.prepare(producer.producerId, valid);
    } else {
      group.prepareOffsetCommit(valid);
    }
    if (group.receivedConsumerOffsetCommits && group.receivedTransactionalOffsetCommits) {
      this.logger.warn(
        `group: ${group.groupId} with leader: ${group.leaderId} has received offset commits from consumers as well as transactional producers. Mixing both types of offset commits will generally result in surprises and should be avoided.`,
      );
    }
    const result = await this.append(
      group.groupId,
      valid.map((o) => ({ key: offsetCommitKey(group.groupId, o.topic, o.partition), value: offsetCommitValue(o.offsetAndMetadata) })),
      this.config.offsetsCommitRequiredAcks,
      producer,
    );
    let code = result ? result.errorCode : ErrorCode.NOT_COORDINATOR;
    if (code === ErrorCode.NONE && !group.is(GroupState.Dead)) {
      for (const o of valid) {
        const written = { topic: o.topic, partition: o.partition, appendedBatchOffset: result!.baseOffset, offsetAndMetadata: o.offsetAndMetadata };
        if (producer) group.pendingTxnOffsets.onAppend(producer.producerId, written);
        else group.onOffsetCommitAppend(written);
      }
    } else {
      if (code !== ErrorCode.NONE) this.logger.debug(`Offset commit for group ${group.groupId} failed due to ${ErrorCode[code]}`);
      for (const o of valid) {
        if (producer) group.pendingTxnOffsets.fail(producer.producerId, o.topic, o.partition);
        else group.failPendingOffsetWrite(o.topic, o.partition, o.offsetAndMetadata);
      }
      if (producer && !group.pendingTxnOffsets.hasProducer(producer.producerId)) this.openGroupsForProducer.remove(producer.producerId, group.groupId);
      switch (code) {
        case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
        case ErrorCode.NOT_ENOUGH_REPLICAS:
        case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
          code = ErrorCode.COORDINATOR_NOT_AVAILABLE;
          break;
        case ErrorCode.NOT_LEADER_OR_FOLLOWER:
        case ErrorCode.KAFKA_STORAGE_ERROR:
          code = ErrorCode.NOT_COORDINATOR;
          break;
        case ErrorCode.MESSAGE_TOO_LARGE:
        case ErrorCode.RECORD_LIST_TOO_LARGE:
        case ErrorCode.INVALID_FETCH_SIZE:
          code = ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
          break;
      }
    }
    for (const o of offsets) {
      const key = tpKey(o.topic, o.partition);
      errors.set(key, valid.includes(o) ? code : ErrorCode.OFFSET_METADATA_TOO_LARGE);
    }
    return errors;
  }

  /**
   * Committed offsets; -1 with empty metadata for partitions without one. partitions = null:
   * every offset of the group. Never stale: only called for owned, loaded partitions.
   */
  getOffsets(groupId: string, partitions: { topic: string; partition: number }[] | null): FetchedOffset[] {
    const group = this.groups.get(groupId);
    const none = (topic: string, partition: number): FetchedOffset => ({ topic, partition, offset: -1, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE });
    if (!group || group.is(GroupState.Dead)) return (partitions ?? []).map((p) => none(p.topic, p.partition));
    const of = (o: TopicPartitionOffset): FetchedOffset => ({
      topic: o.topic,
      partition: o.partition,
      offset: o.offsetAndMetadata.offset,
      leaderEpoch: o.offsetAndMetadata.leaderEpoch,
      metadata: o.offsetAndMetadata.metadata,
      errorCode: ErrorCode.NONE,
    });
    if (partitions === null) return [...group.offsets.values()].map(of);
    return partitions.map((p) => {
      const o = group.offsets.get(tpKey(p.topic, p.partition));
      return o ? of(o) : none(p.topic, p.partition);
    });
  }

  /**
   * A transaction marker of the producer was written to these offsets partitions (Kafka's
   * handleTxnCompletion): its pending commits in their groups become visible (commit) or go (abort).
   * A group no longer cached here moved away; its new coordinator reads the marker when loading.
   */
  handleTxnCompletion(producerId: number, completedPartitions: ReadonlySet<number>, isCommit: boolean): void {
    for (const groupId of this.openGroupsForProducer.groupsIn(producerId, completedPartitions, (g) => this.partitionFor(g))) {
      const group = this.groups.get(groupId);
      if (!group) {
        this.logger.info(`Group ${groupId} has moved away from ${this.config.brokerId} after transaction marker was written but before the cache was updated. The cache on the new group owner will be updated instead.`);
        this.openGroupsForProducer.remove(producerId, groupId);
        continue;
      }
      if (group.is(GroupState.Dead)) continue;
      group.pendingTxnOffsets.complete(producerId, isCommit, group.offsets, this.logger, groupId);
      this.openGroupsForProducer.remove(producerId, groupId);
    }
  }

  // ------------------------------------------------------------------------- load / unload

  private bumpGeneration(p: number): number {
    const g = (this.partitionGenerations.get(p) ?? 0) + 1;
    this.partitionGenerations.set(p, g);
    return g;
  }

  /**
   * We lead offsets partition p: read it from the log start to the log end (the new leader's log
   * holds every acknowledged commit; its HW may still lag behind) and cache its groups. Requests
   * for its groups get COORDINATOR_LOAD_IN_PROGRESS meanwhile. A partition owned already is not
   * reloaded (a leader epoch bump while we stay leader).
   */
  scheduleLoadGroupAndOffsets(p: number, onGroupLoaded: (group: GroupMetadata) => void): void {
    if (this.ownedPartitions.has(p) || this.loadingPartitions.has(p)) {
      this.logger.info(`Already loading offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${p}`);
      return;
    }
    this.loadingPartitions.add(p);
    const generation = this.bumpGeneration(p);
    this.logger.info(`Scheduling loading of offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${p}`);
    setImmediate(() => {
      const started = this.now();
      try {
        this.loadGroupsAndOffsets(p, generation, onGroupLoaded);
        if (this.partitionGenerations.get(p) !== generation) return;
        this.ownedPartitions.add(p);
        this.logger.info(`Finished loading offsets and group metadata from ${GROUP_METADATA_TOPIC_NAME}-${p} in ${this.now() - started} milliseconds.`);
      } catch (err) {
        this.logger.error(`Error loading offsets from ${GROUP_METADATA_TOPIC_NAME}-${p}: ${(err as Error).stack}`);
      } finally {
        if (this.partitionGenerations.get(p) === generation) this.loadingPartitions.delete(p);
      }
    });
  }

  private loadGroupsAndOffsets(p: number, generation: number, onGroupLoaded: (group: GroupMetadata) => void): void {
    const partition = this.log.getPartition(GROUP_METADATA_TOPIC_NAME, p);
    if (!partition || !partition.isLeader()) return;
    const stillCurrent = () => this.partitionGenerations.get(p) === generation;
    const name = `${GROUP_METADATA_TOPIC_NAME}-${p}`;
    const loaded = readOffsetsPartition(partition.log, name, this.config.offsetsLoadBufferSize, stillCurrent, this.logger);
    if (!stillCurrent()) return;
    const load = (group: GroupMetadata) => {
      for (const o of loaded.offsets.get(group.groupId)?.values() ?? []) group.offsets.set(tpKey(o.topic, o.partition), o);
      for (const [producerId, offsets] of loaded.pendingTxnOffsets.get(group.groupId) ?? []) {
        group.pendingTxnOffsets.initialize(producerId, offsets.values());
        this.openGroupsForProducer.add(producerId, group.groupId);
      }
      const current = this.addGroup(group);
      if (current === group) onGroupLoaded(group);
    };
    for (const [groupId, value] of loaded.groups) {
      let group: GroupMetadata;
      try {
        group = this.readGroup(groupId, value);
      } catch (err) {
        // A value that decoded but that the group model refuses: its offsets still load below,
        // as those of a group without metadata, so one group never stops the partition.
        this.logger.warn(`Skipping the metadata of group ${groupId} in ${name}, it cannot be loaded: ${(err as Error).message}`);
        loaded.groups.delete(groupId);
        continue;
      }
      load(group);
    }
    // Groups that only store offsets (simple consumers, transactional producers, or groups whose
    // metadata was deleted) load as Empty.
    const offsetOnlyGroups = new Set([...loaded.offsets].filter(([, offsets]) => offsets.size > 0).map(([groupId]) => groupId));
    for (const groupId of loaded.pendingTxnOffsets.keys()) offsetOnlyGroups.add(groupId);
    for (const groupId of offsetOnlyGroups) {
      if (!loaded.groups.has(groupId)) load(new GroupMetadata(groupId, GroupState.Empty, this.now));
    }
    for (const groupId of loaded.removedGroups) {
      if (this.groups.has(groupId) && !loaded.offsets.has(groupId)) this.logger.warn(`Unexpected unload of active group ${groupId} while loading partition ${p}`);
    }
  }

  private readGroup(groupId: string, { version, value: v }: LoadedGroupValue): GroupMetadata {
    const group = new GroupMetadata(groupId, v.members.length === 0 ? GroupState.Empty : GroupState.Stable, this.now);
    group.generationId = v.generation;
    group.protocolType = v.protocolType === '' ? null : v.protocolType;
    group.protocol = v.protocol;
    group.currentStateTimestamp = version >= 2 && v.currentStateTimestamp !== -1 ? v.currentStateTimestamp : null;
    for (const m of v.members) {
      const rebalanceTimeout = version === 0 ? m.sessionTimeout : m.rebalanceTimeout;
      const member = new MemberMetadata(m.memberId, groupId, m.groupInstanceId, m.clientId, m.clientHost, rebalanceTimeout, m.sessionTimeout, v.protocolType, [
        { name: v.protocol ?? '', metadata: m.subscription },
      ]);
      member.assignment = m.assignment;
      group.add(member, null);
      if (member.groupInstanceId !== null) group.addStaticMember(member.groupInstanceId, member.memberId);
    }
    group.leaderId = v.leader;
    group.refreshSubscribedTopics();
    return group;
  }

  /** We no longer lead offsets partition p: drop its groups (each first handed to onGroupUnloaded). */
  removeGroupsForPartition(p: number, onGroupUnloaded: (group: GroupMetadata) => void): void {
    this.bumpGeneration(p);
    const wasKnown = this.ownedPartitions.delete(p) || this.loadingPartitions.delete(p);
    let groups = 0;
    let offsets = 0;
    for (const group of [...this.groups.values()]) {
      if (this.partitionFor(group.groupId) !== p) continue;
      onGroupUnloaded(group);
      this.groups.delete(group.groupId);
      this.openGroupsForProducer.removeGroup(group.groupId);
      groups++;
      offsets += group.offsets.size;
    }
    if (wasKnown || groups > 0) {
      this.logger.info(`Finished unloading ${GROUP_METADATA_TOPIC_NAME}-${p}. Removed ${offsets} cached offsets and ${groups} cached groups.`);
    }
  }

  // ------------------------------------------------------------------------------ cleanup

  async cleanupExpiredOffsets(): Promise<number> {
    const started = this.now();
    const removed = await this.cleanupGroupMetadata(this.currentGroups(), (g) => g.removeExpiredOffsets(started, this.config.offsetsRetentionMs));
    this.logger.info(`Removed ${removed} expired offsets in ${this.now() - started} milliseconds.`);
    return removed;
  }

  /**
   * Removes the offsets the selector picks; an Empty group left without offsets becomes Dead and
   * leaves the cache. Tombstones for both are appended without waiting for replication (lost ones
   * are written again by the next run, as in Kafka). A group that never had a generation (offset
   * storage only) gets no group tombstone, having no group record.
   */
  async cleanupGroupMetadata(groups: GroupMetadata[], selector: (g: GroupMetadata) => TopicPartitionOffset[]): Promise<number> {
    let removedTotal = 0;
    for (const group of groups) {
      const removed = selector(group);
      if (group.is(GroupState.Empty) && !group.hasOffsets) {
        this.logger.info(`Group ${group.groupId} transitioned to Dead in generation ${group.generationId}`);
        group.transitionTo(GroupState.Dead);
      }
      if (!this.log.getPartition(GROUP_METADATA_TOPIC_NAME, this.partitionFor(group.groupId))) continue;
      const tombstones = removed.map((o) => ({ key: offsetCommitKey(group.groupId, o.topic, o.partition), value: null }));
      if (group.is(GroupState.Dead) && this.groups.get(group.groupId) === group) {
        this.groups.delete(group.groupId);
        this.openGroupsForProducer.removeGroup(group.groupId);
        if (group.generationId > 0) tombstones.push({ key: groupMetadataKey(group.groupId), value: null });
      }
      if (tombstones.length === 0) continue;
      try {
        const result = await this.append(group.groupId, tombstones, 1);
        if (result && result.errorCode === ErrorCode.NONE) removedTotal += removed.length;
        else this.logger.warn(`Failed to append ${tombstones.length} tombstones for group ${group.groupId}: ${result ? ErrorCode[result.errorCode] : 'not coordinator'}`);
      } catch (err) {
        this.logger.error(`Failed to append ${tombstones.length} tombstones for group ${group.groupId}: ${(err as Error).message}`);
      }
    }
    return removedTotal;
  }
}
