// Benchmark (prints figures; not a test): how long large topic creation takes, and how long the
// broker's event loop stays blocked meanwhile. Against real broker processes and a real ZooKeeper:
// for each partition count N, one CreateTopics of N partitions (replication factor --rf) is sent
// to the controller while a second connection sends ApiVersions back to back; the longest
// ApiVersions round trip is (an upper bound of) the longest stall of the broker's event loop.
// Also printed: time until the CreateTopics answer and until Metadata shows a leader for every
// partition, the broker's peak RSS (VmHWM), and whether its ZooKeeper session survived (the
// czxid of /brokers/ids/<id> is unchanged). Then the same for CreatePartitions growing a
// 1-partition topic to N. Counts above the broker's limits show how fast they are refused.
//
//   node dist/tests/bench/topic-creation-bench.js [--partitions 1000,10000,100000] [--brokers 1]
//        [--rf 1] [--session-timeout-ms 18000] [--timeout-s 600] [--skip create,grow]
//        [--config key=value,key=value]   (extra server.properties entries)
// With ZAFKA_LOOP_STALL_LOG_MS=100 (and ZAFKA_KEEP_TEST_DIRS=1) each broker also logs every stall of its
// own event loop above 100 ms to its broker.out (broker/event-loop-stall-log.ts).
import * as fs from 'fs';
import { ClusterClient } from '../../admin-cli/client/cluster-client';
import { KafkaClient } from '../../broker/network/kafka-client';
import { ErrorCode } from '../../broker/protocol/errors';
import { ApiVersions } from '../../broker/protocol/messages/api-versions';
import { CreatePartitions } from '../../broker/protocol/messages/create-partitions';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { TestCluster } from '../helpers/cluster';
import { startZooKeeper } from '../helpers/zookeeper';

interface Options {
  partitions: number[];
  brokers: number;
  rf: number;
  sessionTimeoutMs: number;
  timeoutS: number;
  skip: string[];
  config: Record<string, string>;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { partitions: [1000, 10000, 100000], brokers: 1, rf: 1, sessionTimeoutMs: 18000, timeoutS: 600, skip: [], config: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1] ?? ''];
    switch (name) {
      case '--partitions': o.partitions = value.split(',').map(Number); break;
      case '--brokers': o.brokers = Number(value); break;
      case '--rf': o.rf = Number(value); break;
      case '--session-timeout-ms': o.sessionTimeoutMs = Number(value); break;
      case '--timeout-s': o.timeoutS = Number(value); break;
      case '--skip': o.skip = value.split(','); break;
      case '--config':
        for (const kv of value.split(',')) {
          const eq = kv.indexOf('=');
          o.config[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        break;
      default:
        console.error(`unknown option: ${name}`);
        process.exit(1);
    }
  }
  return o;
}

/** ApiVersions round trips back to back on their own connection until stopped. */
class LoopProbe {
  private stopped = false;
  private readonly done: Promise<void>;
  maxMs = 0;
  count = 0;
  failures = 0;

  constructor(private readonly client: KafkaClient) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const t = performance.now();
      try {
        await this.client.send(ApiVersions, 0, {}, { timeoutMs: 3_600_000 });
      } catch {
        this.failures++;
        return;
      }
      this.maxMs = Math.max(this.maxMs, performance.now() - t);
      this.count++;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

function peakRssMb(pid: number | undefined): string {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? `${(Number(m[1]) / 1024).toFixed(0)} MB` : '?';
  } catch {
    return '?';
  }
}

function openFds(pid: number | undefined): string {
  try {
    return String(fs.readdirSync(`/proc/${pid}/fd`).length);
  } catch {
    return '?';
  }
}

async function allLeaders(client: ClusterClient, topic: string, n: number, deadline: number): Promise<number> {
  for (;;) {
    const t = (await client.refreshMetadata([topic])).topics.get(topic);
    if (t && t.partitions.length === n && t.partitions.every((p) => p.leader >= 0)) return performance.now();
    if (Date.now() > deadline) return NaN;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(
  what: string,
  cluster: TestCluster,
  zk: KafkaZkClient,
  o: Options,
  topic: string,
  n: number,
  send: (client: ClusterClient) => Promise<{ errorCode: number; errorMessage: string | null }>,
): Promise<void> {
  const controller = (await zk.getControllerId())!;
  const czxidBefore = (await zk.zk.exists(`/brokers/ids/${controller}`))?.czxid;
  const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'topic-creation-bench', requestTimeoutMs: o.timeoutS * 1000 + 60000 });
  const probeConn = await KafkaClient.connect('127.0.0.1', cluster.broker(controller).port, { clientId: 'loop-probe' });
  const probe = new LoopProbe(probeConn);
  const t0 = performance.now();
  try {
    const result = await send(client);
    const answered = performance.now();
    let ready = NaN;
    if (result.errorCode === ErrorCode.NONE) ready = await allLeaders(client, topic, n, Date.now() + o.timeoutS * 1000);
    await new Promise((r) => setTimeout(r, 500));
    await probe.stop();
    const czxidAfter = (await zk.zk.exists(`/brokers/ids/${controller}`))?.czxid;
    const session = czxidAfter === undefined ? 'registration GONE' : czxidAfter === czxidBefore ? 'session kept' : 'session EXPIRED (re-registered)';
    console.log(
      `   ${what} N=${n}: answer ${ErrorCode[result.errorCode]} after ${(answered - t0).toFixed(0)} ms` +
        (result.errorCode === ErrorCode.NONE ? `, all leaders in Metadata after ${(ready - t0).toFixed(0)} ms` : ` (${result.errorMessage})`) +
        `; longest ApiVersions round trip ${probe.maxMs.toFixed(0)} ms over ${probe.count}${probe.failures ? ' (probe connection FAILED)' : ''}` +
        `; broker ${controller} peak RSS ${peakRssMb(cluster.broker(controller).process?.pid)}, ${openFds(cluster.broker(controller).process?.pid)} open fds; ${session}`,
    );
  } finally {
    await probe.stop();
    probeConn.close();
    client.close();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const zkServer = await startZooKeeper();
  process.env.ZAFKA_TEST_ZK = zkServer.connectString;
  process.env.ZAFKA_BROKER_LOG_LEVEL = process.env.ZAFKA_BROKER_LOG_LEVEL ?? 'warn';
  console.log(`topic creation: ${o.brokers} broker(s), replication factor ${o.rf}, zookeeper.session.timeout.ms=${o.sessionTimeoutMs}; one fresh cluster per measurement`);
  try {
    for (const n of o.partitions) {
      for (const kind of ['create', 'grow'] as const) {
        if (o.skip.includes(kind)) continue;
        const cluster = await TestCluster.start({ brokers: o.brokers, config: { 'zookeeper.session.timeout.ms': o.sessionTimeoutMs, ...o.config } });
        const zk = await KafkaZkClient.connect(cluster.zkConnect, 30000);
        const topic = `bench-${kind}-${n}`;
        const timeoutMs = o.timeoutS * 1000;
        try {
          if (kind === 'create') {
            await measure('CreateTopics', cluster, zk, o, topic, n, async (client) => {
              const { response } = await client.sendToController(CreateTopics, {
                topics: [{ name: topic, numPartitions: n, replicationFactor: o.rf, assignments: [], configs: [] }], timeoutMs, validateOnly: false,
              }, { timeoutMs: timeoutMs + 60000 });
              return (response as { topics: { errorCode: number; errorMessage: string | null }[] }).topics[0];
            });
          } else {
            const client = await ClusterClient.connect(cluster.bootstrap, { clientId: 'topic-creation-bench' });
            await client.sendToController(CreateTopics, {
              topics: [{ name: topic, numPartitions: 1, replicationFactor: o.rf, assignments: [], configs: [] }], timeoutMs: 30000, validateOnly: false,
            });
            client.close();
            await measure('CreatePartitions 1 ->', cluster, zk, o, topic, n, async (c) => {
              const { response } = await c.sendToController(CreatePartitions, {
                topics: [{ name: topic, count: n, assignments: null }], timeoutMs, validateOnly: false,
              }, { timeoutMs: timeoutMs + 60000 });
              return (response as { results: { errorCode: number; errorMessage: string | null }[] }).results[0];
            });
          }
        } finally {
          await zk.close();
          await cluster.stop();
        }
      }
    }
  } finally {
    await zkServer.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
