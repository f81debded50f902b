// kafkajs consumer groups against one real broker: partitions are shared out without overlap,
// rebalanced when a member leaves or dies, and committed offsets survive a consumer restart.
import { spawn } from 'child_process';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { REPO_ROOT, TestCluster } from '../../helpers/cluster';
import { kcat } from '../../helpers/kcat';
import { DEFAULT_PARTITIONER, kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

const SESSION = { sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 8000, ...TEST_CONSUMER_FETCH };

interface Member {
  consumer: Consumer;
  assigned: () => number[];
}

/** Starts a group consumer; remembers its latest assignment and every value it consumed. */
async function startMember(client: Kafka, groupId: string, topic: string, seen: string[]): Promise<Member> {
  const consumer = client.consumer({ groupId, ...SESSION, retry: { retries: 10 } });
  let assignment: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assignment = (e.payload.memberAssignment[topic] ?? []).slice().sort((a, b) => a - b);
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      seen.push(message.value!.toString());
    },
  });
  return { consumer, assigned: () => assignment };
}

// A kafkajs group member in its own process, so that the test can kill it without a LeaveGroup.
const CHILD_CONSUMER = `
const { Kafka, logLevel } = require('kafkajs');
const [bootstrap, groupId, topic] = process.argv.slice(1);
const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId, sessionTimeout: ${SESSION.sessionTimeout}, heartbeatInterval: ${SESSION.heartbeatInterval}, rebalanceTimeout: ${SESSION.rebalanceTimeout}, maxWaitTimeInMs: ${SESSION.maxWaitTimeInMs} });
consumer.on(consumer.events.GROUP_JOIN, (e) => console.log('JOINED ' + JSON.stringify(e.payload.memberAssignment[topic] || [])));
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
})();
`;

describe('consumer groups (kafkajs, one broker)', () => {
  let cluster: TestCluster;
  let client: Kafka;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 5 } });
    client = kafkajs(cluster.bootstrap);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function createTopic(topic: string, numPartitions: number): Promise<void> {
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    await admin.disconnect();
  }

  async function produce(topic: string, values: string[]): Promise<void> {
    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
    await producer.disconnect();
  }

  test('three members share six partitions; a leaving member is rebalanced away; nothing is skipped', async () => {
    const topic = 'six';
    await createTopic(topic, 6);
    const values = Array.from({ length: 120 }, (_, i) => `v${i}`);
    await produce(topic, values);

    const seen: string[] = [];
    const members: Member[] = [];
    for (let i = 0; i < 3; i++) members.push(await startMember(client, 'g-three', topic, seen));
    const covered = (ms: Member[]) => {
      const all = ms.flatMap((m) => m.assigned());
      return all.length === 6 && new Set(all).size === 6 && ms.every((m) => m.assigned().length > 0);
    };
    await waitFor('three members covering six partitions', () => covered(members), 30000);
    await waitFor('every record consumed', () => values.every((v) => seen.includes(v)), 20000);

    await members[0].consumer.disconnect(); // LeaveGroup
    await waitFor('two members covering six partitions', () => covered(members.slice(1)) && members.slice(1).every((m) => m.assigned().length === 3), 30000);
    const more = Array.from({ length: 60 }, (_, i) => `w${i}`);
    await produce(topic, more);
    await waitFor('records after the rebalance consumed', () => more.every((v) => seen.includes(v)), 20000);
    for (const m of members.slice(1)) await m.consumer.disconnect();
  }, 120000);

  test('committed offsets are honoured when a consumer restarts', async () => {
    const topic = 'restart';
    await createTopic(topic, 2);
    await produce(topic, Array.from({ length: 20 }, (_, i) => `a${i}`));
    const first: string[] = [];
    const m1 = await startMember(client, 'g-restart', topic, first);
    await waitFor('first batch consumed', () => first.length >= 20, 30000);
    await m1.consumer.disconnect(); // commits on the way out

    await produce(topic, Array.from({ length: 10 }, (_, i) => `b${i}`));
    const second: string[] = [];
    const m2 = await startMember(client, 'g-restart', topic, second);
    await waitFor('second batch consumed', () => second.length >= 10, 30000);
    await new Promise((r) => setTimeout(r, 500));
    expect(second.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`).sort());
    await m2.consumer.disconnect();
  }, 90000);

  test('a member that dies without leaving is removed after its session timeout', async () => {
    const topic = 'crash';
    await createTopic(topic, 6);
    const seen: string[] = [];
    const child = spawn(process.execPath, ['-e', CHILD_CONSUMER, cluster.bootstrap, 'g-crash', topic], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let childOut = '';
    child.stdout!.on('data', (d) => (childOut += d));
    try {
      await waitFor('the child member to join', () => childOut.includes('JOINED'), 30000);
      const members = [await startMember(client, 'g-crash', topic, seen), await startMember(client, 'g-crash', topic, seen)];
      const sizes = () => members.map((m) => m.assigned().length);
      await waitFor('three members sharing six partitions', () => sizes().every((n) => n === 2), 30000);
      child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor('two members covering six partitions', () => sizes().every((n) => n === 3) && new Set(members.flatMap((m) => m.assigned())).size === 6, 30000);
      // Not before the dead member's session could expire.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(SESSION.sessionTimeout - 1000);
      const values = Array.from({ length: 30 }, (_, i) => `c${i}`);
      await produce(topic, values);
      await waitFor('records consumed by the survivors', () => values.every((v) => seen.includes(v)), 20000);
      for (const m of members) await m.consumer.disconnect();
    } finally {
      child.kill('SIGKILL');
    }
  }, 120000);

  test('kcat -G (librdkafka balanced consumer) consumes and commits', async () => {
    const topic = 'kcat-group';
    await createTopic(topic, 3);
    const values = Array.from({ length: 30 }, (_, i) => `k${i}`);
    await produce(topic, values);
    const r = await kcat(['-b', cluster.bootstrap, '-G', 'g-kcat', '-o', 'beginning', '-c', '30', '-q', '-f', '%s\\n', topic], { timeoutMs: 60000 });
    expect(r.stdout.split('\n').filter((l) => l !== '').sort()).toEqual([...values].sort());
    // The group's offsets were committed to __consumer_offsets: a kafkajs admin sees them.
    const admin = client.admin();
    await admin.connect();
    const offsets = await waitFor('committed offsets', async () => {
      const o = await admin.fetchOffsets({ groupId: 'g-kcat', topics: [topic] });
      const parts = o[0].partitions;
      return parts.reduce((n, p) => n + Number(p.offset), 0) === 30 ? parts : undefined;
    }, 20000);
    expect(offsets).toHaveLength(3);
    await admin.disconnect();
  }, 90000);
});
