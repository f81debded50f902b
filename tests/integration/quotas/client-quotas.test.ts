// Client byte-rate quotas against a real broker, real ZooKeeper and real clients (kafkajs, plus
// Zafka's own KafkaClient for the wire-level checks). Quotas are written to ZooKeeper as Kafka
// 2.4's kafka-configs --zookeeper writes them: /config/<type>/<name> = {"version":1,"config":{..}},
// then a sequential /config/changes/config_change_ = {"version":2,"entity_path":"<type>/<name>"}.
//
// Measuring a rate: Kafka 2.4 measures a client's rate over quota.window.num sampled windows and
// lets a greedy client run ahead by up to (num - 1) windows' worth, then holds it back, so the
// per-second traffic is a sawtooth whose average is the quota. The broker here uses 2 windows of
// 1 s (Kafka's defaults are 11 x 1 s: the same code, but a 10-second head start), and the rate is
// the least-squares slope of bytes-acknowledged over time after the first second, which the
// sawtooth does not bias. Rates are kept far below what the machine can do (256 KB/s - 1 MB/s).
import { Kafka, logLevel } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { Produce } from '../../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { NoNodeError } from '../../../controller/zk/zk-errors';
import { CreateMode, ZooKeeperClient } from '../../../controller/zk/zookeeper-client';
import { TestCluster } from '../../helpers/cluster';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';

registerKafkajsCodecs();

const KB = 1024;
const VALUE = Buffer.alloc(32 * KB, 'q');
/** Two 32 KB records per produce request. */
const MESSAGES = [{ value: VALUE }, { value: VALUE }];

/** A real kafkajs client that also reports the throttle times the broker sent it (KIP-219). */
interface ThrottledKafka {
  kafka: Kafka;
  throttleTimesMs: number[];
}

function kafkajsClient(bootstrap: string, clientId: string): ThrottledKafka {
  const throttleTimesMs: number[] = [];
  const kafka = new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel.DEBUG,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
    // kafkajs logs "Client side throttling in effect for <ms>ms" for each response whose
    // throttle_time_ms > 0 (Produce v6+, Fetch v8+ are throttled client side too).
    logCreator: () => (entry) => {
      const m = /Client side throttling in effect for (\d+)ms/.exec(entry.log.message);
      if (m) throttleTimesMs.push(Number(m[1]));
    },
  });
  return { kafka, throttleTimesMs };
}

/** [ms since start, cumulative bytes] */
type Timeline = Array<[number, number]>;

/** Least-squares slope (bytes per second) of the timeline between fromMs and toMs. */
function rateBetween(timeline: Timeline, fromMs: number, toMs: number): number {
  const points = timeline.filter(([t]) => t >= fromMs && t <= toMs);
  if (points.length < 3) throw new Error(`only ${points.length} points between ${fromMs} and ${toMs} ms`);
  const n = points.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return ((n * sxy - sx * sy) / (n * sxx - sx * sx)) * 1000;
}

/**
 * Produces 64 KB requests (acks=1) back to back until `done` says so; returns the acknowledged
 * bytes over time. `between` runs after each acknowledgement (and may pause the loop).
 */
async function produceUntil(
  client: ThrottledKafka,
  topic: string,
  done: (elapsedMs: number, bytes: number) => boolean,
  between?: (elapsedMs: number) => Promise<void> | void,
): Promise<Timeline> {
  const producer = client.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const timeline: Timeline = [];
  const start = performance.now();
  let bytes = 0;
  try {
    while (!done(performance.now() - start, bytes)) {
      await producer.send({ topic, acks: 1, messages: MESSAGES });
      bytes += 2 * VALUE.length;
      const elapsed = performance.now() - start;
      timeline.push([elapsed, bytes]);
      await between?.(elapsed);
    }
  } finally {
    await producer.disconnect();
  }
  return timeline;
}

const forMs = (durationMs: number) => (elapsedMs: number) => elapsedMs >= durationMs;

const withinPercent = (measured: number, expected: number, percent: number) => Math.abs(measured - expected) <= (expected * percent) / 100;

describe('client quotas (producer_byte_rate / consumer_byte_rate)', () => {
  let cluster: TestCluster;
  let zk: ZooKeeperClient;

  /** What kafka-configs --zookeeper --alter writes: the entity's config, then a change notification. */
  async function writeQuota(entityPath: string, config: Record<string, string>): Promise<void> {
    const path = `/config/${entityPath}`;
    const data = Buffer.from(JSON.stringify({ version: 1, config }));
    try {
      await zk.setData(path, data);
    } catch (e) {
      if (!(e instanceof NoNodeError)) throw e;
      await zk.createRecursive(path, data);
    }
    await zk.create('/config/changes/config_change_', Buffer.from(JSON.stringify({ version: 2, entity_path: entityPath })), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /** Waits until the broker logged that it applied a quota change (Kafka's ClientQuotaManager line). */
  async function brokerApplied(line: string): Promise<void> {
    const deadline = Date.now() + 20000;
    while (!cluster.output(0).includes(line)) {
      if (Date.now() > deadline) throw new Error(`broker never logged "${line}"`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function createTopic(topic: string): Promise<void> {
    const admin = kafkajsClient(cluster.bootstrap, 'admin').kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  }

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 1,
      config: { 'quota.window.num': 2, 'quota.window.size.seconds': 1, 'auto.create.topics.enable': false },
    });
    zk = await ZooKeeperClient.connect(cluster.zkConnect, 10000);
    await createTopic('quota-produce');
    await createTopic('quota-consume');
  });

  afterAll(async () => {
    await zk?.close();
    await cluster?.stop();
  });

  test('a producer with producer_byte_rate 512 KB/s is held to it (throttle_time_ms > 0) while a client without a quota is not throttled', async () => {
    const quota = 512 * KB;
    await writeQuota('clients/slow', { producer_byte_rate: String(quota) });
    await brokerApplied(`Changing PRODUCE quota for client-id slow to ${quota}.0`);

    const slow = kafkajsClient(cluster.bootstrap, 'slow');
    const free = kafkajsClient(cluster.bootstrap, 'free');
    let freeRun: Promise<Timeline> | null = null;
    const timeline = await produceUntil(slow, 'quota-produce', forMs(8000), (elapsed) => {
      // While "slow" is being throttled, "free" sends 4 MB flat out.
      if (elapsed > 2000 && freeRun === null) freeRun = produceUntil(free, 'quota-produce', (_, bytes) => bytes >= 4096 * KB);
    });
    const rate = rateBetween(timeline, 1000, 8000);
    const freeTimeline = await (freeRun as unknown as Promise<Timeline>);
    const freeRate = freeTimeline[freeTimeline.length - 1][1] / (freeTimeline[freeTimeline.length - 1][0] / 1000);
    console.log(
      `client-id quota ${quota} B/s: "slow" measured ${Math.round(rate)} B/s (${slow.throttleTimesMs.length} throttled responses, ` +
        `max ${Math.max(...slow.throttleTimesMs)} ms); "free" ${Math.round(freeRate)} B/s, ${free.throttleTimesMs.length} throttled`,
    );
    expect(withinPercent(rate, quota, 20)).toBe(true);
    expect(slow.throttleTimesMs.length).toBeGreaterThan(0);
    expect(free.throttleTimesMs).toEqual([]);
    // A client held to 512 KB/s would average little more than that over 4 MB (one window head start).
    expect(freeRate).toBeGreaterThan(1.5 * quota);
  });

  test('a consumer with consumer_byte_rate 512 KB/s is held to it (throttled fetches are answered empty)', async () => {
    const quota = 512 * KB;
    // 6 MB to read: more than 8 s at the quota plus the first window's head start.
    await produceUntil(kafkajsClient(cluster.bootstrap, 'filler'), 'quota-consume', (_, bytes) => bytes >= 6 * 1024 * KB);
    await writeQuota('clients/slow-consumer', { consumer_byte_rate: String(quota) });
    await brokerApplied(`Changing FETCH quota for client-id slow-consumer to ${quota}.0`);

    const client = kafkajsClient(cluster.bootstrap, 'slow-consumer');
    const consumer = client.kafka.consumer({ groupId: 'quota-group', maxBytesPerPartition: 64 * KB, maxBytes: 64 * KB, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'quota-consume', fromBeginning: true });
    const timeline: Timeline = [];
    let start = 0;
    let bytes = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (start === 0) start = performance.now();
        bytes += message.value?.length ?? 0;
        timeline.push([performance.now() - start, bytes]);
      },
    });
    const deadline = Date.now() + 40000;
    while ((start === 0 || performance.now() - start < 8000) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    const rate = rateBetween(timeline, 1000, 8000);
    console.log(`consumer quota ${quota} B/s: measured ${Math.round(rate)} B/s (${client.throttleTimesMs.length} throttled responses, max ${Math.max(...client.throttleTimesMs)} ms)`);
    expect(withinPercent(rate, quota, 20)).toBe(true);
    expect(client.throttleTimesMs.length).toBeGreaterThan(0);
  });

  test('raising a quota with a new config znode and notification takes effect on the running client, without restart', async () => {
    const before = 256 * KB;
    const after = 1024 * KB;
    await writeQuota('clients/dyn', { producer_byte_rate: String(before) });
    await brokerApplied(`Changing PRODUCE quota for client-id dyn to ${before}.0`);
    const client = kafkajsClient(cluster.bootstrap, 'dyn');
    let raisedAt = 0;
    const timeline = await produceUntil(
      client,
      'quota-produce',
      (elapsed) => raisedAt > 0 && elapsed >= raisedAt + 7000,
      async (elapsed) => {
        if (raisedAt === 0 && elapsed >= 6000) {
          await writeQuota('clients/dyn', { producer_byte_rate: String(after) });
          await brokerApplied(`Changing PRODUCE quota for client-id dyn to ${after}.0`);
          raisedAt = elapsed;
        }
      },
    );
    const rateBefore = rateBetween(timeline, 1000, 6000);
    const rateAfter = rateBetween(timeline, raisedAt + 2000, raisedAt + 7000);
    console.log(`dynamic change: ${before} B/s -> measured ${Math.round(rateBefore)} B/s; raised to ${after} B/s -> measured ${Math.round(rateAfter)} B/s`);
    expect(withinPercent(rateBefore, before, 20)).toBe(true);
    expect(withinPercent(rateAfter, after, 20)).toBe(true);
  });

  test('a default client-id quota (/config/clients/<default>) applies to a client without its own quota, and removing it lifts it', async () => {
    const quota = 256 * KB;
    await writeQuota('clients/<default>', { producer_byte_rate: String(quota) });
    await brokerApplied(`Changing PRODUCE quota for default client-id to ${quota}.0`);
    const client = kafkajsClient(cluster.bootstrap, 'anyone');
    const timeline = await produceUntil(client, 'quota-produce', forMs(6000));
    const rate = rateBetween(timeline, 1000, 6000);
    console.log(`default client-id quota ${quota} B/s: measured ${Math.round(rate)} B/s (${client.throttleTimesMs.length} throttled responses)`);
    expect(withinPercent(rate, quota, 20)).toBe(true);
    expect(client.throttleTimesMs.length).toBeGreaterThan(0);

    // kafka-configs --delete-config leaves {"version":1,"config":{}} and notifies.
    await writeQuota('clients/<default>', {});
    await brokerApplied('Removing PRODUCE quota for default client-id');
    const other = kafkajsClient(cluster.bootstrap, 'anyone-else');
    const t = await produceUntil(other, 'quota-produce', (_, bytes) => bytes >= 2048 * KB);
    expect(other.throttleTimesMs).toEqual([]);
    expect(t[t.length - 1][1] / (t[t.length - 1][0] / 1000)).toBeGreaterThan(2 * quota);
  });

  test('a default user quota (/config/users/<default>) holds back every client of the user (ANONYMOUS without SASL)', async () => {
    const quota = 256 * KB;
    await writeQuota('users/<default>', { producer_byte_rate: String(quota) });
    await brokerApplied(`Changing PRODUCE quota for default user to ${quota}.0`);
    // Two client ids of the same user share the one user quota.
    const a = kafkajsClient(cluster.bootstrap, 'user-client-a');
    const b = kafkajsClient(cluster.bootstrap, 'user-client-b');
    const [ta, tb] = await Promise.all([produceUntil(a, 'quota-produce', forMs(7000)), produceUntil(b, 'quota-produce', forMs(7000))]);
    const rate = rateBetween(ta, 1000, 7000) + rateBetween(tb, 1000, 7000);
    console.log(`default user quota ${quota} B/s: two clients together measured ${Math.round(rate)} B/s (${a.throttleTimesMs.length + b.throttleTimesMs.length} throttled responses)`);
    expect(withinPercent(rate, quota, 20)).toBe(true);
    await writeQuota('users/<default>', {});
    await brokerApplied('Removing PRODUCE quota for default user');
  });

  test('over quota, Produce v3 and v7 responses carry throttle_time_ms and the connection reads nothing more until it has passed', async () => {
    await writeQuota('clients/raw-slow', { producer_byte_rate: String(256 * KB) });
    await brokerApplied(`Changing PRODUCE quota for client-id raw-slow to ${256 * KB}.0`);
    const value = Buffer.alloc(200 * KB, 'r');
    const records = encodeRecordBatch({ records: [0, 1, 2, 3].map(() => ({ value })) });
    const client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'raw-slow' });
    try {
      for (const version of [3, 7]) {
        const response = await client.send(Produce, version, {
          transactionalId: null,
          acks: 1,
          timeoutMs: 10000,
          topicData: [{ name: 'quota-produce', partitionData: [{ index: 0, records }] }],
        });
        expect(response.responses[0].partitionResponses[0].errorCode).toBe(0);
        const answeredAt = performance.now();
        expect(response.throttleTimeMs).toBeGreaterThan(500);
        // The next request on this connection is only read once the throttle time is over.
        await client.send(ApiVersions, 0, {});
        const mutedMs = performance.now() - answeredAt;
        console.log(`Produce v${version}: throttle_time_ms ${response.throttleTimeMs}, next request answered after ${Math.round(mutedMs)} ms`);
        expect(mutedMs).toBeGreaterThanOrEqual(response.throttleTimeMs * 0.9);
      }
    } finally {
      client.close();
    }
  });

  test('an invalid quota value is refused with one broker log line; the broker keeps serving and applies later changes', async () => {
    await writeQuota('clients/bad', { producer_byte_rate: 'fast' });
    await writeQuota('clients/after-bad', { producer_byte_rate: '1048576' });
    await brokerApplied('Changing PRODUCE quota for client-id after-bad to 1048576.0');
    const errors = cluster.output(0).split('\n').filter((l) => l.includes('producer_byte_rate') && l.includes('"fast"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ERROR');
    const client = kafkajsClient(cluster.bootstrap, 'bad');
    const t = await produceUntil(client, 'quota-produce', (_, bytes) => bytes >= 1024 * KB);
    expect(t.length).toBeGreaterThan(0);
    expect(client.throttleTimesMs).toEqual([]);
  });
});

describe('static default quota (quota.producer.default, deprecated but in Kafka 2.4)', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'quota.producer.default': 256 * KB, 'quota.window.num': 2, 'auto.create.topics.enable': false } });
    const admin = kafkajsClient(cluster.bootstrap, 'admin').kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'static-quota', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function produceOnce(clientId: string): Promise<number> {
    const records = encodeRecordBatch({ records: [0, 1, 2, 3].map(() => ({ value: Buffer.alloc(200 * KB, 's') })) });
    const client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId });
    try {
      const response = await client.send(Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 10000, topicData: [{ name: 'static-quota', partitionData: [{ index: 0, records }] }] });
      expect(response.responses[0].partitionResponses[0].errorCode).toBe(0);
      return response.throttleTimeMs;
    } finally {
      client.close();
    }
  }

  test('every client id is throttled by it; a /config/clients/<client-id> quota overrides it', async () => {
    expect(await produceOnce('any-client')).toBeGreaterThan(500);
    const zk = await ZooKeeperClient.connect(cluster.zkConnect, 10000);
    try {
      await zk.createRecursive('/config/clients/exempt', Buffer.from('{"version":1,"config":{"producer_byte_rate":"104857600"}}'));
      await zk.create('/config/changes/config_change_', Buffer.from('{"version":2,"entity_path":"clients/exempt"}'), CreateMode.PERSISTENT_SEQUENTIAL);
    } finally {
      await zk.close();
    }
    const deadline = Date.now() + 20000;
    while (!cluster.output(0).includes('Changing PRODUCE quota for client-id exempt to 104857600.0') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await produceOnce('exempt')).toBe(0);
  });

  test('quotas already in ZooKeeper apply from start-up (a restarted broker reads /config/clients and /config/users)', async () => {
    const zk = await ZooKeeperClient.connect(cluster.zkConnect, 10000);
    try {
      // A <user, client-id> quota, Kafka's most specific entity: /config/users/<user>/clients/<client-id>.
      await zk.createRecursive('/config/users/ANONYMOUS/clients/user-and-client', Buffer.from('{"version":1,"config":{"producer_byte_rate":"104857600"}}'));
    } finally {
      await zk.close();
    }
    await cluster.stopBroker(0);
    await cluster.startBroker(0);
    expect(cluster.output(0).split('\n').filter((l) => l.includes('Changing PRODUCE quota for client-id exempt to 104857600.0'))).toHaveLength(2);
    expect(cluster.output(0)).toContain('Changing PRODUCE quota for user ANONYMOUS client-id user-and-client to 104857600.0');
    expect(await produceOnce('exempt')).toBe(0);
    expect(await produceOnce('user-and-client')).toBe(0);
    expect(await produceOnce('any-client')).toBeGreaterThan(500);
  });
});
