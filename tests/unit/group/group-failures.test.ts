// What a group does with input that would break its state machine, and with an unexpected
// exception inside one of its deadlines: the request gets an error code, the group is reset
// (members told UNKNOWN_MEMBER_ID, offsets kept), and nothing escapes into the process.
import type { GroupCoordinator, JoinGroupParams } from '../../../broker/group/group-coordinator';
import { GroupMetadata, GroupState } from '../../../broker/group/group-metadata';
import { ErrorCode } from '../../../broker/protocol/errors';
import type { Protocols } from '../../../broker/group/member-metadata';
import { coordinatorOver, FakeOffsetsLog } from './fake-offsets-log';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await tick(5);
  }
};

const params = (protocols: Protocols, memberId = ''): JoinGroupParams => ({
  groupId: 'g',
  memberId,
  groupInstanceId: null,
  requireKnownMemberId: false,
  clientId: 'client',
  clientHost: '/127.0.0.1',
  rebalanceTimeoutMs: 300,
  sessionTimeoutMs: 5000,
  protocolType: 'consumer',
  protocols,
});
const range = (metadata = 'm') => ({ name: 'range', metadata: Buffer.from(metadata) });

describe('group robustness', () => {
  let c: GroupCoordinator;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(() => process.on('uncaughtException', onUncaught));
  afterAll(() => process.off('uncaughtException', onUncaught));

  beforeEach(async () => {
    uncaught.length = 0;
    c = coordinatorOver(new FakeOffsetsLog());
    c.onElection(0);
    await until(() => c.manager.isPartitionOwned(0));
  });

  afterEach(() => c.shutdown());

  it('a JoinGroup listing the same protocol twice gets INCONSISTENT_GROUP_PROTOCOL; the group keeps working', async () => {
    const refused = await c.handleJoinGroup(params([range('a'), range('b')]));
    expect(refused.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const ok = await c.handleJoinGroup(params([range(), { name: 'roundrobin', metadata: Buffer.alloc(0) }]));
    expect(ok).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range' });
    // A known member rejoining with a duplicate is refused too and keeps its place.
    const again = await c.handleJoinGroup(params([range(), range()], ok.memberId));
    expect(again.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(c.manager.getGroup('g')!.has(ok.memberId)).toBe(true);
    expect(uncaught).toEqual([]);
  });

  it('an exception while a rebalance timer completes the join fails that group only; its members rejoin', async () => {
    // A second group on the same coordinator must not notice.
    const other = await c.handleJoinGroup({ ...params([range()]), groupId: 'other' });
    expect(other.errorCode).toBe(ErrorCode.NONE);
    const group = c.manager.addGroup(new GroupMetadata('g', GroupState.Empty));
    const spy = jest.spyOn(group, 'initNextGeneration').mockImplementationOnce(() => {
      throw new Error('injected failure');
    });
    // group.initial.rebalance.delay.ms = 0: the join completes from the InitialDelayedJoin timer.
    const failed = await c.handleJoinGroup(params([range()]));
    expect(spy).toHaveBeenCalled();
    expect(failed.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.currentState).toBe(GroupState.Empty);
    expect(group.size).toBe(0);
    const rejoined = await c.handleJoinGroup(params([range()]));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range' });
    expect(c.manager.getGroup('other')!.currentState).toBe(GroupState.CompletingRebalance);
    expect(uncaught).toEqual([]);
  });

  it('an exception in a session expiry fails the group, keeps its offsets and answers the waiting SyncGroup', async () => {
    const joined = await c.handleJoinGroup({ ...params([range()]), sessionTimeoutMs: 50 });
    const group = c.manager.getGroup('g')!;
    await c.handleSyncGroup('g', 1, joined.memberId, null, new Map([[joined.memberId, Buffer.from('A')]]));
    const commit = await c.handleCommitOffsets('g', joined.memberId, null, 1, [
      { topic: 't', partition: 0, offsetAndMetadata: { offset: 42, leaderEpoch: -1, metadata: '', commitTimestamp: Date.now(), expireTimestamp: null } },
    ]);
    expect([...commit.values()]).toEqual([ErrorCode.NONE]);
    jest.spyOn(group, 'remove').mockImplementationOnce(() => {
      throw new Error('injected failure');
    });
    await until(() => group.size === 0 && group.is(GroupState.Empty));
    expect(c.handleFetchOffsets('g', [{ topic: 't', partition: 0 }]).offsets[0].offset).toBe(42);
    const rejoined = await c.handleJoinGroup(params([range()]));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(uncaught).toEqual([]);
  });
});
