// kafka-console-consumer: prints the records of a topic (all its partitions, or one with
// --partition and --offset) in DefaultMessageFormatter's format. Stops after --max-messages,
// or when no record arrived for --timeout-ms (Kafka then logs the TimeoutException and exits
// 0), or on SIGINT/SIGTERM; "Processed a total of N messages" goes to stderr, as in Kafka.
// With --bootstrap-server, consumer groups (--group) are not supported yet: partitions are
// assigned by the tool itself. With --zookeeper (the pre-0.9 consumer) --group joins a
// ZooKeeper-coordinated group: see admin-cli/zk-consumer/.
import { ClusterClient } from './client/cluster-client';
import { PartitionConsumer, type StartOffset } from './client/partition-consumer';
import { formatRecord, formatterOptionsFrom } from './console/message-formatter';
import { collectKeyValue, parseIntOption } from './shared/options';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';
import { runZkConsoleConsumer } from './zk-consumer/zk-console-consumer';

function program() {
  return newProgram('kafka-console-consumer', 'This tool helps to read data from Kafka topics and outputs it to standard output.')
    .option('--bootstrap-server <servers>', 'REQUIRED (unless --zookeeper): The server(s) to connect to.')
    .option('--zookeeper <urls>', 'DEPRECATED, the old (ZooKeeper-coordinated) consumer: the connection string for the zookeeper connection in the form host:port[/chroot].')
    .option('--topic <topic>', 'The topic id to consume on.')
    .option('--partition <n>', 'The partition to consume from. Consumption starts from the end of the partition unless --offset is specified.', parseIntOption('partition', 0))
    .option('--offset <offset>', "The offset id to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end")
    .option('--from-beginning', 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.')
    .option('--max-messages <n>', 'The maximum number of messages to consume before exiting. If not set, consumption is continual.', parseIntOption('max-messages', 1))
    .option('--timeout-ms <ms>', 'If specified, exit if no message is available for consumption for the specified interval.', parseIntOption('timeout-ms', 0))
    .option('--property <prop>', 'The properties to initialize the message formatter: print.timestamp, print.key, print.value, print.partition, print.offset, print.headers, key.separator, line.separator, headers.separator, null.literal', collectKeyValue('property'))
    .option('--consumer-property <prop>', 'A mechanism to pass user-defined properties in the form key=value to the consumer.', collectKeyValue('consumer-property'))
    .option('--isolation-level <level>', 'read_committed or read_uncommitted (default)', 'read_uncommitted')
    .option('--skip-message-on-error', 'If there is an error when processing a message, skip it instead of halt.')
    .option('--group <group>', 'The consumer group id (with --zookeeper only, for now).');
}

function parseOffset(value: string): StartOffset {
  const v = value.trim().toLowerCase();
  if (v === 'earliest' || v === 'latest') return v;
  if (/^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  throw new UsageError(`The provided offset value '${value}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
}

async function main(o: Record<string, unknown>): Promise<number> {
  if (o.zookeeper !== undefined) {
    if (o.bootstrapServer !== undefined) throw new UsageError('Options bootstrap-server and zookeeper cannot be specified together.');
    if (o.topic === undefined) throw new UsageError('Exactly one of whitelist/topic is required.');
    if (o.partition !== undefined || o.offset !== undefined) throw new UsageError('Options partition and offset need --bootstrap-server (the old consumer only consumes as a group).');
    return runZkConsoleConsumer({
      zookeeper: o.zookeeper as string,
      topic: o.topic as string,
      group: o.group as string | undefined,
      fromBeginning: o.fromBeginning === true,
      maxMessages: (o.maxMessages as number | undefined) ?? Infinity,
      timeoutMs: o.timeoutMs as number | undefined,
      formatter: formatterOptionsFrom((o.property as Map<string, string> | undefined) ?? new Map()),
      consumerProperties: (o.consumerProperty as Map<string, string> | undefined) ?? new Map<string, string>(),
    });
  }
  if (o.bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  if (o.topic === undefined) throw new UsageError('Exactly one of whitelist/topic is required.');
  if (o.group !== undefined) throw new UsageError('Consumer groups (--group) are not supported yet by this kafka-console-consumer: omit --group');
  const partition = o.partition as number | undefined;
  if (partition === undefined && o.offset !== undefined) throw new UsageError('The partition is required when offset is specified.');
  if (partition !== undefined && o.offset !== undefined && o.fromBeginning) throw new UsageError('Options from-beginning and offset cannot be specified together.');
  const start: StartOffset = o.offset !== undefined ? parseOffset(o.offset as string) : o.fromBeginning ? 'earliest' : 'latest';
  const isolation = (o.isolationLevel as string).toLowerCase();
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') throw new UsageError(`Invalid --isolation-level ${o.isolationLevel}`);
  const topic = o.topic as string;
  const formatter = formatterOptionsFrom((o.property as Map<string, string> | undefined) ?? new Map());
  const maxMessages = (o.maxMessages as number | undefined) ?? Infinity;
  const timeoutMs = o.timeoutMs as number | undefined;
  const consumerProps = (o.consumerProperty as Map<string, string> | undefined) ?? new Map<string, string>();
  const reset = consumerProps.get('auto.offset.reset') ?? (o.fromBeginning ? 'earliest' : 'latest');

  const client = await ClusterClient.connect(o.bootstrapServer as string, { clientId: 'console-consumer' });
  const consumer = new PartitionConsumer(client, {
    maxWaitMs: Math.min(500, timeoutMs ?? 500),
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
    autoOffsetReset: reset === 'earliest' || reset === 'none' ? reset : 'latest',
  });
  let processed = 0;
  let stopping = false;
  const report = () => process.stderr.write(`Processed a total of ${processed} messages\n`);
  const onSignal = () => {
    stopping = true;
    report();
    process.stdout.write('', () => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (partition === undefined) await consumer.assignTopic(topic, start === 'earliest' ? 'earliest' : 'latest');
    else await consumer.assign([{ topic, partition, offset: start }]);
    let lastRecordAt = Date.now();
    while (!stopping && processed < maxMessages) {
      const records = await consumer.poll();
      if (stopping) break;
      if (records.length === 0) {
        if (timeoutMs !== undefined && Date.now() - lastRecordAt >= timeoutMs) {
          process.stderr.write('ERROR Error processing message, terminating consumer process: org.apache.kafka.common.errors.TimeoutException\n');
          break;
        }
        continue;
      }
      lastRecordAt = Date.now();
      const parts: Buffer[] = [];
      for (const r of records) {
        if (processed >= maxMessages) break;
        formatRecord(r, formatter, parts);
        processed++;
      }
      if (!process.stdout.write(Buffer.concat(parts))) await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  } finally {
    client.close();
  }
  if (!stopping) report();
  return 0;
}

if (require.main === module) void runTool(program(), process.argv.slice(2), main);
