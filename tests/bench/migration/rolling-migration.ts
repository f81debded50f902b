// The whole of issue 14 in one run, as docs/MIGRATION.md ("Replacing Kafka brokers with Zafka",
// path B) tells an operator to do it: N Apache Kafka 2.4 brokers serve an acks=all producer and a
// consumer group; N Zafka brokers join; every partition (the topic and __consumer_offsets) is
// reassigned onto them; the Kafka brokers are retired one by one (controlled shutdown, the last
// one kill -9); then the same way back. Shared by the suite's light test (2 + 2) and
// `npm run migration:demo` (3 + 3), which prints the figures.
import type { Consumer } from 'kafkajs';
import * as fs from 'fs';
import * as path from 'path';
import { AckedStream, checkAcknowledged } from '../../helpers/acked-stream';
import { TestCluster } from '../../helpers/cluster';
import { consumeUntilAll } from '../../helpers/consume-all';
import { kafkajs } from '../../helpers/kafkajs-client';
import { metadataFrom } from '../../helpers/metadata';
import { isRegistered, ReferenceKafkaBroker } from '../../helpers/reference-kafka';
import { waitFor } from '../../helpers/wait';
import { runCli } from '../../integration/cli/run-cli';

export interface MigrationOptions {
  /** Brokers of each kind. */
  brokers: number;
  /** Partitions of the test topic. */
  partitions: number;
  log?: (line: string) => void;
}

export interface MigrationResult {
  /** From the first Zafka broker starting to the last Kafka broker gone. */
  forwardMs: number;
  /** From the first Kafka broker restarting to the last Zafka broker gone. */
  backMs: number;
  /** Longest time without a new acknowledgement while the producer ran. */
  worstStallMs: number;
  acknowledged: number;
  /** Acknowledged records no consumer could read at the end (must be 0). */
  lost: number;
  consumed: number;
  /** Records the group delivered more than once (coordinator and partition moves). */
  reread: number;
  /** Reassignments and retirements: each may move a group coordinator and partition leaders. */
  moves: number;
  largestBatch: number;
  controllers: number[];
  /** Each time the group went back: partition, how many offsets, after which step. */
  rewinds: string[];
}

const TOPIC = 'rolling-migration';
const GROUP = 'rolling-migration-group';
const OFFSETS_PARTITIONS = 4;

export async function runRollingMigration(options: MigrationOptions): Promise<MigrationResult> {
  let step = 'start';
  const log = (line: string) => {
    step = line;
    options.log?.(line);
  };
  const n = options.brokers;
  const rf = Math.min(n, 3);
  const shared = {
    'offsets.topic.num.partitions': OFFSETS_PARTITIONS,
    'offsets.topic.replication.factor': rf,
    'min.insync.replicas': Math.max(1, rf - 1),
    'auto.leader.rebalance.enable': false,
    'inter.broker.protocol.version': '2.4',
  };
  const zafka = await TestCluster.create({ brokers: n, firstId: 1, config: shared });
  const zafkaIds = zafka.brokers.map((b) => b.id);
  const kafkaIds = zafkaIds.map((id) => 100 + id);
  const kafka = await Promise.all(kafkaIds.map((id) => ReferenceKafkaBroker.create({ id, zkConnect: zafka.zkConnect, interBrokerProtocolVersion: '2.4', config: shared })));
  const kafkaById = new Map(kafka.map((k) => [k.id, k]));
  const ports = () => [...zafka.brokers.filter((b) => b.process).map((b) => b.port), ...kafka.filter((k) => k.running).map((k) => k.port)];
  const allBootstrap = [...zafka.brokers.map((b) => `127.0.0.1:${b.port}`), ...kafka.map((k) => k.bootstrap)].join(',');
  const controllers: number[] = [];
  let stream: AckedStream | null = null;
  let consumer: Consumer | null = null;
  let sampler: NodeJS.Timeout | null = null;
  try {
    // Kafka brokers one after the other, so the first is controller as in a cluster that has run for a while.
    for (const k of kafka) await k.start();
    log(`${n} Kafka 2.4 brokers up (ids ${kafkaIds.join(',')})`);
    const admin = kafkajs(kafka.map((k) => k.bootstrap).join(','), 'migration-admin').admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: TOPIC, replicaAssignment: Array.from({ length: options.partitions }, (_, p) => ({ partition: p, replicas: rotate(kafkaIds, p).slice(0, rf) })) }],
    });
    await admin.disconnect();

    stream = new AckedStream(kafkajs(allBootstrap, 'migration-producer'), TOPIC, options.partitions, 10, true);
    await stream.start();
    const consumed: string[] = [];
    let largestBatch = 0;
    // Where the group went back: per partition, the last offset of the previous batch (re-reading
    // sequentially after one rewind is not another rewind).
    const previousEnd = new Map<number, number>();
    const rewinds: string[] = [];
    consumer = kafkajs(allBootstrap, 'migration-consumer').consumer({ groupId: GROUP, sessionTimeout: 15000, heartbeatInterval: 1000, maxWaitTimeInMs: 500, maxBytesPerPartition: 16384 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        largestBatch = Math.max(largestBatch, batch.messages.length);
        const first = Number(batch.messages[0]?.offset ?? -1);
        const end = previousEnd.get(batch.partition) ?? -1;
        if (first >= 0 && first <= end) rewinds.push(`p${batch.partition} back ${end - first + 1} after "${step}"`);
        if (batch.messages.length > 0) previousEnd.set(batch.partition, Number(batch.messages[batch.messages.length - 1].offset));
        consumed.push(...batch.messages.map((m) => m.value!.toString()));
      },
    });
    const s = stream;
    await waitFor('the producer and the group to get going', () => s.acked.length > 300 && consumed.length > 100, 120000, 200);
    let lastCount = s.acked.length;
    let lastGrowth = Date.now();
    let worstStallMs = 0;
    sampler = setInterval(() => {
      const now = Date.now();
      if (s.acked.length > lastCount) {
        lastCount = s.acked.length;
        lastGrowth = now;
      }
      worstStallMs = Math.max(worstStallMs, now - lastGrowth);
    }, 50);
    const noteController = async () => controllers.push(await controllerOf(ports()));
    await noteController();

    // Forward: Zafka brokers join, everything moves onto them, Kafka brokers retire.
    const forwardStart = Date.now();
    for (const id of zafkaIds) await zafka.startBroker(id);
    log(`${n} Zafka brokers joined (ids ${zafkaIds.join(',')}); reassigning onto them`);
    await reassignEverything(zafka, options.partitions, zafkaIds, rf, ports, log);
    for (const [i, id] of kafkaIds.entries()) {
      const how = i === kafkaIds.length - 1 ? 'kill -9' : 'controlled shutdown';
      await (how === 'kill -9' ? kafkaById.get(id)!.kill() : kafkaById.get(id)!.stop());
      await waitForRetired(zafka.zkConnect, id, ports, options.partitions);
      await noteController();
      log(`Kafka broker ${id} retired (${how}); controller ${controllers[controllers.length - 1]}`);
    }
    const forwardMs = Date.now() - forwardStart;
    const onZafka = s.acked.length;
    await waitFor('acknowledgements on Zafka alone', () => s.acked.length > onZafka + 100, 120000, 200).catch((err) => {
      throw new Error(`${(err as Error).message}; producer's last errors: ${s.errors.slice(-3).join(' | ')}`);
    });

    // Back: Kafka brokers return, everything moves back, Zafka brokers retire.
    const backStart = Date.now();
    for (const k of kafka) await k.start();
    log('Kafka brokers back; reassigning onto them');
    await reassignEverything(zafka, options.partitions, kafkaIds, rf, ports, log);
    for (const [i, id] of zafkaIds.entries()) {
      const how = i === zafkaIds.length - 1 ? 'kill -9' : 'controlled shutdown';
      await (how === 'kill -9' ? zafka.kill(id) : zafka.stopBroker(id));
      await waitForRetired(zafka.zkConnect, id, ports, options.partitions);
      await noteController();
      log(`Zafka broker ${id} retired (${how}); controller ${controllers[controllers.length - 1]}`);
    }
    const backMs = Date.now() - backStart;
    const before = s.acked.length;
    await waitFor('acknowledgements on Kafka alone', () => s.acked.length > before + 100, 120000, 200).catch((err) => {
      throw new Error(`${(err as Error).message}; producer's last errors: ${s.errors.slice(-3).join(' | ')}`);
    });

    clearInterval(sampler);
    sampler = null;
    await s.stop();
    const liveBootstrap = kafka.map((k) => k.bootstrap).join(',');
    const rows = await consumeUntilAll(liveBootstrap, TOPIC, s.acked, 120000);
    const present = new Set(rows.map((r) => r.value));
    const lost = s.acked.filter((v) => !present.has(v)).length;
    if (lost === 0) checkAcknowledged(rows, s.acked);
    await waitFor('the group to consume every acknowledged record', () => { const seen = new Set(consumed); return s.acked.every((v) => seen.has(v)); }, 120000, 500).catch(() => undefined);
    return {
      forwardMs, backMs, worstStallMs, acknowledged: s.acked.length, lost,
      consumed: consumed.length, reread: consumed.length - new Set(consumed).size, largestBatch, controllers, moves: 2 + 2 * n, rewinds,
    };
  } finally {
    if (sampler) clearInterval(sampler);
    await consumer?.disconnect().catch(() => undefined);
    await stream?.stop().catch(() => undefined);
    await zafka.stop();
    await Promise.all(kafka.map((k) => k.destroy()));
  }
}

function rotate<T>(xs: T[], by: number): T[] {
  return xs.map((_, i) => xs[(i + by) % xs.length]);
}

async function controllerOf(ports: number[]): Promise<number> {
  for (const port of ports) {
    try {
      const id = (await metadataFrom(port)).controllerId;
      if (id >= 0) return id;
    } catch {
      /* next */
    }
  }
  return -1;
}

/**
 * The broker is out of /brokers/ids (after kill -9: once its ZooKeeper session expires), the
 * controller is another broker, and every partition is led with a full ISR again.
 */
async function waitForRetired(zkConnect: string, id: number, ports: () => number[], partitions: number): Promise<void> {
  await waitFor(`broker ${id} to leave /brokers/ids`, async () => !(await isRegistered(zkConnect, id)), 60000, 300);
  await waitFor(`a controller other than ${id}`, async () => { const c = await controllerOf(ports()); return c >= 0 && c !== id; }, 60000, 300);
  await waitForHealthy(ports(), partitions);
}

/** Every partition of the topic and of __consumer_offsets has a leader and a full ISR. */
async function waitForHealthy(ports: number[], partitions: number): Promise<void> {
  await waitFor('every partition led with a full ISR', async () => {
    const m = await metadataFrom(ports[0], [TOPIC, '__consumer_offsets']);
    const parts = m.topics.flatMap((t) => t.partitions);
    return m.controllerId >= 0 && parts.length === partitions + OFFSETS_PARTITIONS && parts.every((p) => p.leaderId >= 0 && p.isrNodes.length === p.replicaNodes.length);
  }, 180000, 500);
}

/** kafka-reassign-partitions --execute, then --verify until complete, for the topic and __consumer_offsets. */
async function reassignEverything(cluster: TestCluster, partitions: number, target: number[], rf: number, ports: () => number[], log: (l: string) => void): Promise<void> {
  const plan = {
    version: 1,
    partitions: [
      ...Array.from({ length: partitions }, (_, p) => ({ topic: TOPIC, partition: p, replicas: rotate(target, p).slice(0, rf) })),
      ...Array.from({ length: OFFSETS_PARTITIONS }, (_, p) => ({ topic: '__consumer_offsets', partition: p, replicas: rotate(target, p + 1).slice(0, rf) })),
    ],
  };
  const file = path.join(cluster.baseDir, `plan-${target.join('-')}.json`);
  fs.writeFileSync(file, JSON.stringify(plan));
  const args = ['--zookeeper', cluster.zkConnect, '--reassignment-json-file', file];
  const exec = await runCli('kafka-reassign-partitions', ['--execute', ...args], { timeoutMs: 120000 });
  if (!exec.stdout.includes('Successfully started reassignment')) throw new Error(`reassignment did not start: ${exec.stdout} ${exec.stderr}`);
  await waitFor('--verify to report every partition complete', async () => {
    const verify = await runCli('kafka-reassign-partitions', ['--verify', ...args], { timeoutMs: 120000 });
    return plan.partitions.every((p) => verify.stdout.includes(`Reassignment of partition ${p.topic}-${p.partition} completed successfully`));
  }, 300000, 2000);
  await waitForHealthy(ports(), partitions);
  log(`reassignment onto ${target.join(',')} complete`);
}
