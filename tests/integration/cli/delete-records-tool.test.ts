// kafka-delete-records against two real brokers (partition leaders on both): its output lines
// parse as Kafka 2.4's DeleteRecordsCommand prints them, each partition gets its new low watermark
// or Kafka's exception text (unknown topic, partition without a leader, offset past the high
// watermark, compacted topic), and a consumer starting at "earliest" begins at the new low
// watermark. A bad offset file gets Kafka's message and exit 1, with nothing deleted.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows } from '../../helpers/consume-all';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { runCli } from './run-cli';

jest.setTimeout(180000);

const LINE = /^partition: (.+)-(\d+)\t(?:low_watermark: (-?\d+)|error: ([\w.]+): (.+))$/;

interface ParsedLine {
  partition: string;
  lowWatermark?: number;
  exception?: string;
  message?: string;
}

/** The tool's stdout as DeleteRecordsCommand's lines; throws on any line Kafka would not print. */
function parseOutput(stdout: string): ParsedLine[] {
  const lines = stdout.split('\n');
  expect(lines.slice(0, 2)).toEqual(['Executing records delete operation', 'Records delete operation completed:']);
  expect(lines[lines.length - 1]).toBe('');
  return lines.slice(2, -1).map((l) => {
    const m = LINE.exec(l);
    if (!m) throw new Error(`unexpected output line ${JSON.stringify(l)}`);
    return m[3] !== undefined ? { partition: `${m[1]}-${m[2]}`, lowWatermark: Number(m[3]) } : { partition: `${m[1]}-${m[2]}`, exception: m[4], message: m[5] };
  });
}

describe('kafka-delete-records', () => {
  let cluster: TestCluster;
  let dir: string;
  const writeJson = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delete-records-tool-'));
    cluster = await TestCluster.start({ brokers: 2 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'dr', numPartitions: 2, replicationFactor: 1 },
        { topic: 'dr-compacted', numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    for (const partition of [0, 1]) {
      await producer.send({ topic: 'dr', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ partition, value: `p${partition}-v${i}` })) });
    }
    await producer.send({ topic: 'dr-compacted', acks: -1, messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints each partition\'s low watermark or Kafka\'s exception; consumers from earliest start at the new low watermark', async () => {
    const file = writeJson('offsets.json', {
      partitions: [
        { topic: 'dr', partition: 0, offset: 4 },
        { topic: 'dr', partition: 1, offset: -1 }, // -1: up to the high watermark
        { topic: 'dr', partition: 7, offset: 1 }, // no such partition: no leader
        { topic: 'no-such-topic', partition: 0, offset: 1 },
        { topic: 'dr-compacted', partition: 0, offset: 1 },
      ],
      version: 1,
    });
    const r = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const byPartition = new Map(parseOutput(r.stdout).map((l) => [l.partition, l]));
    expect(byPartition.size).toBe(5);
    expect(byPartition.get('dr-0')).toEqual({ partition: 'dr-0', lowWatermark: 4 });
    expect(byPartition.get('dr-1')).toEqual({ partition: 'dr-1', lowWatermark: 10 });
    expect(byPartition.get('dr-7')).toMatchObject({ exception: 'org.apache.kafka.common.errors.LeaderNotAvailableException' });
    expect(byPartition.get('no-such-topic-0')).toEqual({
      partition: 'no-such-topic-0',
      exception: 'org.apache.kafka.common.errors.UnknownTopicOrPartitionException',
      message: 'This server does not host this topic-partition.',
    });
    expect(byPartition.get('dr-compacted-0')).toMatchObject({ exception: 'org.apache.kafka.common.errors.PolicyViolationException' });

    // The effect, seen by librdkafka reading from the beginning.
    const rows = await consumeAllRows(cluster.bootstrap, 'dr');
    expect(rows.filter((x) => x.partition === 0).map((x) => x.offset)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(rows.filter((x) => x.partition === 0)[0].value).toBe('p0-v4');
    expect(rows.filter((x) => x.partition === 1)).toEqual([]);
    const compacted = await consumeAllRows(cluster.bootstrap, 'dr-compacted');
    expect(compacted.map((x) => x.value)).toEqual(['v']);

    // Deleting below the current low watermark changes nothing and reports it again.
    const again = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', writeJson('again.json', { partitions: [{ topic: 'dr', partition: 0, offset: 2 }] })]);
    expect(parseOutput(again.stdout)).toEqual([{ partition: 'dr-0', lowWatermark: 4 }]);
  });

  test('an offset past the high watermark gets OffsetOutOfRangeException and deletes nothing', async () => {
    const r = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', writeJson('far.json', { partitions: [{ topic: 'dr', partition: 0, offset: 1000 }], version: 1 })]);
    expect(r.code).toBe(0);
    expect(parseOutput(r.stdout)).toEqual([{
      partition: 'dr-0',
      exception: 'org.apache.kafka.common.errors.OffsetOutOfRangeException',
      message: 'The requested offset is not within the range of offsets maintained by the server.',
    }]);
    const rows = await consumeAllRows(cluster.bootstrap, 'dr');
    expect(rows.filter((x) => x.partition === 0).map((x) => x.offset)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  test.each([
    ['not JSON gets "not a valid JSON"', '{"partitions": [', 'The input string is not a valid JSON'],
    ['version 2 gets "Not supported version field value 2"', { partitions: [], version: 2 }, 'Not supported version field value 2'],
    ['no partitions field gets "Missing partitions field"', { version: 1 }, 'Missing partitions field'],
    ['a duplicate partition gets "contains duplicate topic partitions"', { partitions: [{ topic: 'dr', partition: 0, offset: 5 }, { topic: 'dr', partition: 0, offset: 6 }] }, 'Offset json file contains duplicate topic partitions: dr-0'],
    ['a string offset gets a message naming the field', { partitions: [{ topic: 'dr', partition: 0, offset: '5' }] }, 'partitions[0].offset must be a long'],
  ])('a bad offset file: %s, exit 1, nothing deleted', async (_name, content, message) => {
    const r = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', writeJson('bad.json', content)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  test('a missing required option gets Kafka\'s "Missing required argument" and the usage, exit 1', async () => {
    const r = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing required argument "[offset-json-file]"');
    expect(r.stderr).toContain('--offset-json-file');
    const none = await runCli('kafka-delete-records', []);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('This tool helps to delete records of the given partitions down to the specified offset.');
  });

  test('--command-config is read (client.id, request.timeout.ms; low watermark still 4 after the refused files above), security.protocol=SSL is used (a TLS client cannot connect to PLAINTEXT ports)', async () => {
    const json = writeJson('one.json', { partitions: [{ topic: 'dr', partition: 0, offset: 4 }] });
    const ok = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', json, '--command-config', writeJson('ok.properties', 'client.id=trimmer\nrequest.timeout.ms=20000\n')]);
    expect(parseOutput(ok.stdout)).toEqual([{ partition: 'dr-0', lowWatermark: 4 }]);
    const ssl = await runCli('kafka-delete-records', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', json, '--command-config', writeJson('ssl.properties', 'security.protocol=SSL\n')]);
    expect(ssl.code).toBe(1);
    // SSL is honoured (kafka-delete-records speaks TLS now): against PLAINTEXT ports it cannot connect.
    expect(ssl.stderr).toMatch(/Could not connect to any bootstrap server.*TLS/);
  });
});
