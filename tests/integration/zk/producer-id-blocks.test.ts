// Producer id blocks against a real ZooKeeper: the JSON Kafka 2.4 writes to
// /latest_producer_id_block, block after block, and brokers allocating at the same moment never
// hand out the same id (conditional setData on the znode's version).
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { ProducerIdManager } from '../../../broker/transaction/producer-id-manager';
import { freshChroot } from '../../helpers/zookeeper';

const SESSION_MS = 6000;

describe('producer id blocks in /latest_producer_id_block', () => {
  const clients: KafkaZkClient[] = [];
  const open = async (connect: string) => {
    const c = await KafkaZkClient.connect(connect, SESSION_MS);
    clients.push(c);
    await c.createTopLevelPaths();
    return c;
  };
  afterAll(async () => {
    for (const c of clients) await c.close();
  });

  test('the first block is 0-999 in Kafka\'s JSON; the 1001st id claims 1000-1999', async () => {
    const zk = await open(freshChroot('pid-blocks'));
    const manager = new ProducerIdManager(3, zk);
    expect(await manager.generateProducerId()).toBe(0);
    expect((await zk.zk.getData('/latest_producer_id_block')).data?.toString()).toBe('{"version":1,"broker":3,"block_start":"0","block_end":"999"}');
    for (let i = 1; i < 1000; i++) expect(await manager.generateProducerId()).toBe(i);
    expect(await manager.generateProducerId()).toBe(1000);
    const { data, stat } = await zk.zk.getData('/latest_producer_id_block');
    expect(data?.toString()).toBe('{"version":1,"broker":3,"block_start":"1000","block_end":"1999"}');
    expect(stat.version).toBe(2);
  });

  test('continues after a block a Kafka broker wrote', async () => {
    const zk = await open(freshChroot('pid-blocks-kafka'));
    await zk.zk.setData('/latest_producer_id_block', Buffer.from('{"version":1,"broker":0,"block_start":"5000","block_end":"5999"}'), -1);
    expect(await new ProducerIdManager(1, zk).generateProducerId()).toBe(6000);
  });

  test('four brokers allocating 2500 ids each at the same time never hand out the same id', async () => {
    const connect = freshChroot('pid-blocks-race');
    const managers = await Promise.all([1, 2, 3, 4].map(async (id) => new ProducerIdManager(id, await open(connect))));
    const ids = await Promise.all(managers.map((m) => Promise.all(Array.from({ length: 2500 }, () => m.generateProducerId()))));
    const all = ids.flat();
    expect(new Set(all).size).toBe(10000);
    // Each broker needed 3 blocks: 12 claims, each one block past the previous (none claimed twice).
    const { data, stat } = await clients[clients.length - 1].zk.getData('/latest_producer_id_block');
    expect(JSON.parse(data!.toString()).block_end).toBe('11999');
    expect(stat.version).toBe(12);
    expect(Math.max(...all)).toBeLessThanOrEqual(11999);
    for (const list of ids) for (let i = 1; i < list.length; i++) expect(list[i]).toBeGreaterThan(list[i - 1]);
  });

  test('a damaged znode is refused (no id handed out) rather than read as garbage', async () => {
    const zk = await open(freshChroot('pid-blocks-damaged'));
    await zk.zk.setData('/latest_producer_id_block', Buffer.from('{"version":1,"broker":0,"block_start":"x","block_end":"999"}'), -1);
    await expect(new ProducerIdManager(1, zk).generateProducerId()).rejects.toThrow(/latest_producer_id_block/);
  });
});
