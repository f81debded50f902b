// The rebalance mechanics of the group coordinator, apart from its request handling: preparing
// a rebalance, completing the join phase (new generation, leader, protocol), propagating the
// leader's assignment, and the deadlines Kafka keeps in purgatories — member sessions
// (DelayedHeartbeat), pending members, and the join phase (DelayedJoin, InitialDelayedJoin).
// JavaScript runs one callback at a time, so each group's state changes are atomic without
// Kafka's group locks; persistence callbacks re-check the state they expect, as Kafka's do.
// Every deadline and callback runs guarded: an exception there fails that one group (failGroup)
// and never reaches the process, where it would leave the group wedged with no timer to move it.
import type { Logger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { GroupMetadata, GroupState } from './group-metadata';
import type { GroupMetadataManager } from './group-metadata-manager';
import type { GroupCoordinatorConfig } from './group-coordinator';
import type { JoinGroupResult, MemberMetadata } from './member-metadata';
import { GROUP_METADATA_TOPIC_NAME } from './partition-for';

export abstract class GroupJoiner {
  private readonly pendingMemberTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    protected readonly config: GroupCoordinatorConfig,
    /** The __consumer_offsets store; public so tools and tests can inspect the cache. */
    readonly manager: GroupMetadataManager,
    protected readonly logger: Logger,
  ) {}

  protected maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  protected prepareRebalance(group: GroupMetadata, reason: string): void {
    // Members waiting for their assignment must rejoin instead.
    if (group.is(GroupState.CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    const wasEmpty = group.is(GroupState.Empty);
    group.transitionTo(GroupState.PreparingRebalance);
    this.logger.info(
      `Preparing to rebalance group ${group.groupId} in state ${group.currentState} with old generation ${group.generationId} (${GROUP_METADATA_TOPIC_NAME}-${this.manager.partitionFor(group.groupId)}) (reason: ${reason})`,
    );
    if (wasEmpty) {
      // A new group waits group.initial.rebalance.delay.ms, longer while members keep arriving
      // (up to its rebalance timeout), so that a starting fleet of consumers forms one generation.
      const delay = this.config.groupInitialRebalanceDelayMs;
      this.scheduleInitialDelayedJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.scheduleDelayedJoin(group, group.rebalanceTimeoutMs);
    }
  }

  private clearJoinTimer(group: GroupMetadata): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = null;
    group.joinTimerIsInitialDelay = false;
  }

  /** DelayedJoin: completes once every member has rejoined, or at the rebalance timeout. */
  private scheduleDelayedJoin(group: GroupMetadata, timeoutMs: number): void {
    this.clearJoinTimer(group);
    if (group.hasAllMembersJoined()) return this.onCompleteJoin(group);
    group.joinTimer = setTimeout(() => {
      group.joinTimer = null;
      this.onCompleteJoin(group);
    }, timeoutMs);
    group.joinTimer.unref();
  }

  /** InitialDelayedJoin: never completes early; extends itself while new members arrive. */
  private scheduleInitialDelayedJoin(group: GroupMetadata, delayMs: number, remainingMs: number): void {
    this.clearJoinTimer(group);
    group.joinTimerIsInitialDelay = true;
    group.joinTimer = setTimeout(() => {
      group.joinTimer = null;
      group.joinTimerIsInitialDelay = false;
      this.guarded(group, 'extending its initial rebalance delay', () => {
        if (group.newMemberAdded && remainingMs !== 0) {
          group.newMemberAdded = false;
          const delay = Math.min(this.config.groupInitialRebalanceDelayMs, remainingMs);
          this.scheduleInitialDelayedJoin(group, delay, Math.max(remainingMs - delayMs, 0));
        } else {
          this.onCompleteJoin(group);
        }
      });
    }, delayMs);
    group.joinTimer.unref();
  }

  /** Kafka's joinPurgatory.checkAndComplete: finish the join phase if everyone is in. */
  protected checkAndCompleteJoin(group: GroupMetadata): void {
    if (group.joinTimer && !group.joinTimerIsInitialDelay && group.hasAllMembersJoined()) {
      this.clearJoinTimer(group);
      this.onCompleteJoin(group);
    }
  }

  /** Ends the join phase (DelayedJoin.onComplete); never throws, see failGroup. */
  protected onCompleteJoin(group: GroupMetadata): void {
    this.guarded(group, 'completing its rebalance', () => this.completeJoin(group));
  }

  private completeJoin(group: GroupMetadata): void {
    // Dynamic members that did not rejoin in time are dropped; static ones keep their place.
    for (const failed of group.notYetRejoinedMembers()) {
      if (failed.isStaticMember) continue;
      this.removeHeartbeatForLeavingMember(failed);
      group.remove(failed.memberId);
      group.removeStaticMember(failed.groupInstanceId);
    }
    if (group.is(GroupState.Dead)) {
      this.logger.info(`Group ${group.groupId} is dead, skipping rebalance stage`);
      return;
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members remain and none rejoined: wait again until sessions expire them.
      this.logger.error(`Group ${group.groupId} could not complete rebalance because no members rejoined`);
      this.scheduleDelayedJoin(group, group.rebalanceTimeoutMs);
      return;
    }
    group.initNextGeneration();
    const where = `(${GROUP_METADATA_TOPIC_NAME}-${this.manager.partitionFor(group.groupId)})`;
    if (group.is(GroupState.Empty)) {
      this.logger.info(`Group ${group.groupId} with generation ${group.generationId} is now empty ${where}`);
      // The previous generation in the log would come back after a failover; it has no live
      // members, so it just times out. Warn only.
      this.manager.storeGroup(group, new Map()).then(
        (error) => {
          if (error !== ErrorCode.NONE) this.logger.warn(`Failed to write empty metadata for group ${group.groupId}: ${ErrorCode[error]}`);
        },
        (err: unknown) => this.logger.warn(`Failed to write empty metadata for group ${group.groupId}: ${describeError(err)}`),
      );
      return;
    }
    this.logger.info(`Stabilized group ${group.groupId} generation ${group.generationId} ${where}`);
    const leaderMembers = group.currentMemberMetadata();
    for (const member of group.allMemberMetadata) {
      const result: JoinGroupResult = {
        members: group.isLeader(member.memberId) ? leaderMembers : [],
        memberId: member.memberId,
        generationId: group.generationId,
        protocolName: group.protocol,
        leaderId: group.leaderId,
        errorCode: ErrorCode.NONE,
      };
      group.maybeInvokeJoinCallback(member, result);
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
      member.isNew = false;
    }
  }

  protected resetAndPropagateAssignmentError(group: GroupMetadata, error: ErrorCode): void {
    for (const m of group.allMemberMetadata) m.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, error);
  }

  protected propagateAssignment(group: GroupMetadata, error: ErrorCode): void {
    for (const member of group.allMemberMetadata) {
      // A session that expired while the member waited for its assignment was ignored; start
      // it again now.
      if (group.maybeInvokeSyncCallback(member, { assignment: member.assignment, errorCode: error })) {
        this.completeAndScheduleNextHeartbeatExpiration(group, member);
      }
    }
  }

  // ------------------------------------------------------------------------------ sessions

  protected completeAndScheduleNextHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata): void {
    this.completeAndScheduleNextExpiration(group, member, member.sessionTimeoutMs);
  }

  protected completeAndScheduleNextExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    member.cancelHeartbeat();
    member.latestHeartbeat = Date.now();
    const deadline = member.latestHeartbeat + timeoutMs;
    member.heartbeatDeadline = deadline;
    member.heartbeatTimer = setTimeout(() => {
      member.heartbeatTimer = null;
      this.guarded(group, `expiring the session of member ${member.memberId}`, () => this.onExpireHeartbeat(group, member, deadline));
    }, timeoutMs);
    member.heartbeatTimer.unref();
  }

  private onExpireHeartbeat(group: GroupMetadata, member: MemberMetadata, deadline: number): void {
    if (group.is(GroupState.Dead) || member.isLeaving) return;
    if (!group.has(member.memberId) || group.get(member.memberId) !== member) return;
    if (!member.shouldKeepAlive(deadline)) {
      this.logger.info(`Member ${member.memberId} in group ${group.groupId} has failed, removing it from the group`);
      this.removeMemberAndUpdateGroup(group, member, `removing member ${member.memberId} on heartbeat expiration`);
    }
  }

  protected addPendingMemberExpiration(group: GroupMetadata, memberId: string, timeoutMs: number): void {
    const key = `${group.groupId}\u0000${memberId}`;
    const timer = setTimeout(() => {
      this.pendingMemberTimers.delete(key);
      this.guarded(group, `expiring pending member ${memberId}`, () => {
        if (group.is(GroupState.Dead) || group.has(memberId)) return;
        this.logger.info(`Pending member ${memberId} in group ${group.groupId} has been removed after session timeout expiration.`);
        this.removePendingMemberAndUpdateGroup(group, memberId);
      });
    }, timeoutMs);
    timer.unref();
    this.pendingMemberTimers.set(key, timer);
  }

  protected removeHeartbeatForLeavingMember(member: MemberMetadata): void {
    member.isLeaving = true;
    member.cancelHeartbeat();
  }

  protected removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, reason: string): void {
    // A new member may still wait in JoinGroup: answer it first so that it can retry.
    group.maybeInvokeJoinCallback(member, { members: [], memberId: '', generationId: -1, protocolName: '', leaderId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    group.remove(member.memberId);
    group.removeStaticMember(member.groupInstanceId);
    switch (group.currentState) {
      case GroupState.Stable:
      case GroupState.CompletingRebalance:
        this.maybePrepareRebalance(group, reason);
        break;
      case GroupState.PreparingRebalance:
        this.checkAndCompleteJoin(group);
        break;
      default:
    }
  }

  protected removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.removePendingMember(memberId);
    const key = `${group.groupId}\u0000${memberId}`;
    const timer = this.pendingMemberTimers.get(key);
    if (timer) clearTimeout(timer);
    this.pendingMemberTimers.delete(key);
    if (group.is(GroupState.PreparingRebalance)) this.checkAndCompleteJoin(group);
  }

  // ---------------------------------------------------------------------------- failures

  /** Runs work on one group; an exception fails that group (failGroup) instead of escaping. False then. */
  protected guarded(group: GroupMetadata, during: string, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (err) {
      this.failGroup(group, during, err);
      return false;
    }
  }

  /**
   * The way out of an unexpected exception in one group's state machine (a bug, or input nobody
   * foresaw): one error line, then every member is answered UNKNOWN_MEMBER_ID and removed, so
   * that clients rejoin into a fresh generation. The group's committed offsets stay; other
   * groups are untouched. Kafka 2.4 lets such an exception escape its purgatory and the group
   * stays stuck until its coordinator moves.
   */
  protected failGroup(group: GroupMetadata, during: string, err: unknown): void {
    try {
      this.logger.error(`Unexpected error while ${during} in group ${group.groupId}; removing its ${group.size} members so that they rejoin: ${describeError(err)}`);
      this.cancelTimers(group);
      group.evictAllMembers(
        (m) => ({ members: [], memberId: m.memberId, generationId: -1, protocolName: '', leaderId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID }),
        { assignment: Buffer.alloc(0), errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      );
    } catch (inner) {
      this.logger.error(`Could not reset group ${group.groupId} after an error: ${describeError(inner)}`);
    }
  }

  /** Stops every deadline of a group (unloaded, or the coordinator shuts down). */
  protected cancelTimers(group: GroupMetadata): void {
    this.clearJoinTimer(group);
    for (const m of group.allMemberMetadata) m.cancelHeartbeat();
    const prefix = `${group.groupId}\u0000`;
    for (const [key, timer] of this.pendingMemberTimers) {
      if (key.startsWith(prefix)) {
        clearTimeout(timer);
        this.pendingMemberTimers.delete(key);
      }
    }
  }
}

/** An error's message with the place it was thrown, on one line. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const at = err.stack?.split('\n').find((line) => line.trim().startsWith('at '))?.trim();
  return at ? `${err.message} (${at})` : err.message;
}
