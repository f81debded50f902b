// Consumer groups of both kinds, read once per refresh:
// - Kafka groups (offsets in __consumer_offsets): ListGroups on every broker, then DescribeGroups
//   and OffsetFetch at each group's coordinator (admin-cli/groups/coordinator-client, the code
//   kafka-consumer-groups --bootstrap-server uses).
// - Legacy groups (offsets in ZooKeeper /consumers/<g>, the pre-0.9 consumer): members, owners and
//   offsets through controller/zk/consumer-group-zk-client, as kafka-consumer-groups --zookeeper.
// Lag uses the log end offsets of the same refresh's cluster read, so a group costs no extra
// ListOffsets. A group that cannot be read keeps its row with the error, the others still show.
import { ConsumerGroupZkClient } from '../../controller/zk/consumer-group-zk-client';
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { decodeMemberAssignment } from '../../admin-cli/groups/consumer-protocol';
import { describeGroup, fetchCommittedOffsets, listGroups } from '../../admin-cli/groups/coordinator-client';
import type { ClusterState } from './cluster-reader';

export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number | null;
  logEndOffset: number | null;
  lag: number | null;
  owner: string | null;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignment: Array<{ topic: string; partitions: number[] }>;
}

export interface GroupState {
  group: string;
  kind: 'kafka' | 'zookeeper';
  /** Kafka's group state (Stable, Empty, ...); for legacy groups Active or Empty by registered consumers. */
  state: string;
  protocol: string;
  members: GroupMember[];
  partitions: GroupPartition[];
  totalLag: number;
  error: string | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function endOffset(cluster: ClusterState, topic: string, partition: number): number | null {
  const p = cluster.topics.get(topic)?.partitions.find((x) => x.partition === partition);
  return p?.logEndOffset ?? null;
}

function withLag(cluster: ClusterState, rows: Array<Omit<GroupPartition, 'logEndOffset' | 'lag'>>): GroupPartition[] {
  return rows
    .map((r) => {
      const end = endOffset(cluster, r.topic, r.partition);
      const lag = end !== null && r.committed !== null ? Math.max(0, end - r.committed) : null;
      return { ...r, logEndOffset: end, lag };
    })
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

const totalLag = (rows: GroupPartition[]) => rows.reduce((n, r) => n + (r.lag ?? 0), 0);

export async function readKafkaGroups(client: ClusterClient, cluster: ClusterState): Promise<{ groups: GroupState[]; error: string | null }> {
  let ids: string[];
  try {
    ids = (await listGroups(client)).filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
  } catch (e) {
    return { groups: [], error: `ListGroups: ${message(e)}` };
  }
  const groups = await Promise.all(ids.map((group) => readKafkaGroup(client, cluster, group)));
  return { groups, error: null };
}

export async function readKafkaGroup(client: ClusterClient, cluster: ClusterState, group: string): Promise<GroupState> {
  try {
    const [g, committed] = await Promise.all([describeGroup(client, group), fetchCommittedOffsets(client, group, null)]);
    const members = g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost, assignment: decodeMemberAssignment(m.memberAssignment) }));
    const owners = new Map<string, string>();
    for (const m of members) for (const a of m.assignment) for (const p of a.partitions) owners.set(`${a.topic}\u0000${p}`, m.memberId);
    const keys = new Set([...committed.keys(), ...owners.keys()]);
    const rows = [...keys].map((k) => {
      const [topic, p] = k.split('\u0000');
      const partition = Number(p);
      return { topic, partition, committed: committed.get(k)?.offset ?? null, owner: owners.get(k) ?? null };
    });
    const partitions = withLag(cluster, rows);
    // A group known only by its committed offsets is Empty, not Dead (as kafka-consumer-groups).
    const state = g.groupState === 'Dead' && rows.length > 0 ? 'Empty' : g.groupState;
    return { group, kind: 'kafka', state, protocol: g.protocolData, members, partitions, totalLag: totalLag(partitions), error: null };
  } catch (e) {
    return { group, kind: 'kafka', state: 'Unknown', protocol: '', members: [], partitions: [], totalLag: 0, error: message(e) };
  }
}

export async function readZkGroups(zk: KafkaZkClient, cluster: ClusterState): Promise<{ groups: GroupState[]; error: string | null }> {
  const groupsZk = new ConsumerGroupZkClient(zk);
  let ids: string[];
  try {
    ids = await groupsZk.getConsumerGroups();
  } catch (e) {
    return { groups: [], error: `/consumers: ${message(e)}` };
  }
  const groups = await Promise.all(ids.map((group) => readZkGroup(groupsZk, cluster, group)));
  return { groups, error: null };
}

async function readZkGroup(groupsZk: ConsumerGroupZkClient, cluster: ClusterState, group: string): Promise<GroupState> {
  try {
    const [offsets, members] = await Promise.all([groupsZk.getGroupOffsets(group), groupsZk.getConsumersInGroup(group)]);
    const registrations = await groupsZk.getConsumerRegistrations(group, members);
    const topics = new Set(offsets.keys());
    for (const reg of registrations.values()) if (reg.pattern === 'static') for (const t of Object.keys(reg.subscription)) topics.add(t);
    const rows: Array<Omit<GroupPartition, 'logEndOffset' | 'lag'>> = [];
    const assignments = new Map<string, Map<string, number[]>>();
    for (const topic of topics) {
      const owners = await groupsZk.getPartitionOwners(group, topic);
      const committed = offsets.get(topic) ?? new Map<number, number>();
      const known = cluster.topics.get(topic)?.partitions.map((p) => p.partition) ?? [];
      for (const p of new Set([...known, ...committed.keys()])) {
        const owner = owners.get(p) ?? null;
        rows.push({ topic, partition: p, committed: committed.get(p) ?? null, owner });
        if (owner !== null) {
          // The owner is "<consumerId>-<thread>": the member is the registered id it starts with.
          const member = members.find((m) => owner.startsWith(m)) ?? owner;
          const byTopic = assignments.get(member) ?? new Map<string, number[]>();
          byTopic.set(topic, [...(byTopic.get(topic) ?? []), p]);
          assignments.set(member, byTopic);
        }
      }
    }
    const memberViews = members.map((m) => ({
      memberId: m,
      clientId: m,
      host: '',
      assignment: [...(assignments.get(m) ?? new Map<string, number[]>())].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) })),
    }));
    const partitions = withLag(cluster, rows);
    return { group, kind: 'zookeeper', state: members.length > 0 ? 'Active' : 'Empty', protocol: 'zookeeper', members: memberViews, partitions, totalLag: totalLag(partitions), error: null };
  } catch (e) {
    return { group, kind: 'zookeeper', state: 'Unknown', protocol: 'zookeeper', members: [], partitions: [], totalLag: 0, error: message(e) };
  }
}
