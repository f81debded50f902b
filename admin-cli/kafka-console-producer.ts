// kafka-console-producer: reads stdin line by line and produces each line as a record
// (LineMessageReader: parse.key / key.separator / ignore.error). Records are batched
// (--batch-size records or --max-partition-memory-bytes bytes, --timeout linger ms) and the
// tool exits 0 only when every record was acknowledged; failures go to stderr, exit 1.
import * as readline from 'readline';
import { ClusterClient } from './client/cluster-client';
import { Producer } from './client/producer';
import { LineMessageReader, LineParseError } from './console/line-reader';
import { parseAcks, parseCompressionCodec } from './shared/compression-option';
import { collectKeyValue, parseIntOption } from './shared/options';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

function program() {
  return newProgram('kafka-console-producer', 'Read data from standard input and publish it to Kafka.')
    .option('--bootstrap-server <servers>', 'The server(s) to connect to: host:port[,host:port]')
    .option('--broker-list <servers>', 'The broker list string in the form HOST1:PORT1,HOST2:PORT2.')
    .option('--topic <topic>', 'The topic id to produce messages to.')
    .option('--sync', 'If set message send requests to the brokers are synchronously, one at a time as they arrive.')
    .option('--compression-codec [codec]', "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'")
    .option('--batch-size <n>', 'Number of messages to send in a single batch if they are not being sent synchronously.', parseIntOption('batch-size', 1), 200)
    .option('--max-partition-memory-bytes <bytes>', 'The buffer size allocated for a partition (batch.size).', parseIntOption('max-partition-memory-bytes', 1), 16384)
    .option('--max-memory-bytes <bytes>', 'The total memory used by the producer to buffer records.', parseIntOption('max-memory-bytes', 1), 33554432)
    .option('--timeout <ms>', 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size (linger.ms).', parseIntOption('timeout', 0), 1000)
    .option('--linger-ms <ms>', 'Alias of --timeout.', parseIntOption('linger-ms', 0))
    .option('--request-required-acks <acks>', 'The required acks of the producer requests', '1')
    .option('--request-timeout-ms <ms>', 'The ack timeout of the producer requests.', parseIntOption('request-timeout-ms', 1), 1500)
    .option('--message-send-max-retries <n>', 'Retries before the producer gives up on a record.', parseIntOption('message-send-max-retries', 0), 3)
    .option('--retry-backoff-ms <ms>', 'Backoff before each retry and metadata refresh.', parseIntOption('retry-backoff-ms', 0), 100)
    .option('--property <prop>', 'A mechanism to pass user-defined properties in the form key=value to the message reader: parse.key, key.separator, ignore.error.', collectKeyValue('property'))
    .option('--producer-property <prop>', 'A mechanism to pass user-defined properties in the form key=value to the producer.', collectKeyValue('producer-property'));
}

async function main(o: Record<string, unknown>): Promise<number> {
  const servers = (o.bootstrapServer ?? o.brokerList) as string | undefined;
  if (servers === undefined) throw new UsageError('Missing required argument "[bootstrap-server]" (or --broker-list)');
  if (o.topic === undefined) throw new UsageError('Missing required argument "[topic]"');
  const topic = o.topic as string;
  const props = (o.property as Map<string, string> | undefined) ?? new Map<string, string>();
  const producerProps = (o.producerProperty as Map<string, string> | undefined) ?? new Map<string, string>();
  const acks = parseAcks(producerProps.get('acks') ?? (o.requestRequiredAcks as string));
  const compression = parseCompressionCodec((producerProps.get('compression.type') as string | undefined) ?? (o.compressionCodec as string | boolean | undefined));
  const reader = new LineMessageReader(props);
  const retryBackoffMs = o.retryBackoffMs as number;

  const client = await ClusterClient.connect(servers, { clientId: 'console-producer', retryBackoffMs, requestTimeoutMs: Math.max(o.requestTimeoutMs as number, 30000) });
  const producer = new Producer(client, {
    acks,
    compression,
    maxBatchRecords: o.sync ? 1 : (o.batchSize as number),
    batchSize: o.maxPartitionMemoryBytes as number,
    bufferMemory: o.maxMemoryBytes as number,
    lingerMs: o.sync ? 0 : ((o.lingerMs ?? o.timeout) as number),
    requestTimeoutMs: o.requestTimeoutMs as number,
    retries: o.messageSendMaxRetries as number,
  });
  let failed = 0;
  const onResult = (err: Error | null) => {
    if (err === null) return;
    failed++;
    process.stderr.write(`ERROR Error when sending message to topic ${topic}: ${err.message}\n`);
  };
  let exitCode = 0;
  try {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    for await (const line of lines) {
      const { key, value } = reader.read(line);
      if (o.sync) {
        await producer.send({ topic, key, value }).then(() => undefined, onResult);
      } else if (!producer.append({ topic, key, value }, onResult)) {
        await producer.waitForRoom();
      }
    }
  } catch (err) {
    if (!(err instanceof LineParseError)) throw err;
    process.stderr.write(`ERROR ${err.message}\n`);
    exitCode = 1;
  } finally {
    await producer.close();
    client.close();
  }
  return failed > 0 ? 1 : exitCode;
}

if (require.main === module) void runTool(program(), process.argv.slice(2), main);
