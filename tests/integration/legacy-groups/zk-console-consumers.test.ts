// Two old-style (ZooKeeper-coordinated) console consumers in one group: they split the topic's
// partitions by Kafka 0.8's range assignment through /consumers/<g>/ids and /owners, and when one
// exits the other takes over its partitions from the offsets it committed to ZooKeeper.
import { ConsumerGroupZkClient } from '../../../controller/zk/consumer-group-zk-client';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../cli/run-cli';
import { partitionLines, startTool, type RunningTool } from './legacy-process';

jest.setTimeout(120000);

const TOPIC = 'legacy-split';
const GROUP = 'legacy-g1';

describe('ZooKeeper-coordinated console consumers', () => {
  let cluster: TestCluster;
  let zk: KafkaZkClient;
  let groups: ConsumerGroupZkClient;
  const running: RunningTool[] = [];

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
    const r = await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', TOPIC, '--partitions', '4', '--replication-factor', '1']);
    expect(r.code).toBe(0);
    zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
    groups = new ConsumerGroupZkClient(zk);
  });
  afterAll(async () => {
    for (const t of running) await t.stop('SIGKILL');
    await zk?.close();
    await cluster?.stop();
  });

  const owners = async () => groups.getPartitionOwners(GROUP, TOPIC);
  const consumer = () => {
    const t = startTool('kafka-console-consumer', [
      '--zookeeper', cluster.zkConnect, '--topic', TOPIC, '--group', GROUP, '--from-beginning',
      '--property', 'print.partition=true', '--consumer-property', 'rebalance.backoff.ms=500', '--consumer-property', 'rebalance.max.retries=20',
    ]);
    running.push(t);
    return t;
  };
  const produce = async (prefix: string) => {
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (let p = 0; p < 4; p++) {
      await producer.send({ topic: TOPIC, messages: Array.from({ length: 10 }, (_, i) => ({ partition: p, value: `${prefix}-p${p}-${i}` })) });
    }
    await producer.disconnect();
  };

  it('split partitions by range assignment and rebalance when one exits', async () => {
    const a = consumer();
    await waitFor('the first consumer to own all 4 partitions', async () => (await owners()).size === 4, 30000);
    const b = consumer();
    const split = await waitFor('two consumers with two partitions each', async () => {
      const o = await owners();
      const distinct = new Set(o.values());
      return o.size === 4 && distinct.size === 2 ? o : null;
    }, 30000);

    const members = await groups.getConsumersInGroup(GROUP);
    expect(members).toHaveLength(2);
    // Range assignment: the first consumer id (sorted) gets partitions 0-1, the second 2-3.
    expect(split.get(0)).toBe(`${members[0]}-0`);
    expect(split.get(1)).toBe(`${members[0]}-0`);
    expect(split.get(2)).toBe(`${members[1]}-0`);
    expect(split.get(3)).toBe(`${members[1]}-0`);
    const reg = JSON.parse((await zk.zk.getData(`/consumers/${GROUP}/ids/${members[0]}`)).data!.toString());
    expect(reg).toMatchObject({ version: 1, subscription: { [TOPIC]: 1 }, pattern: 'static' });
    expect(Object.keys(reg)).toEqual(['version', 'subscription', 'pattern', 'timestamp']);

    await produce('r1');
    const total = () => partitionLines(a.stdout()).length + partitionLines(b.stdout()).length;
    await waitFor('both consumers to print all 40 records', () => total() >= 40, 30000);
    const firstOwner = [a, b].find((t) => partitionLines(t.stdout()).some(([p]) => p === 0))!;
    const second = firstOwner === a ? b : a;
    expect(new Set(partitionLines(firstOwner.stdout()).map(([p]) => p))).toEqual(new Set([0, 1]));
    expect(new Set(partitionLines(second.stdout()).map(([p]) => p))).toEqual(new Set([2, 3]));

    // One exits: it commits, releases its partitions and deregisters; the other takes all four.
    expect(await second.stop()).toBe(0);
    expect(second.stderr()).toContain('Processed a total of 20 messages');
    const survivorId = split.get(0)!;
    await waitFor('the survivor to own all 4 partitions', async () => {
      const o = await owners();
      return o.size === 4 && [...o.values()].every((v) => v === survivorId);
    }, 30000);
    await produce('r2');
    await waitFor('the survivor to print the second round', () => partitionLines(firstOwner.stdout()).filter(([, v]) => v.startsWith('r2')).length >= 40, 30000);
    const values = partitionLines(firstOwner.stdout()).map(([, v]) => v);
    expect(new Set(values).size).toBe(values.length); // nothing read twice
    expect(values.filter((v) => v.startsWith('r1'))).toHaveLength(20);

    expect(await firstOwner.stop()).toBe(0);
    const offsets = await groups.getGroupOffsets(GROUP);
    expect([...offsets.get(TOPIC)!.entries()].sort()).toEqual([[0, 20], [1, 20], [2, 20], [3, 20]]);
    expect(await groups.getConsumersInGroup(GROUP)).toEqual([]);
    expect((await owners()).size).toBe(0);
  });
});
