// One read of the whole cluster, the console's unit of refresh. ZooKeeper (through controller/zk)
// gives what only it knows: broker registrations (rack, registration time), the controller and its
// epoch, topics marked for deletion, a running reassignment, topic config overrides. The Kafka
// protocol (through admin-cli/client) gives what the brokers know now: one Metadata for every
// partition's leader / ISR / offline replicas, ListOffsets for log start and end offsets, and
// DescribeLogDirs for sizes on disk. Each broker is asked separately, so a dead broker blanks only
// its own numbers; the read never throws for a partial answer, it records what failed instead.
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { BrokerInfo } from '../../controller/zk/zk-data';
import { ErrorCode } from '../../broker/protocol/errors';
import { DescribeConfigs } from '../../broker/protocol/messages/describe-configs';
import { DescribeLogDirs } from '../../broker/protocol/messages/describe-log-dirs';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../../admin-cli/client/list-offsets';

export interface PartitionState {
  partition: number;
  /** -1: no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /** Undefined when the leader did not answer. */
  logStartOffset?: number;
  logEndOffset?: number;
  /** Bytes on disk of the leader's replica (DescribeLogDirs). */
  leaderSize?: number;
}

export interface TopicState {
  name: string;
  isInternal: boolean;
  markedForDeletion: boolean;
  /**
   * From Metadata; from the ZooKeeper assignment (no leader, empty ISR) while the brokers do not
   * know the topic yet, which `pending` then says.
   */
  partitions: PartitionState[];
  pending: boolean;
  configs: Record<string, string>;
  /** Bytes on disk over every replica. */
  sizeOnDisk: number;
}

export interface BrokerState {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  /** Registration time in ZooKeeper (ms): when the broker last came up. */
  registeredAt: number;
  /** The broker's Kafka protocol range, from ApiVersions (brokers do not report a software version). */
  version: string | null;
  leaders: number;
  replicas: number;
  logDirs: Array<{ path: string; error: string | null }>;
}

export interface ClusterState {
  readAt: number;
  clusterId: string | null;
  controllerId: number | null;
  controllerEpoch: number | null;
  brokers: BrokerState[];
  topics: Map<string, TopicState>;
  reassigning: Array<{ topic: string; partition: number; replicas: number[] }>;
  /** The brokers' min.insync.replicas (DescribeConfigs), for topics without an override. */
  brokerMinIsr: number | null;
  /** What could not be read this time, in words (shown on the cluster page). */
  readErrors: string[];
  /** Milliseconds spent reading, in total and per step (ZooKeeper, Metadata, offsets, log dirs). */
  readMs: number;
  timings: Record<string, number>;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
/** DescribeConfigs resource type of a broker. */
const BROKER_RESOURCE = 4;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface ReadOptions {
  /**
   * Topic configs (one znode per topic) and log start offsets (they move only with retention or
   * DeleteRecords) are re-read only when asked, every few refreshes; otherwise the previous
   * values are kept and only partitions never seen are asked for.
   */
  readSlowParts: boolean;
  previousConfigs?: Map<string, Record<string, string>>;
  previousStartOffsets?: Map<string, number>;
  previousBrokerMinIsr?: number | null;
}

export async function readCluster(zk: KafkaZkClient, client: ClusterClient, options: ReadOptions): Promise<ClusterState> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, p: Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await p;
    } finally {
      timings[name] = Date.now() - t;
    }
  };
  const readErrors: string[] = [];
  const soft = <T>(what: string, p: Promise<T>, fallback: T): Promise<T> =>
    p.catch((e: unknown) => {
      readErrors.push(`${what}: ${message(e)}`);
      return fallback;
    });

  const [brokerInfos, controllerId, epoch, zkTopics, deletions, reassigning, clusterId, configs] = await step('zookeeper', Promise.all([
    soft('brokers from ZooKeeper', zk.getAllBrokers(), [] as BrokerInfo[]),
    soft('controller', zk.getControllerId(), null),
    soft('controller epoch', zk.getControllerEpoch(), null),
    soft('topics from ZooKeeper', zk.getAllTopics(), [] as string[]),
    soft('topic deletions', zk.getTopicDeletions(), [] as string[]),
    soft('reassignment', zk.getPartitionReassignmentList(), null),
    soft('cluster id', zk.getClusterId(), null),
    options.readSlowParts
      ? soft('topic configs', zk.getAllEntityConfigs('topics'), options.previousConfigs ?? new Map<string, Record<string, string>>())
      : Promise.resolve(options.previousConfigs ?? new Map<string, Record<string, string>>()),
  ]));

  const metadata = await step('metadata', soft('Metadata', client.refreshMetadata(null), client.metadata));
  const known = (name: string) => metadata.topics.get(name)?.errorCode === ErrorCode.NONE && metadata.topics.get(name)!.partitions.length > 0;
  // Just created (the controller is still at it) or Metadata failed: ZooKeeper has the assignment.
  const unknownToBrokers = zkTopics.filter((name) => !known(name));
  const zkAssignments = unknownToBrokers.length > 0 ? await soft('assignments from ZooKeeper', zk.getReplicaAssignment(unknownToBrokers), new Map<string, Map<number, number[]>>()) : new Map<string, Map<number, number[]>>();
  const deleting = new Set(deletions);
  const topics = new Map<string, TopicState>();
  for (const name of zkTopics.sort()) {
    const t = metadata.topics.get(name);
    const pending = !known(name);
    const partitions: PartitionState[] = pending
      ? [...(zkAssignments.get(name) ?? new Map<number, number[]>())].sort((a, b) => a[0] - b[0]).map(([partition, replicas]) => ({ partition, leader: -1, replicas, isr: [], offlineReplicas: [] }))
      : t!.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas }));
    topics.set(name, { name, isInternal: t?.isInternal ?? name.startsWith('__'), markedForDeletion: deleting.has(name), partitions, pending, configs: configs.get(name) ?? {}, sizeOnDisk: 0 });
  }

  const liveIds = brokerInfos.map((b) => b.id).filter((id) => metadata.brokers.has(id));
  const [offsets, logDirs] = await Promise.all([step('offsets', readOffsets(client, topics, readErrors, options.readSlowParts ? undefined : options.previousStartOffsets)), step('logDirs', readLogDirs(client, liveIds, readErrors))]);
  for (const t of topics.values()) {
    for (const p of t.partitions) {
      const o = offsets.get(key(t.name, p.partition));
      if (o) {
        p.logStartOffset = o.start;
        p.logEndOffset = o.end;
      }
      p.leaderSize = logDirs.sizes.get(`${key(t.name, p.partition)}\u0000${p.leader}`);
    }
    t.sizeOnDisk = logDirs.topicSizes.get(t.name) ?? 0;
  }

  const leaders = new Map<number, number>();
  const replicaCounts = new Map<number, number>();
  for (const t of topics.values()) {
    for (const p of t.partitions) {
      if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      for (const r of p.replicas) replicaCounts.set(r, (replicaCounts.get(r) ?? 0) + 1);
    }
  }
  const brokerMinIsr =
    options.readSlowParts || options.previousBrokerMinIsr === undefined
      ? await step('brokerConfig', soft('broker min.insync.replicas', readBrokerMinIsr(client, liveIds), null))
      : options.previousBrokerMinIsr;
  const versions = await Promise.all(liveIds.map((id) => client.connection(id).then((c) => protocolVersion(c.versions), () => null)));
  const versionOf = new Map(liveIds.map((id, i) => [id, versions[i]]));
  const brokers = brokerInfos
    .sort((a, b) => a.id - b.id)
    .map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      registeredAt: b.timestamp,
      version: versionOf.get(b.id) ?? null,
      leaders: leaders.get(b.id) ?? 0,
      replicas: replicaCounts.get(b.id) ?? 0,
      logDirs: logDirs.dirs.get(b.id) ?? [],
    }));
  return {
    readAt: Date.now(),
    clusterId,
    controllerId,
    controllerEpoch: epoch?.epoch ?? null,
    brokers,
    topics,
    reassigning: (reassigning ?? []).map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas })),
    brokerMinIsr,
    readErrors,
    readMs: Date.now() - started,
    timings,
  };
}

/** min.insync.replicas as the first live broker has it (static or dynamic config). */
async function readBrokerMinIsr(client: ClusterClient, liveIds: number[]): Promise<number | null> {
  if (liveIds.length === 0) return null;
  const id = liveIds[0];
  const { response } = await client.sendToNode(id, DescribeConfigs, {
    resources: [{ resourceType: BROKER_RESOURCE, resourceName: String(id), configurationKeys: ['min.insync.replicas'] }],
    includeSynonyms: false,
  });
  const value = response.results[0]?.configs.find((c) => c.name === 'min.insync.replicas')?.value;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** "Kafka protocol: Fetch v11, Produce v8" style summary of what the broker advertised. */
function protocolVersion(versions: ReadonlyMap<number, { maxVersion: number }>): string {
  const fetch = versions.get(1)?.maxVersion;
  const produce = versions.get(0)?.maxVersion;
  return `${versions.size} APIs, Produce v${produce ?? '-'}, Fetch v${fetch ?? '-'}`;
}

/**
 * Log end offsets of every partition with a leader, asked per leader; log start offsets too, or
 * only for the partitions missing from `knownStarts`.
 */
async function readOffsets(
  client: ClusterClient,
  topics: Map<string, TopicState>,
  readErrors: string[],
  knownStarts?: Map<string, number>,
): Promise<Map<string, { start: number; end: number }>> {
  const byLeader = new Map<number, Array<{ topic: string; partition: number }>>();
  for (const t of topics.values()) {
    for (const p of t.partitions) {
      if (p.leader < 0) continue;
      let list = byLeader.get(p.leader);
      if (!list) byLeader.set(p.leader, (list = []));
      list.push({ topic: t.name, partition: p.partition });
    }
  }
  const out = new Map<string, { start: number; end: number }>();
  await Promise.all(
    [...byLeader].map(async ([leader, parts]) => {
      try {
        const unknownStarts = knownStarts ? parts.filter((p) => !knownStarts.has(key(p.topic, p.partition))) : parts;
        const [starts, ends] = await Promise.all([
          unknownStarts.length > 0 ? listOffsets(client, unknownStarts.map((p) => ({ ...p, timestamp: EARLIEST_TIMESTAMP }))) : new Map<string, number>(),
          listOffsets(client, parts.map((p) => ({ ...p, timestamp: LATEST_TIMESTAMP }))),
        ]);
        for (const [k, end] of ends) out.set(k, { start: starts.get(k) ?? knownStarts?.get(k) ?? 0, end });
      } catch (e) {
        readErrors.push(`offsets from broker ${leader}: ${message(e)}`);
      }
    }),
  );
  return out;
}

interface LogDirRead {
  /** "topic\0partition\0broker" -> bytes. */
  sizes: Map<string, number>;
  topicSizes: Map<string, number>;
  dirs: Map<number, Array<{ path: string; error: string | null }>>;
}

/** DescribeLogDirs (all partitions) to each live broker. */
async function readLogDirs(client: ClusterClient, brokerIds: number[], readErrors: string[]): Promise<LogDirRead> {
  const read: LogDirRead = { sizes: new Map(), topicSizes: new Map(), dirs: new Map() };
  await Promise.all(
    brokerIds.map(async (id) => {
      try {
        const { response } = await client.sendToNode(id, DescribeLogDirs, { topics: null }, { timeoutMs: 10000 });
        read.dirs.set(
          id,
          response.results.map((r) => ({ path: r.logDir, error: r.errorCode === ErrorCode.NONE ? null : (ErrorCode[r.errorCode] ?? String(r.errorCode)) })),
        );
        for (const dir of response.results) {
          for (const t of dir.topics) {
            for (const p of t.partitions) {
              if (p.isFutureKey) continue;
              read.sizes.set(`${key(t.name, p.partitionIndex)}\u0000${id}`, p.partitionSize);
              read.topicSizes.set(t.name, (read.topicSizes.get(t.name) ?? 0) + p.partitionSize);
            }
          }
        }
      } catch (e) {
        readErrors.push(`log dirs of broker ${id}: ${message(e)}`);
      }
    }),
  );
  return read;
}
