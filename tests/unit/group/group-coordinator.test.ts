// The coordinator's state machine over an in-memory __consumer_offsets log: joins, sync,
// heartbeats, leave, session expiry, commits, and loading a partition back from its records.
import { GroupCoordinator } from '../../../broker/group/group-coordinator';
import { GroupMetadata, GroupState } from '../../../broker/group/group-metadata';
import { ErrorCode } from '../../../broker/protocol/errors';
import { coordinatorOver, FakeOffsetsLog } from './fake-offsets-log';

const coordinator = (log: FakeOffsetsLog) => coordinatorOver(log);

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await tick(5);
  }
};

const join = (c: GroupCoordinator, memberId = '', sessionTimeoutMs = 5000, metadata = 'm') =>
  c.handleJoinGroup({
    groupId: 'g',
    memberId,
    groupInstanceId: null,
    requireKnownMemberId: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 300,
    sessionTimeoutMs,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from(metadata) }],
  });

describe('GroupCoordinator', () => {
  let log: FakeOffsetsLog;
  let c: GroupCoordinator;

  beforeEach(async () => {
    log = new FakeOffsetsLog();
    c = coordinator(log);
    c.onElection(0);
    await until(() => c.manager.isPartitionOwned(0));
  });

  afterEach(() => c.shutdown());

  it('validates the group state machine transitions', () => {
    const g = new GroupMetadata('x', GroupState.Empty);
    expect(() => g.transitionTo(GroupState.Stable)).toThrow();
    g.transitionTo(GroupState.PreparingRebalance);
    expect(() => g.transitionTo(GroupState.Stable)).toThrow();
    g.transitionTo(GroupState.CompletingRebalance);
    g.transitionTo(GroupState.Stable);
    g.transitionTo(GroupState.PreparingRebalance);
    g.transitionTo(GroupState.Empty);
    g.transitionTo(GroupState.Dead);
  });

  it('runs a rebalance: join, sync, second member, rejoin, leave, expiry', async () => {
    const first = await join(c);
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range', leaderId: first.memberId });
    const group = c.manager.getGroup('g')!;
    expect(group.currentState).toBe(GroupState.CompletingRebalance);
    const a = first.memberId;
    const synced = await c.handleSyncGroup('g', 1, a, null, new Map([[a, Buffer.from('A')]]));
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, assignment: Buffer.from('A') });
    expect(group.currentState).toBe(GroupState.Stable);
    expect(c.handleHeartbeat('g', a, null, 1)).toBe(ErrorCode.NONE);

    // A second member starts a rebalance; the first learns it from its heartbeat and rejoins.
    const secondJoin = join(c, '', 200);
    expect(group.currentState).toBe(GroupState.PreparingRebalance);
    expect(c.handleHeartbeat('g', a, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [again, second] = await Promise.all([join(c, a), secondJoin]);
    expect(again.generationId).toBe(2);
    expect(second.generationId).toBe(2);
    expect(again.members.map((m) => m.memberId).sort()).toEqual([a, second.memberId].sort());
    expect(second.members).toEqual([]);
    const b = second.memberId;
    const [sa, sb] = await Promise.all([
      c.handleSyncGroup('g', 2, a, null, new Map([[a, Buffer.from('A2')], [b, Buffer.from('B2')]])),
      c.handleSyncGroup('g', 2, b, null, new Map()),
    ]);
    expect(sa.assignment).toEqual(Buffer.from('A2'));
    expect(sb.assignment).toEqual(Buffer.from('B2'));
    expect((await c.handleSyncGroup('g', 1, a, null, new Map())).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);

    // b stops heartbeating: expired after its 200 ms session, and a rebalance follows.
    const keepAlive = setInterval(() => c.handleHeartbeat('g', a, null, group.generationId), 20);
    await until(() => group.currentState === GroupState.PreparingRebalance, 2000);
    clearInterval(keepAlive);
    expect(group.has(b)).toBe(false);
    const third = await join(c, a);
    expect(third.generationId).toBe(3);

    // The last member leaves: the group is Empty with a new generation, written to the log.
    expect(c.handleLeaveGroup('g', [{ memberId: a, groupInstanceId: null }]).members[0].errorCode).toBe(ErrorCode.NONE);
    await until(() => group.currentState === GroupState.Empty);
    expect(group.generationId).toBe(4);
  });

  it('checks commits against member and generation, then loads groups and offsets back from the log', async () => {
    const { memberId } = await join(c);
    await c.handleSyncGroup('g', 1, memberId, null, new Map([[memberId, Buffer.from('X')]]));
    const entry = (offset: number) => [{ topic: 't', partition: 0, offsetAndMetadata: { offset, leaderEpoch: -1, metadata: 'md', commitTimestamp: 1, expireTimestamp: null } }];
    expect([...(await c.handleCommitOffsets('g', memberId, null, 1, entry(10))).values()]).toEqual([ErrorCode.NONE]);
    expect([...(await c.handleCommitOffsets('g', memberId, null, 0, entry(11))).values()]).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect([...(await c.handleCommitOffsets('g', 'other', null, 1, entry(12))).values()]).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect([...(await c.handleCommitOffsets('simple', '', null, -1, entry(5))).values()]).toEqual([ErrorCode.NONE]);
    expect([...(await c.handleCommitOffsets('', '', null, -1, entry(6))).values()]).toEqual([ErrorCode.NONE]);
    expect(c.handleFetchOffsets('g', [{ topic: 't', partition: 0 }]).offsets[0]).toMatchObject({ offset: 10, metadata: 'md' });

    // Another coordinator (a new leader) loads the same log.
    const other = coordinator(log);
    expect(other.handleHeartbeat('g', memberId, null, 1)).toBe(ErrorCode.NOT_COORDINATOR);
    other.onElection(0);
    expect((await other.handleJoinGroup({ groupId: 'g', memberId: '', groupInstanceId: null, requireKnownMemberId: false, clientId: 'c', clientHost: 'h', rebalanceTimeoutMs: 10, sessionTimeoutMs: 100, protocolType: 'consumer', protocols: [] })).errorCode).toBe(
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    );
    await until(() => other.manager.isPartitionOwned(0));
    const loaded = other.manager.getGroup('g')!;
    expect(loaded.currentState).toBe(GroupState.Stable);
    expect(loaded.generationId).toBe(1);
    expect(loaded.leaderId).toBe(memberId);
    expect(loaded.get(memberId).assignment).toEqual(Buffer.from('X'));
    expect(other.handleHeartbeat('g', memberId, null, 1)).toBe(ErrorCode.NONE);
    expect(other.handleFetchOffsets('g', null).offsets).toEqual([{ topic: 't', partition: 0, offset: 10, leaderEpoch: -1, metadata: 'md', errorCode: ErrorCode.NONE }]);
    expect(other.handleFetchOffsets('simple', null).offsets[0].offset).toBe(5);

    // Deleting the (emptied) simple group writes tombstones; a third load no longer sees it.
    expect((await other.handleDeleteGroups(['simple', 'g', 'nope'])).get('simple')).toBe(ErrorCode.NONE);
    expect((await other.handleDeleteGroups(['g'])).get('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect((await other.handleDeleteGroups(['nope'])).get('nope')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    other.shutdown();
    const third = coordinator(log);
    third.onElection(0);
    await until(() => third.manager.isPartitionOwned(0));
    expect(third.manager.getGroup('simple')).toBeUndefined();
    expect(third.manager.getGroup('g')).toBeDefined();
    third.onResignation(0);
    expect(third.handleHeartbeat('g', memberId, null, 1)).toBe(ErrorCode.NOT_COORDINATOR);
    third.shutdown();
  });

  it('answers MEMBER_ID_REQUIRED then admits the member (JoinGroup v4)', async () => {
    const params = { groupId: 'v4', memberId: '', groupInstanceId: null, requireKnownMemberId: true, clientId: 'cl', clientHost: 'h', rebalanceTimeoutMs: 100, sessionTimeoutMs: 1000, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] };
    const first = await c.handleJoinGroup(params);
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^cl-/);
    const second = await c.handleJoinGroup({ ...params, memberId: first.memberId });
    expect(second).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, memberId: first.memberId });
  });

  it('fences a duplicate static member (group.instance.id)', async () => {
    const params = { groupId: 's', memberId: '', groupInstanceId: 'instance-1', requireKnownMemberId: false, clientId: 'cl', clientHost: 'h', rebalanceTimeoutMs: 100, sessionTimeoutMs: 1000, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] };
    const first = await c.handleJoinGroup(params);
    await c.handleSyncGroup('s', 1, first.memberId, 'instance-1', new Map());
    // The same instance restarting without its member id takes over without a rebalance.
    const restarted = await c.handleJoinGroup(params);
    expect(restarted.errorCode).toBe(ErrorCode.NONE);
    expect(restarted.memberId).not.toBe(first.memberId);
    expect(c.manager.getGroup('s')!.currentState).toBe(GroupState.Stable);
    expect(c.handleHeartbeat('s', first.memberId, 'instance-1', 1)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(c.handleHeartbeat('s', restarted.memberId, 'instance-1', 1)).toBe(ErrorCode.NONE);
  });
});
