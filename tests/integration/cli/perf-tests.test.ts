// kafka-producer-perf-test, kafka-consumer-perf-test and kafka-verifiable-producer against a real broker: the records
// really arrive (counted by consuming them back), the payload is Kafka's (java.util.Random(0)
// letters), and the summary/CSV lines match the formats Kafka 2.4 prints, field by field, so
// scripts that parse Kafka's output parse these. No timing is asserted.
import { TestCluster } from '../../helpers/cluster';
import { kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { runCli } from './run-cli';

jest.setTimeout(180000);

const PRODUCER_TOTAL =
  /^(\d+) records sent, (\d+\.\d{6}|Infinity) records\/sec \((\d+\.\d{2}|Infinity) MB\/sec\), (\d+\.\d{2}) ms avg latency, (\d+\.\d{2}) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/;
const PRODUCER_WINDOW = /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/;
const CSV_HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const NUM4 = '(?:\\d+\\.\\d{4}|Infinity|NaN)';
const CSV_LINE = new RegExp(`^(${DATE}), (${DATE}), (${NUM4}), ${NUM4}, (\\d+), ${NUM4}, (\\d+), (-?\\d+), ${NUM4}, ${NUM4}$`);

/** new java.util.Random(0), 100 x (char) (nextInt(26) + 65), as printed by a Java 17 run. */
const JAVA_RANDOM_0_PAYLOAD_100 = 'SSXVNJHPDQDXVCRASTVYBCWVMGNYKRXVZXKGXTSPSJDGYLUEGQFLAQLOCFLJBEPOWFNSOMYARHAOPUFOJHHDXEHXJBHWGSMZJGNL';

describe('perf tests', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'perf', numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kafka-producer-perf-test sends every record with Kafka\'s payload and prints Kafka\'s summary line', async () => {
    const r = await runCli('kafka-producer-perf-test', [
      '--topic', 'perf', '--num-records', '3000', '--record-size', '100', '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${cluster.bootstrap}`, 'acks=all', 'linger.ms=5', 'compression.type=lz4',
    ], { timeoutMs: 120000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(PRODUCER_WINDOW);
    const m = PRODUCER_TOTAL.exec(lines[lines.length - 1]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(3000);
    const [p50, p95, p99, p999] = [m![6], m![7], m![8], m![9]].map(Number);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(p999);
    expect(p999).toBeLessThanOrEqual(Number(m![5]));

    // The records are there, each Kafka's payload: 100 letters from java.util.Random(0) (computed with Java).
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('perf');
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(3000);
    const consumer = kafkajs(cluster.bootstrap).consumer({ groupId: 'perf-check', ...TEST_CONSUMER_FETCH });
    await consumer.connect();
    await consumer.subscribe({ topic: 'perf', fromBeginning: true });
    const value = await new Promise<Buffer>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!) });
    });
    await consumer.disconnect();
    expect(value.length).toBe(100);
    expect(value.toString('latin1')).toBe(JAVA_RANDOM_0_PAYLOAD_100);
  });

  it('kafka-consumer-perf-test consumes --messages and prints the CSV header and line of Kafka 2.4', async () => {
    const r = await runCli('kafka-consumer-perf-test', ['--broker-list', cluster.bootstrap, '--topic', 'perf', '--messages', '3000', '--timeout', '20000'], { timeoutMs: 120000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.length).toBe(2);
    const m = CSV_LINE.exec(lines[1]);
    expect(m).not.toBeNull();
    expect(Number(m![4])).toBe(3000);
    expect(Number(m![3])).toBeCloseTo((3000 * 100) / (1024 * 1024), 3);

    // Fewer records than asked: the timeout warning, then the line, as Kafka prints them.
    const short = await runCli('kafka-consumer-perf-test', ['--bootstrap-server', cluster.bootstrap, '--topic', 'perf', '--messages', '5000', '--timeout', '2000', '--hide-header']);
    const shortLines = short.stdout.trimEnd().split('\n');
    expect(shortLines[0]).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (2000 ms) exceeded. You can use the --timeout option to increase the timeout.');
    expect(Number(CSV_LINE.exec(shortLines[1])![4])).toBe(3000);
  });

  it('kafka-verifiable-producer prints Kafka\'s JSON events: every send acked with its offset, failures as producer_send_error', async () => {
    const r = await runCli('kafka-verifiable-producer', ['--topic', 'verifiable', '--broker-list', cluster.bootstrap, '--max-messages', '5', '--repeating-keys', '2', '--value-prefix', '3']);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.name)).toEqual(['startup_complete', ...Array(5).fill('producer_send_success'), 'shutdown_complete', 'tool_data']);
    const sends = events.slice(1, 6);
    expect(sends.map((e) => [e.key, e.value])).toEqual([['0', '3.0'], ['1', '3.1'], ['0', '3.2'], ['1', '3.3'], ['0', '3.4']]);
    // Jackson's property order in Kafka 2.4's tool (checked against it): offset before topic and partition.
    expect(Object.keys(sends[0])).toEqual(['timestamp', 'name', 'key', 'value', 'offset', 'topic', 'partition']);
    expect(new Set(sends.map((e) => `${e.partition}:${e.offset}`)).size).toBe(5);
    expect(events[7]).toMatchObject({ sent: 5, acked: 5, target_throughput: -1 });
    expect(r.stdout).toMatch(/"avg_throughput":\d+\.\d+(E\d+)?\}\n$/);

    // acks=-1 with min.insync.replicas=2 on one broker: NOT_ENOUGH_REPLICAS, not retried (retries=0).
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'verifiable-strict', numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();
    const failed = await runCli('kafka-verifiable-producer', ['--topic', 'verifiable-strict', '--broker-list', cluster.bootstrap, '--max-messages', '1']);
    const error = JSON.parse(failed.stdout.split('\n')[1]);
    expect(Object.keys(error)).toEqual(['timestamp', 'name', 'topic', 'key', 'value', 'exception', 'message']);
    expect(error).toMatchObject({ name: 'producer_send_error', topic: 'verifiable-strict', key: null, value: '0', exception: 'class org.apache.kafka.common.errors.NotEnoughReplicasException' });
    expect(JSON.parse(failed.stdout.trimEnd().split('\n').pop()!)).toMatchObject({ name: 'tool_data', sent: 1, acked: 0 });
  });

  it('refuses bad command lines as Kafka does (exit 1)', async () => {
    const noProps = await runCli('kafka-producer-perf-test', ['--topic', 'perf', '--num-records', '1', '--record-size', '1', '--throughput', '-1']);
    expect(noProps.code).toBe(1);
    expect(noProps.stderr).toContain('Either --producer-props or --producer.config must be specified.');
    const both = await runCli('kafka-producer-perf-test', ['--topic', 'perf', '--num-records', '1', '--record-size', '1', '--payload-file', '/etc/hostname', '--throughput', '-1', '--producer-props', 'bootstrap.servers=x:1']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('not allowed with argument --record-size');
    const noTopic = await runCli('kafka-consumer-perf-test', ['--broker-list', cluster.bootstrap, '--messages', '1']);
    expect(noTopic.code).toBe(1);
    expect(noTopic.stderr).toContain('Missing required argument "[topic]"');
  });
});
