// Real Apache Kafka 2.4 broker processes (the reference distribution built by
// shared/tools/reference-kafka) for mixed-cluster tests: they join the test run's shared
// ZooKeeper under a Zafka cluster's chroot, so Kafka and Zafka brokers form one cluster.
// Each JVM costs ~300-400 MB and a lot of CPU on start: tests use one or two.
//
// The distribution is found in ONE way (findKafkaDist); without it the tests using
// describeWithKafka are skipped with one line saying why, never failed.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrokerIdZNode } from '../../controller/zk/zk-data';
import { ZooKeeperClient } from '../../controller/zk/zookeeper-client';
import { REPO_ROOT } from './cluster';
import { run, type RunResult } from './kcat';
import { freePort, waitForPort } from './ports';
import { waitFor } from './wait';

const DIST_NAME = 'kafka_2.11-2.4.0';

/** Where the shared reference-kafka tools are: KREF_TOOLS, else ../shared or ../../shared from the checkout. */
export function findKrefTools(): string | null {
  const candidates = [process.env.KREF_TOOLS, path.join(REPO_ROOT, '../shared/tools/reference-kafka'), path.join(REPO_ROOT, '../../shared/tools/reference-kafka')];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'kref.sh'))) ?? null;
}

/** The Kafka 2.4 distribution: KREF_DIST, else where build-reference-kafka.sh installs it. */
export function findKafkaDist(tools: string | null = findKrefTools()): string | null {
  const candidates = [process.env.KREF_DIST];
  if (tools) candidates.push(path.join(tools, '../../../anchors/kafka-dist', DIST_NAME));
  candidates.push(path.join(REPO_ROOT, '../anchors/kafka-dist', DIST_NAME), path.join(REPO_ROOT, '../../anchors/kafka-dist', DIST_NAME));
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'bin/kafka-server-start.sh'))) ?? null;
}

export const KAFKA_DIST = findKafkaDist();

/**
 * describe() when the Kafka 2.4 distribution is here, else describe.skip with one line saying
 * why (as the Docker tests do).
 */
export function describeWithKafka(name: string, body: () => void): void {
  if (KAFKA_DIST) {
    describe(name, body);
    return;
  }
  console.log(`${name}: skipped: no Apache Kafka 2.4 distribution (set KREF_DIST, or see shared/tools/reference-kafka/README.md)`);
  describe.skip(name, body);
}

export interface ReferenceKafkaOptions {
  id: number;
  /** host:port/chroot of the cluster to join (a TestCluster's zkConnect). */
  zkConnect: string;
  /** Default: a free port. */
  port?: number;
  /** Default: one fresh temp dir. */
  logDirs?: string[];
  /** inter.broker.protocol.version (default Kafka's own: 2.4). */
  interBrokerProtocolVersion?: string;
  /** Extra server.properties entries. */
  config?: Record<string, string | number | boolean>;
}

/** One Apache Kafka 2.4 broker process. */
export class ReferenceKafkaBroker {
  process: ChildProcess | null = null;

  private constructor(
    readonly id: number,
    readonly port: number,
    readonly zkConnect: string,
    readonly logDirs: string[],
    readonly baseDir: string,
    readonly configFile: string,
  ) {}

  /** Writes the broker's server.properties; start() runs it. */
  static async create(options: ReferenceKafkaOptions): Promise<ReferenceKafkaBroker> {
    if (!KAFKA_DIST) throw new Error('no Apache Kafka 2.4 distribution (set KREF_DIST)');
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), `zafka-kref-${options.id}-`));
    const port = options.port ?? (await freePort());
    const logDirs = options.logDirs ?? [path.join(baseDir, 'data')];
    for (const d of logDirs) fs.mkdirSync(d, { recursive: true });
    fs.mkdirSync(path.join(baseDir, 'logs'), { recursive: true });
    const props: Record<string, string | number | boolean> = {
      'broker.id': options.id,
      listeners: `PLAINTEXT://127.0.0.1:${port}`,
      'log.dirs': logDirs.join(','),
      'zookeeper.connect': options.zkConnect,
      'zookeeper.session.timeout.ms': 6000,
      'offsets.topic.replication.factor': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
      'num.partitions': 1,
      'default.replication.factor': 1,
      ...(options.interBrokerProtocolVersion ? { 'inter.broker.protocol.version': options.interBrokerProtocolVersion } : {}),
      ...options.config,
    };
    const configFile = path.join(baseDir, 'server.properties');
    fs.writeFileSync(configFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    return new ReferenceKafkaBroker(options.id, port, options.zkConnect, logDirs, baseDir, configFile);
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The broker's server.log, controller.log, state-change.log (LOG_DIR) and console output. */
  get logDir(): string {
    return path.join(this.baseDir, 'logs');
  }

  output(file = 'stdout.log'): string {
    const f = path.join(this.logDir, file);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  }

  /** Starts bin/kafka-server-start.sh and waits until the broker is in /brokers/ids and listening. */
  async start(timeoutMs = 120000): Promise<void> {
    const out = fs.openSync(path.join(this.logDir, 'stdout.log'), 'a');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_DIR: this.logDir,
      KAFKA_HEAP_OPTS: '-Xmx256m -Xms256m',
      // One GC thread and the C1 compiler only: the machine has 2 cores shared by many tests.
      KAFKA_JVM_PERFORMANCE_OPTS: '-server -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Djava.awt.headless=true',
    };
    delete env.JMX_PORT;
    delete env.KAFKA_OPTS;
    // kafka-server-start.sh execs down to java, so this PID is the JVM's and kill -9 hits it.
    this.process = spawn(path.join(KAFKA_DIST!, 'bin/kafka-server-start.sh'), [this.configFile], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const child = this.process;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`Kafka broker ${this.id} exited with ${code} during start-up:\n${this.output().slice(-3000)}`))),
    );
    try {
      await Promise.race([this.waitRegistered(timeoutMs).then(() => waitForPort(this.port, timeoutMs)), exited]);
    } finally {
      child.removeAllListeners('exit');
    }
  }

  /** Waits for the ephemeral /brokers/ids/<id> (Kafka registers it once its socket server is up). */
  async waitRegistered(timeoutMs = 120000): Promise<void> {
    await waitFor(`Kafka broker ${this.id} registered in /brokers/ids`, () => isRegistered(this.zkConnect, this.id), timeoutMs, 500);
  }

  /** SIGTERM (controlled shutdown) and wait; SIGKILL after timeoutMs. */
  async stop(timeoutMs = 60000): Promise<number | null> {
    return this.signal('SIGTERM', timeoutMs);
  }

  /** kill -9. */
  async kill(): Promise<number | null> {
    return this.signal('SIGKILL', 10000);
  }

  /** SIGSTOP / SIGCONT: freezes the JVM (keep it shorter than the ZooKeeper session) to make replicas diverge. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  get running(): boolean {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null;
  }

  private async signal(signal: 'SIGTERM' | 'SIGKILL', timeoutMs: number): Promise<number | null> {
    const child = this.process;
    if (!child || !this.running) {
      this.process = null;
      return child?.exitCode ?? null;
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(killer);
    this.process = null;
    return code;
  }

  /** Stops the process and removes its directories (unless ZAFKA_KEEP_TEST_DIRS). */
  async destroy(): Promise<void> {
    await this.kill().catch(() => undefined);
    if (!process.env.ZAFKA_KEEP_TEST_DIRS) fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}

/**
 * Runs one of the distribution's bin/ tools (kafka-reassign-partitions.sh, kafka-topics.sh, ...)
 * with a small heap and its log files in a temp dir.
 */
export async function runKafkaTool(tool: string, args: string[], timeoutMs = 120000): Promise<RunResult> {
  if (!KAFKA_DIST) throw new Error('no Apache Kafka 2.4 distribution (set KREF_DIST)');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-kref-tool-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_DIR: logDir, KAFKA_HEAP_OPTS: '-Xmx256m', KAFKA_JVM_PERFORMANCE_OPTS: '-XX:+UseSerialGC -XX:TieredStopAtLevel=1' };
  delete env.JMX_PORT;
  try {
    return await run(path.join(KAFKA_DIST, 'bin', tool), args, { timeoutMs, env });
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/** True when /brokers/ids/<id> exists under the connect string's chroot. */
export async function isRegistered(zkConnect: string, id: number): Promise<boolean> {
  const zk = await ZooKeeperClient.connect(zkConnect, 6000);
  try {
    return (await zk.exists(BrokerIdZNode.path(id))) !== null;
  } finally {
    await zk.close();
  }
}

/** A broker's epoch as controllers use it (KIP-380): the czxid of its /brokers/ids/<id>. */
export async function brokerEpoch(zkConnect: string, id: number): Promise<number> {
  const zk = await ZooKeeperClient.connect(zkConnect, 6000);
  try {
    const stat = await zk.exists(BrokerIdZNode.path(id));
    if (!stat) throw new Error(`broker ${id} is not registered`);
    return Number(stat.czxid);
  } finally {
    await zk.close();
  }
}
