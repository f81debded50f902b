// kafka-log-dirs: each broker's log directories and the size and lag of every replica in them
// (DescribeLogDirs), as Kafka 2.4's LogDirsCommand:
//   Querying brokers for log directories information
//   Received log directory information from brokers 0,1
//   {"version":1,"brokers":[{"broker":0,"logDirs":[{"logDir":"/d","error":null,"partitions":[...]}]}]}
// --broker-list defaults to every broker in the cluster; --topic-list filters partitions.
import { ClusterClient } from './client/cluster-client';
import { describeLogDirs } from './client/describe-log-dirs';
import { formatLogDirsJson } from './log-dirs/log-dirs-json';
import { adminClientOptions } from './shared/admin-client-config';
import { newProgram, runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const TIMEOUT_MS = 30000;
const DESCRIPTION = 'This tool helps to query log directory usage on the specified brokers.';

function program() {
  return newProgram('kafka-log-dirs', DESCRIPTION)
    .option('--bootstrap-server <The server(s) to use for bootstrapping>', 'REQUIRED: the server(s) to use for bootstrapping')
    .option('--command-config <Admin client property file>', 'Property file containing configs to be passed to Admin Client.')
    .option('--describe', 'Describe the specified log directories on the specified brokers.')
    .option('--topic-list <Topic list>', 'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified', '')
    .option('--broker-list <Broker list>', 'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified');
}

interface Options {
  bootstrapServer?: string;
  commandConfig?: string;
  describe?: boolean;
  topicList: string;
  brokerList?: string;
}

function parseBrokerList(value: string): number[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
      if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) throw new UsageError(`Invalid broker id '${s}' in --broker-list (expected "0,1,2")`);
      return n;
    });
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const o = raw as unknown as Options;
  if (o.bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  if (o.describe !== true) throw new UsageError('Missing required argument "[describe]"');
  const topics = new Set(o.topicList.split(',').filter((t) => t !== ''));
  const asked = o.brokerList === undefined ? null : parseBrokerList(o.brokerList);
  const clientOptions = adminClientOptions(o.commandConfig, { clientId: 'log-dirs-tool', requestTimeoutMs: TIMEOUT_MS });
  const client = await ClusterClient.connect(o.bootstrapServer, clientOptions);
  try {
    const brokers = asked ?? [...client.metadata.brokers.keys()].sort((a, b) => a - b);
    process.stdout.write('Querying brokers for log directories information\n');
    const byBroker = await describeLogDirs(client, [...new Set(brokers)], clientOptions.requestTimeoutMs ?? TIMEOUT_MS);
    process.stdout.write(`Received log directory information from brokers ${brokers.join(',')}\n`);
    process.stdout.write(`${formatLogDirsJson(byBroker, topics)}\n`);
    return 0;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const p = program();
  runToolOrUsage(p, process.argv.slice(2), main, DESCRIPTION);
}
