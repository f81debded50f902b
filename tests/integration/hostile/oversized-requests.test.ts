// Oversized and malformed topic requests against a real two-broker cluster: each gets Kafka's error
// at once, nothing is written, and the broker keeps serving (its ZooKeeper session, i.e. the czxid
// of /brokers/ids/<id>, is the same afterwards; kcat still produces and consumes).
//   CreateTopics of 2^24 partitions, or 200,000 manual assignments  -> INVALID_PARTITIONS (37)
//   CreatePartitions to 2^24                                         -> INVALID_PARTITIONS (37)
//   a cluster total above max.partitions                             -> POLICY_VIOLATION (44)
//   CreateTopics assignment naming broker -1                         -> INVALID_REPLICA_ASSIGNMENT (39)
//   CreatePartitions assignments: wrong count, duplicate, unknown or negative broker, empty list,
//     replication factor unlike partition 0's                        -> INVALID_REPLICA_ASSIGNMENT (39)
//   CreatePartitions to the current count                            -> INVALID_PARTITIONS (37)
// And a large legal CreateTopics (1,500 partitions) completes while ApiVersions keeps being answered.
// How long the event loop stalls is measured by tests/bench/topic-creation-bench.ts, not asserted here.
import { ClusterClient } from '../../../admin-cli/client/cluster-client';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { CreatePartitions } from '../../../broker/protocol/messages/create-partitions';
import { CreateTopics } from '../../../broker/protocol/messages/create-topics';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { kcat } from '../../helpers/kcat';
import { waitFor } from '../../helpers/wait';

const HUGE = 2 ** 24;
const MAX_PARTITIONS = 6000;

interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

describe('oversized and malformed topic requests', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  let client: ClusterClient;
  const czxids = new Map<number, number>();

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 2, config: { 'max.partitions': MAX_PARTITIONS, 'auto.create.topics.enable': false } });
    zk = await KafkaZkClient.connect(cluster.zkConnect, 30000);
    for (const b of cluster.brokers) czxids.set(b.id, (await zk.zk.exists(`/brokers/ids/${b.id}`))!.czxid);
    client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'oversized-test', requestTimeoutMs: 120000 });
    expect((await createTopics([{ name: 'small', numPartitions: 1, replicationFactor: 2 }]))[0].errorCode).toBe(ErrorCode.NONE);
  });

  afterAll(async () => {
    client?.close();
    await zk?.close();
    await cluster?.stop();
  });

  async function createTopics(
    topics: { name: string; numPartitions?: number; replicationFactor?: number; assignments?: { partitionIndex: number; brokerIds: number[] }[] }[],
    timeoutMs = 30000,
  ): Promise<TopicResult[]> {
    const { response } = await client.sendToController(CreateTopics, {
      topics: topics.map((t) => ({
        name: t.name,
        numPartitions: t.numPartitions ?? -1,
        replicationFactor: t.replicationFactor ?? -1,
        assignments: t.assignments ?? [],
        configs: [],
      })),
      timeoutMs,
      validateOnly: false,
    });
    return (response as { topics: TopicResult[] }).topics;
  }

  async function createPartitions(name: string, count: number, assignments: number[][] | null): Promise<TopicResult> {
    const { response } = await client.sendToController(CreatePartitions, {
      topics: [{ name, count, assignments: assignments === null ? null : assignments.map((brokerIds) => ({ brokerIds })) }],
      timeoutMs: 30000,
      validateOnly: false,
    });
    return (response as { results: TopicResult[] }).results[0];
  }

  async function partitionCount(topic: string): Promise<number | undefined> {
    return (await zk.getReplicaAssignment([topic])).get(topic)?.size;
  }

  /** Same ZooKeeper sessions as at the start, and kcat can still produce and consume. */
  async function stillHealthy(topic: string): Promise<void> {
    for (const [id, czxid] of czxids) expect((await zk.zk.exists(`/brokers/ids/${id}`))?.czxid).toBe(czxid);
    const line = `after-${Date.now()}`;
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', topic, '-p', '0'], { input: `${line}\n` })).code).toBe(0);
    await waitFor(`${line} consumed`, async () =>
      (await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q'])).stdout.includes(line),
    );
  }

  test('CreateTopics with 2^24 partitions gets INVALID_PARTITIONS at once; nothing is written; the brokers keep their sessions', async () => {
    const started = Date.now();
    const [result] = await createTopics([{ name: 'huge', numPartitions: HUGE, replicationFactor: 1 }]);
    expect(result.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(result.errorMessage).toContain('16777216 partitions');
    expect(Date.now() - started).toBeLessThan(10000); // milliseconds in practice; 16 s before the limit
    expect(await zk.topicExists('huge')).toBe(false);
    await stillHealthy('small');
  });

  test('CreateTopics with 200,000 manual assignments gets INVALID_PARTITIONS; nothing is written', async () => {
    const assignments = Array.from({ length: 200000 }, (_, p) => ({ partitionIndex: p, brokerIds: [1] }));
    const [result] = await createTopics([{ name: 'huge-manual', assignments }]);
    expect(result.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(await zk.topicExists('huge-manual')).toBe(false);
  });

  test('CreatePartitions to 2^24 gets INVALID_PARTITIONS at once; the topic keeps its partition count', async () => {
    const started = Date.now();
    const result = await createPartitions('small', HUGE, null);
    expect(result.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(Date.now() - started).toBeLessThan(10000); // over 5 minutes and 4.5 GB before the limit
    expect(await partitionCount('small')).toBe(1);
    await stillHealthy('small');
  });

  test('a cluster total above max.partitions gets POLICY_VIOLATION (CreateTopics and CreatePartitions)', async () => {
    const [topic] = await createTopics([{ name: 'over-cap', numPartitions: MAX_PARTITIONS, replicationFactor: 1 }]);
    expect(topic.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(topic.errorMessage).toContain(`max.partitions=${MAX_PARTITIONS}`);
    expect(await zk.topicExists('over-cap')).toBe(false);
    // 'small' has 1 partition: growing it to MAX_PARTITIONS + 1 passes the cap by exactly one.
    const grown = await createPartitions('small', MAX_PARTITIONS + 1, null);
    expect(grown.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(await partitionCount('small')).toBe(1);
  });

  test('CreateTopics with a manual assignment naming broker -1 gets INVALID_REPLICA_ASSIGNMENT; nothing is written', async () => {
    const [result] = await createTopics([{ name: 'negative', assignments: [{ partitionIndex: 0, brokerIds: [1, -1] }] }]);
    expect(result.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(await zk.topicExists('negative')).toBe(false);
  });

  test.each([
    ['fewer assignment lists than new partitions', 3, [[1, 2]]],
    ['more assignment lists than new partitions', 2, [[1, 2], [2, 1]]],
    ['a broker named twice', 2, [[1, 1]]],
    ['an unknown broker', 2, [[1, 7]]],
    ['a negative broker id', 2, [[1, -1]]],
    ['an empty replica list', 2, [[]]],
    ['a replication factor unlike partition 0', 2, [[1]]],
  ])('CreatePartitions with %s gets INVALID_REPLICA_ASSIGNMENT; the topic keeps its partitions', async (_what, count, assignments) => {
    const result = await createPartitions('small', count as number, assignments as number[][]);
    expect(result.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(await partitionCount('small')).toBe(1);
  });

  test('CreatePartitions to the current count gets INVALID_PARTITIONS', async () => {
    const result = await createPartitions('small', 1, null);
    expect(result.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(result.errorMessage).toBe('Topic already has 1 partitions.');
  });

  test('a large legal CreateTopics (1,500 partitions) completes while ApiVersions keeps being answered', async () => {
    const metadata = await client.refreshMetadata([]);
    const probe = await KafkaClient.connect('127.0.0.1', cluster.broker(metadata.controllerId).port, { clientId: 'probe' });
    let answered = 0;
    let longest = 0;
    let done = false;
    const probing = (async () => {
      while (!done) {
        const t = Date.now();
        await probe.send(ApiVersions, 0, {}, { timeoutMs: 60000 });
        longest = Math.max(longest, Date.now() - t);
        answered++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const [result] = await createTopics([{ name: 'large', numPartitions: 1500, replicationFactor: 1 }], 150000);
      expect(result.errorCode).toBe(ErrorCode.NONE);
    } finally {
      done = true;
      await probing;
      probe.close();
    }
    expect(answered).toBeGreaterThan(5);
    // A bound that only a loop held for most of a ZooKeeper session (6 s here) would break.
    expect(longest).toBeLessThan(5000);
    expect(await partitionCount('large')).toBe(1500);
    await stillHealthy('large');
    const last = `last-${Date.now()}`;
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', 'large', '-p', '1499'], { input: `${last}\n` })).code).toBe(0);
    await waitFor('partition 1499 consumed', async () =>
      (await kcat(['-C', '-b', cluster.bootstrap, '-t', 'large', '-p', '1499', '-o', 'beginning', '-e', '-q'])).stdout.includes(last),
    );
  }, 240000);
});
