// kafka-verifiable-producer: Kafka 2.4's VerifiableProducer (the system tests' producer) on
// Zafka's client. Produces "0", "1", ... (or "<prefix>.<n>") with optional repeating keys, and
// prints one JSON line per event exactly as Kafka's Jackson output: startup_complete, each
// producer_send_success / producer_send_error (Jackson's property order, checked against Kafka
// 2.4's tool), shutdown_complete and tool_data (also on SIGINT /
// SIGTERM, as Kafka's shutdown hook does). No retries, acks -1 by default, as Kafka sets them.
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaError } from '../broker/protocol/kafka-error';
import { ClusterClient, Producer } from './client';
import { loadPropertiesFile, producerOptions } from './perf/client-properties';
import { javaDouble } from './perf/java-format';
import { ThroughputThrottler } from './perf/throughput-throttler';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const DESCRIPTION =
  'This tool produces increasing integers to the specified topic and prints JSON metadata to stdout on each "send" request, making externally visible which messages have been acked and which have not.';

function program() {
  return newProgram('verifiable-producer', DESCRIPTION)
    .option('--topic <TOPIC>', 'Produce messages to this topic.')
    .option('--broker-list <HOST1:PORT1[,HOST2:PORT2[...]]>', 'Comma-separated list of Kafka brokers in the form HOST1:PORT1,HOST2:PORT2,...')
    .option('--max-messages <MAX-MESSAGES>', 'Produce this many messages. If -1, produce messages until the process is killed externally.', '-1')
    .option('--throughput <THROUGHPUT>', 'If set >= 0, throttle maximum message throughput to *approximately* THROUGHPUT messages/sec.', '-1')
    .option('--acks <ACKS>', 'Acks required on each produced message. See Kafka docs on acks for details.', '-1')
    .option('--producer.config <CONFIG_FILE>', 'Producer config properties file.')
    .option('--message-create-time <CREATETIME>', 'Send messages with creation time starting at the arguments value, in milliseconds since epoch', '-1')
    .option('--value-prefix <VALUE-PREFIX>', 'If specified, each produced value will have this prefix with a dot separator')
    .option('--repeating-keys <REPEATING-KEYS>', 'If specified, each produced record will have a key starting at 0 increment by 1 up to the number specified (exclusive), then the key is set to 0 again');
}

function int(name: string, value: unknown, type = 'Integer'): number {
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || (type === 'Integer' && Math.abs(n) > 0x7fffffff)) throw new UsageError(`argument --${name}: could not convert '${String(value)}' to ${type}`);
  return n;
}

/** Jackson's output: {"timestamp":..,"name":..,...} with the subclass properties after. */
function event(name: string, fields: Array<[string, string | number | null]> = []): string {
  const parts = [`"timestamp":${Date.now()}`, `"name":${JSON.stringify(name)}`];
  for (const [k, v] of fields) parts.push(`${JSON.stringify(k)}:${typeof v === 'number' ? v : JSON.stringify(v)}`);
  return `{${parts.join(',')}}`;
}

async function main(opts: Record<string, unknown>): Promise<number> {
  if (opts.topic === undefined) throw new UsageError('argument --topic is required');
  if (opts.brokerList === undefined) throw new UsageError('argument --broker-list is required');
  const topic = opts.topic as string;
  const maxMessages = int('max-messages', opts.maxMessages);
  const throughput = int('throughput', opts.throughput);
  const acks = int('acks', opts.acks);
  if (![0, 1, -1].includes(acks)) throw new UsageError(`argument --acks: invalid choice: '${acks}' (choose from 0, 1, -1)`);
  let createTime: number | null = int('message-create-time', opts.messageCreateTime, 'Long');
  if (createTime === -1) createTime = null;
  const valuePrefix = opts.valuePrefix === undefined ? null : int('value-prefix', opts.valuePrefix);
  const repeatingKeys = opts.repeatingKeys === undefined ? null : int('repeating-keys', opts.repeatingKeys);

  const props = new Map<string, string>([['acks', String(acks)], ['retries', '0']]);
  if (opts['producer.config'] !== undefined) for (const [k, v] of loadPropertiesFile(opts['producer.config'] as string)) props.set(k, v);
  const print = (line: string) => void process.stdout.write(`${line}\n`);
  const client = await ClusterClient.connect(opts.brokerList as string, { clientId: props.get('client.id') ?? 'producer-1' });
  const producer = new Producer(client, producerOptions(props));
  const startMs = Date.now();
  let numSent = 0;
  let numAcked = 0;
  let stop = false;
  let finished: Promise<void> | null = null;
  const finish = () => {
    stop = true;
    finished ??= (async () => {
      await producer.close();
      print(event('shutdown_complete'));
      const avg = (1000 * numAcked) / (Date.now() - startMs);
      print(`{"timestamp":${Date.now()},"name":"tool_data","sent":${numSent},"acked":${numAcked},"target_throughput":${throughput},"avg_throughput":${javaDouble(avg)}}`);
      client.close();
    })();
    return finished;
  };
  process.once('SIGINT', () => void finish().then(() => process.exit(0)));
  process.once('SIGTERM', () => void finish().then(() => process.exit(0)));

  print(event('startup_complete'));
  const throttler = new ThroughputThrottler(throughput, startMs);
  let keyCounter = 0;
  const limit = maxMessages < 0 ? Number.MAX_SAFE_INTEGER : maxMessages;
  for (let i = 0; i < limit && !stop; i++) {
    const sendStartMs = Date.now();
    let key: string | null = null;
    if (repeatingKeys !== null) {
      key = String(keyCounter++);
      if (keyCounter === repeatingKeys) keyCounter = 0;
    }
    const value = valuePrefix !== null ? `${valuePrefix}.${i}` : String(i);
    const timestamp = createTime ?? undefined;
    if (createTime !== null) createTime += Date.now() - startMs; // as Kafka's (odd) rule: grows by the elapsed time
    numSent++;
    const room = producer.append({ topic, key, value, timestamp }, (err, md) => {
      if (err) {
        print(event('producer_send_error', [['topic', topic], ['key', key], ['value', value], ['exception', `class ${javaExceptionName(err)}`], ['message', err.message]]));
      } else {
        numAcked++;
        print(event('producer_send_success', [['key', key], ['value', value], ['offset', md!.offset], ['topic', md!.topic], ['partition', md!.partition]]));
      }
    });
    if (!room) await producer.waitForRoom();
    else if ((i & 255) === 255) await new Promise((r) => setImmediate(r));
    if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle();
  }
  await finish();
  return 0;
}

/**
 * The Java exception class Kafka's client would report, derived from the error name
 * (NOT_ENOUGH_REPLICAS -> org.apache.kafka.common.errors.NotEnoughReplicasException); the
 * message is Zafka's client's own.
 */
function javaExceptionName(err: Error): string {
  const name = err instanceof KafkaError ? ErrorCode[err.code] : undefined;
  if (!name || name === 'UNKNOWN_SERVER_ERROR') return 'org.apache.kafka.common.KafkaException';
  return `org.apache.kafka.common.errors.${name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}Exception`;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    process.stdout.write(program().helpInformation());
    process.exit(0);
  }
  void runTool(program(), argv, main);
}
