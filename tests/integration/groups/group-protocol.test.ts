// The group APIs spoken raw (KafkaClient) against one real broker: the error codes Kafka 2.x
// gives for bad input — stale generations, unknown members, empty group ids, unknown topics,
// session timeouts out of range — and the simple-consumer / DeleteGroups paths.
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { DeleteGroups } from '../../../broker/protocol/messages/delete-groups';
import { DescribeGroups } from '../../../broker/protocol/messages/describe-groups';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { Heartbeat } from '../../../broker/protocol/messages/heartbeat';
import { JoinGroup } from '../../../broker/protocol/messages/join-group';
import { LeaveGroup } from '../../../broker/protocol/messages/leave-group';
import { ListGroups } from '../../../broker/protocol/messages/list-groups';
import { OffsetCommit } from '../../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../../broker/protocol/messages/offset-fetch';
import { SyncGroup } from '../../../broker/protocol/messages/sync-group';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

/** A consumer-protocol Subscription v0: version, topics, user data. */
function subscription(topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), Buffer.alloc(4)];
  parts[1].writeInt32BE(topics.length);
  for (const t of topics) {
    const len = Buffer.alloc(2);
    len.writeInt16BE(Buffer.byteLength(t));
    parts.push(len, Buffer.from(t));
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return Buffer.concat(parts);
}

describe('group APIs with raw requests', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  const topic = 'raw-topic';

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 3 } });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'raw-groups' });
    await waitFor('a coordinator', async () => (await client.send(FindCoordinator, 1, { key: 'g', keyType: 0 })).errorCode === ErrorCode.NONE, 30000);
  }, 60000);

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  const join = (groupId: string, memberId = '', version = 3, sessionTimeoutMs = 10000) =>
    client.send(JoinGroup, version, {
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs: 10000,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscription([topic]) }],
    });

  const commit = (groupId: string, generationId: number, memberId: string, topicName = topic, metadata = '') =>
    client.send(OffsetCommit, 2, {
      groupId,
      generationIdOrMemberEpoch: generationId,
      memberId,
      retentionTimeMs: -1,
      topics: [{ name: topicName, partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: metadata }] }],
    });

  test('FindCoordinator answers this broker for groups; for transactions COORDINATOR_NOT_AVAILABLE, one broker being fewer than transaction.state.log.replication.factor (3)', async () => {
    const group = await client.send(FindCoordinator, 2, { key: 'any-group', keyType: 0 });
    expect(group).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 0, port: cluster.brokers[0].port });
    const txn = await client.send(FindCoordinator, 1, { key: 'txn', keyType: 1 });
    expect(txn.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  test('join, sync, commit; stale generation, unknown member, unknown topic and bad input are refused', async () => {
    const g = 'g-raw';
    const joined = await join(g);
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    expect(joined.generationId).toBe(1);
    expect(joined.leader).toBe(joined.memberId);
    expect(joined.members.map((m) => m.memberId)).toEqual([joined.memberId]);
    expect(joined.protocolName).toBe('range');
    const memberId = joined.memberId;
    const synced = await client.send(SyncGroup, 1, { groupId: g, generationId: 1, memberId, assignments: [{ memberId, assignment: Buffer.from('abc') }] });
    expect(synced).toMatchObject({ errorCode: ErrorCode.NONE, assignment: Buffer.from('abc') });

    const errorOf = (r: { topics: { partitions: { errorCode: number }[] }[] }) => r.topics[0].partitions[0].errorCode;
    expect(errorOf(await commit(g, 1, memberId))).toBe(ErrorCode.NONE);
    expect(errorOf(await commit(g, 0, memberId))).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(errorOf(await commit(g, 1, 'nobody'))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(errorOf(await commit(g, 1, memberId, 'no-such-topic'))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(errorOf(await commit(g, 1, memberId, topic, 'x'.repeat(5000)))).toBe(ErrorCode.OFFSET_METADATA_TOO_LARGE);

    expect((await client.send(Heartbeat, 1, { groupId: g, generationId: 1, memberId })).errorCode).toBe(ErrorCode.NONE);
    expect((await client.send(Heartbeat, 1, { groupId: g, generationId: 7, memberId })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await client.send(Heartbeat, 1, { groupId: g, generationId: 1, memberId: 'nobody' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await client.send(Heartbeat, 1, { groupId: '', generationId: 1, memberId })).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await join('')).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await join('g-other', '', 3, 1000)).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await join(g, 'made-up-member')).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const required = await join('g-v4', '', 4);
    expect(required.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(required.memberId).toMatch(/^raw-groups-/);
    expect((await join('g-v4', required.memberId, 4)).errorCode).toBe(ErrorCode.NONE);

    const fetched = await client.send(OffsetFetch, 3, { groupId: g, topics: [{ name: topic, partitionIndexes: [0, 1] }] });
    expect(fetched.errorCode).toBe(ErrorCode.NONE);
    expect(fetched.topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset])).toEqual([[0, 42], [1, -1]]);

    const described = await client.send(DescribeGroups, 1, { groups: [g, 'never-seen'] });
    expect(described.groups[0]).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.groups[0].members[0]).toMatchObject({ memberId, clientId: 'raw-groups', clientHost: '/127.0.0.1', memberAssignment: Buffer.from('abc') });
    expect(described.groups[1]).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Dead', members: [] });
    const listed = await client.send(ListGroups, 1, {});
    expect(listed.groups).toEqual(expect.arrayContaining([{ groupId: g, protocolType: 'consumer' }]));

    const notEmpty = await client.send(DeleteGroups, 1, { groupsNames: [g, 'never-seen'] });
    expect(notEmpty.results).toEqual([
      { groupId: g, errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'never-seen', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect((await client.send(LeaveGroup, 1, { groupId: g, memberId })).errorCode).toBe(ErrorCode.NONE);
    expect((await client.send(LeaveGroup, 1, { groupId: g, memberId })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await waitFor('the group to become empty', async () => (await client.send(DescribeGroups, 1, { groups: [g] })).groups[0].groupState === 'Empty');
    const deleted = await client.send(DeleteGroups, 1, { groupsNames: [g] });
    expect(deleted.results).toEqual([{ groupId: g, errorCode: ErrorCode.NONE }]);
    const after = await client.send(OffsetFetch, 1, { groupId: g, topics: [{ name: topic, partitionIndexes: [0] }] });
    expect(after.topics[0].partitions[0].committedOffset).toBe(-1);
  });

  test('simple consumer commits (generation -1) and OffsetFetch of every offset (topics = null)', async () => {
    const g = 'g-simple';
    const r = await client.send(OffsetCommit, 1, {
      groupId: g,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [{ name: topic, partitions: [{ partitionIndex: 1, committedOffset: 7, commitTimestamp: -1, committedMetadata: null }] }],
    });
    expect(r.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    const all = await client.send(OffsetFetch, 2, { groupId: g, topics: null });
    expect(all.topics).toEqual([{ name: topic, partitions: [{ partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }]);
    // A group that never had members cannot take a commit that claims a generation.
    const claimed = await client.send(OffsetCommit, 2, {
      groupId: 'g-never',
      generationIdOrMemberEpoch: 3,
      memberId: 'm',
      retentionTimeMs: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: '' }] }],
    });
    expect(claimed.topics[0].partitions[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });
});
