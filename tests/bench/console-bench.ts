// Benchmark (prints figures; not a test): is the Zafka Console responsive on a big cluster?
// Three real brokers and a real ZooKeeper, --topics topics of --partitions partitions each (default
// 1,000 x 10 = 10,000 partitions), created straight in ZooKeeper (AdminZkClient, as kafka-topics
// --zookeeper), one record in every partition of --produce-topics topics. Then the console runs as
// bin/zafka-console.sh does and we measure:
//   - server: one full refresh (ZooKeeper + Metadata + ListOffsets + DescribeLogDirs + groups),
//     the console process's CPU share at its refresh interval, and its memory;
//   - API: time and size of each page's JSON, first (built) and second (served from the cache);
//   - browser (Debian's chromium, headless): time from navigation until the topics table shows
//     every topic, the cluster page, a topic page, and the cost of one refresh of the topics page.
//
//   node dist/tests/bench/console-bench.js [--topics 1000] [--partitions 10] [--replication-factor 2]
//        [--produce-topics 50] [--refresh-ms 5000] [--observe-seconds 30]
import * as fs from 'fs';
import puppeteer from 'puppeteer-core';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { Producer } from '../../admin-cli/client/producer';
import { AdminZkClient } from '../../controller/zk/admin-zk-client';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { TestCluster } from '../helpers/cluster';
import { startConsoleProcess } from '../helpers/console-process';
import { waitFor } from '../helpers/wait';
import { startZooKeeper } from '../helpers/zookeeper';

// Functions passed to page.evaluate run in the browser.
declare const document: { querySelectorAll(s: string): { length: number }; querySelector(s: string): { textContent: string | null } | null };

interface Options {
  topics: number;
  partitions: number;
  replicationFactor: number;
  produceTopics: number;
  refreshMs: number;
  observeSeconds: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { topics: 1000, partitions: 10, replicationFactor: 2, produceTopics: 50, refreshMs: 5000, observeSeconds: 30 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(key in o) || !Number.isFinite(Number(argv[i + 1]))) throw new Error(`unknown option or bad value: ${argv[i]} ${argv[i + 1]}`);
    o[key] = Number(argv[i + 1]);
  }
  return o;
}

const topicName = (i: number) => `bench-${String(i).padStart(4, '0')}`;

/** utime + stime of a process, ms (from /proc; Linux clock ticks are 100/s). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t)];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zkServer = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zkServer.connectString;
  const cluster = await TestCluster.start({ brokers: 3 });
  const zk = await KafkaZkClient.connect(cluster.zkConnect, 30000, { name: 'console-bench' });
  const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'console-bench' });
  let browser: Awaited<ReturnType<typeof puppeteer.launch>> | null = null;
  let consoleProcess: Awaited<ReturnType<typeof startConsoleProcess>> | null = null;
  const rows: Array<[string, string]> = [];
  const row = (k: string, v: string | number) => {
    rows.push([k, String(v)]);
    process.stdout.write(`${k}: ${v}\n`);
  };
  try {
    const admin = new AdminZkClient(zk);
    const [, createMs] = await timed(async () => {
      for (let i = 0; i < o.topics; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, o.topics - i) }, (_, j) => admin.createTopic(topicName(i + j), o.partitions, o.replicationFactor)));
      }
    });
    const total = o.topics * o.partitions;
    const [, leadersMs] = await timed(() =>
      waitFor(`leaders for ${total} partitions`, async () => {
        const md = await client.refreshMetadata(null);
        let led = 0;
        for (const t of md.topics.values()) if (t.name.startsWith('bench-')) led += t.partitions.filter((p) => p.leader >= 0).length;
        return led >= total;
      }, 30 * 60 * 1000, 2000),
    );
    row('cluster', `3 brokers, ${o.topics} topics x ${o.partitions} partitions = ${total} partitions, replication factor ${o.replicationFactor}`);
    row('topics written to ZooKeeper (ms)', createMs);
    row('until every partition had a leader (ms)', createMs + leadersMs);

    const producer = new Producer(client, { acks: 1, lingerMs: 5 });
    for (let i = 0; i < o.produceTopics; i++) {
      for (let p = 0; p < o.partitions; p++) producer.send({ topic: topicName(i), partition: p, key: null, value: Buffer.from(`{"topic":${i},"partition":${p}}`) });
    }
    await producer.flush();
    await producer.close();

    consoleProcess = await startConsoleProcess(['--zookeeper', cluster.zkConnect, '--refresh-ms', String(o.refreshMs)]);
    const url = consoleProcess.url;
    const pid = consoleProcess.process.pid!;
    // Let a few refreshes happen, then read what the console measured of its own refresh.
    await new Promise((r) => setTimeout(r, 2 * o.refreshMs + 1000));
    const cluster1 = (await (await fetch(`${url}/api/cluster`)).json()) as { readMs: number; readTimings: Record<string, number>; lastRefreshMs: number; totals: { partitions: number } };
    row('console: partitions seen', cluster1.totals.partitions);
    row('server: cluster read per refresh (ms)', cluster1.readMs);
    row('server: read steps (ms)', Object.entries(cluster1.readTimings).map(([k, v]) => `${k} ${v}`).join(', '));
    row('server: full refresh incl. groups (ms)', cluster1.lastRefreshMs);

    for (const [name, path] of [['/api/cluster', '/api/cluster'], ['/api/topics', '/api/topics'], ['/api/topics/<t>', `/api/topics/${topicName(0)}`], ['/api/groups', '/api/groups']] as const) {
      const [first, firstMs] = await timed(async () => (await fetch(`${url}${path}`)).text());
      const [, againMs] = await timed(async () => (await fetch(`${url}${path}`)).text());
      row(`API ${name}: size (KiB) / first / cached (ms)`, `${Math.round(first.length / 1024)} / ${firstMs} / ${againMs}`);
    }

    const cpuStart = cpuMs(pid);
    const wallStart = Date.now();
    await new Promise((r) => setTimeout(r, o.observeSeconds * 1000));
    const cpuShare = (cpuMs(pid) - cpuStart) / (Date.now() - wallStart);
    row(`server: CPU of the console process over ${o.observeSeconds}s, no viewer (% of one core)`, Math.round(cpuShare * 100));
    row('server: resident memory (MiB)', rssMb(pid));

    browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    // A first visit warms the browser (process start, module and uPlot loading): not measured.
    await page.goto(`${url}/#/cluster`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#brokers tr[data-broker="3"]', { timeout: 60000 });
    const load = async (hash: string, ready: () => Promise<unknown>) => {
      await page.goto('about:blank');
      const t = performance.now();
      await page.goto(`${url}/#${hash}`, { waitUntil: 'domcontentloaded' });
      await ready();
      return Math.round(performance.now() - t);
    };
    row('browser: cluster page load until brokers shown (ms)', await load('/cluster', () => page.waitForSelector('#brokers tr[data-broker="3"]', { timeout: 60000 })));
    row(
      `browser: topics page load until ${o.topics} rows shown (ms)`,
      await load('/topics', () => page.waitForFunction((n: number) => document.querySelectorAll('#topics tbody tr').length >= n, { timeout: 60000, polling: 50 }, o.topics)),
    );
    // The status line says how long each refresh took in the page (fetch + render).
    const costs: number[] = [];
    const cpuBefore = cpuMs(pid);
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      const before = await page.$eval('#status', (e) => e.textContent ?? '');
      await page.waitForFunction((b: string) => (document.querySelector('#status')?.textContent ?? '') !== b, { timeout: 4 * o.refreshMs, polling: 100 }, before);
      const m = /\((\d+) ms\)/.exec(await page.$eval('#status', (e) => e.textContent ?? ''));
      if (m) costs.push(Number(m[1]));
    }
    row('browser: topics page refresh, fetch + render (ms, median of 5)', costs.sort((a, b) => a - b)[Math.floor(costs.length / 2)] ?? 'n/a');
    row('server: CPU with one topics-page viewer (% of one core)', Math.round(((cpuMs(pid) - cpuBefore) / (Date.now() - t0)) * 100));
    row('browser: topic page load until partitions shown (ms)', await load(`/topics/${topicName(0)}`, () => page.waitForFunction((n: number) => document.querySelectorAll('#partitions tbody tr').length >= n, { timeout: 60000, polling: 50 }, o.partitions)));
    const metrics = await page.metrics();
    row('browser: JS heap of the topic page (MiB)', Math.round((metrics.JSHeapUsedSize ?? 0) / 1048576));
  } finally {
    await browser?.close().catch(() => undefined);
    await consoleProcess?.stop();
    client.close();
    await zk.close();
    await cluster.stop();
    await zkServer.stop();
  }
  process.stdout.write('\n| measure | value |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
