// OffsetCommit v0 / OffsetFetch v0 keep offsets in ZooKeeper (/consumers/<g>/offsets/<t>/<p>,
// a decimal number), as Kafka 0.8.1 clients expect: raw v0 requests against a real broker, and
// the store itself against ZooKeeper.
import { ZkOffsetStore } from '../../../broker/group/legacy/zk-offset-store';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { OffsetCommit } from '../../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../../broker/protocol/messages/offset-fetch';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { runCli } from '../cli/run-cli';

jest.setTimeout(60000);

describe('OffsetCommit/OffsetFetch v0 through ZooKeeper', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
    const r = await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', 'v0-topic', '--partitions', '2', '--replication-factor', '1']);
    expect(r.code).toBe(0);
    zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
  });
  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  it('the store writes the decimal offset only and reads it back with empty metadata', async () => {
    const store = new ZkOffsetStore(zk, 10);
    expect(await store.fetch('store-g', 't', 0)).toBeNull();
    expect(await store.commit('store-g', 't', 0, 42, 'meta')).toBe(ErrorCode.NONE);
    expect((await zk.zk.getData('/consumers/store-g/offsets/t/0')).data!.toString()).toBe('42');
    expect(await store.fetch('store-g', 't', 0)).toEqual({ offset: 42, metadata: '' });
    expect(await store.commit('store-g', 't', 0, 43, 'x'.repeat(11))).toBe(ErrorCode.OFFSET_METADATA_TOO_LARGE);
    expect(await store.fetch('store-g', 't', 0)).toEqual({ offset: 42, metadata: '' });
    expect(await store.commit('store-g', 't', 0, 44, '')).toBe(ErrorCode.NONE);
    expect(await zk.getConsumerOffset('store-g', 't', 0)).toBe(44);
  });

  it('round-trips raw v0 requests through the broker', async () => {
    const client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port);
    try {
      const commit = await client.send(OffsetCommit, 0, {
        groupId: 'v0-group',
        topics: [{ name: 'v0-topic', partitions: [{ partitionIndex: 0, committedOffset: 17, committedMetadata: 'm' }, { partitionIndex: 1, committedOffset: 5, committedMetadata: null }] }],
      });
      expect(commit.topics[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
      expect((await zk.zk.getData('/consumers/v0-group/offsets/v0-topic/0')).data!.toString()).toBe('17');
      expect((await zk.zk.getData('/consumers/v0-group/offsets/v0-topic/1')).data!.toString()).toBe('5');

      // What an 0.8 consumer wrote to ZooKeeper directly is what v0 fetches.
      await zk.setConsumerOffset('v0-group', 'v0-topic', 1, 99);
      const fetched = await client.send(OffsetFetch, 0, { groupId: 'v0-group', topics: [{ name: 'v0-topic', partitionIndexes: [0, 1] }] });
      expect(fetched.topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata, p.errorCode])).toEqual([
        [0, 17, '', ErrorCode.NONE],
        [1, 99, '', ErrorCode.NONE],
      ]);

      // v0 and v1+ are separate worlds: the coordinator knows nothing of ZooKeeper offsets.
      const v1 = await client.send(OffsetFetch, 1, { groupId: 'v0-group', topics: [{ name: 'v0-topic', partitionIndexes: [0] }] });
      expect(v1.topics[0].partitions[0].committedOffset).toBe(-1);
    } finally {
      client.close();
    }
  });
});
