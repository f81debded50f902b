// kafka-log-dirs against three real brokers: the three lines Kafka 2.4's LogDirsCommand prints,
// the JSON with its keys in Kafka's order, --broker-list and --topic-list honoured, every replica
// of a broker listed with the size DescribeLogDirs reports and the bytes of its segment files on
// disk. Bad options (no --describe, an unknown or malformed broker id) exit 1 with a message.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { DescribeLogDirs } from '../../../broker/protocol/messages/describe-log-dirs';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';
import { runCli } from './run-cli';

jest.setTimeout(180000);

interface PartitionJson { partition: string; size: number; offsetLag: number; isFuture: boolean }
interface LogDirJson { logDir: string; error: string | null; partitions: PartitionJson[] }
interface OutputJson { version: number; brokers: { broker: number; logDirs: LogDirJson[] }[] }

/** The tool's stdout as LogDirsCommand's three lines. */
function parseOutput(stdout: string): { brokersLine: string; json: OutputJson; raw: string } {
  const lines = stdout.split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Querying brokers for log directories information');
  expect(lines[3]).toBe('');
  const m = /^Received log directory information from brokers (.*)$/.exec(lines[1]);
  if (!m) throw new Error(`unexpected second line ${JSON.stringify(lines[1])}`);
  return { brokersLine: m[1], json: JSON.parse(lines[2]) as OutputJson, raw: lines[2] };
}

/** Bytes of a partition directory's segment (.log) files: what Kafka's Log.size adds up. */
function segmentBytes(logDir: string, partition: string): number {
  const dir = path.join(logDir, partition);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}

describe('kafka-log-dirs', () => {
  let cluster: TestCluster;

  /** Sizes from DescribeLogDirs sent straight to a broker: "topic-partition" -> size. */
  async function sizesFromBroker(id: number): Promise<Map<string, number>> {
    const client = await KafkaClient.connect('127.0.0.1', cluster.broker(id).port, { clientId: 'log-dirs-tool-test' });
    try {
      const r = await client.send(DescribeLogDirs, 1, { topics: null });
      return new Map(r.results.flatMap((d) => d.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.partitionSize] as const))));
    } finally {
      client.close();
    }
  }

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'ld', numPartitions: 3, replicationFactor: 2 },
        { topic: 'ld-other', numPartitions: 1, replicationFactor: 3 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (const partition of [0, 1, 2]) {
      await producer.send({ topic: 'ld', acks: -1, messages: Array.from({ length: 5 * (partition + 1) }, (_, i) => ({ partition, value: `v${i}`.padEnd(100, '.') })) });
    }
    await producer.send({ topic: 'ld-other', acks: -1, messages: [{ value: 'x' }] });
    await producer.disconnect();
    // acks=-1 means every follower has the records; wait until each replica's size agrees with the
    // others, so the sizes compared below are not moving.
    await waitFor('all replicas of ld to report the same size', async () => {
      const all = await Promise.all([1, 2, 3].map((id) => sizesFromBroker(id)));
      for (const p of ['ld-0', 'ld-1', 'ld-2']) {
        const sizes = all.map((m) => m.get(p)).filter((s) => s !== undefined);
        if (sizes.length !== 2 || sizes[0] !== sizes[1] || sizes[0] === 0) return false;
      }
      return true;
    }, 30000, 250);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('--broker-list 1,2 --topic-list ld: Kafka\'s lines, the JSON keys in Kafka\'s order, sizes as DescribeLogDirs and the disk say', async () => {
    const r = await runCli('kafka-log-dirs', ['--bootstrap-server', cluster.bootstrap, '--describe', '--broker-list', '1,2', '--topic-list', 'ld']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { brokersLine, json, raw } = parseOutput(r.stdout);
    expect(brokersLine).toBe('1,2');
    expect(raw.startsWith(`{"version":1,"brokers":[{"broker":1,"logDirs":[{"logDir":${JSON.stringify(path.resolve(cluster.broker(1).logDir))},"error":null,"partitions":[{"partition":"ld-`)).toBe(true);
    expect(json.version).toBe(1);
    expect(json.brokers.map((b) => b.broker)).toEqual([1, 2]);

    for (const b of json.brokers) {
      expect(b.logDirs).toHaveLength(1);
      const dir = b.logDirs[0];
      expect(dir.logDir).toBe(path.resolve(cluster.broker(b.broker).logDir));
      expect(dir.error).toBeNull();
      // Exactly the ld replicas this broker holds (its directory's ld-* folders), no other topic.
      const onDisk = fs.readdirSync(dir.logDir).filter((f) => /^ld-\d+$/.test(f)).sort();
      expect(dir.partitions.map((p) => p.partition).sort()).toEqual(onDisk);
      expect(onDisk.length).toBeGreaterThan(0);
      const fromBroker = await sizesFromBroker(b.broker);
      for (const p of dir.partitions) {
        expect(Object.keys(p)).toEqual(['partition', 'size', 'offsetLag', 'isFuture']);
        expect(p.size).toBe(fromBroker.get(p.partition));
        expect(p.size).toBe(segmentBytes(dir.logDir, p.partition));
        expect(p.size).toBeGreaterThan(0);
        expect(p).toMatchObject({ offsetLag: 0, isFuture: false });
      }
    }
    // Every ld replica (3 partitions x RF 2) is on brokers 1..3; 1 and 2 hold at least 3 of them.
    expect(json.brokers.reduce((n, b) => n + b.logDirs[0].partitions.length, 0)).toBeGreaterThanOrEqual(3);
  });

  test('without --broker-list every broker answers; without --topic-list every topic is listed', async () => {
    const r = await runCli('kafka-log-dirs', ['--bootstrap-server', `127.0.0.1:${cluster.broker(2).port}`, '--describe']);
    expect(r.code).toBe(0);
    const { brokersLine, json } = parseOutput(r.stdout);
    expect(brokersLine).toBe('1,2,3');
    expect(json.brokers.map((b) => b.broker)).toEqual([1, 2, 3]);
    const replicas = json.brokers.flatMap((b) => b.logDirs[0].partitions.map((p) => p.partition));
    expect(replicas.filter((p) => p === 'ld-other-0')).toHaveLength(3);
    expect(replicas.filter((p) => /^ld-\d$/.test(p))).toHaveLength(6);
  });

  test.each([
    ['no --describe gets Missing required argument "[describe]" and the usage', ['--broker-list', '1'], 'Missing required argument "[describe]"'],
    ['an unknown broker id gets a message naming it', ['--describe', '--broker-list', '1,9'], 'Broker(s) 9 not in the cluster'],
    ['a malformed broker id gets a message naming it', ['--describe', '--broker-list', '1,x'], "Invalid broker id 'x'"],
  ])('%s, exit 1, nothing on stdout but the first line', async (_name, args, message) => {
    const r = await runCli('kafka-log-dirs', ['--bootstrap-server', cluster.bootstrap, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout === '' || r.stdout === 'Querying brokers for log directories information\n').toBe(true);
  });
});
