// The JSON each page reads, built from one refresh (ClusterState + groups + series). Pure
// functions: the poller builds each view at most once per refresh and every browser gets the same
// string, so the cost of a refresh does not grow with the number of viewers.
import type { ClusterState, PartitionState, TopicState } from './cluster-reader';
import type { GroupState } from './group-reader';
import type { SeriesStore, TopicRates } from './rate-history';

/** Problem lists are cut here (the count stays exact): a page of 10,000 rows helps nobody. */
export const PROBLEM_LIST_LIMIT = 200;

export interface RefreshResult {
  cluster: ClusterState;
  groups: GroupState[];
  groupErrors: string[];
  rates: Map<string, TopicRates>;
  series: SeriesStore;
}

interface PartitionRef {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

const ref = (t: TopicState, p: PartitionState): PartitionRef => ({ topic: t.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr });

/** min.insync.replicas of the topic: its override, else the brokers' setting, else Kafka's default of 1. */
function minIsr(t: TopicState, brokerDefault: number | null): number {
  const v = Number(t.configs['min.insync.replicas']);
  return Number.isInteger(v) && v > 0 ? v : (brokerDefault ?? 1);
}

function capped<T>(items: T[]): { count: number; items: T[] } {
  return { count: items.length, items: items.slice(0, PROBLEM_LIST_LIMIT) };
}

export function clusterView(r: RefreshResult, extra: Record<string, unknown>) {
  const c = r.cluster;
  const offline: PartitionRef[] = [];
  const under: PartitionRef[] = [];
  const underMin: PartitionRef[] = [];
  const registered = new Set(c.brokers.map((b) => b.id));
  const missing = new Map<number, number>();
  let partitions = 0;
  let replicas = 0;
  let size = 0;
  for (const t of c.topics.values()) {
    size += t.sizeOnDisk;
    for (const p of t.partitions) {
      partitions++;
      replicas += p.replicas.length;
      // A topic the brokers do not know yet is being created, not broken.
      if (t.pending) continue;
      if (p.leader < 0) offline.push(ref(t, p));
      if (p.isr.length < p.replicas.length) under.push(ref(t, p));
      if (p.isr.length < minIsr(t, c.brokerMinIsr)) underMin.push(ref(t, p));
      for (const b of p.replicas) if (!registered.has(b)) missing.set(b, (missing.get(b) ?? 0) + 1);
    }
  }
  const totals = { brokers: c.brokers.length, topics: c.topics.size, partitions, replicas, sizeOnDisk: size, messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 };
  for (const rate of r.rates.values()) {
    totals.messagesInPerSec += rate.messagesInPerSec;
    totals.bytesInPerSec += rate.bytesInPerSec;
    totals.bytesOutPerSec += rate.bytesOutPerSec;
  }
  return {
    ...extra,
    clusterId: c.clusterId,
    readAt: c.readAt,
    readMs: c.readMs,
    readTimings: c.timings,
    controller: { id: c.controllerId, epoch: c.controllerEpoch },
    brokers: c.brokers,
    totals,
    problems: {
      offline: capped(offline),
      underReplicated: capped(under),
      underMinIsr: capped(underMin),
      missingBrokers: [...missing].map(([broker, count]) => ({ broker, partitions: count })),
    },
    reassigning: c.reassigning,
    readErrors: [...c.readErrors, ...r.groupErrors],
    history: r.series.get('cluster') ?? null,
  };
}

export function topicsView(r: RefreshResult) {
  return {
    readAt: r.cluster.readAt,
    topics: [...r.cluster.topics.values()].map((t) => ({
      name: t.name,
      internal: t.isInternal,
      markedForDeletion: t.markedForDeletion,
      pending: t.pending,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      sizeOnDisk: t.sizeOnDisk,
      messages: t.partitions.reduce((n, p) => n + Math.max(0, (p.logEndOffset ?? 0) - (p.logStartOffset ?? 0)), 0),
      underReplicated: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
      offline: t.partitions.filter((p) => p.leader < 0).length,
      configs: t.configs,
      ...(r.rates.get(t.name) ?? { messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 }),
    })),
  };
}

/** null when the topic does not exist. */
export function topicView(r: RefreshResult, name: string) {
  const t = r.cluster.topics.get(name);
  if (!t) return null;
  return {
    readAt: r.cluster.readAt,
    name: t.name,
    internal: t.isInternal,
    markedForDeletion: t.markedForDeletion,
    pending: t.pending,
    configs: t.configs,
    sizeOnDisk: t.sizeOnDisk,
    minInsyncReplicas: minIsr(t, r.cluster.brokerMinIsr),
    rates: r.rates.get(t.name) ?? { messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 },
    partitions: t.partitions,
    groups: r.groups.filter((g) => g.partitions.some((p) => p.topic === name)).map((g) => ({ group: g.group, kind: g.kind, lag: g.partitions.filter((p) => p.topic === name).reduce((n, p) => n + (p.lag ?? 0), 0) })),
    history: r.series.get(`topic:${name}`) ?? null,
  };
}

export function groupsView(r: RefreshResult) {
  return {
    readAt: r.cluster.readAt,
    errors: r.groupErrors,
    groups: r.groups.map((g) => ({
      group: g.group,
      kind: g.kind,
      state: g.state,
      members: g.members.length,
      topics: [...new Set(g.partitions.map((p) => p.topic))],
      totalLag: g.totalLag,
      error: g.error,
    })),
  };
}

/** kind disambiguates a name used by both a Kafka and a legacy group; null when absent. */
export function groupView(r: RefreshResult, name: string, kind?: string) {
  const g = r.groups.find((x) => x.group === name && (kind === undefined || x.kind === kind));
  if (!g) return null;
  return { readAt: r.cluster.readAt, ...g, history: r.series.get(`group:${g.kind}:${g.group}`) ?? null };
}
