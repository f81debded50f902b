// The broker as an operating-system process, as an operator meets it: bin/kafka-server-start.sh
// -daemon and bin/kafka-server-stop.sh, configuration errors that stop the start-up with a message
// naming the key, a second broker with a live broker's id, and the clean-shutdown marker that
// decides whether the next start recovers the logs.
//
// kafka-server-stop.sh stops every broker of its installation (it matches <install>/dist/broker/
// main.js in `ps`), which would include the brokers other jest workers run from this checkout. So
// the script pair is exercised from a private installation: a temp dir holding copies of the two
// scripts and a symlink to this checkout's dist/. The copies are byte-for-byte the shipped scripts;
// only their location (which is how they find main.js) differs.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { BROKER_MAIN, REPO_ROOT, TestCluster } from '../helpers/cluster';
import { kcat, run } from '../helpers/kcat';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { freshChroot } from '../helpers/zookeeper';

function writeProperties(file: string, props: Record<string, string | number>): void {
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
}

/** Runs the compiled broker in the foreground until it exits (or timeoutMs). */
function runBroker(configFile: string, timeoutMs: number): Promise<{ code: number | null; output: string; elapsedMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BROKER_MAIN, configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_DIR: '', ZAFKA_LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, elapsedMs: Date.now() - started });
    });
  });
}

/** Pids of node processes running <install>/dist/broker/main.js (what kafka-server-stop.sh finds). */
async function brokerPids(install: string): Promise<number[]> {
  const main = path.join(install, 'dist/broker/main.js');
  const ps = await run('ps', ['ax', '-o', 'pid=', '-o', 'args=']);
  return ps.stdout
    .split('\n')
    .filter((l) => l.includes(main))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((pid) => Number.isInteger(pid));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('bin/kafka-server-start.sh -daemon and bin/kafka-server-stop.sh', () => {
  let install: string;
  let bystander: TestCluster | undefined;

  beforeAll(() => {
    install = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-install-'));
    fs.mkdirSync(path.join(install, 'bin'));
    for (const script of ['kafka-server-start.sh', 'kafka-server-stop.sh']) {
      fs.copyFileSync(path.join(REPO_ROOT, 'bin', script), path.join(install, 'bin', script));
      fs.chmodSync(path.join(install, 'bin', script), 0o755);
    }
    fs.symlinkSync(path.join(REPO_ROOT, 'dist'), path.join(install, 'dist'));
  });

  afterAll(async () => {
    for (const pid of await brokerPids(install)) process.kill(pid, 'SIGKILL');
    await bystander?.stop();
    fs.rmSync(install, { recursive: true, force: true });
  });

  test('-daemon returns at once, logs to $LOG_DIR; the stop script stops that broker (only)', async () => {
    // A broker of another installation (the harness's, from the checkout) must survive the stop script.
    bystander = await TestCluster.start({ brokers: 1 });
    const bystanderPid = bystander.broker(0).process!.pid!;

    const port = await freePort();
    const logDir = path.join(install, 'logs');
    const dataDir = path.join(install, 'data');
    const config = path.join(install, 'server.properties');
    writeProperties(config, {
      'broker.id': 7,
      listeners: `PLAINTEXT://127.0.0.1:${port}`,
      'log.dirs': dataDir,
      'zookeeper.connect': freshChroot('daemon'),
      'zookeeper.session.timeout.ms': 6000,
      'offsets.topic.replication.factor': 1,
    });

    const started = Date.now();
    const start = await run('bash', [path.join(install, 'bin/kafka-server-start.sh'), '-daemon', config], {
      // As an operator runs it: without the jest setup's ZAFKA_LOG_LEVEL=error.
      env: { ...process.env, LOG_DIR: logDir, ZAFKA_LOG_LEVEL: 'info' },
      timeoutMs: 10000,
    });
    expect(start.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000); // detached, not waiting for the broker

    const [pid] = await waitFor('the daemon broker process', async () => {
      const pids = await brokerPids(install);
      return pids.length === 1 ? pids : undefined;
    }, 10000);
    // It serves: a produce and consume through it also makes the controller and the state-change
    // logger write (a topic is created and its partition comes online).
    const bootstrap = `127.0.0.1:${port}`;
    await waitFor('the daemon broker to serve', async () => (await kcat(['-L', '-b', bootstrap, '-m', '2'])).stdout.includes('broker 7 at'), 30000, 200);
    const produced = await kcat(['-P', '-b', bootstrap, '-t', 'daemon-t'], { input: 'one\ntwo\n' });
    expect(produced.code).toBe(0);
    const consumed = await waitFor('2 records', async () => {
      const r = await kcat(['-C', '-b', bootstrap, '-t', 'daemon-t', '-o', 'beginning', '-e', '-q']);
      return r.stdout === 'one\ntwo\n' ? r.stdout : undefined;
    });
    expect(consumed).toBe('one\ntwo\n');

    // Kafka's log4j layout: server.log has everything, controller.log and state-change.log their own.
    await waitFor('server.log, controller.log and state-change.log', () =>
      ['server.log', 'controller.log', 'state-change.log'].every((f) => fs.existsSync(path.join(logDir, f)) && fs.statSync(path.join(logDir, f)).size > 0),
    );
    expect(fs.existsSync(path.join(logDir, 'kafkaServer.out'))).toBe(true);
    const serverLog = fs.readFileSync(path.join(logDir, 'server.log'), 'utf8');
    expect(serverLog).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO .*\(kafka\.server\.KafkaServer\)$/m);
    expect(serverLog).toContain('Registered broker 7 at path /brokers/ids/7');
    expect(fs.readFileSync(path.join(logDir, 'controller.log'), 'utf8')).toMatch(/\[Controller id=7\]/);
    expect(fs.readFileSync(path.join(logDir, 'state-change.log'), 'utf8')).toMatch(/daemon-t/);

    const stop = await run('bash', [path.join(install, 'bin/kafka-server-stop.sh')], { timeoutMs: 60000 });
    expect(stop.code).toBe(0);
    expect(alive(pid)).toBe(false); // the script waits for the exit
    expect(fs.existsSync(path.join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    expect(fs.readFileSync(path.join(logDir, 'server.log'), 'utf8')).toMatch(/shut down completed/);
    expect(alive(bystanderPid)).toBe(true);

    // Like Kafka's script: nothing left to stop is exit 1 with this message.
    const again = await run('bash', [path.join(install, 'bin/kafka-server-stop.sh')], { timeoutMs: 10000 });
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('No kafka server to stop');
  }, 60000);
});

describe('configuration errors', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-badconfig-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const base = () => ({
    'broker.id': 1,
    listeners: 'PLAINTEXT://127.0.0.1:0',
    'log.dirs': path.join(dir, 'data'),
    'zookeeper.connect': freshChroot('badconfig'),
  });

  test.each([
    ['broker.id=abc', { 'broker.id': 'abc' }, /broker\.id/],
    ['an unparsable listener', { listeners: 'PLAINTEXT//127.0.0.1:9092' }, /listeners.*PLAINTEXT\/\/127\.0\.0\.1:9092/],
    ['a listener with a non-numeric port', { listeners: 'PLAINTEXT://127.0.0.1:ninety' }, /listeners/],
  ])('%s: exits non-zero with a message naming the key', async (name, bad, message) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.properties`);
    writeProperties(file, { ...base(), ...bad });
    const result = await runBroker(file, 20000);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull(); // it exited by itself, not by our timeout
    expect(result.output).toMatch(message);
    expect(result.output).toMatch(/ERROR/);
  });

  test('an unknown key logs a warning and the broker still starts', async () => {
    const cluster = await TestCluster.start({ brokers: 1, config: { 'zafka.no.such.setting': 'x' } });
    try {
      expect(cluster.output(0)).toMatch(/WARN .*zafka\.no\.such\.setting/);
      const produced = await kcat(['-P', '-b', cluster.bootstrap, '-t', 'unknown-key-t'], { input: 'v\n' });
      expect(produced.code).toBe(0);
    } finally {
      await cluster.stop();
    }
  }, 40000);
});

describe('broker identity and shutdown', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('a second broker with a running broker.id is refused and exits non-zero', async () => {
    const first = cluster.broker(0);
    const zk = await KafkaZkClient.connect(cluster.zkConnect, 6000);
    try {
      const before = (await zk.zk.exists('/brokers/ids/0'))!;
      const port = await freePort();
      const config = path.join(cluster.baseDir, 'duplicate.properties');
      writeProperties(config, {
        'broker.id': 0,
        listeners: `PLAINTEXT://127.0.0.1:${port}`,
        'log.dirs': path.join(cluster.baseDir, 'duplicate-data'),
        'zookeeper.connect': cluster.zkConnect,
        'zookeeper.session.timeout.ms': 6000,
      });
      // It waits up to session timeout + 2 s for a stale registration to go, then gives up.
      const result = await runBroker(config, 30000);
      expect(result.code).not.toBeNull();
      expect(result.code).not.toBe(0);
      expect(result.elapsedMs).toBeLessThan(25000);
      expect(result.output).toMatch(/broker id 0 is already registered at \/brokers\/ids\/0/);

      // The running broker keeps its registration and keeps serving.
      const after = (await zk.zk.exists('/brokers/ids/0'))!;
      expect(after.czxid).toBe(before.czxid);
      expect((await zk.getBroker(0))!.endpoints[0].port).toBe(first.port);
      const produced = await kcat(['-P', '-b', cluster.bootstrap, '-t', 'dup-id-t'], { input: 'still here\n' });
      expect(produced.code).toBe(0);
    } finally {
      await zk.close();
    }
  }, 45000);

  test('SIGTERM writes .kafka_cleanshutdown and the next start skips recovery; after SIGKILL it recovers', async () => {
    const b = cluster.broker(0);
    const marker = path.join(b.logDir, '.kafka_cleanshutdown');
    const input = Array.from({ length: 50 }, (_, i) => `m${i}`).join('\n') + '\n';
    expect((await kcat(['-P', '-b', cluster.bootstrap, '-t', 'shutdown-t', '-p', '0'], { input })).code).toBe(0);
    const consumeAll = async () => (await kcat(['-C', '-b', cluster.bootstrap, '-t', 'shutdown-t', '-o', 'beginning', '-e', '-q'])).stdout;
    await waitFor('50 records', async () => (await consumeAll()) === input);
    expect(fs.existsSync(marker)).toBe(false); // a running broker has removed it

    expect(await cluster.stopBroker(0)).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
    let mark = cluster.output(0).length;
    await cluster.startBroker(0);
    expect(fs.existsSync(marker)).toBe(false); // it vouches only for the shutdown before this start
    await waitFor('50 records after a clean restart', async () => (await consumeAll()) === input);
    let log = cluster.output(0).slice(mark);
    expect(log).toMatch(/Completed load of log/);
    expect(log).not.toMatch(/Attempting recovery/);
    expect(log).not.toMatch(/Recovering unflushed segment/);

    expect(await cluster.kill(0)).toBeNull();
    expect(fs.existsSync(marker)).toBe(false);
    mark = cluster.output(0).length;
    await cluster.startBroker(0);
    await waitFor('50 records after recovery', async () => (await consumeAll()) === input, 30000, 200);
    log = cluster.output(0).slice(mark);
    expect(log).toMatch(new RegExp(`Attempting recovery for all logs in ${b.logDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} since no clean shutdown file was found`));
    expect(log).toMatch(/Recovering unflushed segment 0/);
  }, 60000);
});
