// kafka-consumer-perf-test: Kafka 2.4's ConsumerPerformance on Zafka's client. Same flags
// (--broker-list, or 2.5's --bootstrap-server; --topic --messages --timeout --from-latest
// --fetch-size --reporting-interval --show-detailed-stats --date-format --hide-header), the
// same CSV header and lines, and the same timeout warning. Partitions are assigned directly
// (no group membership, no offset commits): rebalance.time.ms is the time to look up the
// partitions and their start offsets.
import { Option } from 'commander';
import { ClusterClient, PartitionConsumer } from './client';
import { loadPropertiesFile } from './perf/client-properties';
import { javaFixed, simpleDateFormat } from './perf/java-format';
import { parseIntOption } from './shared/options';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const MB = 1024 * 1024;

function program() {
  return newProgram('kafka-consumer-perf-test', 'This tool helps in performance test for the full zookeeper consumer')
    .option('--broker-list <host>', 'REQUIRED: The server(s) to connect to.')
    .addOption(new Option('--bootstrap-server <host>', 'The server(s) to connect to (Kafka 2.5+ name of --broker-list).'))
    .option('--topic <topic>', 'REQUIRED: The topic to consume from.')
    .option('--messages <count>', 'REQUIRED: The number of messages to send or consume', parseIntOption('messages', 0, Number.MAX_SAFE_INTEGER))
    .option('--group <gid>', 'The group id to consume on (accepted; partitions are assigned without a group).', `perf-consumer-${Math.floor(Math.random() * 100000)}`)
    .option('--fetch-size <size>', 'The amount of data to fetch in a single request.', parseIntOption('fetch-size', 1), 1024 * 1024)
    .option('--from-latest', 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.')
    .option('--socket-buffer-size <size>', 'The size of the tcp RECV size (accepted, not used).', parseIntOption('socket-buffer-size'), 2 * 1024 * 1024)
    .option('--threads <count>', 'Number of processing threads (accepted, not used).', parseIntOption('threads'), 10)
    .option('--num-fetch-threads <count>', 'Number of fetcher threads (accepted, not used).', parseIntOption('num-fetch-threads'), 1)
    .option('--consumer.config <config file>', 'Consumer config properties file.')
    .option('--print-metrics', 'Print out the metrics.')
    .option('--show-detailed-stats', 'If set, stats are reported for each reporting interval as configured by reporting-interval')
    .option('--timeout [milliseconds]', 'The maximum allowed time in milliseconds between returned records.', parseIntOption('timeout', 0, Number.MAX_SAFE_INTEGER), 10000)
    .option('--reporting-interval <interval_ms>', 'Interval in milliseconds at which to print progress info.', parseIntOption('reporting-interval'), 5000)
    .option('--date-format <date format>', 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.', 'yyyy-MM-dd HH:mm:ss:SSS')
    .option('--hide-header', 'If set, skips printing the header for the stats ');
}

const HEADER_TAIL = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

async function main(opts: Record<string, unknown>): Promise<number> {
  const bootstrap = (opts.brokerList ?? opts.bootstrapServer) as string | undefined;
  const missing = [['topic', opts.topic], ['messages', opts.messages], ['broker-list', bootstrap]].find(([, v]) => v === undefined);
  if (missing) throw new UsageError(`Missing required argument "[${missing[0]}]"`);
  const reportingInterval = opts.reportingInterval as number;
  if (reportingInterval <= 0) throw new Error('Reporting interval must be greater than 0.');
  const out = (s: string) => void process.stdout.write(s);
  const detailed = Boolean(opts.showDetailedStats);
  const dateFormat = opts.dateFormat as string;
  const count = opts.messages as number;
  const timeout = typeof opts.timeout === 'number' ? opts.timeout : 10000;
  const props = opts['consumer.config'] !== undefined ? loadPropertiesFile(opts['consumer.config'] as string) : new Map<string, string>();
  if (!opts.hideHeader) {
    out(`${detailed ? 'time, threadId' : 'start.time, end.time'}, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${HEADER_TAIL}\n`);
  }

  const client = await ClusterClient.connect(bootstrap!, { clientId: props.get('client.id') ?? 'consumer-1' });
  try {
    const consumer = new PartitionConsumer(client, {
      partitionMaxBytes: opts.fetchSize as number,
      autoOffsetReset: opts.fromLatest ? 'latest' : 'earliest',
      checkCrcs: false,
      maxWaitMs: props.has('fetch.max.wait.ms') ? Number(props.get('fetch.max.wait.ms')) : undefined,
      minBytes: props.has('fetch.min.bytes') ? Number(props.get('fetch.min.bytes')) : undefined,
    });
    const startMs = Date.now();
    await consumer.assignTopic(opts.topic as string, opts.fromLatest ? 'latest' : 'earliest');
    const joinTime = Date.now() - startMs;
    let joinTimeInRound = joinTime;

    let bytesRead = 0;
    let messagesRead = 0;
    let lastBytesRead = 0;
    let lastMessagesRead = 0;
    let now = Date.now();
    let lastReportTime = now;
    let lastConsumedTime = now;
    while (messagesRead < count && now - lastConsumedTime <= timeout) {
      const records = await consumer.poll();
      now = Date.now();
      if (records.length > 0) lastConsumedTime = now;
      for (const r of records) {
        messagesRead++;
        if (r.key) bytesRead += r.key.length;
        if (r.value) bytesRead += r.value.length;
        if (now - lastReportTime >= reportingInterval) {
          if (detailed) out(`${progressLine(bytesRead, lastBytesRead, messagesRead, lastMessagesRead, lastReportTime, now, dateFormat, joinTimeInRound)}\n`);
          joinTimeInRound = 0;
          lastReportTime = now;
          lastMessagesRead = messagesRead;
          lastBytesRead = bytesRead;
        }
      }
    }
    if (messagesRead < count) {
      out(`WARNING: Exiting before consuming the expected number of messages: timeout (${timeout} ms) exceeded. You can use the --timeout option to increase the timeout.\n`);
    }
    const endMs = Date.now();
    const elapsedSecs = (endMs - startMs) / 1000;
    const fetchTimeMs = endMs - startMs - joinTime;
    if (!detailed) {
      const mb = bytesRead / MB;
      out(
        [
          simpleDateFormat(dateFormat, startMs),
          simpleDateFormat(dateFormat, endMs),
          javaFixed(mb, 4),
          javaFixed(mb / elapsedSecs, 4),
          String(messagesRead),
          javaFixed(messagesRead / elapsedSecs, 4),
          String(joinTime),
          String(fetchTimeMs),
          javaFixed(mb / (fetchTimeMs / 1000), 4),
          javaFixed(messagesRead / (fetchTimeMs / 1000), 4),
        ].join(', ') + '\n',
      );
    }
    if (opts.printMetrics) process.stderr.write("--print-metrics: Zafka's client keeps no Kafka metrics registry; nothing to print.\n");
    return 0;
  } finally {
    client.close();
  }
}

/** printBasicProgress + printExtendedProgress of ConsumerPerformance (thread id 0). */
function progressLine(bytesRead: number, lastBytesRead: number, messagesRead: number, lastMessagesRead: number, startMs: number, endMs: number, dateFormat: string, joinTimeMs: number): string {
  const elapsedMs = endMs - startMs;
  const intervalMb = (bytesRead - lastBytesRead) / MB;
  const basic = [simpleDateFormat(dateFormat, endMs), '0', javaFixed(bytesRead / MB, 4), javaFixed((1000 * intervalMb) / elapsedMs, 4), String(messagesRead), javaFixed(((messagesRead - lastMessagesRead) / elapsedMs) * 1000, 4)];
  const fetchTimeMs = elapsedMs - joinTimeMs;
  const [mbPerSec, msgPerSec] = fetchTimeMs <= 0 ? [0, 0] : [(1000 * intervalMb) / fetchTimeMs, (1000 * (messagesRead - lastMessagesRead)) / fetchTimeMs];
  return [...basic, String(joinTimeMs), String(fetchTimeMs), javaFixed(mbPerSec, 4), javaFixed(msgPerSec, 4)].join(', ');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    process.stderr.write('This tool helps in performance test for the full zookeeper consumer\n');
    process.stderr.write(program().helpInformation());
    process.exit(1);
  }
  void runTool(program(), argv, main);
}
