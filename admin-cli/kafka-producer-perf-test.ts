// kafka-producer-perf-test: Kafka 2.4's ProducerPerformance on Zafka's client. Same flags
// (--topic --num-records --record-size | --payload-file --throughput --producer-props k=v ... |
// --producer.config), same payload bytes (java.util.Random(0)), same throttling, and the same
// window and summary lines, so scripts that parse Kafka's output parse this one.
import * as fs from 'fs';
import * as path from 'path';
import { ClusterClient, Producer } from './client';
import { bootstrapServers, loadPropertiesFile, producerOptions } from './perf/client-properties';
import { JavaRandom } from './perf/java-random';
import { ProducerStats } from './perf/producer-stats';
import { ThroughputThrottler } from './perf/throughput-throttler';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const REPORTING_INTERVAL_MS = 5000;

function program() {
  return newProgram('producer-performance', 'This tool is used to verify the producer performance.')
    .option('--topic <TOPIC>', 'produce messages to this topic')
    .option('--num-records <NUM-RECORDS>', 'number of messages to produce')
    .option('--record-size <RECORD-SIZE>', 'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file.')
    .option('--payload-file <PAYLOAD-FILE>', 'file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file.')
    .option('--payload-delimiter <PAYLOAD-DELIMITER>', 'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.', '\\n')
    .option('--throughput <THROUGHPUT>', 'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.')
    .option('--producer-props <PROP-NAME=PROP-VALUE...>', 'kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.')
    .option('--producer.config <CONFIG-FILE>', 'producer config properties file.')
    .option('--print-metrics', 'print out metrics at the end of the test.')
    .option('--transactional-id <TRANSACTIONAL-ID>', 'The transactionalId to use if transaction-duration-ms is > 0.', 'performance-producer-default-transactional-id')
    .option('--transaction-duration-ms <TRANSACTION-DURATION>', 'The max age of each transaction. Transactions are only enabled if this value is positive.', '0');
}

/** argparse4j's messages: "argument --x: could not convert 'y' to Long". */
function integer(name: string, value: unknown, type: 'Integer' | 'Long'): number {
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  const limit = type === 'Integer' ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || Math.abs(n) > limit) throw new UsageError(`argument --${name}: could not convert '${String(value)}' to ${type}`);
  return n;
}

function payloads(opts: Record<string, unknown>, random: JavaRandom, out: (l: string) => void): { fixed: Buffer | null; list: Buffer[] } {
  if (opts.recordSize !== undefined && opts.payloadFile !== undefined) throw new UsageError('argument --payload-file: not allowed with argument --record-size');
  if (opts.recordSize === undefined && opts.payloadFile === undefined) throw new UsageError('one of the arguments --record-size --payload-file is required');
  if (opts.recordSize !== undefined) {
    const size = integer('record-size', opts.recordSize, 'Integer');
    if (size < 0) throw new UsageError(`argument --record-size: negative size ${size}`);
    const fixed = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) fixed[i] = random.nextInt(26) + 65;
    return { fixed, list: [] };
  }
  const file = path.resolve(opts.payloadFile as string);
  out(`Reading payloads from: ${file}`);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) throw new Error('File does not exist or empty file provided.');
  const delimiter = opts.payloadDelimiter === '\\n' ? '\n' : (opts.payloadDelimiter as string);
  // Java's String.split drops trailing empty strings.
  const parts = fs.readFileSync(file, 'utf8').split(delimiter);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  out(`Number of messages read: ${parts.length}`);
  return { fixed: null, list: parts.map((p) => Buffer.from(p, 'utf8')) };
}

async function main(opts: Record<string, unknown>): Promise<number> {
  for (const [k, name] of [['topic', 'topic'], ['numRecords', 'num-records'], ['throughput', 'throughput']]) {
    if (opts[k] === undefined) throw new UsageError(`argument --${name} is required`);
  }
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  const topic = opts.topic as string;
  const numRecords = integer('num-records', opts.numRecords, 'Long');
  const throughput = integer('throughput', opts.throughput, 'Integer');
  if (integer('transaction-duration-ms', opts.transactionDurationMs, 'Long') > 0) throw new UsageError('Transactions are not supported by Zafka (--transaction-duration-ms must be 0)');
  const propsList = opts.producerProps as string[] | undefined;
  const configFile = opts['producer.config'] as string | undefined;
  if (propsList === undefined && configFile === undefined) throw new UsageError('Either --producer-props or --producer.config must be specified.');
  const random = new JavaRandom(0);
  const { fixed, list } = payloads(opts, random, out);

  const props = configFile !== undefined ? loadPropertiesFile(configFile) : new Map<string, string>();
  for (const prop of propsList ?? []) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new Error(`Invalid property: ${prop}`);
    props.set(pieces[0], pieces[1]);
  }
  const client = await ClusterClient.connect(bootstrapServers(props), { clientId: props.get('client.id') ?? 'producer-1' });
  const producer = new Producer(client, producerOptions(props));
  const stats = new ProducerStats(numRecords, REPORTING_INTERVAL_MS, out);
  const throttler = new ThroughputThrottler(throughput, Date.now());
  try {
    for (let i = 0; i < numRecords; i++) {
      const payload = fixed ?? list[random.nextInt(list.length)];
      const sendStartMs = Date.now();
      const iteration = i;
      const room = producer.append({ topic, value: payload }, (err) => {
        const now = Date.now();
        stats.record(iteration, now - sendStartMs, payload.length, now);
        if (err) process.stderr.write(`${err.stack ?? err.message}\n`);
      });
      // The sender runs on this thread: let it work now and then, and wait when the buffer is full.
      if (!room) await producer.waitForRoom();
      else if ((i & 255) === 255) await new Promise((r) => setImmediate(r));
      if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle();
    }
    await producer.close();
    stats.printTotal();
    if (opts.printMetrics) process.stderr.write("--print-metrics: Zafka's client keeps no Kafka metrics registry; nothing to print.\n");
    return 0; // Kafka exits 0 too; failed sends were printed above
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    process.stdout.write(program().helpInformation());
    process.exit(0);
  }
  void runTool(program(), argv, main);
}
