// Captures the fuzz corpus (tests/fuzz/corpus) from real clients: the group and admin traffic
// the protocol golden fixtures do not cover. kafkajs (admin: createTopics, createPartitions,
// describeConfigs, fetchTopicOffsets, fetchOffsets, listGroups, describeGroups, deleteGroups,
// deleteTopics; a consumer group that consumes and commits) and kcat / librdkafka (-L, -P, -C,
// and a balanced -G consumer) talk to a Zafka broker through tests/tools/capture-proxy.ts; the
// first two requests of each (client, API, version) are kept, as captured.
//
// Run by hand, after building, from the repository root (re-running replaces the corpus):
//   npx tsc -p tsconfig.json && node dist/tests/fuzz/capture-corpus.js
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaClient } from '../../broker/network/kafka-client';
import { Metadata } from '../../broker/protocol/messages/index';
import { REPO_ROOT } from '../helpers/cluster';
import { run } from '../helpers/kcat';
import { KcatGroupMember } from '../helpers/kcat-group-member';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { startZooKeeper, stopProcess } from '../helpers/zookeeper';
import { CaptureLabel, CaptureProxy, CapturedFrame, writeFixturePair } from '../tools/capture-proxy';

const TOPIC = 'fuzz-corpus';
const SCRATCH = 'fuzz-corpus-scratch';
const GROUP = 'fuzz-corpus-group';
const KEEP_PER_VERSION = 2;

async function startBroker(dir: string, brokerPort: number, proxyPort: number, zkConnect: string): Promise<ChildProcess> {
  const config = path.join(dir, 'server.properties');
  const props = {
    'broker.id': 0,
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}`,
    'log.dirs': path.join(dir, 'data'),
    'zookeeper.connect': `${zkConnect}/zafka-corpus-${process.pid}`,
    'offsets.topic.replication.factor': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
  };
  fs.writeFileSync(config, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const out = fs.openSync(path.join(dir, 'broker.out'), 'a');
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/broker/main.js'), config], { stdio: ['ignore', out, out], env: { ...process.env, LOG_DIR: '' } });
  fs.closeSync(out);
  await waitFor('the broker to serve metadata', async () => {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}, see ${dir}/broker.out`);
    const client = await KafkaClient.connect('127.0.0.1', brokerPort, { clientId: 'corpus-harness' });
    try {
      const md = await client.send(Metadata, 1, { topics: [] });
      return md.controllerId >= 0;
    } finally {
      client.close();
    }
  }, 60000, 200);
  return child;
}

async function kafkajsTraffic(proxy: CaptureProxy, bootstrap: string): Promise<void> {
  const client = `kafkajs ${require('kafkajs/package.json').version}`;
  const label = (command: string): CaptureLabel => (proxy.label = { client, command });
  const kafka = new Kafka({ clientId: 'zafka-fuzz-corpus', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  label('admin: createTopics, createPartitions, describeConfigs, fetchTopicOffsets');
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }, { topic: SCRATCH, numPartitions: 1 }], waitForLeaders: true });
  await admin.createPartitions({ topicPartitions: [{ topic: SCRATCH, count: 2 }] });
  await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: TOPIC }] });
  await admin.fetchTopicOffsets(TOPIC);

  label('producer.send + consumer group (subscribe, run, commit, disconnect)');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `corpus value ${i}`, headers: { h: 'v' } })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => { seen++; } });
  await waitFor('kafkajs group to consume', () => seen >= 10, 60000);
  await new Promise((r) => setTimeout(r, 1500)); // a few heartbeats
  await consumer.disconnect();

  label('admin: fetchOffsets, listGroups, describeGroups, deleteGroups, deleteTopics');
  await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
  await admin.listGroups();
  await admin.describeGroups([GROUP]);
  await admin.deleteGroups([GROUP]);
  await admin.deleteTopics({ topics: [SCRATCH] });
  await admin.disconnect();
}

async function kcatTraffic(proxy: CaptureProxy, bootstrap: string): Promise<void> {
  const versionText = await run('kcat', ['-V']);
  const client = `kcat (librdkafka ${/librdkafka ([\d.]+)/.exec(versionText.stdout + versionText.stderr)?.[1] ?? '?'})`;
  const kcat = async (args: string[], input?: string) => {
    proxy.label = { client, command: ['kcat', ...args].join(' ') };
    const r = await run('kcat', args, { input, timeoutMs: 30000 });
    if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  };
  await kcat(['-b', bootstrap, '-P', '-t', TOPIC, '-K', ':'], 'a:1\nb:2\nc:3\n');
  await kcat(['-b', bootstrap, '-C', '-t', TOPIC, '-o', '-2', '-e']);
  proxy.label = { client, command: `kcat -b ${bootstrap} -G ${GROUP}-kcat ${TOPIC}` };
  const member = new KcatGroupMember(bootstrap, `${GROUP}-kcat`, TOPIC, 'corpus-kcat', ['-X', 'auto.commit.interval.ms=200']);
  await waitFor('kcat group member to consume', () => member.rows.length >= 10, 60000);
  await new Promise((r) => setTimeout(r, 1500));
  member.kill('SIGTERM');
  await member.exited;
}

function select(frames: CapturedFrame[]): CapturedFrame[] {
  const counts = new Map<string, number>();
  const out: CapturedFrame[] = [];
  for (const f of frames) {
    if (f.direction !== 'request' || f.label === null || f.clientId?.startsWith('controller-')) continue;
    const key = `${f.label.client.split(' ')[0]}/${f.apiKey}/${f.apiVersion}`;
    const n = counts.get(key) ?? 0;
    if (n >= KEEP_PER_VERSION) continue;
    counts.set(key, n + 1);
    out.push(f);
  }
  return out;
}

async function main(): Promise<void> {
  const outDir = path.join(REPO_ROOT, 'tests/fuzz/corpus');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-corpus-'));
  const zk = await startZooKeeper();
  const brokerPort = await freePort();
  const proxy = await CaptureProxy.start({ targetPort: brokerPort });
  let broker: ChildProcess | null = null;
  try {
    broker = await startBroker(work, brokerPort, proxy.port, zk.connectString);
    const bootstrap = `127.0.0.1:${proxy.port}`;
    await kafkajsTraffic(proxy, bootstrap);
    await kcatTraffic(proxy, bootstrap);
    const selected = select(proxy.frames);
    fs.rmSync(outDir, { recursive: true, force: true });
    const date = new Date();
    for (const f of selected) writeFixturePair(outDir, f, null, { date });
    console.log(`${selected.length} requests of ${proxy.frames.length} frames written to ${outDir}`);
  } finally {
    await proxy.close();
    if (broker?.pid !== undefined) await stopProcess(broker.pid);
    await zk.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
  });
}
