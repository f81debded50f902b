// One group's state, as Kafka 2.x's GroupMetadata: the state machine, the members (with the
// static ones by group.instance.id and the pending ones that were sent MEMBER_ID_REQUIRED), the
// protocol chosen for the generation, and the group's committed offsets.
//
// States and their only legal predecessors (Kafka's validPreviousStates):
//   Empty               <- PreparingRebalance
//   PreparingRebalance  <- Stable, CompletingRebalance, Empty
//   CompletingRebalance <- PreparingRebalance   (named AwaitingSync before Kafka 1.1)
//   Stable              <- CompletingRebalance
//   Dead                <- any
import { randomUUID } from 'crypto';
import { Reader } from '../protocol/primitives';
import type { OffsetAndMetadata } from './group-records';
import type { JoinCallback, JoinGroupResult, MemberMetadata, Protocols, SyncGroupResult } from './member-metadata';
import { PendingTxnOffsets } from './pending-txn-offsets';

export enum GroupState {
  Empty = 'Empty',
  PreparingRebalance = 'PreparingRebalance',
  CompletingRebalance = 'CompletingRebalance',
  Stable = 'Stable',
  Dead = 'Dead',
}

const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  [GroupState.Dead]: [GroupState.Stable, GroupState.PreparingRebalance, GroupState.CompletingRebalance, GroupState.Empty, GroupState.Dead],
  [GroupState.CompletingRebalance]: [GroupState.PreparingRebalance],
  [GroupState.Stable]: [GroupState.CompletingRebalance],
  [GroupState.PreparingRebalance]: [GroupState.Stable, GroupState.CompletingRebalance, GroupState.Empty],
  [GroupState.Empty]: [GroupState.PreparingRebalance],
};

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The base offset of the __consumer_offsets batch that carried it (-1: not yet written). */
  appendedBatchOffset: number;
  offsetAndMetadata: OffsetAndMetadata;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class GroupMetadata {
  private state: GroupState;
  currentStateTimestamp: number | null;
  protocolType: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  protocol: string | null = null;
  /** A member joined during the initial rebalance delay (group.initial.rebalance.delay.ms). */
  newMemberAdded = false;
  /** The pending DelayedJoin / InitialDelayedJoin of this group, when PreparingRebalance. */
  joinTimer: NodeJS.Timeout | null = null;
  /** The pending join is an InitialDelayedJoin: new joins do not complete it early. */
  joinTimerIsInitialDelay = false;
  private readonly members = new Map<string, MemberMetadata>();
  private readonly staticMembers = new Map<string, string>();
  private readonly pendingMembers = new Set<string>();
  private readonly supportedProtocols = new Map<string, number>();
  private numMembersAwaitingJoin = 0;
  private subscribedTopics: Set<string> | null = null;
  readonly offsets = new Map<string, TopicPartitionOffset>();
  /** Commits appended but not yet acknowledged; never expired meanwhile. */
  readonly pendingOffsetCommits = new Map<string, OffsetAndMetadata>();
  /** Transactional commits written but not yet decided by a marker, per producer id. */
  readonly pendingTxnOffsets = new PendingTxnOffsets();
  /** Both kinds of commit seen: Kafka warns that mixing them surprises (hasReceivedConsistentOffsetCommits). */
  receivedConsumerOffsetCommits = false;
  receivedTransactionalOffsetCommits = false;

  constructor(
    readonly groupId: string,
    initialState: GroupState,
    private readonly now: () => number = Date.now,
  ) {
    this.state = initialState;
    this.currentStateTimestamp = now();
  }

  get currentState(): GroupState {
    return this.state;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata {
    const m = this.members.get(memberId);
    if (!m) throw new Error(`Group ${this.groupId} has no member ${memberId}`);
    return m;
  }

  get size(): number {
    return this.members.size;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get allMembers(): string[] {
    return [...this.members.keys()];
  }

  get allMemberMetadata(): MemberMetadata[] {
    return [...this.members.values()];
  }

  get numPending(): number {
    return this.pendingMembers.size;
  }

  /** The longest rebalance timeout of the members: how long a rebalance waits for rejoins. */
  get rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }

  add(member: MemberMetadata, callback: JoinCallback | null = null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1);
    member.awaitingJoinCallback = callback;
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin++;
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) - 1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      member.cancelHeartbeat();
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.size > 0 ? this.members.keys().next().value! : null;
  }

  /**
   * When the leader did not rejoin, any member that did becomes leader. False when the group has
   * no leader (it is empty) or nobody rejoined.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const [id, m] of this.members) {
      if (m.isAwaitingJoin) {
        this.leaderId = id;
        return true;
      }
    }
    return false;
  }

  /** A static member rejoining with an unknown member id takes a new id; the old one is fenced. */
  replaceGroupInstance(oldMemberId: string, newMemberId: string, groupInstanceId: string, fenced: { join: JoinGroupResult; sync: SyncGroupResult }): MemberMetadata {
    const member = this.get(oldMemberId);
    this.members.delete(oldMemberId);
    this.maybeInvokeJoinCallback(member, fenced.join);
    this.maybeInvokeSyncCallback(member, fenced.sync);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId) && !this.has(memberId);
  }

  addPendingMember(memberId: string): void {
    this.pendingMembers.add(memberId);
  }

  removePendingMember(memberId: string): void {
    this.pendingMembers.delete(memberId);
  }

  hasStaticMember(groupInstanceId: string | null): boolean {
    return groupInstanceId !== null && this.staticMembers.has(groupInstanceId);
  }

  getStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  addStaticMember(groupInstanceId: string, memberId: string): void {
    this.staticMembers.set(groupInstanceId, memberId);
  }

  removeStaticMember(groupInstanceId: string | null): void {
    if (groupInstanceId !== null) this.staticMembers.delete(groupInstanceId);
  }

  /** A known static member whose registered member id differs: a duplicate instance (KIP-345). */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    return groupInstanceId !== null && this.staticMembers.has(groupInstanceId) && this.staticMembers.get(groupInstanceId) !== memberId;
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return this.allMemberMetadata.filter((m) => !m.isAwaitingJoin);
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  /** Kafka's member ids: "<clientId or group.instance.id>-<uuid>". */
  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES[GroupState.PreparingRebalance].includes(this.state);
  }

  transitionTo(target: GroupState): void {
    if (!VALID_PREVIOUS_STATES[target].includes(this.state)) {
      throw new Error(`Group ${this.groupId} should be in the ${VALID_PREVIOUS_STATES[target].join(',')} states before moving to ${target} state. Instead it is in ${this.state} state`);
    }
    this.state = target;
    this.currentStateTimestamp = this.now();
  }

  /**
   * Drops every member (pending and static ones too) and leaves the group Empty whatever its
   * state (Dead stays Dead); members waiting in JoinGroup or SyncGroup get the given errors. The
   * way out after an unexpected exception in the group's state machine, when its state can no
   * longer be trusted: clients rejoin into a fresh generation. Committed offsets are kept.
   */
  evictAllMembers(joinError: (m: MemberMetadata) => JoinGroupResult, syncError: SyncGroupResult): void {
    const members = this.allMemberMetadata;
    const answers: (() => void)[] = [];
    for (const m of members) {
      m.cancelHeartbeat();
      const join = m.awaitingJoinCallback;
      const sync = m.awaitingSyncCallback;
      m.awaitingJoinCallback = null;
      m.awaitingSyncCallback = null;
      if (join) answers.push(() => join(joinError(m)));
      if (sync) answers.push(() => sync(syncError));
    }
    this.members.clear();
    this.staticMembers.clear();
    this.pendingMembers.clear();
    this.supportedProtocols.clear();
    this.numMembersAwaitingJoin = 0;
    this.leaderId = null;
    this.protocol = null;
    this.newMemberAdded = false;
    if (this.state !== GroupState.Dead) {
      this.state = GroupState.Empty;
      this.currentStateTimestamp = this.now();
    }
    this.subscribedTopics = this.computeSubscribedTopics();
    // Answered once the group is consistent again, in case an answer re-enters the coordinator.
    for (const answer of answers) answer();
  }

  /** The protocol every member supports that gets the most first-preference votes. */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error('Cannot select protocol for empty group');
    const candidates = new Set([...this.supportedProtocols].filter(([, n]) => n === this.members.size).map(([p]) => p));
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [p, n] of votes) {
      if (n > bestVotes) {
        best = p;
        bestVotes = n;
      }
    }
    return best;
  }

  supportsProtocols(memberProtocolType: string, memberProtocols: Protocols): boolean {
    if (this.is(GroupState.Empty)) return memberProtocolType !== '' && memberProtocols.length > 0;
    return this.protocolType === memberProtocolType && memberProtocols.some((p) => this.supportedProtocols.get(p.name) === this.members.size);
  }

  updateMember(member: MemberMetadata, protocols: Protocols, callback: JoinCallback | null): void {
    for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) - 1);
    for (const p of protocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1);
    member.supportedProtocols = protocols;
    if (callback !== null && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (callback === null && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.awaitingJoinCallback = callback;
  }

  maybeInvokeJoinCallback(member: MemberMetadata, result: JoinGroupResult): void {
    if (member.awaitingJoinCallback) {
      const cb = member.awaitingJoinCallback;
      member.awaitingJoinCallback = null;
      this.numMembersAwaitingJoin--;
      cb(result);
    }
  }

  /** True when a SyncGroup was waiting and got this answer. */
  maybeInvokeSyncCallback(member: MemberMetadata, result: SyncGroupResult): boolean {
    if (!member.awaitingSyncCallback) return false;
    const cb = member.awaitingSyncCallback;
    member.awaitingSyncCallback = null;
    cb(result);
    return true;
  }

  initNextGeneration(): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocol = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(GroupState.CompletingRebalance);
    } else {
      this.protocol = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(GroupState.Empty);
    }
    // Kafka warns of mixed commit kinds within one generation only.
    this.receivedConsumerOffsetCommits = false;
    this.receivedTransactionalOffsetCommits = false;
  }

  /** Recomputed after loading a group from the log. */
  refreshSubscribedTopics(): void {
    this.subscribedTopics = this.computeSubscribedTopics();
  }

  /**
   * The topics a consumer group subscribes to, from the members' consumer-protocol
   * Subscription (version int16, then the v0 prefix every version shares: topics array).
   * null when unknown (not a consumer group, no protocol yet, or unparsable metadata).
   */
  private computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocol === null) return null;
    try {
      const topics = new Set<string>();
      for (const m of this.members.values()) {
        const r = new Reader(m.metadata(this.protocol));
        r.int16();
        const n = r.int32();
        for (let i = 0; i < n; i++) topics.add(r.string());
      }
      return topics;
    } catch {
      return null;
    }
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null || this.subscribedTopics.has(topic);
  }

  /** Members and their metadata for the chosen protocol, sent to the leader. */
  currentMemberMetadata(): JoinGroupResult['members'] {
    if (this.is(GroupState.Dead) || this.is(GroupState.PreparingRebalance) || this.protocol === null) {
      throw new Error(`Cannot obtain member metadata for group in state ${this.state}`);
    }
    const protocol = this.protocol;
    return this.allMemberMetadata.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  // ------------------------------------------------------------------------------- offsets

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsets.get(tpKey(topic, partition))?.offsetAndMetadata;
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits.size > 0 || !this.pendingTxnOffsets.isEmpty;
  }

  prepareOffsetCommit(offsets: { topic: string; partition: number; offsetAndMetadata: OffsetAndMetadata }[]): void {
    this.receivedConsumerOffsetCommits = true;
    for (const o of offsets) this.pendingOffsetCommits.set(tpKey(o.topic, o.partition), o.offsetAndMetadata);
  }

  /** A written commit becomes the current offset unless a later-written one is already there. */
  onOffsetCommitAppend(entry: TopicPartitionOffset): void {
    const key = tpKey(entry.topic, entry.partition);
    if (this.pendingOffsetCommits.has(key)) {
      const current = this.offsets.get(key);
      if (!current || current.appendedBatchOffset < entry.appendedBatchOffset) this.offsets.set(key, entry);
    }
    if (this.pendingOffsetCommits.get(key) === entry.offsetAndMetadata) this.pendingOffsetCommits.delete(key);
  }

  failPendingOffsetWrite(topic: string, partition: number, offset: OffsetAndMetadata): void {
    const key = tpKey(topic, partition);
    if (this.pendingOffsetCommits.get(key) === offset) this.pendingOffsetCommits.delete(key);
  }

  removeAllOffsets(): TopicPartitionOffset[] {
    const removed = [...this.offsets.values()];
    this.offsets.clear();
    this.pendingOffsetCommits.clear();
    // Kafka's removeAllOffsets drops the transactional commits pending for these partitions too.
    for (const o of removed) this.pendingTxnOffsets.remove(o.topic, o.partition);
    return removed;
  }

  removeOffsets(partitions: { topic: string; partition: number }[]): TopicPartitionOffset[] {
    const removed: TopicPartitionOffset[] = [];
    for (const p of partitions) {
      const key = tpKey(p.topic, p.partition);
      this.pendingOffsetCommits.delete(key);
      this.pendingTxnOffsets.remove(p.topic, p.partition);
      const o = this.offsets.get(key);
      if (o) removed.push(o);
      this.offsets.delete(key);
    }
    return removed;
  }

  /**
   * Kafka 2.1+ (KIP-211) expiration: an Empty group's offsets expire retention after it became
   * Empty; a consumer group with members only loses offsets of topics it no longer subscribes
   * to; a group without protocol (simple consumers) by commit time. Commits with an explicit
   * expireTimestamp (OffsetCommit v2-v4 retention) keep the old per-offset rule.
   */
  removeExpiredOffsets(nowMs: number, retentionMs: number): TopicPartitionOffset[] {
    const expired = (base: (o: TopicPartitionOffset) => number, subscribed: Set<string> = new Set()) =>
      [...this.offsets.values()].filter((o) => {
        if (subscribed.has(o.topic) || this.pendingOffsetCommits.has(tpKey(o.topic, o.partition))) return false;
        const expire = o.offsetAndMetadata.expireTimestamp;
        return expire === null ? nowMs - base(o) >= retentionMs : nowMs >= expire;
      });
    let result: TopicPartitionOffset[] = [];
    if (this.protocolType !== null && this.is(GroupState.Empty)) {
      result = expired((o) => this.currentStateTimestamp ?? o.offsetAndMetadata.commitTimestamp);
    } else if (this.protocolType === CONSUMER_PROTOCOL_TYPE && this.subscribedTopics !== null) {
      result = expired((o) => o.offsetAndMetadata.commitTimestamp, this.subscribedTopics);
    } else if (this.protocolType === null) {
      result = expired((o) => o.offsetAndMetadata.commitTimestamp);
    }
    for (const o of result) this.offsets.delete(tpKey(o.topic, o.partition));
    return result;
  }
}
