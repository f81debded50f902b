// The real Apache Kafka 2.4 for the side-by-side benchmark, run by the shared kref.sh
// (../shared/tools/reference-kafka): its ZooKeeper and N brokers on ports of this run's own.
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { freePort } from '../../helpers/ports';
import { findKafkaDist, findKrefTools } from '../../helpers/reference-kafka';
import { BrokerSide } from './broker-side';

const run = promisify(execFile);
/**
 * Finds the reference Kafka or builds it (when KREF_SOURCE_GIT names the fetched phData git dir);
 * otherwise says how to get it and exits 2.
 */
export async function requireKafkaDist(): Promise<{ dist: string; tools: string }> {
  const tools = findKrefTools();
  let dist = findKafkaDist(tools);
  if (!dist && tools && process.env.KREF_SOURCE_GIT) {
    console.error(`building the reference Kafka from ${process.env.KREF_SOURCE_GIT} (a few minutes)...`);
    await run('bash', [path.join(tools, 'build-reference-kafka.sh'), process.env.KREF_SOURCE_GIT], { maxBuffer: 64 << 20 });
    dist = findKafkaDist(tools);
  }
  if (!dist || !tools) {
    console.error(
      'bench:vs-kafka needs the real Apache Kafka 2.4 and the shared reference-kafka tools.\n' +
        (tools ? '' : '  - kref.sh not found: set KREF_TOOLS to the shared tools/reference-kafka directory.\n') +
        (dist ? '' : '  - no Kafka 2.4 distribution found: set KREF_DIST to an unpacked kafka_2.11-2.4.0, or\n' +
          '    have a person run the library tool `fetch github:pavankumar09-hash/phData`, then either\n' +
          '    `bash <tools>/reference-kafka/build-reference-kafka.sh <that git dir>` or rerun with\n' +
          '    KREF_SOURCE_GIT=<that git dir> to build it here.\n'),
    );
    process.exit(2);
  }
  return { dist, tools };
}

export class KafkaSide implements BrokerSide {
  readonly name = 'Kafka 2.4';
  readonly heapNote: string;
  private dir = '';
  private env: NodeJS.ProcessEnv = {};
  private brokers = 0;
  bootstrap = '';

  constructor(
    readonly dist: string,
    private readonly tools: string,
    private readonly heap = process.env.KREF_HEAP ?? '-Xmx512M',
    /** server.properties lines added after kref.sh's own (later lines win), given broker 1's PLAINTEXT port. */
    private readonly extraBrokerProps?: (plaintextPort: number) => string,
  ) {
    this.heapNote = heap;
  }

  private kref(...args: string[]): Promise<{ stdout: string }> {
    return run('bash', [path.join(this.tools, 'kref.sh'), ...args], { env: this.env, maxBuffer: 16 << 20, timeout: 300_000 });
  }

  async start(brokers: number): Promise<void> {
    // Ports of our own, so another run of kref.sh (default 12181/19093..) on this machine is left alone.
    const zkPort = await freePort();
    let base = 0;
    for (let tries = 0; tries < 20 && base === 0; tries++) {
      const b = 20000 + Math.floor(Math.random() * 30000);
      const free = await Promise.all(Array.from({ length: brokers }, (_, i) => portFree(b + 1 + i)));
      if (free.every((x) => x) && b + 1 !== zkPort) base = b;
    }
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vs-kafka-kref-')); // kref.sh clean removes it
    this.env = { ...process.env, KREF_DIST: this.dist, KREF_DIR: this.dir, KREF_ZK_PORT: String(zkPort), KREF_PORT_BASE: String(base), KREF_HEAP: this.heap };
    if (this.extraBrokerProps) this.env.KREF_BROKER_PROPS = this.extraBrokerProps(base + 1);
    this.brokers = brokers;
    await this.kref('start', String(brokers));
    this.bootstrap = (await this.kref('bootstrap')).stdout.trim();
  }

  brokerPids(): number[] {
    return Array.from({ length: this.brokers }, (_, i) => Number(fs.readFileSync(path.join(this.dir, 'pids', `broker-${i + 1}.pid`), 'utf8')));
  }

  async stopBrokerOne(): Promise<void> {
    await terminate(this.brokerPids()[0], 60_000);
  }

  /** Starts broker 1 the way kref.sh launches it, and records its PID where kref.sh stop finds it. */
  async startBrokerOne(): Promise<void> {
    const logs = path.join(this.dir, 'broker-1/logs');
    const out = fs.openSync(path.join(logs, 'stdout.log'), 'a');
    const env = { ...this.env };
    delete env.JMX_PORT;
    const child = spawn(path.join(this.dist, 'bin/kafka-server-start.sh'), [path.join(this.dir, 'broker-1/server.properties')], {
      env: { ...env, LOG_DIR: logs, KAFKA_HEAP_OPTS: this.heap }, stdio: ['ignore', out, out], detached: true,
    });
    fs.closeSync(out);
    child.unref();
    fs.writeFileSync(path.join(this.dir, 'pids/broker-1.pid'), `${child.pid}\n`);
  }

  brokerOneLogDir(): string {
    return path.join(this.dir, 'broker-1/data'); // kref.sh's log.dirs
  }

  async stop(): Promise<void> {
    if (this.brokers === 0) return;
    await this.kref('clean');
    this.brokers = 0;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** SIGTERM and wait (a clean shutdown, so the restart does no log recovery); SIGKILL after timeoutMs. */
async function terminate(pid: number, timeoutMs: number): Promise<void> {
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    console.error(`PID ${pid} ignored SIGTERM for ${timeoutMs} ms; killing it`);
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}
