// kafka-configs: describe and alter the config overrides of topics, brokers, clients and users,
// with Kafka 2.4's options, output and exit codes. --zookeeper reads and writes /config/<type>/<name>
// plus the /config/changes notification (AdminZkClient.changeConfigs); --bootstrap-server
// describes broker configs through DescribeConfigs.
import { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { ClusterClient } from './client';
import { runBrokerConfigCommand } from './configs/broker-config-command';
import { ConfigArgumentError, configsProgram, validateConfigOptions } from './configs/config-command-options';
import { BrokerConfigRefusal, runZkConfigCommand } from './configs/zk-config-command';
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaError } from '../broker/protocol/kafka-error';
import { runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const ZK_SESSION_TIMEOUT_MS = 30000;
const argv = process.argv.slice(2);

/** Refusals Kafka raises as IllegalArgumentException / InvalidConfigurationException. */
const BARE_MESSAGES = /^(requirement failed: |Unknown topic config name: )/;

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
    // Kafka prints IllegalArgumentException / InvalidConfigurationException bare (message only),
    // anything else (ConfigException for a bad value or a static broker config, AdminOperationException
    // for a missing topic) after "Error while executing config command with args '...'".
    const bare = err instanceof ConfigArgumentError || (err instanceof KafkaError && err.code === ErrorCode.INVALID_CONFIG && BARE_MESSAGES.test(err.message));
    if (bare) process.stderr.write(`${(err as Error).message}\n`);
    else process.stderr.write(`Error while executing config command with args '${argv.join(' ')}'\n${javaExceptionLine(err as Error)}\n`);
    return 1;
  }
}

/** The first line of the stack trace Kafka prints there: the exception's class and message. */
function javaExceptionLine(err: Error): string {
  if (err instanceof KafkaError && err.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return `kafka.admin.AdminOperationException: ${err.message}`;
  if (err instanceof KafkaError && err.code === ErrorCode.INVALID_CONFIG) return `org.apache.kafka.common.config.ConfigException: ${err.message}`;
  if (err instanceof BrokerConfigRefusal) return `org.apache.kafka.common.config.ConfigException: ${err.message}`;
  return err.message;
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
