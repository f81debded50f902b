// kafka-configs: describe and alter the config overrides of topics, brokers, clients and users,
// with Kafka 2.4's options, output and exit codes. --zookeeper reads and writes /config/<type>/<name>
// plus the /config/changes notification (AdminZkClient.changeConfigs); --bootstrap-server
// describes broker configs through DescribeConfigs.
import { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { ClusterClient } from './client';
import { runBrokerConfigCommand } from './configs/broker-config-command';
import { ConfigArgumentError, configsProgram, validateConfigOptions } from './configs/config-command-options';
import { runZkConfigCommand } from './configs/zk-config-command';
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaError } from '../broker/protocol/kafka-error';
import { runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const ZK_SESSION_TIMEOUT_MS = 30000;
const argv = process.argv.slice(2);

async function main(raw: Record<string, unknown>): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const opts = validateConfigOptions(raw, argv);
    if (opts.zookeeper !== undefined) {
      const zk = await KafkaZkClient.connect(opts.zookeeper, ZK_SESSION_TIMEOUT_MS, { connectionTimeoutMs: ZK_SESSION_TIMEOUT_MS, name: 'kafka-configs' });
      try {
        await runZkConfigCommand(opts, zk, out);
      } finally {
        await zk.close().catch(() => undefined);
      }
    } else {
      const client = await ClusterClient.connect(opts.bootstrapServer!, { clientId: 'kafka-configs' });
      try {
        await runBrokerConfigCommand(opts, client, out);
      } finally {
        client.close();
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err; // message + usage, from runTool
    // Kafka prints IllegalArgumentException / InvalidConfigurationException bare, anything else
    // after "Error while executing config command with args '...'".
    const bare = err instanceof ConfigArgumentError || (err instanceof KafkaError && err.code === ErrorCode.INVALID_CONFIG);
    if (!bare) process.stderr.write(`Error while executing config command with args '${argv.join(' ')}'\n`);
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  const program = configsProgram();
  if (argv.length === 0) {
    process.stderr.write('This tool helps to manipulate and describe entity config for a topic, client, user or broker\n');
    process.stderr.write(program.helpInformation());
    process.exit(1);
  }
  void runTool(program, argv, main);
}
