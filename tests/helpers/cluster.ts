// Real broker processes for integration tests: each cluster gets its own ZooKeeper chroot,
// its own free ports and temp log dirs, and runs the compiled broker (dist/broker/main.js)
// exactly as bin/kafka-server-start.sh does.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KafkaClient } from '../../broker/network/kafka-client';
import { Metadata } from '../../broker/protocol/messages/metadata';
import { freePort, waitForPort } from './ports';
import { waitFor } from './wait';
import { freshChroot } from './zookeeper';

/** The repository root, whether this file runs from tests/helpers (jest) or dist/tests/helpers (bench). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
export const BROKER_MAIN = path.join(REPO_ROOT, 'dist/broker/main.js');
/**
 * How long a broker may take to listen and then to serve metadata. A broker needs ~0.75 s of CPU
 * to start (mostly loading modules); on a shared 2-core machine at load 20-30 that took over 30 s.
 */
const START_TIMEOUT_MS = 60000;

export interface BrokerProcess {
  id: number;
  port: number;
  logDir: string;
  configFile: string;
  outputFile: string;
  process: ChildProcess | null;
}

export interface ClusterOptions {
  brokers?: number;
  /** Extra server.properties entries for every broker. */
  config?: Record<string, string | number | boolean>;
  /** Start ids at this number (default 0 for one broker, 1 for several, like config/server-N). */
  firstId?: number;
  /** A ZooKeeper of the test's own (host:port[/chroot]) instead of the shared one. */
  zkConnect?: string;
}

export class TestCluster {
  readonly brokers: BrokerProcess[] = [];

  private constructor(
    readonly zkConnect: string,
    readonly baseDir: string,
    private readonly options: ClusterOptions,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<TestCluster> {
    const cluster = await TestCluster.create(options);
    try {
      await Promise.all(cluster.brokers.map((b) => cluster.startBroker(b.id)));
      await cluster.waitForAllBrokers();
    } catch (err) {
      // The caller never gets the cluster to stop: without this its brokers outlive the run.
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Writes configs without starting anything (for tests that start brokers themselves). */
  static async create(options: ClusterOptions = {}): Promise<TestCluster> {
    const n = options.brokers ?? 1;
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-cluster-'));
    const cluster = new TestCluster(options.zkConnect ?? freshChroot(), baseDir, options);
    const firstId = options.firstId ?? (n === 1 ? 0 : 1);
    for (let i = 0; i < n; i++) {
      const id = firstId + i;
      const port = await freePort();
      const logDir = path.join(baseDir, `broker-${id}`, 'data');
      fs.mkdirSync(logDir, { recursive: true });
      const configFile = path.join(baseDir, `broker-${id}`, 'server.properties');
      const props: Record<string, string | number | boolean> = {
        'broker.id': id,
        listeners: `PLAINTEXT://127.0.0.1:${port}`,
        'log.dirs': logDir,
        'zookeeper.connect': cluster.zkConnect,
        'zookeeper.session.timeout.ms': 6000,
        'offsets.topic.replication.factor': Math.min(n, 3),
        // As Kafka's own test brokers (TestUtils.createBrokerConfig): 5 offsets partitions, not 50,
        // and a 100 ms controlled-shutdown back-off. When a whole cluster stops at once the
        // controller goes away under the others' ControlledShutdown requests (and the last broker
        // has nowhere to move its leaders), so each stop waited out 5 s back-offs (default) twice.
        'offsets.topic.num.partitions': 5,
        'controlled.shutdown.retry.backoff.ms': 100,
        'group.initial.rebalance.delay.ms': 0,
        'default.replication.factor': 1,
        'num.partitions': 1,
        ...options.config,
      };
      fs.writeFileSync(configFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
      cluster.brokers.push({ id, port, logDir, configFile, outputFile: path.join(baseDir, `broker-${id}`, 'broker.out'), process: null });
    }
    return cluster;
  }

  get bootstrap(): string {
    return this.brokers.map((b) => `127.0.0.1:${b.port}`).join(',');
  }

  broker(id: number): BrokerProcess {
    const b = this.brokers.find((x) => x.id === id);
    if (!b) throw new Error(`no broker ${id} in this cluster`);
    return b;
  }

  /**
   * Starts the broker process and waits until it accepts connections (a broker recovering large
   * logs opens its port only after, so benches crafting such logs allow more).
   */
  async startBroker(id: number, listenTimeoutMs = START_TIMEOUT_MS): Promise<void> {
    const b = this.broker(id);
    const out = fs.openSync(b.outputFile, 'a');
    // ZAFKA_BROKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles brokers in benchmarks.
    const nodeArgs = (process.env.ZAFKA_BROKER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    b.process = spawn(process.execPath, [...nodeArgs, BROKER_MAIN, b.configFile], {
      stdio: ['ignore', out, out],
      env: { ...process.env, LOG_DIR: '', ZAFKA_LOG_LEVEL: process.env.ZAFKA_BROKER_LOG_LEVEL ?? 'info' },
    });
    fs.closeSync(out);
    const child = b.process;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`broker ${id} exited with ${code} during start-up:\n${this.output(id).slice(-3000)}`))),
    );
    await Promise.race([waitForPort(b.port, listenTimeoutMs).then(() => this.waitUntilServing(id)), exited]);
    child.removeAllListeners('exit');
  }

  /**
   * The port opens before the broker has registered and heard from a controller; clients need
   * Metadata to show a controller and this broker itself.
   */
  async waitUntilServing(id: number, expectedBrokers = 1): Promise<void> {
    const b = this.broker(id);
    await waitFor(`broker ${id} to serve metadata`, async () => {
      const client = await KafkaClient.connect('127.0.0.1', b.port, { clientId: 'test-harness' });
      try {
        const metadata = await client.send(Metadata, 1, { topics: [] });
        return metadata.controllerId >= 0 && metadata.brokers.some((x) => x.nodeId === id) && metadata.brokers.length >= expectedBrokers;
      } finally {
        client.close();
      }
    }, START_TIMEOUT_MS, 100);
  }

  /** Every broker of the cluster sees all the others and a controller. */
  async waitForAllBrokers(): Promise<void> {
    const live = this.brokers.filter((b) => b.process !== null);
    await Promise.all(live.map((b) => this.waitUntilServing(b.id, live.length)));
  }

  /** Broker process output so far (its console log). */
  output(id: number): string {
    const b = this.broker(id);
    return fs.existsSync(b.outputFile) ? fs.readFileSync(b.outputFile, 'utf8') : '';
  }

  /** Sends a signal and, for SIGTERM/SIGKILL, waits for the process to exit. */
  async signal(id: number, signal: NodeJS.Signals): Promise<number | null> {
    const b = this.broker(id);
    const child = b.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    if (signal !== 'SIGTERM' && signal !== 'SIGKILL') return null;
    // A broker that does not finish its shutdown within 30 s is killed (and the test will see it).
    const killer = setTimeout(() => child.kill('SIGKILL'), 30000);
    const code = await exited;
    clearTimeout(killer);
    b.process = null;
    return code;
  }

  kill(id: number): Promise<number | null> {
    return this.signal(id, 'SIGKILL');
  }

  stopBroker(id: number): Promise<number | null> {
    return this.signal(id, 'SIGTERM');
  }

  async stop(): Promise<void> {
    await Promise.all(this.brokers.map((b) => this.signal(b.id, 'SIGTERM').catch(() => undefined)));
    if (!process.env.ZAFKA_KEEP_TEST_DIRS) fs.rmSync(this.baseDir, { recursive: true, force: true });
  }
}
