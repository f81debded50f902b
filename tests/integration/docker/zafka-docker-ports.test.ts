// `zafka-docker up` with a port it needs already taken, through the built CLI and a real Docker
// engine: the run's own ZooKeeper (a java process) on the ZooKeeper port, and a host-networking
// container of another zafka-docker cluster on a broker port. Each time up exits 1 before building
// an image or creating a container, naming the port, what needs it and what holds it. Then the
// case that used to go wrong: a cluster is up, `up` again on it is not refused (its own containers
// hold its ports), and a second cluster on the same ZooKeeper port is refused, naming the first
// cluster's ZooKeeper container, instead of its brokers joining that ZooKeeper. Without a Docker
// engine (or dockerode) the tests are skipped with one line saying why.
import type { DockerEngine } from '../../../docker/cluster/docker-engine';
import { dockerUnavailableReason } from '../../helpers/docker';
import { freePort, freePortRange, waitForPort } from '../../helpers/ports';
import { runCli } from '../cli/run-cli';

const reason = dockerUnavailableReason();
if (reason !== null) console.log(`zafka-docker-ports.test.ts skipped: Docker not available (${reason}); see scripts/docker-setup.sh`);
const dockerTest = reason === null ? test : test.skip;

jest.setTimeout(120000);

const CLUSTER = `zafka-ports-${process.pid}`;
const OTHER = `zafka-ports-other-${process.pid}`;
const SECOND = `zafka-ports-second-${process.pid}`;
// Names no test builds or pulls: up must fail before it gets to images.
const NO_IMAGE = ['--image', `zafka:ports-never-built-${process.pid}`, '--zookeeper-image', `zafka-zookeeper:never-pulled-${process.pid}`];

let engine: DockerEngine | null = null;
function getEngine(): DockerEngine {
  if (engine === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DockerodeEngine } = require('../../../docker/cluster/dockerode-engine') as typeof import('../../../docker/cluster/dockerode-engine');
    engine = new DockerodeEngine();
  }
  return engine;
}

afterAll(async () => {
  if (engine === null) return;
  for (const cluster of [CLUSTER, OTHER, SECOND]) {
    const containers = await engine.listContainers({ 'io.zafka.cluster': cluster }).catch(() => []);
    await Promise.all(containers.map((c) => engine!.remove(c.name, { force: true, volumes: true }).catch(() => undefined)));
    await engine.removeVolumes({ 'io.zafka.cluster': cluster }).catch(() => undefined);
  }
}, 120000);

async function expectNothingCreated(cluster = CLUSTER): Promise<void> {
  expect(await getEngine().listContainers({ 'io.zafka.cluster': cluster })).toEqual([]);
  expect(await getEngine().imageExists(NO_IMAGE[1])).toBe(false);
}

dockerTest('a ZooKeeper port held by a running ZooKeeper: up exits 1 naming the port and the java process, creates nothing', async () => {
  const zkPort = Number(/:(\d+)$/.exec(process.env.ZAFKA_TEST_ZK ?? '')?.[1]);
  expect(zkPort).toBeGreaterThan(0);
  const r = await runCli('zafka-docker', ['--cluster', CLUSTER, 'up', '--brokers', '2', '--zookeeper-port', String(zkPort), '--port', String(await freePortRange(2)), ...NO_IMAGE]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(
    `^zafka-docker: refusing to start: port ${zkPort} for ZooKeeper \\(${CLUSTER}-zookeeper\\) is already in use by pid \\d+ \\(java .*ZooKeeperServerMain .*\\); stop it or choose another port with --zookeeper-port\\n$`,
  ));
  expect(r.stdout).not.toContain('Starting');
  await expectNothingCreated();
});

dockerTest('a broker port held by a container of another zafka-docker cluster: up names that container and cluster', async () => {
  const e = getEngine();
  const image = (await e.imageExists('node:20-bookworm-slim')) ? 'node:20-bookworm-slim' : (await e.imageExists('zafka-base:node20')) ? 'zafka-base:node20' : null;
  if (image === null) {
    console.log('zafka-docker-ports.test.ts: second case skipped: no node image (run scripts/docker-setup.sh)');
    return;
  }
  const port = await freePort();
  await e.run({
    name: `${OTHER}-broker-1`,
    image,
    env: {},
    labels: { 'io.zafka.cluster': OTHER, 'io.zafka.role': 'broker' },
    mounts: [],
    hostNetwork: true,
    cmd: ['node', '-e', `require('net').createServer().listen(${port}, '127.0.0.1')`],
  });
  await waitForPort(port, 30000);
  const zkPort = await freePort();
  const r = await runCli('zafka-docker', ['--cluster', CLUSTER, 'up', '--brokers', '1', '--zookeeper-port', String(zkPort), '--port', String(port), ...NO_IMAGE]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`refusing to start: port ${port} for broker 1 (${CLUSTER}-broker-1) is already in use by pid `);
  expect(r.stderr).toContain(`in container ${OTHER}-broker-1 (zafka-docker cluster '${OTHER}', broker); stop it or choose another port with --port`);
  await expectNothingCreated();
});

dockerTest('a running cluster: up again is not refused; a second cluster on its ZooKeeper port is, naming that container', async () => {
  const e = getEngine();
  const base = (await e.imageExists('node:20-bookworm-slim')) ? 'node:20-bookworm-slim' : (await e.imageExists('zafka-base:node20')) ? 'zafka-base:node20' : null;
  const zkImage = (await e.imageExists('zookeeper:3.8')) ? 'zookeeper:3.8' : (await e.imageExists('zafka-zookeeper:local')) ? 'zafka-zookeeper:local' : null;
  if (base === null || zkImage === null) {
    console.log('zafka-docker-ports.test.ts: running-cluster case skipped: no node or ZooKeeper image (bash scripts/docker-setup.sh --zookeeper-image)');
    return;
  }
  const image = process.env.ZAFKA_DOCKER_TEST_IMAGE ?? 'zafka:it';
  const [port, zkPort] = [await freePort(), await freePort()];
  const args = ['up', '--brokers', '1', '--image', image, '--base-image', base, '--zookeeper-image', zkImage, '--port', String(port), '--zookeeper-port', String(zkPort)];
  const first = await runCli('zafka-docker', ['--cluster', CLUSTER, ...args, ...(process.env.ZAFKA_DOCKER_TEST_IMAGE ? [] : ['--rebuild'])], { timeoutMs: 540000 });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`bootstrap servers: 127.0.0.1:${port}`);

  const again = await runCli('zafka-docker', ['--cluster', CLUSTER, ...args], { timeoutMs: 120000 });
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);

  const second = await runCli('zafka-docker', ['--cluster', SECOND, 'up', '--brokers', '1', '--image', image, '--zookeeper-image', zkImage, '--port', String(await freePort()), '--zookeeper-port', String(zkPort)]);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(new RegExp(
    `refusing to start: port ${zkPort} for ZooKeeper \\(${SECOND}-zookeeper\\) is already in use by pid \\d+ \\(.*\\) in container ${CLUSTER}-zookeeper \\(zafka-docker cluster '${CLUSTER}', zookeeper\\); stop it or choose another port with --zookeeper-port`,
  ));
  await expectNothingCreated(SECOND);
}, 600000);
