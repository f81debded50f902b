// kafka-console-producer / kafka-console-consumer against a real cluster: a keyed round trip,
// interoperability with kcat in both directions, compression, and argument errors.
import { TestCluster } from '../../helpers/cluster';
import { runCli, runCommand } from './run-cli';

jest.setTimeout(120000);

describe('console producer and consumer', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
    for (const topic of ['round-trip', 'from-kcat', 'to-kcat', 'zstd-topic']) {
      const r = await runCli('kafka-topics', ['--zookeeper', cluster.zkConnect, '--create', '--topic', topic, '--partitions', '2', '--replication-factor', '1']);
      expect(r.code).toBe(0);
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('round-trips keyed lines, keeping each key on one partition', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `key${i % 5}:value-${i}`);
    const produced = await runCli('kafka-console-producer', ['--bootstrap-server', cluster.bootstrap, '--topic', 'round-trip', '--property', 'parse.key=true', '--property', 'key.separator=:'], {
      input: lines.join('\n') + '\n',
    });
    expect(produced).toMatchObject({ code: 0, stderr: '' });

    const consumed = await runCli('kafka-console-consumer', [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'round-trip', '--from-beginning', '--max-messages', '50',
      '--property', 'print.key=true', '--property', 'print.partition=true', '--timeout-ms', '20000',
    ]);
    expect(consumed.code).toBe(0);
    expect(consumed.stderr).toContain('Processed a total of 50 messages');
    const rows = consumed.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => `${r[1]}:${r[2]}`).sort()).toEqual([...lines].sort());
    const partitionOfKey = new Map<string, string>();
    for (const [partition, key] of rows) {
      expect(partitionOfKey.get(key) ?? partition).toBe(partition);
      partitionOfKey.set(key, partition);
    }

    const one = await runCli('kafka-console-consumer', [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'round-trip', '--partition', rows[0][0].replace('Partition:', ''),
      '--offset', '1', '--max-messages', '1', '--property', 'print.offset=true', '--timeout-ms', '10000',
    ]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Offset:1\tvalue-\d+\n$/);
  });

  it('reads what kcat produced', async () => {
    const input = ['a\tone', 'b\ttwo', 'c\tthree'].join('\n') + '\n';
    const kcat = await runCommand('kcat', ['-b', cluster.bootstrap, '-t', 'from-kcat', '-P', '-K', '\t', '-p', '0'], { input });
    expect(kcat.code).toBe(0);
    const consumed = await runCli('kafka-console-consumer', [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'from-kcat', '--partition', '0', '--offset', 'earliest',
      '--max-messages', '3', '--property', 'print.key=true', '--property', 'print.timestamp=true', '--timeout-ms', '20000',
    ]);
    expect(consumed.code).toBe(0);
    const rows = consumed.stdout.trim().split('\n');
    expect(rows.map((r) => r.replace(/^CreateTime:\d+\t/, ''))).toEqual(['a\tone', 'b\ttwo', 'c\tthree']);
    expect(rows[0]).toMatch(/^CreateTime:\d{13}\t/);
  });

  it('produces what kcat reads, with compression', async () => {
    for (const [codec, topic] of [['snappy', 'to-kcat'], ['zstd', 'zstd-topic']]) {
      const lines = Array.from({ length: 20 }, (_, i) => `k${i}|v${i}`);
      const produced = await runCli('kafka-console-producer', [
        '--broker-list', cluster.bootstrap, '--topic', topic, '--compression-codec', codec, '--request-required-acks', 'all',
        '--property', 'parse.key=true', '--property', 'key.separator=|',
      ], { input: lines.join('\n') });
      expect(produced).toMatchObject({ code: 0, stderr: '' });
      const kcat = await runCommand('kcat', ['-b', cluster.bootstrap, '-t', topic, '-C', '-e', '-f', '%k|%s\n', '-o', 'beginning', '-q']);
      expect(kcat.code).toBe(0);
      expect(kcat.stdout.trim().split('\n').sort()).toEqual([...lines].sort());
    }
  });

  it('exits after --timeout-ms without records', async () => {
    const r = await runCli('kafka-console-consumer', ['--bootstrap-server', cluster.bootstrap, '--topic', 'round-trip', '--timeout-ms', '1000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Processed a total of 0 messages');
  });

  it('fails with exit 1 when a line has no key', async () => {
    const r = await runCli('kafka-console-producer', ['--bootstrap-server', cluster.bootstrap, '--topic', 'round-trip', '--property', 'parse.key=true'], { input: 'no separator here\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No key found on line 1');
  });
});

describe('console tools command-line errors', () => {
  it.each([
    ['kafka-console-producer', ['--topic', 't'], 'Missing required argument "[bootstrap-server]"'],
    ['kafka-console-producer', ['--bootstrap-server', 'localhost:1'], 'Missing required argument "[topic]"'],
    ['kafka-console-producer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--compression-codec', 'brotli'], 'Unknown compression codec'],
    ['kafka-console-producer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--request-required-acks', '2'], 'Invalid value 2 for configuration acks'],
    ['kafka-console-consumer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--offset', '5'], 'The partition is required when offset is specified.'],
    ['kafka-console-consumer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--partition', '0', '--offset', 'x'], "The provided offset value 'x' is incorrect"],
    ['kafka-console-consumer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--partition', '0', '--offset', '1', '--from-beginning'], 'Options from-beginning and offset cannot be specified together.'],
    ['kafka-console-consumer', ['--bootstrap-server', 'localhost:1', '--topic', 't', '--bogus'], "unknown option '--bogus'"],
  ])('%s %j exits 1 with a message and the usage', async (tool, args, message) => {
    const r = await runCli(tool, args as string[]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`Usage: ${tool}`);
  });
});
