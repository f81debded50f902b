// kafka-broker-api-versions: for every broker in the cluster's metadata, the API versions it
// advertises (ApiVersions), printed as Kafka 2.4's BrokerApiVersionsCommand prints them:
// "host:port (id: N rack: R) -> (...)" or "... -> ERROR: <reason>" for a broker that did not answer.
import { ClusterClient } from './client';
import { formatNodeApiVersions, nodeText } from './api-versions/node-api-versions';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

function program() {
  return newProgram('kafka-broker-api-versions', 'This tool helps to retrieve broker version information.')
    .option('--bootstrap-server <server(s) to use for bootstrapping>', 'REQUIRED: The server to connect to.')
    .option('--command-config <command config property file>', 'A property file containing configs to be passed to Admin Client.');
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const bootstrap = raw.bootstrapServer as string | undefined;
  if (bootstrap === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const client = await ClusterClient.connect(bootstrap, { clientId: 'broker-api-versions' });
  try {
    // Kafka's Cluster shuffles nodes; broker id order is the stable choice.
    const brokers = [...(await client.refreshMetadata(null)).brokers.values()].sort((a, b) => a.nodeId - b.nodeId);
    for (const broker of brokers) {
      try {
        const conn = await client.connection(broker.nodeId);
        process.stdout.write(`${nodeText(broker)} -> ${formatNodeApiVersions(conn.versions)}\n`);
      } catch (err) {
        process.stdout.write(`${nodeText(broker)} -> ERROR: ${(err as Error).message}\n`);
      }
    }
    return 0;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    process.stderr.write('This tool helps to retrieve broker version information.\n');
    process.stderr.write(program().helpInformation());
    process.exit(1);
  }
  void runTool(program(), argv, main);
}
