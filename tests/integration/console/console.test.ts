// The Zafka Console against a real 3-broker cluster, driven in Debian's chromium (headless,
// puppeteer-core; nothing downloads a browser). One cluster, one console and one browser for the
// whole file. Screenshots of each page go to tests/artifacts/console/ (gitignored).
import * as fs from 'fs';
import * as path from 'path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { REPO_ROOT, TestCluster } from '../../helpers/cluster';
import { startConsoleProcess, type ConsoleProcess } from '../../helpers/console-process';
import { kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { waitFor } from '../../helpers/wait';

// Functions passed to page.evaluate run in the browser; these stand in for the DOM types there.
declare const document: { querySelector(s: string): { textContent: string | null; className: string } | null };
declare const location: { hash: string };

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p)) ?? 'chromium';
const ARTIFACTS = path.join(REPO_ROOT, 'tests/artifacts/console');
const UI_TIMEOUT = 30000;

let cluster: TestCluster;
let zk: KafkaZkClient;
let console_: ConsoleProcess;
let browser: Browser;
let page: Page;

async function open(hash: string): Promise<void> {
  await page.goto(`${console_.url}/#${hash}`, { waitUntil: 'domcontentloaded' });
  // Same-document hash changes do not reload: make sure the router sees this one.
  await page.evaluate((h) => {
    if (location.hash !== `#${h}`) location.hash = h;
  }, hash);
}

function waitText(selector: string, text: string | RegExp, timeout = UI_TIMEOUT): Promise<unknown> {
  const pattern = typeof text === 'string' ? { s: text } : { r: text.source };
  return page.waitForFunction(
    (sel: string, p: { s?: string; r?: string }) => {
      const el = document.querySelector(sel);
      const t = el?.textContent ?? '';
      return p.s !== undefined ? t.includes(p.s) : new RegExp(p.r!).test(t);
    },
    { timeout, polling: 200 },
    selector,
    pattern,
  );
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs a form's action and confirms the dialog; resolves with the result box's text. */
async function submitAndConfirm(formSelector: string): Promise<string> {
  await page.click(`${formSelector} button`);
  await page.waitForSelector('dialog#confirm[open]', { timeout: UI_TIMEOUT });
  const cli = await page.$eval('#confirm-cli', (e) => e.textContent ?? '');
  await page.click('#confirm-ok');
  await page.waitForFunction((sel: string) => /\b(ok|error)\b/.test(document.querySelector(`${sel} .result`)?.className ?? ''), { timeout: 60000 }, formSelector);
  const result = await page.$eval(`${formSelector} .result`, (e) => `${e.className}|${e.textContent}`);
  return `${cli}\n${result}`;
}

async function api(pathname: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${console_.url}${pathname}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  cluster = await TestCluster.start({ brokers: 3 });
  zk = await KafkaZkClient.connect(cluster.zkConnect, 30000, { name: 'console-test' });
  console_ = await startConsoleProcess(['--zookeeper', cluster.zkConnect, '--refresh-ms', '1000']);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
}, 180000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await console_?.stop();
  await zk?.close().catch(() => undefined);
  await cluster?.stop();
});

test('the cluster page lists the three brokers and the controller', async () => {
  await open('/cluster');
  for (const id of [1, 2, 3]) await page.waitForSelector(`#brokers tr[data-broker="${id}"]`, { timeout: UI_TIMEOUT });
  const controller = await zk.getControllerId();
  await waitText(`#brokers tr[data-broker="${controller}"]`, 'controller');
  const rows = await page.$$eval('#brokers tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
  expect(rows).toHaveLength(3);
  for (const b of cluster.brokers) expect(rows.join('\n')).toContain(`127.0.0.1:${b.port}`);
  await shot('cluster');
});

test('creating a topic from the page creates it in ZooKeeper', async () => {
  await open('/actions');
  await page.waitForSelector('#create-topic input[name=topic]', { timeout: UI_TIMEOUT });
  await page.type('#create-topic input[name=topic]', 'from-console');
  await page.$eval('#create-topic input[name=partitions]', (e) => ((e as unknown as { value: string }).value = '3'));
  await page.$eval('#create-topic input[name=replicationFactor]', (e) => ((e as unknown as { value: string }).value = '3'));
  await page.type('#create-topic textarea[name=configs]', 'min.insync.replicas=2');
  const outcome = await submitAndConfirm('#create-topic');
  expect(outcome).toContain('bin/kafka-topics.sh --zookeeper');
  expect(outcome).toContain('--create --topic from-console --partitions 3 --replication-factor 3 --config min.insync.replicas=2');
  expect(outcome).toContain('result ok|Created topic from-console');
  expect(await zk.topicExists('from-console')).toBe(true);
  const assignment = (await zk.getReplicaAssignment(['from-console'])).get('from-console')!;
  expect([...assignment.values()].every((r) => r.length === 3)).toBe(true);
  expect(await zk.getEntityConfigs('topics', 'from-console')).toEqual({ 'min.insync.replicas': '2' });
  await shot('actions');
  await open('/topics');
  await waitText('#topics tbody', 'from-console');
  await shot('topics');
});

test('the message browser shows records produced by kcat (text, pretty JSON, headers) and follows new ones', async () => {
  const b = cluster.bootstrap;
  const input = 'k1\t{"order":1,"items":["a","b"]}\nk2\tplain text value\n';
  const produced = await kcat(['-P', '-b', b, '-t', 'from-console', '-p', '0', '-K', '\t', '-H', 'source=kcat'], { input });
  expect(produced.code).toBe(0);
  await open('/topics/from-console/messages?partition=0');
  await waitText('#records tbody', 'plain text value');
  const value = await page.$eval('#records tbody tr[data-offset="0"] td.value', (e) => e.innerHTML);
  expect(value).toContain('<pre class="json">');
  expect(value).toContain('"order": 1');
  const row = await page.$eval('#records tbody tr[data-offset="0"]', (e) => e.textContent ?? '');
  expect(row).toContain('k1');
  expect(row).toContain('source');
  expect(row).toContain('kcat');
  await page.select('#browse select[name=mode]', 'hex');
  await waitText('#records tbody tr[data-offset="1"] td.value', '70 6c 61 69 6e'); // "plain"
  await page.select('#browse select[name=mode]', 'auto');
  await shot('messages');
  await page.click('#browse input[name=follow]');
  expect((await kcat(['-P', '-b', b, '-t', 'from-console', '-p', '0', '-K', '\t'], { input: 'k3\tarrived later\n' })).code).toBe(0);
  await waitText('#records tbody', 'arrived later');
});

test("a group's lag appears on the page and falls to zero as it consumes", async () => {
  const topic = 'lagging';
  const kafka = kafkajs(cluster.bootstrap, 'console-lag');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const send = (from: number) => producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });
  const consumeAll = async (expected: number) => {
    const consumer = kafka.consumer({ groupId: 'lag-group', ...TEST_CONSUMER_FETCH });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    await waitFor(`${expected} records consumed`, () => seen >= expected, 60000);
    // Let the last offsets be committed before leaving.
    await consumer.commitOffsets([]).catch(() => undefined);
    await consumer.disconnect();
  };
  await send(0);
  await consumeAll(100);
  await send(100);
  await open('/groups/kafka/lag-group');
  await waitText('#total-lag', '100');
  const partitions = await page.$$eval('#lags tbody tr', (trs) => trs.length);
  expect(partitions).toBe(2);
  await shot('group-lagging');
  await consumeAll(100);
  await waitText('#total-lag', /^0$/);
  await producer.disconnect();
  await open('/groups');
  await waitText('#groups tbody', 'lag-group');
  await shot('groups');
});

test('resetting a group to earliest from its page brings the lag back', async () => {
  await open('/groups/kafka/lag-group');
  await page.waitForSelector('#reset select[name=to]', { timeout: UI_TIMEOUT });
  await page.select('#reset select[name=to]', 'earliest');
  const outcome = await submitAndConfirm('#reset');
  expect(outcome).toContain('bin/kafka-consumer-groups.sh --bootstrap-server');
  expect(outcome).toContain('--reset-offsets --group lag-group --all-topics --to-earliest --execute');
  expect(outcome).toContain('result ok|Offsets of group lag-group reset.');
  await waitText('#total-lag', /^200$/);
});

test('a legacy group (offsets in ZooKeeper) shows its lag and its offsets migrate into Kafka from its page', async () => {
  // What an old (0.8) consumer writes when it commits: /consumers/<group>/offsets/<topic>/<partition>.
  await zk.setConsumerOffset('legacy-group', 'lagging', 0, 10);
  await zk.setConsumerOffset('legacy-group', 'lagging', 1, 20);
  await open('/groups');
  await waitText('#groups tbody', 'ZooKeeper (legacy)');
  await open('/groups/zookeeper/legacy-group');
  const ends = (await api('/api/topics/lagging')).body.partitions as Array<{ logEndOffset: number }>;
  await waitText('#total-lag', new RegExp(`^${(ends[0].logEndOffset - 10 + ends[1].logEndOffset - 20).toLocaleString('en-US')}$`));
  await page.waitForSelector('#migrate button', { timeout: UI_TIMEOUT });
  const outcome = await submitAndConfirm('#migrate');
  expect(outcome).toContain('bin/kafka-migrate-offsets.sh --zookeeper');
  expect(outcome).toContain('--group legacy-group');
  expect(outcome).toContain('result ok|Migrated 2 partition offset(s) of legacy-group into Kafka');
  await shot('legacy-group');
  const migrated = await waitFor('the migrated group in Kafka', async () => {
    const r = await api('/api/groups/kafka/legacy-group');
    return r.status === 200 ? (r.body.partitions as Array<{ partition: number; committed: number }>) : null;
  }, 30000, 500);
  expect(migrated.map((p) => [p.partition, p.committed])).toEqual([[0, 10], [1, 20]]);
});

test('a reassignment generated and run from the console completes, and its progress is shown', async () => {
  const post = (name: string, body: unknown) => api(`/api/actions/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const before = (await zk.getReplicaAssignment(['lagging'])).get('lagging')!;
  const generated = await post('generate-reassignment', { topics: 'lagging', brokers: '1,2,3' });
  expect(generated.status).toBe(200);
  const proposedJson = (generated.body.details as { proposed: string }).proposed;
  const proposed = JSON.parse(proposedJson) as { partitions: Array<{ topic: string; partition: number; replicas: number[] }> };
  // Make sure the plan moves something: swap the replica order of partition 0 if it equals today's.
  const p0 = proposed.partitions.find((p) => p.partition === 0)!;
  if (JSON.stringify(p0.replicas) === JSON.stringify(before.get(0))) p0.replicas.reverse();
  const executed = await post('execute-reassignment', { json: JSON.stringify(proposed) });
  expect(executed.status).toBe(200);
  expect(executed.body.cli).toContain('bin/kafka-reassign-partitions.sh --zookeeper');
  await open('/actions');
  await waitFor('the reassignment to complete', async () => {
    const r = await api('/api/reassignment');
    const statuses = Object.values(r.body.statuses as Record<string, string>);
    return statuses.length === proposed.partitions.length && statuses.every((x) => x === 'completed');
  }, 90000, 500);
  await waitText('#progress', `${proposed.partitions.length} of ${proposed.partitions.length} partition(s) completed`);
  await shot('reassignment');
  const after = (await zk.getReplicaAssignment(['lagging'])).get('lagging')!;
  for (const p of proposed.partitions) expect(after.get(p.partition)).toEqual(p.replicas);
}, 120000);

test('the message browser starts from a timestamp', async () => {
  const r = await api(`/api/topics/from-console/partitions/0/messages?timestamp=${encodeURIComponent(new Date(Date.now() + 3600000).toISOString())}`);
  expect(r.status).toBe(200);
  expect(r.body.records).toEqual([]);
  const all = await api(`/api/topics/from-console/partitions/0/messages?timestamp=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
  expect((all.body.records as Array<{ offset: number }>).map((m) => m.offset)).toEqual([0, 1, 2]);
  const bad = await api('/api/topics/from-console/partitions/0/messages?timestamp=yesterday');
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe("timestamp 'yesterday' is not a date and time.");
});

test('bad input gets a clear message: unknown topic in the URL, invalid config value, unknown group, bad offsets', async () => {
  await open('/topics/no-such-topic');
  await waitText('#not-found', "Topic 'no-such-topic' does not exist.");
  await shot('unknown-topic');

  await open('/topics/from-console');
  await page.waitForSelector('#alter-config textarea', { timeout: UI_TIMEOUT });
  await page.type('#alter-config textarea', 'retention.ms=soon');
  const outcome = await submitAndConfirm('#alter-config');
  expect(outcome).toContain('--alter --topic from-console --config retention.ms=soon');
  expect(outcome).toMatch(/result error\|.*retention\.ms/);
  expect(await zk.getEntityConfigs('topics', 'from-console')).toEqual({ 'min.insync.replicas': '2' });
  await shot('invalid-config');

  await open('/groups/kafka/no-such-group');
  await waitText('#not-found', "Consumer group 'no-such-group' does not exist.");

  const badOffset = await api('/api/topics/from-console/partitions/0/messages?offset=abc');
  expect(badOffset.status).toBe(400);
  expect(badOffset.body.error).toContain("offset must be a whole number, got 'abc'");
  const badPartition = await api('/api/topics/from-console/partitions/9/messages');
  expect(badPartition.status).toBe(404);
  expect(badPartition.body.error).toContain('has no partition 9');
  const badAction = await api('/api/actions/create-topic', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'x', partitions: 'many', replicationFactor: 1 }) });
  expect(badAction.status).toBe(400);
  expect(badAction.body.error).toContain('partitions must be a whole number');
  const crossSite = await api('/api/actions/delete-topic', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ topic: 'from-console' }) });
  expect(crossSite.status).toBe(415);
  expect(await zk.topicExists('from-console')).toBe(true);
  expect((await api('/api/cluster')).status).toBe(200);
});

test('killing the controller broker shows its partitions under-replicated within seconds; an action meanwhile answers clearly', async () => {
  const controller = (await zk.getControllerId())!;
  await open('/cluster');
  await page.waitForSelector('#healthy', { timeout: 60000 });
  await cluster.kill(controller);
  const killedAt = Date.now();
  // While the controller moves, an election either works or says why; the server stays up.
  const during = await api('/api/actions/preferred-election', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'from-console' }) });
  expect([200, 400, 503]).toContain(during.status);
  expect(typeof (during.status === 200 ? during.body.message : during.body.error)).toBe('string');
  await page.waitForSelector('#under-replicated', { timeout: 60000 });
  const shownAfterMs = Date.now() - killedAt;
  const text = await page.$eval('#under-replicated', (e) => e.textContent ?? '');
  expect(text).toContain('from-console');
  await waitText('#summary', new RegExp(`Controller\\s*broker (?!${controller}\\b)\\d`));
  await shot('under-replicated');
  process.stdout.write(`under-replicated partitions shown ${shownAfterMs} ms after SIGKILL of broker ${controller}\n`);
  expect((await api('/api/cluster')).status).toBe(200);
  expect(console_.process.exitCode).toBeNull();
}, 120000);

test('--read-only refuses actions and basic auth guards every page', async () => {
  const guarded = await startConsoleProcess(['--zookeeper', cluster.zkConnect, '--read-only', '--refresh-ms', '5000'], { ZAFKA_CONSOLE_BASIC_AUTH: 'ops:secret' });
  try {
    expect(guarded.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${guarded.url}/api/cluster`)).status).toBe(401);
    const auth = { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` };
    expect((await fetch(`${guarded.url}/api/cluster`, { headers: auth })).status).toBe(200);
    const refused = await fetch(`${guarded.url}/api/actions/delete-topic`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'from-console' }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('read-only');
    expect(await zk.topicExists('from-console')).toBe(true);
  } finally {
    await guarded.stop();
  }
});
