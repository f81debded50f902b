// One member of a group, as Kafka's MemberMetadata: its protocols (name + opaque metadata, in
// the member's order of preference), its assignment, the JoinGroup/SyncGroup response it is
// waiting for, and when it last proved it is alive.
import type { ErrorCode } from '../protocol/errors';

export interface JoinGroupResult {
  /** Only the leader receives the members and their metadata. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
  memberId: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  errorCode: ErrorCode;
}

export interface SyncGroupResult {
  assignment: Buffer;
  errorCode: ErrorCode;
}

export type JoinCallback = (result: JoinGroupResult) => void;
export type SyncCallback = (result: SyncGroupResult) => void;

export type Protocols = { name: string; metadata: Buffer }[];

/**
 * A protocol name the member lists more than once, or null. Such a member would count twice in
 * its group's protocol tally, so no protocol could be chosen when the rebalance completes.
 */
export function duplicateProtocolName(protocols: Protocols): string | null {
  const seen = new Set<string>();
  for (const p of protocols) {
    if (seen.has(p.name)) return p.name;
    seen.add(p.name);
  }
  return null;
}

/** A new member that never completes its first join is dropped after this (Kafka's NewMemberJoinTimeoutMs). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export class MemberMetadata {
  assignment: Buffer = Buffer.alloc(0);
  awaitingJoinCallback: JoinCallback | null = null;
  awaitingSyncCallback: SyncCallback | null = null;
  latestHeartbeat = -1;
  isLeaving = false;
  isNew = false;
  /** The pending session expiration (Kafka's DelayedHeartbeat in the heartbeat purgatory). */
  heartbeatTimer: NodeJS.Timeout | null = null;
  heartbeatDeadline = -1;

  constructor(
    public memberId: string,
    readonly groupId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    readonly rebalanceTimeoutMs: number,
    readonly sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: Protocols,
  ) {}

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoinCallback !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSyncCallback !== null;
  }

  metadata(protocol: string): Buffer {
    const p = this.supportedProtocols.find((x) => x.name === protocol);
    if (!p) throw new Error(`Member ${this.memberId} does not support protocol ${protocol}`);
    return p.metadata;
  }

  /** Kafka's rule: members with a request parked in purgatory are never expired. */
  shouldKeepAlive(deadlineMs: number): boolean {
    if (this.isNew) return this.latestHeartbeat + NEW_MEMBER_JOIN_TIMEOUT_MS > deadlineMs;
    if (this.isAwaitingJoin || this.isAwaitingSync) return true;
    return this.latestHeartbeat + this.sessionTimeoutMs > deadlineMs;
  }

  /** Same protocols, same order, same metadata bytes: a rejoin that changes nothing. */
  matches(protocols: Protocols): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => p.name === this.supportedProtocols[i].name && p.metadata.equals(this.supportedProtocols[i].metadata));
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: Set<string>): string {
    const p = this.supportedProtocols.find((x) => candidates.has(x.name));
    if (!p) throw new Error(`Member ${this.memberId} does not support any of the candidate protocols`);
    return p.name;
  }

  cancelHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }
}
