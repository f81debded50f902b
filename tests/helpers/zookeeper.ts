// A real ZooKeeper (Debian's `zookeeper` package, run with the machine's Java) for integration
// tests. One server per jest run (global-setup.ts); each cluster gets its own chroot.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './ports';

const CLASSPATH = '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar';

/**
 * zoo.cfg for the test server. tickTime 800 ms as Kafka's EmbeddedZookeeper: ZooKeeper checks
 * session expiry once a tick, so a dead broker's session ends within 0.8 s of its timeout instead
 * of up to 3 s after it (default tickTime 3000). maxSessionTimeout stays at the default's 60 s
 * (20 ticks would cap it at 16 s and shorten the 30 s sessions the tools ask for).
 */
function writeConfig(dataDir: string, port: number): string {
  const file = path.join(dataDir, 'zoo.cfg');
  fs.writeFileSync(file, [`dataDir=${dataDir}`, `clientPort=${port}`, 'tickTime=800', 'minSessionTimeout=1600', 'maxSessionTimeout=60000', ''].join('\n'));
  return file;
}

export interface ZooKeeperProcess {
  port: number;
  connectString: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

/** ZooKeeper's four-letter "srvr" command; resolves with its answer or '' when unreachable. */
export function fourLetterWord(port: number, word = 'srvr'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(''));
  });
}

export async function startZooKeeper(options: { port?: number; dataDir?: string } = {}): Promise<ZooKeeperProcess> {
  if (!fs.existsSync('/usr/share/java/zookeeper.jar')) {
    throw new Error("ZooKeeper is not installed: run 'bash scripts/install-deps.sh' (apt-get install zookeeper)");
  }
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-zk-'));
  const logFile = fs.openSync(path.join(dataDir, 'zookeeper.out'), 'a');
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xmx256m',
      '-Dzookeeper.admin.enableServer=false',
      '-Dzookeeper.4lw.commands.whitelist=*',
      `-Dzookeeper.log.dir=${dataDir}`,
      '-Dzookeeper.root.logger=WARN,CONSOLE',
      '-cp', CLASSPATH,
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      writeConfig(dataDir, port),
    ],
    { stdio: ['ignore', logFile, logFile], detached: true },
  );
  child.unref();
  const deadline = Date.now() + 30000;
  while (!(await fourLetterWord(port)).includes('Mode:')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`ZooKeeper did not start on port ${port}; see ${dataDir}/zookeeper.out`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dataDir,
    pid: child.pid!,
    stop: () => stopProcess(child.pid!),
  };
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export async function stopProcess(pid: number): Promise<void> {
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  if (!alive()) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

let chrootCounter = 0;

/** A connect string with a chroot no other cluster in this run uses. */
export function freshChroot(prefix = 'zafka-test'): string {
  const zk = process.env.ZAFKA_TEST_ZK;
  if (!zk) throw new Error('ZAFKA_TEST_ZK is not set: integration tests run under tests/helpers/global-setup.ts');
  chrootCounter += 1;
  return `${zk}/${prefix}-${process.pid}-${Date.now().toString(36)}-${chrootCounter}`;
}
