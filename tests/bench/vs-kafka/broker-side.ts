// What the benchmark needs from a cluster, whichever broker runs it: start N brokers, say where
// they listen and which processes they are, restart broker 1 (for the start-up figure), stop.
import * as fs from 'fs';
import { ClusterClient } from '../../../admin-cli/client/cluster-client';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { CreateTopics } from '../../../broker/protocol/messages/create-topics';
import { Metadata } from '../../../broker/protocol/messages/metadata';

export interface BrokerSide {
  readonly name: string;
  start(brokers: number): Promise<void>;
  readonly bootstrap: string;
  brokerPids(): number[];
  /** Stops broker 1 cleanly (SIGTERM, waits for exit), then starts it again without waiting. */
  stopBrokerOne(): Promise<void>;
  startBrokerOne(): Promise<void>;
  /** Broker 1's log.dirs (one directory), for benches that craft a log while it is down. */
  brokerOneLogDir(): string;
  /** The JVM heap setting (Kafka only), to compare Zafka's RSS with. */
  readonly heapNote?: string;
  stop(): Promise<void>;
}

/** VmRSS of a process, in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in seconds; USER_HZ is 100 on Linux. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: fields 14 and 15 of stat
}

export async function createTopics(bootstrap: string, topics: { name: string; partitions: number; replicationFactor: number; minInsync?: number }[]): Promise<void> {
  const client = await ClusterClient.connect(bootstrap, { clientId: 'vs-kafka-bench' });
  try {
    const { response } = await client.sendToController(CreateTopics, {
      topics: topics.map((t) => ({
        name: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor, assignments: [],
        configs: t.minInsync ? [{ name: 'min.insync.replicas', value: String(t.minInsync) }] : [],
      })),
      timeoutMs: 60000,
      validateOnly: false,
    }, { timeoutMs: 90000 });
    const failed = response.topics.filter((t) => t.errorCode !== 0);
    if (failed.length) throw new Error(`CreateTopics failed: ${failed.map((t) => `${t.name}: ${t.errorCode}`).join(', ')}`);
  } finally {
    client.close();
  }
  const [host, port] = bootstrap.split(',')[0].split(':');
  const names = new Set(topics.map((t) => t.name));
  const want = topics.reduce((n, t) => n + t.partitions, 0);
  const deadline = Date.now() + 120_000;
  while ((await partitionsWithLeaders(host, Number(port), names)) < want) {
    if (Date.now() > deadline) throw new Error(`topics ${[...names].slice(0, 3).join(',')}... have no leaders after 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How many partitions of these topics Metadata shows with a leader; 0 while nothing answers. */
export async function partitionsWithLeaders(host: string, port: number, topics: Set<string>): Promise<number> {
  let client: KafkaClient | undefined;
  try {
    client = await KafkaClient.connect(host, port, { clientId: 'vs-kafka-bench' });
    const metadata = await client.send(Metadata, 1, { topics: [...topics].map((name) => ({ name })) });
    let n = 0;
    for (const t of metadata.topics) {
      if (t.errorCode !== 0 || !topics.has(t.name)) continue;
      for (const p of t.partitions) if (p.errorCode === 0 && p.leaderId >= 0) n++;
    }
    return n;
  } catch {
    return 0;
  } finally {
    client?.close();
  }
}
