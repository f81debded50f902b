// The group coordinator (Kafka 2.x's GroupCoordinator): membership and rebalances of the groups
// whose __consumer_offsets partition this broker leads, and their offset commits.
//
// Public API (used by the handlers and by other subsystems; every method answers with Kafka's
// error codes rather than throwing):
//   handleJoinGroup / handleSyncGroup   resolve when the rebalance answers the member
//   handleHeartbeat / handleLeaveGroup  immediate answers
//   handleCommitOffsets                 resolves after the commit is written (acks=-1)
//   handleTxnCommitOffsets              the same for a transaction's commit, pending until its marker
//   onTxnMarkerWritten(p, pid, commit)  a marker reached offsets partition p: decide pid's commits
//   handleFetchOffsets / handleDescribeGroup / handleListGroups / handleDeleteGroups
//   partitionFor(groupId)               the group's __consumer_offsets partition
//   onElection(p) / onResignation(p)    leadership of offsets partition p (wired to the replica
//                                       manager's leadership listener in startup())
//
// Timers stand in for Kafka's purgatories: a member's session expiry (DelayedHeartbeat), a
// pending member's expiry, and a group's rebalance deadline (DelayedJoin / InitialDelayedJoin).
import type { KafkaConfig } from '../config/kafka-config';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import type { CompressionType } from '../protocol/records/batch-header';
import type { ReplicaManager } from '../replica/replica-manager';
import { CONSUMER_PROTOCOL_TYPE, GroupMetadata, GroupState } from './group-metadata';
import { GroupMetadataManager, type FetchedOffset, type OffsetCommitEntry, type OffsetsLogAccess } from './group-metadata-manager';
import type { JoinGroupResult, Protocols, SyncGroupResult } from './member-metadata';
import { duplicateProtocolName, MemberMetadata, NEW_MEMBER_JOIN_TIMEOUT_MS } from './member-metadata';
import { GROUP_METADATA_TOPIC_NAME } from './partition-for';
import { describeError, GroupJoiner } from './group-joiner';

type TopicPartitionRef = { topic: string; partition: number };

export interface GroupCoordinatorConfig {
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupInitialRebalanceDelayMs: number;
  groupMaxSize: number;
}

export interface JoinGroupParams {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  /** JoinGroup v4+ without group.instance.id (KIP-394): first join gets MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: Protocols;
}

export interface MemberSummary {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface GroupSummary {
  state: string;
  protocolType: string;
  protocol: string;
  members: MemberSummary[];
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

const NO_GENERATION = -1;
const UNKNOWN_MEMBER_ID = '';

export function joinError(memberId: string, errorCode: ErrorCode): JoinGroupResult {
  return { members: [], memberId, generationId: NO_GENERATION, protocolName: '', leaderId: '', errorCode };
}

export class GroupCoordinator extends GroupJoiner {
  private active = false;

  constructor(
    config: GroupCoordinatorConfig,
    manager: GroupMetadataManager,
    private readonly replicaManager?: Pick<ReplicaManager, 'addLeadershipListener' | 'onTransactionMarkersWritten'>,
  ) {
    super(config, manager, getLogger('kafka.coordinator.group.GroupCoordinator', `[GroupCoordinator ${manager.config.brokerId}]: `));
  }

  /** Builds the coordinator and its store from the broker's config. */
  static create(config: KafkaConfig, replicaManager: ReplicaManager & OffsetsLogAccess): GroupCoordinator {
    // Keys the typed config does not carry yet; Kafka's defaults otherwise.
    const original = (key: string, fallback: number) => {
      const v = config.originals[key];
      return v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback;
    };
    const manager = new GroupMetadataManager(
      {
        brokerId: config.brokerId,
        offsetsTopicNumPartitions: config.offsetsTopicNumPartitions,
        offsetsCommitTimeoutMs: config.offsetsCommitTimeoutMs,
        offsetsCommitRequiredAcks: original('offsets.commit.required.acks', -1),
        offsetsRetentionMs: config.offsetsRetentionMinutes * 60 * 1000,
        offsetsRetentionCheckIntervalMs: config.offsetsRetentionCheckIntervalMs,
        offsetsLoadBufferSize: original('offsets.load.buffer.size', 5242880),
        offsetMetadataMaxBytes: config.offsetMetadataMaxBytes,
        compression: original('offsets.topic.compression.codec', 0) as CompressionType,
      },
      replicaManager,
    );
    return new GroupCoordinator(config, manager, replicaManager);
  }

  startup(enableMetadataExpiration = true): void {
    this.logger.info('Starting up.');
    this.replicaManager?.addLeadershipListener({
      onBecomeLeader: (p) => {
        if (p.topic === GROUP_METADATA_TOPIC_NAME) this.onElection(p.partition);
      },
      onBecomeFollower: (p) => {
        if (p.topic === GROUP_METADATA_TOPIC_NAME) this.onResignation(p.partition);
      },
      onStopReplica: (topic, partition, deleted) => {
        if (topic === GROUP_METADATA_TOPIC_NAME) this.onResignation(partition);
        else if (deleted) void this.handleDeletedPartitions([{ topic, partition }]); // never rejects
      },
    });
    this.replicaManager?.onTransactionMarkersWritten((tp, producerId, commit) => {
      if (tp.topic === GROUP_METADATA_TOPIC_NAME) this.onTxnMarkerWritten(tp.partition, producerId, commit);
    });
    this.manager.startup(enableMetadataExpiration);
    this.active = true;
    this.logger.info('Startup complete.');
  }

  shutdown(): void {
    this.logger.info('Shutting down.');
    this.active = false;
    for (const group of this.manager.currentGroups()) this.cancelTimers(group);
    this.manager.shutdown();
    this.logger.info('Shutdown complete.');
  }

  get isActive(): boolean {
    return this.active;
  }

  partitionFor(groupId: string): number {
    return this.manager.partitionFor(groupId);
  }

  get numOffsetsPartitions(): number {
    return this.manager.config.offsetsTopicNumPartitions;
  }

  /**
   * Kafka's validateGroupStatus. OffsetCommit, OffsetFetch, DescribeGroups and DeleteGroups
   * accept the empty group id (old clients commit under ""); the others need a non-empty one.
   */
  private validateGroupStatus(groupId: string, allowEmptyGroupId: boolean): ErrorCode | null {
    if (groupId === null || (!allowEmptyGroupId && groupId === '')) return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.manager.isGroupLoading(groupId)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (!this.manager.isGroupLocal(groupId)) return ErrorCode.NOT_COORDINATOR;
    return null;
  }

  // ------------------------------------------------------------------------------ JoinGroup

  handleJoinGroup(params: JoinGroupParams): Promise<JoinGroupResult> {
    return new Promise((resolve) => {
      const error = this.validateGroupStatus(params.groupId, false);
      if (error !== null) return resolve(joinError(params.memberId, error));
      if (params.sessionTimeoutMs < this.config.groupMinSessionTimeoutMs || params.sessionTimeoutMs > this.config.groupMaxSessionTimeoutMs) {
        return resolve(joinError(params.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
      }
      const duplicate = duplicateProtocolName(params.protocols);
      if (duplicate !== null) {
        this.logger.info(`Refusing JoinGroup of member ${params.memberId || '(new)'} of group ${params.groupId}: protocol ${duplicate} is listed twice (INCONSISTENT_GROUP_PROTOCOL)`);
        return resolve(joinError(params.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      }
      const isUnknownMember = params.memberId === UNKNOWN_MEMBER_ID;
      let group = this.manager.getGroup(params.groupId);
      if (!group) {
        // Only a join without member id may create the group.
        if (!isUnknownMember) return resolve(joinError(params.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        group = this.manager.addGroup(new GroupMetadata(params.groupId, GroupState.Empty));
      }
      // On an exception failGroup answered the member if it was added; if not, it is answered
      // here (resolving a settled promise again does nothing).
      const joining = group;
      if (!this.guarded(group, `handling a JoinGroup of member ${params.memberId || '(new)'}`, () => this.joinGroup(joining, params, resolve))) {
        resolve(joinError(params.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      }
    });
  }

  private joinGroup(group: GroupMetadata, params: JoinGroupParams, resolve: (r: JoinGroupResult) => void): void {
    const isUnknownMember = params.memberId === UNKNOWN_MEMBER_ID;
    if (
      (group.size > this.config.groupMaxSize && group.has(params.memberId) && !group.get(params.memberId).isAwaitingJoin) ||
      (isUnknownMember && group.size >= this.config.groupMaxSize)
    ) {
      group.remove(params.memberId);
      group.removeStaticMember(params.groupInstanceId);
      resolve(joinError(UNKNOWN_MEMBER_ID, ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (isUnknownMember) {
      this.doUnknownJoinGroup(group, params, resolve);
    } else {
      this.doJoinGroup(group, params, resolve);
    }
    if (group.is(GroupState.PreparingRebalance)) this.checkAndCompleteJoin(group);
  }

  private doUnknownJoinGroup(group: GroupMetadata, params: JoinGroupParams, callback: (r: JoinGroupResult) => void): void {
    if (group.is(GroupState.Dead)) return callback(joinError(UNKNOWN_MEMBER_ID, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(params.protocolType, params.protocols)) return callback(joinError(UNKNOWN_MEMBER_ID, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = group.generateMemberId(params.clientId, params.groupInstanceId);
    if (params.groupInstanceId !== null && group.hasStaticMember(params.groupInstanceId)) {
      const oldMemberId = group.getStaticMemberId(params.groupInstanceId)!;
      this.logger.info(`Static member ${params.groupInstanceId} with unknown member id rejoins, assigning new member id ${newMemberId}, while old member ${oldMemberId} will be removed.`);
      const currentLeader = group.leaderId;
      const member = group.replaceGroupInstance(oldMemberId, newMemberId, params.groupInstanceId, {
        join: { members: [], memberId: oldMemberId, generationId: NO_GENERATION, protocolName: '', leaderId: '', errorCode: ErrorCode.FENCED_INSTANCE_ID },
        sync: { assignment: Buffer.alloc(0), errorCode: ErrorCode.FENCED_INSTANCE_ID },
      });
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
      group.updateMember(member, params.protocols, callback);
      switch (group.currentState) {
        case GroupState.Stable:
        case GroupState.CompletingRebalance:
          // The old leader id is returned so that the current leader does not recompute an
          // assignment that a Stable group would never distribute.
          group.maybeInvokeJoinCallback(member, {
            members: [],
            memberId: newMemberId,
            generationId: group.generationId,
            protocolName: group.protocol,
            leaderId: currentLeader,
            errorCode: ErrorCode.NONE,
          });
          break;
        case GroupState.PreparingRebalance:
          break;
        default:
          throw new Error(`Group ${group.groupId} was not supposed to be in the state ${group.currentState} when the unknown static member ${params.groupInstanceId} rejoins.`);
      }
    } else if (params.requireKnownMemberId) {
      group.addPendingMember(newMemberId);
      this.addPendingMemberExpiration(group, newMemberId, params.sessionTimeoutMs);
      callback(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(params, newMemberId, group, callback);
    }
  }

  private doJoinGroup(group: GroupMetadata, params: JoinGroupParams, callback: (r: JoinGroupResult) => void): void {
    const { memberId, groupInstanceId, protocols } = params;
    if (group.is(GroupState.Dead)) return callback(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(params.protocolType, protocols)) return callback(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.isPendingMember(memberId)) {
      // A pending member is never static: static members skip MEMBER_ID_REQUIRED.
      return this.addMemberAndRebalance(params, memberId, group, callback);
    }
    if (group.isStaticMemberFenced(memberId, groupInstanceId)) return callback(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID));
    if (!group.has(memberId) || (groupInstanceId !== null && !group.hasStaticMember(groupInstanceId))) {
      return callback(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
    const member = group.get(memberId);
    const current = (members: JoinGroupResult['members']): JoinGroupResult => ({
      members,
      memberId,
      generationId: group.generationId,
      protocolName: group.protocol,
      leaderId: group.leaderId,
      errorCode: ErrorCode.NONE,
    });
    switch (group.currentState) {
      case GroupState.PreparingRebalance:
        this.updateMemberAndRebalance(group, member, protocols, callback);
        break;
      case GroupState.CompletingRebalance:
        // Same metadata: the member probably lost the JoinGroup response; answer it again.
        if (member.matches(protocols)) callback(current(group.isLeader(memberId) ? group.currentMemberMetadata() : []));
        else this.updateMemberAndRebalance(group, member, protocols, callback);
        break;
      case GroupState.Stable:
        // A leader's rejoin forces a rebalance (it saw a change the metadata does not show, such
        // as new partitions); so does changed metadata. Followers otherwise get the generation.
        if (group.isLeader(memberId) || !member.matches(protocols)) this.updateMemberAndRebalance(group, member, protocols, callback);
        else callback(current([]));
        break;
      default:
        this.logger.warn(`Attempt to add rejoining member ${memberId} of group ${group.groupId} in unexpected group state ${group.currentState}`);
        callback(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(params: JoinGroupParams, memberId: string, group: GroupMetadata, callback: (r: JoinGroupResult) => void): void {
    const member = new MemberMetadata(
      memberId,
      group.groupId,
      params.groupInstanceId,
      params.clientId,
      params.clientHost,
      params.rebalanceTimeoutMs,
      params.sessionTimeoutMs,
      params.protocolType,
      params.protocols,
    );
    member.isNew = true;
    // A member joining during the initial delay extends it (group.initial.rebalance.delay.ms).
    if (group.is(GroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, callback);
    // New members cannot heartbeat yet; a JoinGroup whose client went away must not keep its
    // member forever, so it expires after NewMemberJoinTimeoutMs.
    this.completeAndScheduleNextExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    if (member.groupInstanceId !== null) group.addStaticMember(member.groupInstanceId, memberId);
    else group.removePendingMember(memberId);
    this.maybePrepareRebalance(group, `Adding new member ${memberId} with group instance id ${params.groupInstanceId}`);
  }

  private updateMemberAndRebalance(group: GroupMetadata, member: MemberMetadata, protocols: Protocols, callback: (r: JoinGroupResult) => void): void {
    group.updateMember(member, protocols, callback);
    this.maybePrepareRebalance(group, `Updating metadata for member ${member.memberId}`);
  }

  // ------------------------------------------------------------------------------ SyncGroup

  handleSyncGroup(groupId: string, generationId: number, memberId: string, groupInstanceId: string | null, assignments: Map<string, Buffer>): Promise<SyncGroupResult> {
    return new Promise((resolve) => {
      const fail = (errorCode: ErrorCode) => resolve({ assignment: Buffer.alloc(0), errorCode });
      const error = this.validateGroupStatus(groupId, false);
      // While loading, the rebalance in flight is lost: REBALANCE_IN_PROGRESS sends the member
      // back to JoinGroup (older clients do not expect COORDINATOR_LOAD_IN_PROGRESS here).
      if (error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      if (error !== null) return fail(error);
      const group = this.manager.getGroup(groupId);
      if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      if (group.is(GroupState.Dead)) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      if (group.isStaticMemberFenced(memberId, groupInstanceId)) return fail(ErrorCode.FENCED_INSTANCE_ID);
      if (!group.has(memberId)) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      if (generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
      switch (group.currentState) {
        case GroupState.Empty:
          return fail(ErrorCode.UNKNOWN_MEMBER_ID);
        case GroupState.PreparingRebalance:
          return fail(ErrorCode.REBALANCE_IN_PROGRESS);
        case GroupState.CompletingRebalance: {
          group.get(memberId).awaitingSyncCallback = resolve;
          if (!group.isLeader(memberId)) return;
          this.logger.info(`Assignment received from leader for group ${groupId} for generation ${group.generationId}`);
          const assignment = new Map<string, Buffer>();
          for (const id of group.allMembers) assignment.set(id, assignments.get(id) ?? Buffer.alloc(0));
          const during = `storing the assignment of generation ${generationId}`;
          this.manager.storeGroup(group, assignment).then(
            (storeError) =>
              this.guarded(group, during, () => {
                // Another member may have joined meanwhile: only act if nothing moved on.
                if (!group.is(GroupState.CompletingRebalance) || generationId !== group.generationId) return;
                if (storeError !== ErrorCode.NONE) {
                  this.resetAndPropagateAssignmentError(group, storeError);
                  this.maybePrepareRebalance(group, `error when storing group assignment during SyncGroup (member: ${memberId})`);
                } else {
                  for (const m of group.allMemberMetadata) m.assignment = assignment.get(m.memberId) ?? Buffer.alloc(0);
                  this.propagateAssignment(group, ErrorCode.NONE);
                  group.transitionTo(GroupState.Stable);
                }
              }),
            // The write itself threw: the members waiting for their assignment would wait forever.
            (err: unknown) => this.failGroup(group, during, err),
          );
          return;
        }
        case GroupState.Stable: {
          const member = group.get(memberId);
          resolve({ assignment: member.assignment, errorCode: ErrorCode.NONE });
          this.completeAndScheduleNextHeartbeatExpiration(group, member);
          return;
        }
        default:
          return fail(ErrorCode.UNKNOWN_SERVER_ERROR);
      }
    });
  }

  // ----------------------------------------------------------------- Heartbeat, LeaveGroup

  handleHeartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): ErrorCode {
    const error = this.validateGroupStatus(groupId, false);
    // While loading we cannot tell; answer blindly, as Kafka does.
    if (error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
    if (error !== null) return error;
    const group = this.manager.getGroup(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    if (!group.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.currentState) {
      case GroupState.Empty:
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case GroupState.CompletingRebalance:
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case GroupState.PreparingRebalance:
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return ErrorCode.NONE;
    }
  }

  /** LeaveGroup: the group-level error and one error per leaving member. */
  handleLeaveGroup(groupId: string, leaving: LeavingMember[]): { errorCode: ErrorCode; members: (LeavingMember & { errorCode: ErrorCode })[] } {
    const error = this.validateGroupStatus(groupId, false);
    if (error !== null) return { errorCode: error, members: [] };
    const group = this.manager.getGroup(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: leaving.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((l) => {
      const { memberId, groupInstanceId } = l;
      if (memberId !== UNKNOWN_MEMBER_ID && group.isStaticMemberFenced(memberId, groupInstanceId)) return { ...l, errorCode: ErrorCode.FENCED_INSTANCE_ID };
      if (group.isPendingMember(memberId)) {
        this.logger.info(`Pending member ${memberId} is leaving group ${groupId}.`);
        this.removePendingMemberAndUpdateGroup(group, memberId);
        return { ...l, errorCode: ErrorCode.NONE };
      }
      if (!group.has(memberId) && !group.hasStaticMember(groupInstanceId)) return { ...l, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      const member = group.get(groupInstanceId !== null && group.hasStaticMember(groupInstanceId) ? group.getStaticMemberId(groupInstanceId)! : memberId);
      this.removeHeartbeatForLeavingMember(member);
      this.logger.info(`Member[group.instance.id ${member.groupInstanceId}, member.id ${member.memberId}] in group ${groupId} has left, removing it from the group`);
      this.removeMemberAndUpdateGroup(group, member, `removing member ${memberId} on LeaveGroup`);
      return { ...l, errorCode: ErrorCode.NONE };
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  // -------------------------------------------------------------------------------- offsets

  /**
   * OffsetCommit. generationId < 0 on an Empty (or unknown) group is a commit by a consumer
   * that uses Kafka only to store offsets; otherwise the member and generation must match.
   * Errors per tpKey(topic, partition).
   */
  async handleCommitOffsets(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number, offsets: OffsetCommitEntry[]): Promise<Map<string, ErrorCode>> {
    const all = (code: ErrorCode) => new Map(offsets.map((o) => [`${o.topic}\u0000${o.partition}`, code]));
    const error = this.validateGroupStatus(groupId, true);
    if (error !== null) return all(error);
    let group = this.manager.getGroup(groupId);
    if (!group) {
      if (generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION); // an older generation's commit
      group = this.manager.addGroup(new GroupMetadata(groupId, GroupState.Empty));
    }
    if (group.is(GroupState.Dead)) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (group.isStaticMemberFenced(memberId, groupInstanceId)) return all(ErrorCode.FENCED_INSTANCE_ID);
    if (generationId < 0 && group.is(GroupState.Empty)) return this.manager.storeOffsets(group, offsets);
    if (!group.has(memberId)) return all(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== group.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
    switch (group.currentState) {
      case GroupState.Stable:
      case GroupState.PreparingRebalance:
        // Commits stay allowed while preparing; the heartbeat tells the member to rejoin.
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return this.manager.storeOffsets(group, offsets);
      case GroupState.CompletingRebalance:
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      default:
        return all(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
  }

  /**
   * TxnOffsetCommit (Kafka 2.4's handleTxnCommitOffsets): no member or generation check (v3's
   * KIP-447 fields do not exist before 2.5); the group is created Empty if unknown. The producer's
   * epoch is checked by the __consumer_offsets log (ValidationType.EpochOnly): a fenced producer
   * gets INVALID_PRODUCER_EPOCH.
   */
  async handleTxnCommitOffsets(groupId: string, producerId: number, producerEpoch: number, offsets: OffsetCommitEntry[]): Promise<Map<string, ErrorCode>> {
    const all = (code: ErrorCode) => new Map(offsets.map((o) => [`${o.topic}\u0000${o.partition}`, code]));
    const error = this.validateGroupStatus(groupId, false);
    if (error !== null) return all(error);
    const group = this.manager.getGroup(groupId) ?? this.manager.addGroup(new GroupMetadata(groupId, GroupState.Empty));
    if (group.is(GroupState.Dead)) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return this.manager.storeOffsets(group, offsets, { producerId, producerEpoch });
  }

  /**
   * A COMMIT or ABORT marker of the producer was appended to offsets partition p on this leader
   * and acknowledged by its ISR (the replica manager's onTransactionMarkersWritten; Kafka's
   * WriteTxnMarkers calls scheduleHandleTxnCompletion). Decided at once rather than scheduled:
   * there are no group locks to avoid here, and nothing can slip in between.
   */
  onTxnMarkerWritten(p: number, producerId: number, isCommit: boolean): void {
    try {
      this.manager.handleTxnCompletion(producerId, new Set([p]), isCommit);
    } catch (err) {
      this.logger.error(`Received an exception while trying to update the offsets cache on transaction marker append: ${(err as Error).stack}`);
    }
  }

  /** OffsetFetch: partitions null = every committed offset of the group. */
  handleFetchOffsets(groupId: string, partitions: { topic: string; partition: number }[] | null): { errorCode: ErrorCode; offsets: FetchedOffset[] } {
    const error = this.validateGroupStatus(groupId, true);
    if (error !== null) return { errorCode: error, offsets: [] };
    return { errorCode: ErrorCode.NONE, offsets: this.manager.getOffsets(groupId, partitions) };
  }

  handleListGroups(): { errorCode: ErrorCode; groups: { groupId: string; protocolType: string }[] } {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    return {
      errorCode: this.manager.isLoading() ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE,
      groups: this.manager.currentGroups().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '' })),
    };
  }

  handleDescribeGroup(groupId: string): { errorCode: ErrorCode; summary: GroupSummary } {
    const error = this.validateGroupStatus(groupId, true);
    if (error !== null) return { errorCode: error, summary: { state: '', protocolType: '', protocol: '', members: [] } };
    const group = this.manager.getGroup(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, summary: { state: GroupState.Dead, protocolType: '', protocol: '', members: [] } };
    // Metadata and assignments are only shown for a Stable group, as Kafka does.
    const stable = group.is(GroupState.Stable) && group.protocol !== null;
    return {
      errorCode: ErrorCode.NONE,
      summary: {
        state: group.currentState,
        protocolType: group.protocolType ?? '',
        protocol: stable ? group.protocol! : '',
        members: group.allMemberMetadata.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          metadata: stable ? m.metadata(group.protocol!) : Buffer.alloc(0),
          assignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      },
    };
  }

  /** DeleteGroups: only Empty groups; their offsets and metadata get tombstones. */
  async handleDeleteGroups(groupIds: string[]): Promise<Map<string, ErrorCode>> {
    const errors = new Map<string, ErrorCode>();
    const eligible: GroupMetadata[] = [];
    for (const groupId of new Set(groupIds)) {
      const error = this.validateGroupStatus(groupId, true);
      if (error !== null) {
        errors.set(groupId, error);
        continue;
      }
      const group = this.manager.getGroup(groupId);
      if (!group || group.is(GroupState.Dead)) {
        errors.set(groupId, this.manager.groupNotExists(groupId) ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR);
      } else if (group.is(GroupState.Empty)) {
        group.transitionTo(GroupState.Dead);
        eligible.push(group);
      } else {
        errors.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      }
    }
    if (eligible.length > 0) {
      const removed = await this.manager.cleanupGroupMetadata(eligible, (g) => g.removeAllOffsets());
      for (const g of eligible) errors.set(g.groupId, ErrorCode.NONE);
      this.logger.info(`The following groups were deleted: ${eligible.map((g) => g.groupId).join(', ')}. A total of ${removed} offsets were removed.`);
    }
    return errors;
  }

  /**
   * OffsetDelete (KIP-496): an Empty group loses the offsets asked for; a live consumer group
   * loses only those of topics none of its members subscribes to (the others answer
   * GROUP_SUBSCRIBED_TO_TOPIC); any other live group answers NON_EMPTY_GROUP. A group error
   * leaves the partition map empty, as Kafka's handleDeleteOffsets.
   */
  async handleDeleteOffsets(groupId: string, partitions: TopicPartitionRef[]): Promise<{ errorCode: ErrorCode; partitions: (TopicPartitionRef & { errorCode: ErrorCode })[] }> {
    const failed = (errorCode: ErrorCode) => ({ errorCode, partitions: [] });
    const error = this.validateGroupStatus(groupId, false);
    if (error !== null) return failed(error);
    const group = this.manager.getGroup(groupId);
    if (!group || group.is(GroupState.Dead)) return failed(this.manager.groupNotExists(groupId) ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR);
    let consumed: (p: TopicPartitionRef) => boolean;
    if (group.is(GroupState.Empty)) consumed = () => false;
    else if (group.protocolType === CONSUMER_PROTOCOL_TYPE) consumed = (p) => group.isSubscribedToTopic(p.topic);
    else return failed(ErrorCode.NON_EMPTY_GROUP);
    const eligible = partitions.filter((p) => !consumed(p));
    if (eligible.length > 0) {
      const removed = await this.manager.cleanupGroupMetadata([group], (g) => g.removeOffsets(eligible));
      this.logger.info(`The following offsets of the group ${groupId} were deleted: ${eligible.map((p) => `${p.topic}-${p.partition}`).join(', ')}. A total of ${removed} offsets were removed.`);
    }
    return { errorCode: ErrorCode.NONE, partitions: partitions.map((p) => ({ ...p, errorCode: consumed(p) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE })) };
  }

  /** Offsets of deleted topic partitions go away (StopReplica with delete). */
  async handleDeletedPartitions(partitions: { topic: string; partition: number }[]): Promise<void> {
    const names = partitions.map((p) => `${p.topic}-${p.partition}`).join(', ');
    try {
      const removed = await this.manager.cleanupGroupMetadata(this.manager.currentGroups(), (g) => g.removeOffsets(partitions));
      if (removed > 0) this.logger.info(`Removed ${removed} offsets associated with deleted partitions: ${names}.`);
    } catch (err) {
      this.logger.error(`Failed to remove offsets of deleted partitions ${names}: ${describeError(err)}`);
    }
  }

  // --------------------------------------------------------------------- load / unload

  onElection(offsetsPartition: number): void {
    this.manager.scheduleLoadGroupAndOffsets(offsetsPartition, (group) => this.onGroupLoaded(group));
  }

  onResignation(offsetsPartition: number): void {
    this.manager.removeGroupsForPartition(offsetsPartition, (group) => this.onGroupUnloaded(group));
  }

  // Both run inside a partition's load or a leadership change: guarded, so that one group
  // cannot stop the others from loading or the replica manager from changing leadership.
  private onGroupLoaded(group: GroupMetadata): void {
    this.logger.info(`Loading group metadata for ${group.groupId} with generation ${group.generationId}`);
    this.guarded(group, 'loading it', () => {
      if (group.size > this.config.groupMaxSize) {
        this.prepareRebalance(group, `Freshly-loaded group is over capacity (${this.config.groupMaxSize}). Rebalancing in order to give a chance for consumers to commit offsets`);
      }
      for (const m of group.allMemberMetadata) this.completeAndScheduleNextHeartbeatExpiration(group, m);
    });
  }

  private onGroupUnloaded(group: GroupMetadata): void {
    this.logger.info(`Unloading group metadata for ${group.groupId} with generation ${group.generationId}`);
    this.guarded(group, 'unloading it', () => {
      const previous = group.currentState;
      group.transitionTo(GroupState.Dead);
      this.cancelTimers(group);
      if (previous === GroupState.PreparingRebalance) {
        for (const m of group.allMemberMetadata) group.maybeInvokeJoinCallback(m, joinError(m.memberId, ErrorCode.NOT_COORDINATOR));
      } else if (previous === GroupState.Stable || previous === GroupState.CompletingRebalance) {
        for (const m of group.allMemberMetadata) group.maybeInvokeSyncCallback(m, { assignment: Buffer.alloc(0), errorCode: ErrorCode.NOT_COORDINATOR });
      }
    });
  }
}
