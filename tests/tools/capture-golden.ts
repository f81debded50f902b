// Captures the golden protocol fixtures in tests/unit/protocol/fixtures from real clients (kcat /
// librdkafka and kafkajs) talking to a real Zafka broker through tests/tools/capture-proxy.ts.
//
// Run by hand, after building, from the repository root:
//   npx tsc -p tsconfig.json && node dist/tests/tools/capture-golden.js [--out DIR]
// It starts ZooKeeper (or uses ZAFKA_TEST_ZK=host:port if set), one broker from dist/broker/main.js
// whose advertised listener is the proxy (so every client connection is captured, see the proxy's
// header), then runs, in this order:
//   kafkajs admin.createTopics('golden') | kcat -L | kcat -P -K: with -z none/gzip/snappy/lz4/zstd
//   | kafkajs producer.send with headers (none, gzip) | kcat -C -o beginning -e
//   | a kafkajs consumer group (join, sync, fetch offsets, heartbeat, commit, leave)
//   | kcat -G, librdkafka's balanced consumer, in a group of its own (the same APIs)
// and keeps a small set of frames: librdkafka's ApiVersions v3, Metadata from both clients (all /
// no / named topics), one Produce per client and codec (librdkafka compresses with lz4 only when
// the broker advertises FindCoordinator; otherwise a warning is printed and lz4 is missing), kcat's first Fetch that returned
// records, kcat's ListOffsets, kafkajs' CreateTopics, and from each client the group APIs (FindCoordinator,
// JoinGroup — every distinct error code, e.g. MEMBER_ID_REQUIRED then NONE —, SyncGroup, Heartbeat,
// OffsetFetch, OffsetCommit, LeaveGroup); each request with Zafka's response.
// Files captured earlier (first line = CAPTURE_MARKER) are deleted first, so a re-run replaces
// the set; fixtures from other sources in the directory are left alone. Review the diff: request
// bytes carry timestamps, so every re-run changes them.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaClient } from '../../broker/network/kafka-client';
import { decodeRequestBody, decodeResponse } from '../../broker/protocol/codec';
import { decodeRequestHeader } from '../../broker/protocol/header';
import { Fetch, JoinGroup, Metadata, Produce } from '../../broker/protocol/messages/index';
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { readBatchHeader } from '../../broker/protocol/records/record-batch';
import { registerKafkajsCodecs } from '../helpers/kafkajs-codecs';
import { run } from '../helpers/kcat';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { startZooKeeper, stopProcess } from '../helpers/zookeeper';
import { CAPTURE_MARKER, CaptureLabel, CaptureProxy, CapturedFrame, writeFixturePair } from './capture-proxy';

const TOPIC = 'golden';
const KCAT_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'zafka') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no zafka package.json above ${from}`);
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function kcatVersion(): Promise<string> {
  const { stdout, stderr } = await run('kcat', ['-V']);
  const text = stdout + stderr;
  const kcat = /Version ([\d.]+)/.exec(text)?.[1] ?? '?';
  const rdkafka = /librdkafka ([\d.]+)/.exec(text)?.[1] ?? '?';
  return `kcat ${kcat} (librdkafka ${rdkafka})`;
}

async function startBroker(root: string, dir: string, brokerPort: number, proxyPort: number, zkConnect: string): Promise<ChildProcess> {
  const config = path.join(dir, 'server.properties');
  const props = {
    'broker.id': 0,
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}`,
    'log.dirs': path.join(dir, 'data'),
    'zookeeper.connect': `${zkConnect}/zafka-golden-${process.pid}-${Date.now().toString(36)}`,
    'offsets.topic.replication.factor': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
  };
  fs.writeFileSync(config, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const out = fs.openSync(path.join(dir, 'broker.out'), 'a');
  const child = spawn(process.execPath, [path.join(root, 'dist/broker/main.js'), config], {
    stdio: ['ignore', out, out],
    env: { ...process.env, LOG_DIR: '' },
  });
  fs.closeSync(out);
  // Straight to the broker's own port: the harness' probes are no client traffic worth keeping.
  await waitFor('the broker to serve metadata', async () => {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}, see ${dir}/broker.out`);
    const client = await KafkaClient.connect('127.0.0.1', brokerPort, { clientId: 'golden-harness' });
    try {
      const md = await client.send(Metadata, 1, { topics: [] });
      return md.controllerId >= 0 && md.brokers.some((b) => b.nodeId === 0);
    } finally {
      client.close();
    }
  }, 60000, 200);
  return child;
}

async function runClients(proxy: CaptureProxy, kcatName: string): Promise<void> {
  const bootstrap = `127.0.0.1:${proxy.port}`;
  const kafkajsName = `kafkajs ${require('kafkajs/package.json').version}`;
  const kafka = new Kafka({ clientId: 'zafka-golden', brokers: [bootstrap], logLevel: logLevel.NOTHING });

  proxy.label = { client: kafkajsName, command: `admin.createTopics({ topics: [{ topic: '${TOPIC}', numPartitions: 1, replicationFactor: 1 }] })` };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const kcat = async (args: string[], input?: string) => {
    proxy.label = { client: kcatName, command: ['kcat', ...args].join(' ') };
    const r = await run('kcat', args, { input, timeoutMs: 30000 });
    if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  await kcat(['-b', bootstrap, '-L']);
  for (const codec of KCAT_CODECS) {
    // Values must compress: librdkafka sends a batch uncompressed when compression does not make
    // it smaller (tiny values under lz4 framing would come out as a second 'none' batch).
    const lines = [1, 2, 3].map((i) => `${codec}-key-${i}:${codec} value ${i} ${'abcd'.repeat(16)}`).join('\n') + '\n';
    const headers = codec === 'none' ? ['-H', 'source=kcat'] : [];
    // linger: the three lines go out as one batch even on a loaded machine.
    await kcat(['-b', bootstrap, '-P', '-t', TOPIC, '-p', '0', '-K', ':', '-z', codec, '-X', 'linger.ms=200', ...headers], lines);
  }

  proxy.label = { client: kafkajsName, command: `producer.send({ topic: '${TOPIC}', acks: -1, messages with headers }) twice: no compression, then CompressionTypes.GZIP` };
  const producer = kafka.producer();
  await producer.connect();
  for (const compression of [CompressionTypes.None, CompressionTypes.GZIP]) {
    const tag = compression === CompressionTypes.None ? 'none' : 'gzip';
    await producer.send({
      topic: TOPIC,
      acks: -1,
      compression,
      messages: [1, 2].map((i) => ({
        partition: 0,
        key: `kafkajs-${tag}-key-${i}`,
        value: `kafkajs ${tag} value ${i}`,
        headers: { source: 'kafkajs', seq: String(i) },
      })),
    });
  }
  await producer.disconnect();

  const consumed = await kcat(['-b', bootstrap, '-C', '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-f', '%k:%s\\n']);
  console.log(`kcat consumed ${consumed.trim().split('\n').length} messages`);

  await runGroupConsumers(proxy, kafka, kafkajsName, kcat, bootstrap);
}

/** One consumer group per client, each reading the topic once, committing and leaving. */
async function runGroupConsumers(proxy: CaptureProxy, kafka: Kafka, kafkajsName: string, kcat: (args: string[]) => Promise<string>, bootstrap: string): Promise<void> {
  proxy.label = { client: kafkajsName, command: `consumer({ groupId: 'golden-kafkajs', heartbeatInterval: 100 }).subscribe({ topic: '${TOPIC}', fromBeginning: true }), run until every record is read, disconnect` };
  registerKafkajsCodecs(); // the topic holds kcat's snappy, lz4 and zstd batches
  const consumer = kafka.consumer({ groupId: 'golden-kafkajs', heartbeatInterval: 100, maxWaitTimeInMs: 100 });
  let read = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => void read++ });
  // Long enough for a heartbeat and a commit after the last record.
  await waitFor('the kafkajs group to read the topic', () => read >= 19, 30000, 100);
  await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  console.log(`kafkajs group read ${read} messages`);

  const kcatGroup = await kcat(['-b', bootstrap, '-G', 'golden-kcat', '-X', 'auto.offset.reset=earliest', '-X', 'heartbeat.interval.ms=100', '-X', 'auto.commit.interval.ms=100', '-e', '-f', '%k\\n', TOPIC]);
  console.log(`kcat -G read ${kcatGroup.trim().split('\n').length} messages`);
}

/** The consumer-group runs' commands name their groups so (see runGroupConsumers). */
const GROUP_RUN = /golden-(kafkajs|kcat)/;

const CODEC_NAMES: Record<number, string> = {
  [CompressionType.NONE]: 'none',
  [CompressionType.GZIP]: 'gzip',
  [CompressionType.SNAPPY]: 'snappy',
  [CompressionType.LZ4]: 'lz4',
  [CompressionType.ZSTD]: 'zstd',
};

interface Selected {
  request: CapturedFrame;
  response: CapturedFrame | null;
  notes: string[];
}

function clientOf(label: CaptureLabel | null): 'kcat' | 'kafkajs' | null {
  if (label === null) return null;
  return label.client.startsWith('kcat') ? 'kcat' : label.client.startsWith('kafkajs') ? 'kafkajs' : null;
}

/** One fixture pair per meaningful (client, API, variant); the first occurrence wins. */
function select(frames: CapturedFrame[]): Selected[] {
  const seen = new Set<string>();
  const out: Selected[] = [];
  for (const response of frames) {
    if (response.direction !== 'response') continue;
    const request = response.request!;
    const client = clientOf(request.label);
    if (client === null || request.clientId?.startsWith('controller-')) continue;
    const frame = request.bytes.subarray(4);
    const h = decodeRequestHeader(frame);
    let key: string | null = null;
    const notes: string[] = [];
    switch (request.apiKey) {
      case 18: // ApiVersions: librdkafka's v3 (flexible, header v2) is the interesting one.
        if (client === 'kcat') key = 'api_versions';
        break;
      case 3: {
        const body = decodeRequestBody(Metadata, h.apiVersion, frame, h.bodyOffset);
        // null = all topics, [] = brokers only (both from kcat -L), or named topics.
        key = `metadata/${body.topics === null ? 'all' : body.topics.length === 0 ? 'none' : 'named'}`;
        break;
      }
      case 0: {
        const body = decodeRequestBody(Produce, h.apiVersion, frame, h.bodyOffset);
        const records = body.topicData[0]?.partitionData[0]?.records;
        if (records === null || records === undefined) break;
        const codec = CODEC_NAMES[readBatchHeader(records).compression] ?? 'unknown';
        key = `produce/${codec}`;
        notes.push(`codec: ${codec}`);
        break;
      }
      case 1: {
        // The first Fetch that returned data: an empty long-poll answer shows little.
        const res = decodeResponse(Fetch, request.apiVersion, response.bytes.subarray(4)).body;
        const hasData = res.responses.some((t) => t.partitions.some((p) => p.records !== null && p.records.length > 0));
        if (client === 'kcat' && hasData) key = 'fetch';
        break;
      }
      case 2:
        if (client === 'kcat') key = 'list_offsets';
        break;
      case 19:
        if (client === 'kafkajs') key = 'create_topics';
        break;
      case 8: // OffsetCommit
      case 9: // OffsetFetch
      case 10: // FindCoordinator
      case 12: // Heartbeat
      case 13: // LeaveGroup
      case 14: // SyncGroup
        if (GROUP_RUN.test(request.label?.command ?? '')) key = `group/${request.apiKey}`;
        break;
      case 11: {
        // JoinGroup: one pair per error code (a new member's first join may be MEMBER_ID_REQUIRED).
        const res = decodeResponse(JoinGroup, request.apiVersion, response.bytes.subarray(4)).body;
        key = `group/join/${res.errorCode}`;
        if (res.errorCode !== 0) notes.push(`error code: ${res.errorCode}`);
        break;
      }
    }
    if (key === null) continue;
    key = `${client}/${key}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ request, response, notes });
  }
  return out;
}

function removeEarlierCaptures(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.hex')) continue;
    const file = path.join(dir, f);
    if (fs.readFileSync(file, 'utf8').startsWith(CAPTURE_MARKER)) fs.unlinkSync(file);
  }
}

async function main(): Promise<void> {
  const root = findRepoRoot(__dirname);
  const outDir = path.resolve(argValue('--out') ?? path.join(root, 'tests/unit/protocol/fixtures'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-golden-'));
  const zk = process.env.ZAFKA_TEST_ZK ? null : await startZooKeeper();
  const zkConnect = process.env.ZAFKA_TEST_ZK ?? zk!.connectString;
  const brokerPort = await freePort();
  const proxy = await CaptureProxy.start({ targetPort: brokerPort });
  let broker: ChildProcess | null = null;
  try {
    broker = await startBroker(root, work, brokerPort, proxy.port, zkConnect);
    await runClients(proxy, await kcatVersion());
    if (proxy.problems.length > 0) throw new Error(`capture problems:\n${proxy.problems.join('\n')}`);
    if (process.env.ZAFKA_CAPTURE_DEBUG) {
      for (const f of proxy.frames) {
        console.log(`#${f.connection} ${f.direction} key ${f.apiKey} v${f.apiVersion} corr ${f.correlationId} ${f.clientId} ${f.bytes.length}B: ${f.label?.command}`);
      }
    }
    const selected = select(proxy.frames);
    for (const codec of KCAT_CODECS) {
      if (!selected.some((s) => clientOf(s.request.label) === 'kcat' && s.notes.includes(`codec: ${codec}`))) {
        // librdkafka enables LZ4 only if the broker advertises FindCoordinator (its feature table
        // dates LZ4 by that API, Kafka 0.8.2) and sends the batch uncompressed otherwise.
        console.warn(`warning: kcat -z ${codec} sent no ${codec} batch (for lz4: is FindCoordinator advertised?)`);
      }
    }
    removeEarlierCaptures(outDir);
    const date = new Date();
    let total = 0;
    for (const s of selected) {
      const files = writeFixturePair(outDir, s.request, s.response, { notes: s.notes, date });
      total += s.request.bytes.length + (s.response?.bytes.length ?? 0);
      console.log(files.join('  '));
    }
    console.log(`${selected.length} pairs (${total} frame bytes) of ${proxy.frames.length} frames written to ${outDir}`);
  } finally {
    await proxy.close();
    if (broker?.pid !== undefined) await stopProcess(broker.pid);
    if (zk !== null) await zk.stop();
    if (!process.env.ZAFKA_KEEP_TEST_DIRS) {
      fs.rmSync(work, { recursive: true, force: true });
      if (zk !== null) fs.rmSync(zk.dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
