// Benchmark (prints figures; not a test): consumer groups. Three measurements, each against real
// broker processes and a real ZooKeeper:
//   1. rebalance: one broker (group.initial.rebalance.delay.ms=0), a topic of 30 partitions,
//      kafkajs consumers in one group in this process. For a group of N members (3 and 10) we
//      time (a) all N started at once ("cold start") and (b) the N-th member joining a Stable
//      group of N-1, each until every member holds an assignment (kafkajs GROUP_JOIN events
//      whose latest assignments cover the 30 partitions without overlap). kafkajs members learn of
//      a rebalance from their heartbeat, so --heartbeat-ms bounds (b) from below.
//   2. commits/s: one raw KafkaClient sending OffsetCommit v7 (simple-consumer commits, generation
//      -1) of --commit-partitions partitions each, --commit-in-flight pipelined, for --commit-seconds.
//   3. coordinator load: three brokers, __consumer_offsets with RF 3 and 3 partitions; --load-groups
//      groups that all live in one offsets partition each commit --load-partitions offsets (one
//      record per topic-partition key: groups x partitions distinct keys to replay). Then kill -9
//      of the coordinator, and the time until the new coordinator answers OffsetFetch with every
//      offset (FindCoordinator polled until it names another broker), plus its own logged load time.
//
//   node dist/tests/bench/group-bench.js [--members 3,10] [--heartbeat-ms 300] [--commit-seconds 5]
//        [--commit-partitions 100] [--commit-in-flight 4] [--load-groups 100] [--load-partitions 1000]
//        [--session-timeout-ms 6000] [--skip rebalance,commits,load]
import * as fs from 'fs';
import type { Consumer, Kafka } from 'kafkajs';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { partitionFor } from '../../broker/group/partition-for';
import { KafkaClient } from '../../broker/network/kafka-client';
import { ErrorCode } from '../../broker/protocol/errors';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { FindCoordinator } from '../../broker/protocol/messages/find-coordinator';
import { OffsetCommit } from '../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../broker/protocol/messages/offset-fetch';
import { TestCluster } from '../helpers/cluster';
import { kafkajs } from '../helpers/kafkajs-client';
import { waitFor } from '../helpers/wait';
import { startZooKeeper } from '../helpers/zookeeper';

interface Options {
  members: number[];
  heartbeatMs: number;
  commitSeconds: number;
  commitPartitions: number;
  commitInFlight: number;
  loadGroups: number;
  loadPartitions: number;
  sessionTimeoutMs: number;
  skip: string[];
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    members: [3, 10], heartbeatMs: 300, commitSeconds: 5, commitPartitions: 100, commitInFlight: 4,
    loadGroups: 100, loadPartitions: 1000, sessionTimeoutMs: 6000, skip: [],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1] ?? ''];
    const num = Number(value);
    switch (name) {
      case '--members': o.members = value.split(',').map(Number); break;
      case '--skip': o.skip = value.split(','); break;
      case '--heartbeat-ms': o.heartbeatMs = num; break;
      case '--commit-seconds': o.commitSeconds = num; break;
      case '--commit-partitions': o.commitPartitions = num; break;
      case '--commit-in-flight': o.commitInFlight = num; break;
      case '--load-groups': o.loadGroups = num; break;
      case '--load-partitions': o.loadPartitions = num; break;
      case '--session-timeout-ms': o.sessionTimeoutMs = num; break;
      default:
        console.error(`unknown option: ${name}`);
        process.exit(1);
    }
    if (name !== '--members' && name !== '--skip' && !Number.isFinite(num)) {
      console.error(`bad value for ${name}: ${value}`);
      process.exit(1);
    }
  }
  return o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createTopic(client: ClusterClient, name: string, numPartitions: number): Promise<void> {
  const { response } = await client.sendToController(CreateTopics, {
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 60000,
    validateOnly: false,
  }, { timeoutMs: 90000 });
  const code = (response as { topics: { errorCode: number }[] }).topics[0]?.errorCode ?? 0;
  if (code !== ErrorCode.NONE) throw new Error(`CreateTopics ${name}: ${ErrorCode[code]}`);
  await waitFor(`leaders for ${name}`, async () => {
    const t = (await client.refreshMetadata([name])).topics.get(name);
    return t !== undefined && t.errorCode === ErrorCode.NONE && t.partitions.length === numPartitions && t.partitions.every((p) => p.leader >= 0);
  }, 120000, 200);
}

/** FindCoordinator through `conn` until it names a coordinator (the first call creates __consumer_offsets). */
async function findCoordinator(conn: KafkaClient, groupId: string, not = -1): Promise<number> {
  return waitFor(`a coordinator for ${groupId}`, async () => {
    const r = await conn.send(FindCoordinator, 2, { key: groupId, keyType: 0 });
    return r.errorCode === ErrorCode.NONE && r.nodeId !== not ? r.nodeId + 1 : 0; // +1: node 0 is truthy
  }, 60000, 20).then((n) => n - 1);
}

// ------------------------------------------------------------------------------ 1. rebalance

interface Member {
  consumer: Consumer;
  joins: number;
  lastJoinAt: number;
  assignment: number[];
}

async function newMember(kafka: Kafka, groupId: string, topic: string, heartbeatMs: number): Promise<Member> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: heartbeatMs, maxWaitTimeInMs: 100, retry: { retries: 10 } });
  const member: Member = { consumer, joins: 0, lastJoinAt: 0, assignment: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    member.joins++;
    member.lastJoinAt = performance.now();
    member.assignment = e.payload.memberAssignment[topic] ?? [];
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  return member;
}

/** Every member joined after `since`, and their assignments share out all partitions. */
function settled(members: Member[], since: number, partitions: number): boolean {
  if (!members.every((m) => m.lastJoinAt >= since && m.assignment.length > 0)) return false;
  const all = members.flatMap((m) => m.assignment);
  return all.length === partitions && new Set(all).size === partitions;
}

async function timeRebalance(members: Member[], starting: Member[], partitions: number): Promise<{ ms: number; joins: number }> {
  const joinsBefore = members.reduce((s, m) => s + m.joins, 0);
  const t0 = performance.now();
  for (const m of starting) await m.consumer.run({ eachMessage: async () => undefined });
  await waitFor('every member assigned', () => settled(members, t0, partitions), 60000, 1);
  const end = Math.max(...members.map((m) => m.lastJoinAt));
  return { ms: end - t0, joins: members.reduce((s, m) => s + m.joins, 0) - joinsBefore };
}

async function rebalanceBench(kafka: Kafka, client: ClusterClient, o: Options): Promise<void> {
  const topic = 'group-bench-30';
  const partitions = 30;
  await createTopic(client, topic, partitions);
  console.log(`1. rebalance: 1 broker, group.initial.rebalance.delay.ms=0, topic of ${partitions} partitions, kafkajs consumers in this process (heartbeatInterval ${o.heartbeatMs} ms, maxWaitTime 100 ms)`);
  for (const n of o.members) {
    // (a) N members started together.
    let members: Member[] = [];
    for (let i = 0; i < n; i++) members.push(await newMember(kafka, `cold-${n}`, topic, o.heartbeatMs));
    const cold = await timeRebalance(members, members, partitions);
    await Promise.all(members.map((m) => m.consumer.disconnect()));
    // (b) the N-th member joining a Stable group of N-1.
    members = [];
    for (let i = 0; i < n - 1; i++) members.push(await newMember(kafka, `join-${n}`, topic, o.heartbeatMs));
    await timeRebalance(members, members, partitions);
    await sleep(500 + 2 * o.heartbeatMs); // Stable, heartbeating
    const extra = await newMember(kafka, `join-${n}`, topic, o.heartbeatMs);
    members.push(extra);
    const join = await timeRebalance(members, [extra], partitions);
    await Promise.all(members.map((m) => m.consumer.disconnect()));
    console.log(
      `   N=${String(n).padStart(2)}: all ${n} started together -> all assigned in ${cold.ms.toFixed(0)} ms (${cold.joins} GROUP_JOIN events); ` +
        `member ${n} joins a Stable group of ${n - 1} -> all ${n} assigned in ${join.ms.toFixed(0)} ms`,
    );
  }
}

// ------------------------------------------------------------------------------ 2. commits/s

async function commitBench(cluster: TestCluster, client: ClusterClient, o: Options): Promise<void> {
  const topic = 'group-bench-commits';
  await createTopic(client, topic, o.commitPartitions);
  const groupId = 'commit-bench';
  const boot = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'group-bench' });
  const coordinator = await findCoordinator(boot, groupId);
  boot.close();
  const conn = await KafkaClient.connect('127.0.0.1', cluster.broker(coordinator).port, { clientId: 'group-bench-commits' });
  const partitionIndexes = Array.from({ length: o.commitPartitions }, (_, i) => i);
  let next = 0;
  const request = () => {
    const offset = next++;
    return {
      groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: topic, partitions: partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' })) }],
    };
  };
  // One warm-up commit (creates the group in the coordinator's cache).
  await conn.send(OffsetCommit, 7, request());
  let requests = 0;
  let errors = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + o.commitSeconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.commitInFlight }, async () => {
      while (performance.now() < deadline) {
        const sentAt = performance.now();
        const r = await conn.send(OffsetCommit, 7, request());
        latencies.push(performance.now() - sentAt);
        requests++;
        for (const t of r.topics) for (const p of t.partitions) if (p.errorCode !== ErrorCode.NONE) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  conn.close();
  latencies.sort((a, b) => a - b);
  console.log(`2. commits: 1 broker, one client, OffsetCommit v7 of ${o.commitPartitions} partitions, ${o.commitInFlight} in flight, ${seconds.toFixed(1)} s`);
  console.log(
    `   ${((requests * o.commitPartitions) / seconds).toFixed(0)} commits/s (partition offsets), ${(requests / seconds).toFixed(0)} requests/s, ` +
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, partition errors ${errors}`,
  );
}

// ------------------------------------------------------------------------------ 3. coordinator load

async function loadBench(o: Options): Promise<void> {
  const offsetsPartitions = 3;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'info'; // the coordinator logs its load time at INFO
  const cluster = await TestCluster.start({
    brokers: 3,
    config: { 'offsets.topic.replication.factor': 3, 'offsets.topic.num.partitions': offsetsPartitions, 'zookeeper.session.timeout.ms': o.sessionTimeoutMs },
  });
  const open: KafkaClient[] = [];
  try {
    const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'group-bench-load', requestTimeoutMs: 90000 });
    const topic = 'group-bench-load';
    let t = performance.now();
    await createTopic(client, topic, o.loadPartitions);
    client.close();
    const createdMs = performance.now() - t;
    // Groups that all map to the same __consumer_offsets partition.
    const groups: string[] = [];
    const target = partitionFor('load-0', offsetsPartitions);
    for (let i = 0; groups.length < o.loadGroups; i++) if (partitionFor(`load-${i}`, offsetsPartitions) === target) groups.push(`load-${i}`);
    const boot = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'group-bench-load' });
    open.push(boot);
    const coordinator = await findCoordinator(boot, groups[0]);
    const conn = await KafkaClient.connect('127.0.0.1', cluster.broker(coordinator).port, { clientId: 'group-bench-load', requestTimeoutMs: 60000 });
    open.push(conn);
    const offsetOf = (g: number, p: number) => g * 1_000_000 + p;
    t = performance.now();
    let nextGroup = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let g = nextGroup++; g < groups.length; g = nextGroup++) {
          const r = await conn.send(OffsetCommit, 7, {
            groupId: groups[g], generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
            topics: [{ name: topic, partitions: Array.from({ length: o.loadPartitions }, (_, p) => ({ partitionIndex: p, committedOffset: offsetOf(g, p), committedLeaderEpoch: -1, committedMetadata: '' })) }],
          });
          const bad = r.topics.flatMap((x) => x.partitions).filter((p) => p.errorCode !== ErrorCode.NONE);
          if (bad.length > 0) throw new Error(`commit for ${groups[g]}: ${bad.length} partitions failed, e.g. ${ErrorCode[bad[0].errorCode]}`);
        }
      }),
    );
    const total = groups.length * o.loadPartitions;
    const commitMs = performance.now() - t;
    console.log(
      `3. coordinator load: 3 brokers, __consumer_offsets RF 3 with ${offsetsPartitions} partitions, zookeeper.session.timeout.ms=${o.sessionTimeoutMs}; ` +
        `topic of ${o.loadPartitions} partitions (created in ${(createdMs / 1000).toFixed(1)} s)`,
    );
    console.log(`   committed ${total} offsets (${groups.length} groups x ${o.loadPartitions} partitions, all in __consumer_offsets-${target}) to broker ${coordinator} in ${(commitMs / 1000).toFixed(2)} s (acks=all, ${(total / (commitMs / 1000)).toFixed(0)} offsets/s)`);

    // kill -9 the coordinator. From that moment: a survivor is asked who the coordinator is until
    // it names another broker, and every survivor is asked for the first group's offsets (every
    // 5 ms) until one of them answers with all of them.
    const survivors = cluster.brokers.filter((b) => b.id !== coordinator);
    const probe = await KafkaClient.connect('127.0.0.1', survivors[0].port, { clientId: 'group-bench-probe', requestTimeoutMs: 5000 });
    open.push(probe);
    const fetchers = new Map<number, KafkaClient>();
    for (const b of survivors) {
      const c = await KafkaClient.connect('127.0.0.1', b.port, { clientId: 'group-bench-fetch', requestTimeoutMs: 30000 });
      open.push(c);
      fetchers.set(b.id, c);
    }
    const killedAt = performance.now();
    await cluster.kill(coordinator);
    let served: { broker: number; at: number } | null = null;
    const firstLoading = new Map<number, number>();
    const answers = new Map<string, number>();
    let namedAt = 0;
    const [successor] = await Promise.all([
      findCoordinator(probe, groups[0], coordinator).then((id) => ((namedAt = performance.now()), id)),
      ...[...fetchers].map(async ([id, c]) => {
        while (served === null) {
          const r = await c.send(OffsetFetch, 5, { groupId: groups[0], topics: null });
          const name = ErrorCode[r.errorCode] ?? String(r.errorCode);
          answers.set(`${id}:${name}`, (answers.get(`${id}:${name}`) ?? 0) + 1);
          if (r.errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && !firstLoading.has(id)) firstLoading.set(id, performance.now());
          if (r.errorCode === ErrorCode.NONE) {
            const n = r.topics.reduce((s, x) => s + x.partitions.length, 0);
            if (n !== o.loadPartitions) throw new Error(`broker ${id} answered ${n} offsets for ${groups[0]}, expected ${o.loadPartitions}`);
            if (served === null) served = { broker: id, at: performance.now() };
            break;
          }
          if (r.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && r.errorCode !== ErrorCode.NOT_COORDINATOR && r.errorCode !== ErrorCode.COORDINATOR_NOT_AVAILABLE) {
            throw new Error(`OffsetFetch from broker ${id}: ${name}`);
          }
          await sleep(5);
        }
      }),
    ]);
    const { broker: servedBy, at: servedAt } = served as unknown as { broker: number; at: number };
    if (servedBy !== successor) throw new Error(`broker ${servedBy} served the offsets but FindCoordinator names broker ${successor}`);
    const next = fetchers.get(successor)!;
    // Every group's every offset, checked.
    let verified = 0;
    for (let g = 0; g < groups.length; g++) {
      const r = await next.send(OffsetFetch, 5, { groupId: groups[g], topics: null });
      if (r.errorCode !== ErrorCode.NONE) throw new Error(`OffsetFetch ${groups[g]}: ${ErrorCode[r.errorCode]}`);
      for (const x of r.topics) for (const p of x.partitions) if (p.errorCode === ErrorCode.NONE && p.committedOffset === offsetOf(g, p.partitionIndex)) verified++;
    }
    const logged = cluster.output(successor).match(new RegExp(`Finished loading offsets and group metadata from __consumer_offsets-${target} in (\\d+) milliseconds`));
    const loadingAt = firstLoading.get(successor);
    console.log(`   kill -9 of broker ${coordinator} (the coordinator): FindCoordinator on broker ${survivors[0].id} names broker ${successor} after ${(namedAt - killedAt).toFixed(0)} ms`);
    console.log(
      `   broker ${successor} answers OffsetFetch with all ${o.loadPartitions} offsets of ${groups[0]} ${(servedAt - killedAt).toFixed(0)} ms after the kill` +
        (loadingAt !== undefined ? `, ${(servedAt - loadingAt).toFixed(0)} ms after its first COORDINATOR_LOAD_IN_PROGRESS` : ' (no COORDINATOR_LOAD_IN_PROGRESS seen)') +
        ` (answers per broker: ${[...answers].map(([k, v]) => `${k} x${v}`).join(', ')})`,
    );
    console.log(`   broker ${successor} logged: loading __consumer_offsets-${target} took ${logged ? `${logged[1]} ms` : '(no log line found)'}; verified ${verified} of ${total} offsets afterwards`);
  } finally {
    for (const c of open) c.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  try {
    if (!o.skip.includes('rebalance') || !o.skip.includes('commits')) {
      const cluster = await TestCluster.start({ brokers: 1, config: { 'group.initial.rebalance.delay.ms': 0 } });
      const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'group-bench' });
      try {
        if (!o.skip.includes('rebalance')) await rebalanceBench(kafkajs(cluster.bootstrap, 'group-bench'), client, o);
        if (!o.skip.includes('commits')) await commitBench(cluster, client, o);
      } finally {
        client.close();
        await cluster.stop();
      }
    }
    if (!o.skip.includes('load')) await loadBench(o);
  } finally {
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
