// Benchmark (prints figures; not a test) for idempotent producers (KIP-98), two parts:
//
// 1. Throughput: the same records produced with acks=all to a replicated topic, once as plain
//    batches and once as an idempotent producer's (producer id from InitProducerId, epoch 0,
//    consecutive sequences per partition), alternating rounds. Batches are encoded before the
//    clock starts and pipelined per leader, so the figures are the brokers' cost, not a client's.
// 2. Start-up: a partition whose log holds batches of 1,000,000 distinct producer ids; the time to
//    rebuild the producer state by replaying the log (as after kill -9 with no snapshot), to write
//    the snapshot at close, and to load it at the next start.
//
//   npm run bench:idempotence -- [--records 300000] [--record-size 100] [--batch-records 200]
//        [--partitions 6] [--brokers 3] [--in-flight 5] [--rounds 2] [--producer-ids 1000000]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { DEFAULT_PRODUCER_ID_EXPIRATION_MS, Log } from '../../broker/log/log';
import { rebuildProducerState } from '../../broker/log/producer/producer-state-loader';
import { ProducerStateManager } from '../../broker/log/producer/producer-state-manager';
import { writeProducerSnapshot } from '../../broker/log/producer/producer-snapshot-file';
import { DEFAULT_LOG_CONFIG } from '../../broker/log/log-config';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { InitProducerId } from '../../broker/protocol/messages/init-producer-id';
import { Produce } from '../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../broker/protocol/records/record-batch';
import { TestCluster } from '../helpers/cluster';
import { startZooKeeper } from '../helpers/zookeeper';

interface Options {
  records: number;
  recordSize: number;
  batchRecords: number;
  partitions: number;
  brokers: number;
  inFlight: number;
  rounds: number;
  producerIds: number;
}

/** CPU time (user + system, ms) the broker processes have used so far: robust on a busy machine. */
function brokerCpuMs(cluster: TestCluster): number {
  let ticks = 0;
  for (const b of cluster.brokers) {
    if (!b.process?.pid) continue;
    const fields = fs.readFileSync(`/proc/${b.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Wall and CPU time of this process since the last call, ms. */
function stopwatch(): () => { wall: number; cpu: number } {
  let wall = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  return () => {
    const nowWall = process.hrtime.bigint();
    const used = process.cpuUsage(cpu);
    const result = { wall: Number(nowWall - wall) / 1e6, cpu: (used.user + used.system) / 1000 };
    wall = nowWall;
    cpu = process.cpuUsage();
    return result;
  };
}

const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;

function parseOptions(argv: string[]): Options {
  const o: Options = { records: 300_000, recordSize: 100, batchRecords: 200, partitions: 6, brokers: 3, inFlight: 5, rounds: 3, producerIds: 1_000_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in o) || !Number.isFinite(value)) {
      console.error(`unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}`);
      process.exit(1);
    }
    o[key] = value;
  }
  return o;
}

/** Per partition, the batches of one run: plain (producerId -1) or of one idempotent producer. */
function encodeRun(o: Options, producerId: number): Buffer[][] {
  const value = Buffer.alloc(o.recordSize, 'x');
  const perPartition = Math.ceil(o.records / o.partitions / o.batchRecords);
  return Array.from({ length: o.partitions }, () =>
    Array.from({ length: perPartition }, (_, b) =>
      encodeRecordBatch({
        producerId,
        producerEpoch: producerId < 0 ? -1 : 0,
        baseSequence: producerId < 0 ? -1 : b * o.batchRecords,
        records: Array.from({ length: o.batchRecords }, () => ({ value })),
      }),
    ),
  );
}

/** Sends every batch with acks=all, pipelining up to inFlight requests per leader; records/s. */
async function runProduce(client: ClusterClient, topic: string, o: Options, batches: Buffer[][]): Promise<{ seconds: number; records: number }> {
  const meta = await client.topicMetadata(topic, { requireLeaders: true });
  const byLeader = new Map<number, number[]>();
  for (const p of meta.partitions) byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
  const start = process.hrtime.bigint();
  await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      const conn = await client.connection(leader);
      let next = 0;
      const total = batches[0].length;
      const worker = async () => {
        while (next < total) {
          const i = next++;
          const r = await conn.send(Produce, {
            transactionalId: null,
            acks: -1,
            timeoutMs: 30000,
            topicData: [{ name: topic, partitionData: partitions.map((p) => ({ index: p, records: batches[p][i] })) }],
          });
          for (const pr of r.response.responses[0].partitionResponses) if (pr.errorCode !== 0) throw new Error(`partition ${pr.index}: error ${pr.errorCode}`);
        }
      };
      // One connection: requests are handled in order, so each partition's sequences arrive in order.
      await Promise.all(Array.from({ length: o.inFlight }, worker));
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, records: batches.length * batches[0].length * o.batchRecords };
}

async function throughput(o: Options): Promise<void> {
  const zk = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zk.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = 'warn';
  const cluster = await TestCluster.start({ brokers: o.brokers });
  let client: ClusterClient | undefined;
  try {
    client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'zafka-idempotence-bench' });
    const rf = Math.min(3, o.brokers);
    console.log(`${o.brokers} broker(s), ${o.partitions} partitions, RF ${rf}, min.insync.replicas ${Math.min(2, rf)}, acks=all, ${o.records} records of ${o.recordSize} bytes per run, ${o.batchRecords} records per batch, ${o.inFlight} requests in flight per leader`);
    const results: Record<'plain' | 'idempotent', number[]> = { plain: [], idempotent: [] };
    const cpuPerMb: Record<'plain' | 'idempotent', number[]> = { plain: [], idempotent: [] };
    for (let round = 0; round < o.rounds; round++) {
      for (const mode of ['plain', 'idempotent'] as const) {
        const topic = `bench-${mode}-${round}`;
        await client.sendToController(CreateTopics, {
          topics: [{ name: topic, numPartitions: o.partitions, replicationFactor: rf, assignments: [], configs: [{ name: 'min.insync.replicas', value: String(Math.min(2, rf)) }] }],
          timeoutMs: 10000,
          validateOnly: false,
        });
        let producerId = -1;
        if (mode === 'idempotent') {
          const init = (await client.sendToController(InitProducerId, { transactionalId: null, transactionTimeoutMs: 60000 })).response;
          if (init.errorCode !== 0) throw new Error(`InitProducerId: error ${init.errorCode}`);
          producerId = init.producerId;
        }
        const batches = encodeRun(o, producerId);
        const cpuBefore = brokerCpuMs(cluster);
        const { seconds, records } = await runProduce(client, topic, o, batches);
        const cpu = (brokerCpuMs(cluster) - cpuBefore) / ((records * o.recordSize) / 1048576);
        const rate = records / seconds;
        results[mode].push(rate);
        cpuPerMb[mode].push(cpu);
        console.log(`round ${round + 1} ${mode.padEnd(10)} ${rate.toFixed(0).padStart(8)} records/s  ${((rate * o.recordSize) / 1048576).toFixed(1)} MB/s  (${seconds.toFixed(2)} s), brokers' CPU ${cpu.toFixed(0)} ms per MB`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(results.idempotent) / median(results.plain);
    console.log(`median of ${o.rounds}: plain ${median(results.plain).toFixed(0)} records/s, idempotent ${median(results.idempotent).toFixed(0)} records/s: idempotent at ${(ratio * 100).toFixed(1)}% of plain (target: within 10%)`);
    console.log(`median brokers' CPU per MB: plain ${median(cpuPerMb.plain).toFixed(0)} ms, idempotent ${median(cpuPerMb.idempotent).toFixed(0)} ms (${((median(cpuPerMb.idempotent) / median(cpuPerMb.plain) - 1) * 100).toFixed(1)}%)`);
  } finally {
    client?.close();
    await cluster.stop();
    await zk.stop();
    fs.rmSync(zk.dataDir, { recursive: true, force: true });
  }
}

/** A log holding one single-record batch from each of `count` producer ids. */
function writeManyProducers(dir: string, count: number): void {
  const log = Log.open(dir, DEFAULT_LOG_CONFIG, { hadCleanShutdown: true });
  const now = Date.now();
  const CHUNK = 2000;
  for (let first = 0; first < count; first += CHUNK) {
    const chunk: Buffer[] = [];
    for (let pid = first; pid < Math.min(count, first + CHUNK); pid++) {
      chunk.push(encodeRecordBatch({ baseOffset: pid, timestamp: now, producerId: pid, producerEpoch: 0, baseSequence: 0, records: [{ value: 'v' }] }));
    }
    log.appendAsFollower(Buffer.concat(chunk));
  }
  log.flush();
  // No close(): as after kill -9, there is no snapshot at the log end.
}

function recovery(o: Options): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-idem-bench-'));
  const dir = path.join(root, 'many-producers-0');
  try {
    const lap = stopwatch();
    writeManyProducers(dir, o.producerIds);
    const written = lap();
    const logBytes = fs.readdirSync(dir).filter((n) => n.endsWith('.log')).reduce((s, n) => s + fs.statSync(path.join(dir, n)).size, 0);
    console.log(`\nproducer state at start-up: ${o.producerIds} producer ids, one batch each, ${(logBytes / 1048576).toFixed(0)} MB of log (written in ${written.wall.toFixed(0)} ms)`);
    for (const n of fs.readdirSync(dir)) if (n.endsWith('.snapshot')) fs.rmSync(path.join(dir, n));
    lap();
    let log = Log.open(dir, DEFAULT_LOG_CONFIG, { hadCleanShutdown: false, recoveryPoint: 0 });
    console.log(`open after kill -9 (segment recovery + producer state replay, no snapshot): ${fmt(lap())}, ${log.producerStateManager.activeProducers.size} producers`);
    const scratch = path.join(root, 'scratch-0');
    fs.mkdirSync(scratch);
    const manager = new ProducerStateManager('scratch', 0, scratch, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    lap();
    rebuildProducerState(manager, log.logSegments(), { logStartOffset: 0, lastOffset: o.producerIds, reloadFromCleanShutdown: false, nowMs: Date.now() });
    console.log(`  the producer state replay alone: ${fmt(lap())}, ${manager.activeProducers.size} producers`);
    const file = path.join(scratch, 'timed.snapshot');
    writeProducerSnapshot(file, manager.activeProducers.values());
    console.log(`write the snapshot (at roll or close): ${fmt(lap())}, ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);
    log.close();
    lap();
    log = Log.open(dir, DEFAULT_LOG_CONFIG, { hadCleanShutdown: true, recoveryPoint: o.producerIds });
    console.log(`open after a clean shutdown (load from the snapshot): ${fmt(lap())}, ${log.producerStateManager.activeProducers.size} producers`);
    log.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.records > 0) await throughput(o);
  if (o.producerIds > 0) recovery(o);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
