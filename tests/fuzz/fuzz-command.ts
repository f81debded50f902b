// The long fuzz run, outside the test suite:
//   npm run build && npm run fuzz -- --seconds 600 --seed 42 --brokers 1
// Starts ZooKeeper and a 1- or 3-broker cluster from dist/, seeds a topic and a consumer group
// with real clients, sends fuzzed frames (tests/fuzz/fuzz-runner.ts) until the time is up,
// printing every --every seconds and at the end: frames sent (by API), connections, crashes
// (with the command that reproduces them), stalls, RSS range and the brokers' ERROR line count;
// then checks the seeded data with kafkajs and kcat. A crashed broker is restarted and the run
// goes on. Exit status 1 when anything was found.
// Other options: --first N (first frame index), --frames N (stop after N frames), --batch N,
// --lanes N, --stall-ms N, --replay i,j,k (send exactly those frames on one connection, then
// check), --skip-apis 19,37 (leave those API keys out of the corpus, e.g. to look past a known
// bug), --keep (leave the cluster's directories).
import * as fs from 'fs';
import { apiByKey } from '../../broker/protocol/messages/index';
import { TestCluster } from '../helpers/cluster';
import { startZooKeeper } from '../helpers/zookeeper';
import { loadCorpus } from './corpus';
import { seedData, verifyData } from './fuzz-data';
import { describeIncident, FuzzBroker, FuzzStats, runFuzz } from './fuzz-runner';

const MAX_REQUEST_BYTES = 104857600; // socket.request.max.bytes, Kafka's default

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function numberOption(args: string[], name: string, fallback: number): number {
  const v = option(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got ${v}`);
  return n;
}

export function formatStats(stats: FuzzStats): string {
  const secs = (Date.now() - stats.startedAt) / 1000;
  const byApi = Object.entries(stats.byApiKey)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${apiByKey(Number(k))?.name ?? k}=${n}`)
    .join(' ');
  const rss = stats.rssMaxKb === 0 ? '-' : `${(stats.rssMinKb / 1024).toFixed(0)}-${(stats.rssMaxKb / 1024).toFixed(0)} MB`;
  return [
    `[${secs.toFixed(0)} s] frames sent ${stats.framesSent} (${(stats.framesSent / Math.max(secs, 1)).toFixed(0)}/s, ${stats.validFramesSent} valid, ${(stats.bytesSent / 1e6).toFixed(1)} MB), next index ${stats.nextIndex}`,
    `  connections ${stats.connections}, answers ${stats.responses}, closed by broker ${stats.closedByBroker}`,
    `  crashes ${stats.crashes.length}, stalls ${stats.stalls.length}, escaped exceptions ${stats.bugLogs.length}, broker ERROR lines ${stats.errorLogLines}, RSS ${rss}, slowest ApiVersions probe ${stats.maxProbeMs} ms`,
    `  by API: ${byApi}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const seconds = numberOption(args, 'seconds', 600);
  const seed = numberOption(args, 'seed', Date.now() % 1_000_000);
  const brokerCount = numberOption(args, 'brokers', 1);
  const every = numberOption(args, 'every', 30);
  const replay = option(args, 'replay')?.split(',').map(Number);
  const skip = option(args, 'skip-apis')?.split(',').map(Number) ?? [];
  const corpus = loadCorpus(undefined, skip);
  const skipArgs = skip.length > 0 ? ` --skip-apis ${skip.join(',')}` : '';
  console.log(`fuzz: seed ${seed}, ${seconds} s, ${brokerCount} broker(s), ${corpus.length} corpus frames${skip.length > 0 ? `, API keys ${skip.join(',')} left out` : ''}`);

  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  const cluster = await TestCluster.start({ brokers: brokerCount, config: { 'default.replication.factor': Math.min(brokerCount, 3) } });
  const brokers: FuzzBroker[] = cluster.brokers.map((b) => ({
    id: b.id,
    port: b.port,
    pid: () => cluster.broker(b.id).process?.pid ?? null,
    alive: () => {
      const p = cluster.broker(b.id).process;
      return p !== null && p.exitCode === null && p.signalCode === null;
    },
    output: () => cluster.output(b.id),
  }));
  // Interrupted (Ctrl-C, kill): take the cluster and ZooKeeper down too, then say where it was.
  let lastStats: FuzzStats | null = null;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (lastStats !== null) console.log(`\ninterrupted:\n${formatStats(lastStats)}`);
      void Promise.allSettled([cluster.stop(), zk.stop()]).then(() => process.exit(130));
    });
  }
  let found = 0;
  try {
    const seeded = await seedData(cluster.bootstrap, brokerCount);
    console.log(`seeded ${cluster.bootstrap}: ${[...seeded.records.values()].reduce((s, m) => s + m.size, 0)} records, group offsets ${JSON.stringify([...seeded.committed])}`);
    let lastPrint = Date.now();
    const stats = await runFuzz({
      seed,
      corpus,
      brokers,
      deadline: Date.now() + seconds * 1000,
      firstIndex: numberOption(args, 'first', 0),
      maxFrames: option(args, 'frames') === undefined ? undefined : numberOption(args, 'frames', 0),
      framesPerBatch: numberOption(args, 'batch', 64),
      lanes: numberOption(args, 'lanes', 4),
      stallMs: numberOption(args, 'stall-ms', 2000),
      maxRequestBytes: MAX_REQUEST_BYTES,
      replay,
      onBatch: (s) => {
        lastStats = s;
        if (Date.now() - lastPrint >= every * 1000) {
          lastPrint = Date.now();
          console.log(formatStats(s));
        }
      },
      onCrash: async (broker, incident) => {
        console.log(`CRASH\n${describeIncident(incident, corpus, MAX_REQUEST_BYTES, skipArgs)}`);
        cluster.broker(broker.id).process = null;
        await cluster.startBroker(broker.id);
      },
    });
    console.log(`\nfinal:\n${formatStats(stats)}`);
    for (const incident of [...stats.crashes, ...stats.stalls, ...stats.bugLogs].slice(0, 20)) {
      console.log(`\n${describeIncident(incident, corpus, MAX_REQUEST_BYTES, skipArgs)}`);
    }
    if (stats.errorSamples.length > 0) console.log(`\nbroker ERROR lines, by kind:\n${stats.errorSamples.map((l) => `  ${l}`).join('\n')}`);
    found = stats.crashes.length + stats.stalls.length + stats.bugLogs.length;
    const problems = await verifyData(cluster.bootstrap, seeded, `seed-${seed}`);
    console.log(problems.length === 0 ? '\nseeded records, group offsets and new produce/consume: intact' : `\nDATA PROBLEMS:\n${problems.join('\n')}`);
    found += problems.length;
  } finally {
    if (args.includes('--keep')) {
      process.env.ZAFKA_KEEP_TEST_DIRS = '1';
      console.log(`cluster directories kept in ${cluster.baseDir}`);
    }
    await cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
  return found === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
