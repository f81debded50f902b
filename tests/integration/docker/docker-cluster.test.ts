// The broker image under faults: three broker containers (docker/Dockerfile, host networking on
// loopback ports) on the run's host ZooKeeper; kafkajs produces with acks=all to a topic with
// RF=3 and min.insync.replicas=2 while the leader is paused past the ZooKeeper session timeout and
// the new leader is killed (SIGKILL); both come back (unpause, start), and kcat, from the host,
// must read every acknowledged record. Without a Docker engine (or dockerode) the test is
// skipped with one line saying why. Image builds reuse Docker's layer cache.
import { spawnSync } from 'child_process';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { LABEL_PORT, planCluster } from '../../../docker/cluster/cluster-plan';
import { brokerMetadata, DockerCluster, repoRoot } from '../../../docker/cluster/docker-cluster';
import type { DockerEngine } from '../../../docker/cluster/docker-engine';
import { dockerUnavailableReason } from '../../helpers/docker';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { kcat } from '../../helpers/kcat';
import { freePort } from '../../helpers/ports';
import { waitFor } from '../../helpers/wait';
import { freshChroot } from '../../helpers/zookeeper';

registerKafkajsCodecs();

const reason = dockerUnavailableReason();
if (reason !== null) console.log(`docker-cluster.test.ts skipped: Docker not available (${reason}); see scripts/docker-setup.sh`);
const dockerTest = reason === null ? test : test.skip;

const CLUSTER = `zafka-it-${process.pid}`;
const IMAGE = process.env.ZAFKA_DOCKER_TEST_IMAGE ?? 'zafka:it';
const TOPIC = 'docker-faults';
const SESSION_TIMEOUT_MS = 6000;

let engine: DockerEngine | null = null;
let cluster: DockerCluster | null = null;
const log = (line: string) => { if (process.env.ZAFKA_DOCKER_TEST_VERBOSE) console.log(line); };

async function baseImage(e: DockerEngine): Promise<string> {
  if (process.env.ZAFKA_DOCKER_BASE_IMAGE) return process.env.ZAFKA_DOCKER_BASE_IMAGE;
  if (await e.imageExists('node:20-bookworm-slim')) return 'node:20-bookworm-slim';
  if (!(await e.imageExists('zafka-base:node20'))) {
    const setup = spawnSync('bash', ['scripts/docker-setup.sh'], { cwd: repoRoot(__dirname), encoding: 'utf8' });
    if (!(await e.imageExists('zafka-base:node20'))) throw new Error(`no base image: scripts/docker-setup.sh said ${setup.stdout}${setup.stderr}`);
  }
  return 'zafka-base:node20';
}

afterAll(async () => {
  if (!engine) return;
  const containers = await engine.listContainers({ 'io.zafka.cluster': CLUSTER }).catch(() => []);
  await Promise.all(containers.map((c) => engine!.remove(c.name, { force: true, volumes: true }).catch(() => undefined)));
  await engine.removeVolumes({ 'io.zafka.cluster': CLUSTER }).catch(() => undefined);
}, 60000);

dockerTest('acks=all records survive a paused leader and a killed broker (containers, host networking)', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerodeEngine } = require('../../../docker/cluster/dockerode-engine') as typeof import('../../../docker/cluster/dockerode-engine');
  engine = new DockerodeEngine();
  cluster = new DockerCluster(engine, CLUSTER, log);
  await cluster.ensureImage(IMAGE, { baseImage: await baseImage(engine), rebuild: !process.env.ZAFKA_DOCKER_TEST_IMAGE });

  // Three brokers on free loopback ports, on the run's ZooKeeper (its own chroot).
  const plan = planCluster({
    cluster: CLUSTER, brokers: 3, image: IMAGE, zookeeperImage: 'unused', firstPort: 1, zookeeperPort: 1,
    brokerConfig: { 'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS), 'replica.lag.time.max.ms': '6000', 'controlled.shutdown.enable': 'true' },
  });
  const zkConnect = freshChroot('zafka-docker');
  for (const b of plan.brokers) {
    b.port = await freePort();
    Object.assign(b.container.env, {
      KAFKA_ZOOKEEPER_CONNECT: zkConnect,
      KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${b.port}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${b.port}`,
    });
    b.container.labels[LABEL_PORT] = String(b.port);
    b.container.mounts = []; // the image's anonymous VOLUME, removed with the container
    await engine.run(b.container);
  }
  const portOf = (id: number) => plan.brokers.find((b) => b.id === id)!.port;
  const bootstrap = plan.brokers.map((b) => `127.0.0.1:${b.port}`).join(',');
  const allServing = async () => {
    for (const b of plan.brokers) {
      const m = await brokerMetadata(b.port, 2000);
      if (m.controllerId < 0 || m.brokers.length < 3) return false;
    }
    return true;
  };
  await waitFor('three broker containers to serve metadata', allServing, 60000, 250);

  // kafkajs keeps asking its seed broker for metadata even when that broker is frozen; as an
  // application with service discovery would, the bootstrap list leaves out brokers we froze or
  // killed, and a failed send reconnects the producer.
  const down = new Set<number>();
  const kafka = new Kafka({ clientId: 'docker-it', brokers: () => plan.brokers.filter((b) => !down.has(b.id)).map((b) => `127.0.0.1:${b.port}`), logLevel: logLevel.NOTHING, requestTimeout: 5000, connectionTimeout: 2000, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 1000 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
  await admin.disconnect();

  const partitionState = async () => {
    for (const b of plan.brokers) {
      try {
        const m = await brokerMetadata(b.port, 2000);
        const p = m.topics.find((t) => t.name === TOPIC)?.partitions[0];
        if (p) return { leader: p.leaderId, isr: [...p.isrNodes].sort() };
      } catch {
        // paused or dead: ask the next broker
      }
    }
    return null;
  };

  // Produce one record at a time with acks=all; only acknowledged ones must come back.
  // kafkajs does not refresh metadata after a request timeout (a paused leader never answers), so
  // a short metadataMaxAge lets it find the new leader.
  const acked: string[] = [];
  let failures = 0;
  let producing = true;
  let lastError = '';
  const newProducer = () => kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, maxInFlightRequests: 1, metadataMaxAge: 1000 });
  let producer: Producer = newProducer();
  await producer.connect();
  const loop = (async () => {
    for (let i = 0; producing; i++) {
      const value = `record-${i}`;
      try {
        await producer.send({ topic: TOPIC, acks: -1, timeout: 5000, messages: [{ value }] });
        acked.push(value);
      } catch (err) {
        lastError = (err as Error).message;
        failures++;
        await producer.disconnect().catch(() => undefined);
        producer = newProducer();
        await producer.connect().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  const ackedAtLeast = async (n: number) => {
    try {
      await waitFor(`${n} acknowledged records`, () => acked.length >= n, 60000, 100);
    } catch (err) {
      const state = JSON.stringify(await partitionState());
      throw new Error(`${(err as Error).message}: ${acked.length} acknowledged, ${failures} failed sends (last: ${lastError}), partition ${state}`);
    }
  };

  // A failure below must not leave the producing loop (and jest) running.
  let paused = -1;
  let killed = -1;
  let ackedAfterRecovery = 0;
  try {
    await ackedAtLeast(30);
    const before = (await partitionState())!;
    paused = before.leader;
    down.add(paused);
    await cluster.fault('pause', String(paused));
    // Past the session timeout the controller moves leadership away from the frozen broker.
    const moved = await waitFor('a new leader after the pause', async () => {
      const s = await partitionState();
      return s && s.leader >= 0 && s.leader !== paused ? s : null;
    }, SESSION_TIMEOUT_MS + 30000, 250);
    killed = moved.leader;
    const ackedBeforeKill = acked.length;
    await ackedAtLeast(ackedBeforeKill + 5);
    down.add(killed);
    await cluster.fault('kill', String(killed));
    await new Promise((r) => setTimeout(r, 3000));

    await cluster.fault('unpause', String(paused));
    await cluster.fault('start', String(killed));
    down.clear();
    await waitFor('all three brokers back and in the ISR', async () => {
      const s = await partitionState();
      return (await allServing()) && s !== null && s.leader >= 0 && s.isr.length === 3;
    }, 90000, 500);
    ackedAfterRecovery = acked.length;
    await ackedAtLeast(ackedAfterRecovery + 20);
  } finally {
    producing = false;
    await loop;
    await producer.disconnect().catch(() => undefined);
  }

  // Every acknowledged record is there, read by librdkafka from the host.
  const consumed = await kcat(['-C', '-b', bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%s\\n'], { timeoutMs: 30000 });
  expect(consumed.code).toBe(0);
  const seen = new Set(consumed.stdout.split('\n').filter((l) => l !== ''));
  const lost = acked.filter((v) => !seen.has(v));
  console.log(`docker-cluster.test.ts: paused leader ${paused}, killed ${killed}; ${acked.length} acknowledged, ${failures} failed sends, ${seen.size} distinct consumed, ${lost.length} lost`);
  expect(lost).toEqual([]);
  expect(acked.length).toBeGreaterThan(ackedAfterRecovery);
}, 180000);
