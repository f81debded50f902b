// OffsetDelete (KIP-496) and kafka-consumer-groups --delete-offsets, as Kafka 2.4: an Empty
// group loses exactly the offsets asked for (and they stay gone after a restart: tombstones in
// __consumer_offsets); a live consumer group keeps the offsets of topics it subscribes to
// (GROUP_SUBSCRIBED_TO_TOPIC) but loses the others; unknown topics answer
// UNKNOWN_TOPIC_OR_PARTITION, unknown groups GROUP_ID_NOT_FOUND.
import type { Consumer, Kafka } from 'kafkajs';
import { ClusterClient } from '../../../admin-cli/client/cluster-client';
import { commitOffsets, deleteOffsets, fetchCommittedOffsets } from '../../../admin-cli/groups/coordinator-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';

jest.setTimeout(120000);

describe('OffsetDelete and kafka-consumer-groups --delete-offsets', () => {
  let cluster: TestCluster;
  let admin: ClusterClient;
  let client: Kafka;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 3 } });
    client = kafkajs(cluster.bootstrap);
    const kadmin = client.admin();
    await kadmin.connect();
    await kadmin.createTopics({ waitForLeaders: true, topics: [{ topic: 'od-a', numPartitions: 2 }, { topic: 'od-b', numPartitions: 1 }] });
    await kadmin.disconnect();
    admin = await ClusterClient.connect(cluster.bootstrap, { clientId: 'offset-delete-test' });
  });

  afterAll(async () => {
    admin?.close();
    await cluster?.stop();
  });

  const committed = async (group: string) =>
    [...(await fetchCommittedOffsets(admin, group, null)).values()].map((o) => `${o.topic}:${o.partition}=${o.offset}`).sort();

  test('an Empty group loses exactly the partitions named (one, or all of a topic), also after a broker restart', async () => {
    const codes = await commitOffsets(admin, 'g-empty', [
      { topic: 'od-a', partition: 0, offset: 10 },
      { topic: 'od-a', partition: 1, offset: 11 },
      { topic: 'od-b', partition: 0, offset: 12 },
    ]);
    expect([...codes.values()]).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE]);

    const one = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete-offsets', '--group', 'g-empty', '--topic', 'od-a:0']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Request succeed for deleting offsets with topic od-a:0 group g-empty');
    expect(one.stdout).toMatch(/\nTOPIC\s+PARTITION\s+STATUS\s*\nod-a\s+0\s+Successful/);
    expect(await committed('g-empty')).toEqual(['od-a:1=11', 'od-b:0=12']);

    const whole = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete-offsets', '--group', 'g-empty', '--topic', 'od-b']);
    expect(whole.stdout).toMatch(/od-b\s+0\s+Successful/);
    expect(await committed('g-empty')).toEqual(['od-a:1=11']);

    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    await cluster.waitUntilServing(0);
    admin.close();
    admin = await ClusterClient.connect(cluster.bootstrap, { clientId: 'offset-delete-test' });
    expect(await committed('g-empty')).toEqual(['od-a:1=11']);
  });

  test('unknown topic partitions answer UNKNOWN_TOPIC_OR_PARTITION, an unknown group GROUP_ID_NOT_FOUND, an empty group id INVALID_GROUP_ID', async () => {
    await commitOffsets(admin, 'g-unknown-topic', [{ topic: 'od-a', partition: 1, offset: 5 }]);
    const result = await deleteOffsets(admin, 'g-unknown-topic', [
      { topic: 'od-a', partition: 1 },
      { topic: 'no-such-topic', partition: 0 },
      { topic: 'od-a', partition: 7 },
    ]);
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.partitions).toEqual(
      expect.arrayContaining([
        { topic: 'od-a', partition: 1, errorCode: ErrorCode.NONE },
        { topic: 'no-such-topic', partition: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
        { topic: 'od-a', partition: 7, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
      ]),
    );
    expect(await committed('g-unknown-topic')).toEqual([]);

    const unknownGroup = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete-offsets', '--group', 'no-such-group', '--topic', 'od-a:0']);
    expect(unknownGroup.stdout).toContain("\nError: 'no-such-group' does not exist.");
    expect(unknownGroup.stdout).toMatch(/od-a\s+0\s+Error: org\.apache\.kafka\.common\.errors\.GroupIdNotFoundException: The group id does not exist\./);
    expect((await deleteOffsets(admin, 'no-such-group', [{ topic: 'od-a', partition: 0 }])).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect((await deleteOffsets(admin, '', [{ topic: 'od-a', partition: 0 }])).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);

    const usage = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete-offsets', '--group', 'g']);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr + usage.stdout).toContain('Option --delete-offsets takes the following options: --group, --topic');
  });

  test('a live consumer group keeps the offsets of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC) and loses the others', async () => {
    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic: 'od-b', acks: -1, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();

    const consumer: Consumer = client.consumer({ groupId: 'g-live', maxWaitTimeInMs: 200 });
    let seen = 0;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'od-b', fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async () => void seen++ });
      await waitFor('the live group to read and commit od-b', async () => seen >= 2 && (await committed('g-live')).includes('od-b:0=2'), 60000);

      const result = await deleteOffsets(admin, 'g-live', [{ topic: 'od-b', partition: 0 }, { topic: 'od-a', partition: 0 }]);
      expect(result.errorCode).toBe(ErrorCode.NONE);
      expect(result.partitions).toEqual(
        expect.arrayContaining([
          { topic: 'od-b', partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC },
          { topic: 'od-a', partition: 0, errorCode: ErrorCode.NONE },
        ]),
      );
      expect(await committed('g-live')).toContain('od-b:0=2');

      const cli = await runCli('kafka-consumer-groups', ['--bootstrap-server', cluster.bootstrap, '--delete-offsets', '--group', 'g-live', '--topic', 'od-b']);
      expect(cli.stdout).toContain('\nError: Encounter some partition level error, see the follow-up details:');
      expect(cli.stdout).toMatch(/od-b\s+0\s+Error: org\.apache\.kafka\.common\.errors\.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it\./);
    } finally {
      await consumer.disconnect();
    }
  });
});
