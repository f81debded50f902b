// bin/zafka-console.sh: the Zafka Console, a web page to see and run the cluster.
//   zafka-console --zookeeper localhost:2181 [--bootstrap-server h:p] [--port 9021] [--bind 127.0.0.1]
//                 [--read-only] [--refresh-ms 2000] [--basic-auth user:password]
//                 [--command-config client.properties]
// The password may also come from ZAFKA_CONSOLE_BASIC_AUTH (kept out of `ps`). --command-config
// takes a Kafka client properties file (security.protocol, ssl.*, sasl.mechanism,
// sasl.jaas.config), as Kafka's tools do: on a cluster with TLS/SASL listeners the console
// connects as that principal, to the registered endpoints of that security protocol.
import { readFileSync } from 'fs';
import { parseProperties } from '../../broker/config/properties';
import { clientSecurityFromProperties } from '../../broker/security/client-security-config';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { bootstrapFromZooKeeper } from '../../admin-cli/groups/zk-group-service';
import { parseIntOption } from '../../admin-cli/shared/options';
import { newProgram, runTool } from '../../admin-cli/shared/run-tool';
import { UsageError } from '../../admin-cli/shared/usage-error';
import { ConsoleActions } from './console-actions';
import { buildConsoleApp } from './console-app';
import { ClusterPoller } from './cluster-poller';

export interface ConsoleOptions {
  zookeeper: string;
  bootstrapServer?: string;
  port: number;
  bind: string;
  readOnly: boolean;
  refreshMs: number;
  basicAuth: string | null;
  /** Kafka client properties (--command-config): security.protocol, ssl.*, sasl.*. */
  clientProperties?: Readonly<Record<string, string>>;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Starts the console (also used by the tests and the benchmark, in process). */
export async function startConsole(o: ConsoleOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<RunningConsole> {
  const zk = await KafkaZkClient.connect(o.zookeeper, 30000, { connectionTimeoutMs: 30000, name: 'zafka-console' });
  let client: ClusterClient;
  let bootstrap: string;
  try {
    const props = o.clientProperties ?? {};
    const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
    const security = clientSecurityFromProperties(props);
    bootstrap = o.bootstrapServer ?? (await bootstrapFromZooKeeper(zk, protocol));
    if (bootstrap === '') throw new UsageError(`No broker with a ${protocol} listener is registered in ZooKeeper at ${o.zookeeper}: start one, or give --bootstrap-server.`);
    client = await ClusterClient.connect(bootstrap, { clientId: 'zafka-console', retries: 3, requestTimeoutMs: 15000, security });
  } catch (e) {
    await zk.close();
    throw e;
  }
  const poller = new ClusterPoller(zk, client, o.refreshMs);
  await poller.start();
  const actions = new ConsoleActions(zk, client, { zookeeper: o.zookeeper, bootstrap });
  const app = await buildConsoleApp({ poller, actions, client, readOnly: o.readOnly, basicAuth: o.basicAuth, log });
  const address = await app.listen({ port: o.port, host: o.bind });
  log(`Zafka Console on ${address}${o.readOnly ? ' (read-only)' : ''}`);
  return {
    url: address,
    async close() {
      poller.stop();
      await app.close();
      client.close();
      await zk.close();
    },
  };
}

function program() {
  return newProgram('zafka-console', 'A web page to see and run a Zafka cluster.')
    .option('--zookeeper <urls>', 'REQUIRED: The ZooKeeper connection string host:port[/chroot].')
    .option('--bootstrap-server <servers>', 'The brokers to talk to (default: the ones registered in ZooKeeper).')
    .option('--port <port>', 'HTTP port.', parseIntOption('port', 0, 65535), 9021)
    .option('--bind <address>', 'Address to listen on (0.0.0.0 to serve other machines).', '127.0.0.1')
    .option('--read-only', 'Show the cluster, refuse every action.')
    .option('--refresh-ms <ms>', 'How often the cluster is read.', parseIntOption('refresh-ms', 200), 2000)
    .option('--basic-auth <user:password>', 'Require HTTP basic auth (or set ZAFKA_CONSOLE_BASIC_AUTH).')
    .option('--command-config <file>', 'Kafka client properties (security.protocol, ssl.*, sasl.mechanism, sasl.jaas.config) to connect with.');
}

if (require.main === module) {
  void runTool(program(), process.argv.slice(2), async (opts) => {
    if (typeof opts.zookeeper !== 'string') throw new UsageError('Missing required argument "zookeeper"');
    const auth = (opts.basicAuth as string | undefined) ?? process.env.ZAFKA_CONSOLE_BASIC_AUTH ?? null;
    if (auth !== null && !/^[^:]+:.+$/.test(auth)) throw new UsageError('--basic-auth must be user:password');
    const running = await startConsole({
      zookeeper: opts.zookeeper,
      bootstrapServer: opts.bootstrapServer as string | undefined,
      port: opts.port as number,
      bind: opts.bind as string,
      readOnly: opts.readOnly === true,
      refreshMs: opts.refreshMs as number,
      basicAuth: auth,
      clientProperties: typeof opts.commandConfig === 'string' ? parseProperties(readFileSync(opts.commandConfig, 'utf8')) : undefined,
    });
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await running.close();
  });
}
