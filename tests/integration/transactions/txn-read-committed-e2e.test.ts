// End to end with the transaction coordinator (h/txn-coord): a kafkajs transactional producer
// commits and aborts across two partitions; read_committed consumers (kafkajs readUncommitted:
// false, kcat -X isolation.level=read_committed) see exactly the committed records, in order,
// while read_uncommitted sees everything; an open transaction stays invisible to read_committed
// readers (the LSO holds) until it commits.
import { Partitioners } from 'kafkajs';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'txn-e2e';

async function kcatRows(bootstrap: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const r = await kcat(['-C', '-b', bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%p:%s\n'], { timeoutMs: 60000 });
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const byPartition = (rows: string[], p: number) => rows.filter((r) => r.startsWith(`${p}:`)).map((r) => r.slice(2));

describe('kafkajs transactions end to end, read_committed readers', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: {
        'transaction.state.log.num.partitions': 2,
        'transaction.state.log.replication.factor': 1,
        'transaction.state.log.min.isr': 1,
        'offsets.topic.num.partitions': 2,
        'offsets.topic.replication.factor': 1,
        'group.initial.rebalance.delay.ms': 0,
      },
    });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('commit, abort, commit across two partitions; then an open transaction is held back until it commits', async () => {
    const producer = kafkajs(cluster.bootstrap).producer({
      transactionalId: 'txn-e2e-producer',
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 20, initialRetryTime: 200 },
    });
    await producer.connect();
    const sendIn = async (values: string[], commit: boolean) => {
      const txn = await producer.transaction();
      await txn.send({ topic: TOPIC, messages: values.map((value, i) => ({ value, partition: i % 2 })) });
      if (commit) await txn.commit();
      else await txn.abort();
    };
    await sendIn(['t1-a', 't1-b', 't1-c', 't1-d'], true);
    await sendIn(['t2-a', 't2-b', 't2-c', 't2-d'], false);
    await sendIn(['t3-a', 't3-b'], true);

    const committed = ['t1-a', 't1-b', 't1-c', 't1-d', 't3-a', 't3-b'];
    const everything = [...committed, 't2-a', 't2-b', 't2-c', 't2-d'];
    const rc = await kcatRows(cluster.bootstrap, 'read_committed');
    expect(byPartition(rc, 0)).toEqual(['t1-a', 't1-c', 't3-a']);
    expect(byPartition(rc, 1)).toEqual(['t1-b', 't1-d', 't3-b']);
    const ru = await kcatRows(cluster.bootstrap, 'read_uncommitted');
    expect(byPartition(ru, 0)).toEqual(['t1-a', 't1-c', 't2-a', 't2-c', 't3-a']);
    expect(ru.map((r) => r.slice(2)).sort()).toEqual([...everything].sort());

    const consumer = kafkajs(cluster.bootstrap).consumer({ groupId: 'txn-e2e-reader', readUncommitted: false });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
    try {
      await waitFor('kafkajs read_committed reads the committed records', () => seen.length >= committed.length, 60000, 100);

      // An open transaction: read_committed readers must not get it, nor anything after it.
      const open = await producer.transaction();
      await open.send({ topic: TOPIC, messages: [{ value: 't4-open', partition: 0 }] });
      await new Promise((r) => setTimeout(r, 2000));
      expect(byPartition(await kcatRows(cluster.bootstrap, 'read_committed'), 0)).toEqual(['t1-a', 't1-c', 't3-a']);
      expect(byPartition(await kcatRows(cluster.bootstrap, 'read_uncommitted'), 0)).toContain('t4-open');
      expect(seen).not.toContain('t4-open');
      await open.commit();
      await waitFor('kafkajs read_committed reads the transaction once committed', () => seen.includes('t4-open'), 60000, 100);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
    expect([...seen].sort()).toEqual([...committed, 't4-open'].sort());
    expect(byPartition(await kcatRows(cluster.bootstrap, 'read_committed'), 0)).toEqual(['t1-a', 't1-c', 't3-a', 't4-open']);
  });
});
