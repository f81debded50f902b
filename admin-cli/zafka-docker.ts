// zafka-docker: a local Zafka cluster in Docker (ZooKeeper + N brokers, host networking on
// loopback ports) and the faults the integration tests inject, from the command line:
//   zafka-docker up --brokers 3 [--console [--console-port 9021]] [--zookeeper-image IMG] [--base-image IMG]
//                   [--secure [--secrets-dir DIR] [--store-password PW] [--admin-password PW]]
//   zafka-docker ps | logs BROKER [-f] | down [--volumes]
//   zafka-docker restart|kill|stop|start|pause|unpause BROKER      (BROKER = id, or "zookeeper")
// Without a reachable engine it says so in one sentence (and how to set DOCKER_HOST), exit 1.
// `up` refuses (exit 1, before any container) when a port it needs is taken, naming the holder.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  DEFAULT_CLUSTER, DEFAULT_CONSOLE_PORT, DEFAULT_FIRST_PORT, DEFAULT_IMAGE, DEFAULT_ZOOKEEPER_IMAGE, DEFAULT_ZOOKEEPER_PORT, planCluster,
} from '../docker/cluster/cluster-plan';
import { DockerCluster, formatPs, repoRoot } from '../docker/cluster/docker-cluster';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_STORE_PASSWORD, prepareSecrets, SASL_SSL_PORT_OFFSET, SSL_PORT_OFFSET, type SecureOptions } from '../docker/cluster/secure-listeners';
import { DockerUnavailableError, type DockerEngine } from '../docker/cluster/docker-engine';

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Created lazily: `--help` and argument errors need no engine (nor dockerode). */
  engine(): DockerEngine;
}

/** Builds the program; each action's promise is kept in `running` so the caller can await it. */
export function zafkaDockerProgram(io: CliIo, running: { action: Promise<void> | null }): Command {
  const program = new Command('zafka-docker')
    .description('Run a local Zafka cluster in Docker (ZooKeeper + brokers, host networking on loopback ports)')
    .option('--cluster <name>', 'cluster name: prefix of container and volume names', DEFAULT_CLUSTER)
    .exitOverride()
    .showHelpAfterError(true)
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const cluster = () => new DockerCluster(io.engine(), program.opts().cluster as string, io.out);
  const act = (f: () => Promise<void>) => { running.action = f(); };

  program
    .command('up')
    .description('check that every port it needs is free, build the image if missing, start ZooKeeper and the brokers, wait until the cluster answers Metadata')
    .option('--brokers <n>', 'number of brokers (ids 1..n)', positiveInt('--brokers'), 3)
    .option('--image <tag>', 'broker image', DEFAULT_IMAGE)
    .option('--base-image <image>', 'BASE_IMAGE for docker/Dockerfile (default: node:20-bookworm-slim, or zafka-base:node20 when only that is present)')
    .option('--rebuild', 'build the broker image even if it exists')
    .option('--zookeeper-image <image>', 'ZooKeeper image', DEFAULT_ZOOKEEPER_IMAGE)
    .option('--port <port>', 'first broker port (broker i listens on port+i-1)', positiveInt('--port'), DEFAULT_FIRST_PORT)
    .option('--zookeeper-port <port>', 'ZooKeeper client port', positiveInt('--zookeeper-port'), DEFAULT_ZOOKEEPER_PORT)
    .option('--broker-config <key=value>', 'extra broker property (repeatable), passed as KAFKA_* variables', keyValue, {})
    .option('--console', `also start the Zafka Console (http://127.0.0.1:${DEFAULT_CONSOLE_PORT} unless --console-port)`)
    .option('--console-port <port>', 'the console\'s loopback port', positiveInt('--console-port'), DEFAULT_CONSOLE_PORT)
    .option('--secure', `also an SSL listener (port+${SSL_PORT_OFFSET}) and a SASL_SSL one (port+${SASL_SSL_PORT_OFFSET}; PLAIN user admin, SCRAM users via kafka-configs) on each broker`)
    .option('--secrets-dir <dir>', 'with --secure: certificates from scripts/make-local-ca.sh (made there if missing), bind-mounted read-only', 'zafka-secrets')
    .option('--store-password <password>', 'with --secure: the keystore and truststore password', DEFAULT_STORE_PASSWORD)
    .option('--admin-password <password>', 'with --secure: the password of the SASL/PLAIN user admin', DEFAULT_ADMIN_PASSWORD)
    .action((o) => act(async () => {
      let secure: SecureOptions | undefined;
      if (o.secure) {
        secure = { secretsDir: path.resolve(o.secretsDir), storePassword: o.storePassword, adminPassword: o.adminPassword };
        const notes = prepareSecrets(repoRoot(), secure, (script, args) => execFileSync('bash', [script, ...args], { stdio: 'ignore' }));
        notes.forEach((n) => io.out(n));
      }
      const plan = planCluster({
        cluster: program.opts().cluster, brokers: o.brokers, image: o.image, zookeeperImage: o.zookeeperImage,
        firstPort: o.port, zookeeperPort: o.zookeeperPort, brokerConfig: o.brokerConfig,
        consolePort: o.console ? o.consolePort : undefined, secure,
      });
      return cluster().up(plan, { baseImage: o.baseImage, rebuild: Boolean(o.rebuild) });
    }));

  program
    .command('down')
    .description('stop (controlled shutdown) and remove the containers')
    .option('--volumes', 'also remove the data volumes')
    .action((o) => act(() => cluster().down({ volumes: Boolean(o.volumes) })));

  program
    .command('ps')
    .description('brokers: id, container, state, port, partitions led (from Metadata)')
    .action(() => act(async () => formatPs(await cluster().ps()).forEach((l) => io.out(l))));

  program
    .command('logs <broker>')
    .description('a broker\'s output (broker id, or "zookeeper")')
    .option('-f, --follow', 'follow the output')
    .option('--tail <n>', 'only the last n lines', positiveInt('--tail'))
    .action((broker: string, o) => act(() => cluster().logs(broker, { follow: Boolean(o.follow), tail: o.tail })));

  const faults: [name: 'restart' | 'kill' | 'stop' | 'start' | 'pause' | 'unpause', about: string][] = [
    ['restart', 'restart a broker (SIGTERM, controlled shutdown, then start)'],
    ['kill', 'SIGKILL a broker (no controlled shutdown, no clean-shutdown marker)'],
    ['stop', 'SIGTERM a broker: controlled shutdown, then the container stops'],
    ['start', 'start a stopped or killed broker again'],
    ['pause', 'freeze a broker (cgroup freezer): its ZooKeeper session expires after zookeeper.session.timeout.ms'],
    ['unpause', 'thaw a paused broker'],
  ];
  for (const [name, about] of faults) {
    program.command(`${name} <broker>`).description(`${about}; broker id or "zookeeper"`).action((broker: string) => act(() => cluster().fault(name, broker)));
  }
  return program;
}

/** Runs the tool; resolves with the exit code. */
export async function runZafkaDocker(argv: string[], io: CliIo): Promise<number> {
  const running: { action: Promise<void> | null } = { action: null };
  const program = zafkaDockerProgram(io, running);
  try {
    program.parse(argv, { from: 'user' });
    if (running.action === null) {
      program.outputHelp({ error: true });
      return 1;
    }
    await running.action;
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version' ? 0 : 1;
    io.err(err instanceof DockerUnavailableError ? err.message : `zafka-docker: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  let engine: DockerEngine | null = null;
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    engine: () => {
      if (engine === null) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { DockerodeEngine } = require('../docker/cluster/dockerode-engine') as typeof import('../docker/cluster/dockerode-engine');
        engine = new DockerodeEngine();
      }
      return engine;
    },
  };
  void runZafkaDocker(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
    // The log stream of `logs -f` and dockerode's agent may keep the loop alive; exit once flushed.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
