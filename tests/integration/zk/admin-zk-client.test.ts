// AdminZkClient against a real ZooKeeper: the znodes kafka-topics --zookeeper / CreateTopics write,
// in Kafka's order (config first), and the Kafka error codes for every refusal.
import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { AdminZkClient } from '../../../controller/zk/admin-zk-client';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { freshChroot } from '../../helpers/zookeeper';

const codeOf = async (p: Promise<unknown>) => p.then(() => ErrorCode.NONE, (e: unknown) => (e as KafkaError).code);

describe('AdminZkClient', () => {
  let zk: KafkaZkClient;
  let admin: AdminZkClient;
  const text = async (path: string) => (await zk.zk.getData(path)).data!.toString('utf8');

  beforeAll(async () => {
    zk = await KafkaZkClient.connect(freshChroot('zk-admin'), 6000);
    await zk.createTopLevelPaths();
    for (const id of [0, 1, 2]) {
      await zk.registerBroker({ id, host: 'h', port: 9092 + id, rack: null, endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'h', port: 9092 + id }] });
    }
    admin = new AdminZkClient(zk, { defaultNumPartitions: 2, defaultReplicationFactor: 1 });
  });
  afterAll(() => zk.close());

  it('writes /config/topics/<t> before /brokers/topics/<t>', async () => {
    const assignment = await admin.createTopic('r3', 3, 3, { 'min.insync.replicas': '2' });
    expect(await text('/config/topics/r3')).toBe('{"version":1,"config":{"min.insync.replicas":"2"}}');
    const config = (await zk.zk.exists('/config/topics/r3'))!;
    const topic = (await zk.zk.exists('/brokers/topics/r3'))!;
    expect(config.czxid).toBeLessThan(topic.czxid);
    const stored = JSON.parse(await text('/brokers/topics/r3'));
    expect(Object.keys(stored)).toEqual(['version', 'partitions', 'adding_replicas', 'removing_replicas']);
    expect(stored.partitions).toEqual(Object.fromEntries([...assignment].map(([p, r]) => [String(p), r])));
    for (const replicas of assignment.values()) expect([...replicas].sort()).toEqual([0, 1, 2]);
    // no partition state yet: that is the controller's job
    expect(await zk.zk.exists('/brokers/topics/r3/partitions')).toBeNull();
  });

  it('uses the broker defaults for -1 (KIP-464) and writes an empty config', async () => {
    const a = await admin.createTopic('defaults', -1, -1);
    expect(a.size).toBe(2);
    expect(await text('/config/topics/defaults')).toBe('{"version":1,"config":{}}');
  });

  it('refuses what Kafka refuses, with Kafka\'s error codes', async () => {
    expect(await codeOf(admin.createTopic('r3', 1, 1))).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(await codeOf(admin.createTopic('r3', 1, 9))).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(await codeOf(admin.createTopic('bad name', 1, 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    await admin.createTopic('a.b', 1, 1);
    expect(await codeOf(admin.createTopic('a_b', 1, 1))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(admin.createTopic('p0', 0, 1))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(await codeOf(admin.createTopic('rf4', 1, 4))).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(await codeOf(admin.createTopic('rf0', 1, 0))).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(await codeOf(admin.createTopic('cfg', 1, 1, { 'no.such.config': 'x' }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(admin.createTopic('cfg', 1, 1, { 'retention.ms': 'soon' }))).toBe(ErrorCode.INVALID_CONFIG);
    expect(await codeOf(admin.createTopicWithAssignment('dup', {}, new Map([[0, [1, 1]]])))).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(await codeOf(admin.createTopicWithAssignment('uneven', {}, new Map([[0, [1, 2]], [1, [1]]])))).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(await codeOf(admin.createTopicWithAssignment('gap', {}, new Map([[0, [1]], [2, [1]]])))).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    // none of the refused topics left anything behind
    expect((await zk.getAllTopics()).sort()).toEqual(['a.b', 'defaults', 'r3']);
    expect((await zk.zk.getChildren('/config/topics')).sort()).toEqual(['a.b', 'defaults', 'r3']);
  });

  it('validateOnly writes nothing', async () => {
    await admin.createTopic('dry', 3, 2, {}, { validateOnly: true });
    await admin.createTopicWithAssignment('dry', {}, new Map([[0, [2, 0]]]), { validateOnly: true });
    expect(await zk.topicExists('dry')).toBe(false);
    expect(await zk.zk.exists('/config/topics/dry')).toBeNull();
  });

  it('adds partitions that keep the replication factor, and only grows', async () => {
    const before = (await zk.getReplicaAssignment(['r3'])).get('r3')!;
    const after = await admin.addPartitions('r3', 5);
    expect(after.size).toBe(5);
    for (const p of [0, 1, 2]) expect(after.get(p)).toEqual(before.get(p));
    for (const p of [3, 4]) expect(new Set(after.get(p)).size).toBe(3);
    expect((await zk.getReplicaAssignment(['r3'])).get('r3')).toEqual(after);
    expect(await codeOf(admin.addPartitions('r3', 5))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(await codeOf(admin.addPartitions('r3', 6, [[0, 1, 7]]))).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(await codeOf(admin.addPartitions('nope', 6))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const manual = await admin.addPartitions('r3', 6, [[2, 1, 0]]);
    expect(manual.get(5)).toEqual([2, 1, 0]);
  });

  it('changes topic config with a version-2 change notification', async () => {
    await admin.changeTopicConfig('r3', { 'min.insync.replicas': '2', 'retention.ms': '3600000' });
    const merged = await admin.alterTopicConfig('r3', { 'segment.bytes': '200000' }, ['min.insync.replicas']);
    expect(merged).toEqual({ 'retention.ms': '3600000', 'segment.bytes': '200000' });
    expect(await zk.getEntityConfigs('topics', 'r3')).toEqual(merged);
    const notes = await zk.getConfigChangeNotifications();
    expect(notes.map((n) => n.entityPath)).toEqual(['topics/r3', 'topics/r3']);
    expect(await codeOf(admin.changeTopicConfig('nope', {}))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await codeOf(admin.changeTopicConfig('r3', { 'cleanup.policy': 'shred' }))).toBe(ErrorCode.INVALID_CONFIG);
  });

  it('marks topics for deletion and describes topics', async () => {
    expect(await admin.deleteTopic('defaults')).toBe(true);
    expect(await admin.deleteTopic('defaults')).toBe(false);
    expect(await zk.zk.exists('/admin/delete_topics/defaults')).not.toBeNull();
    expect(await codeOf(admin.deleteTopic('nope'))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const d = (await admin.describeTopic('defaults'))!;
    expect(d.markedForDeletion).toBe(true);
    expect(d.partitions.map((p) => [p.partition, p.leader, p.isr])).toEqual([[0, -1, []], [1, -1, []]]);
    expect(await admin.describeTopic('nope')).toBeNull();
    expect(await admin.listTopics()).toEqual(['a.b', 'defaults', 'r3']);
  });
});
