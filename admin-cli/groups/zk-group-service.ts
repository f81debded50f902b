// kafka-consumer-groups --zookeeper: groups of the old ZooKeeper-coordinated consumer, whose
// members, partition owners and offsets live under /consumers/<group> (Kafka 0.10's
// ZkConsumerGroupService). Lag needs log end offsets, so the brokers registered in ZooKeeper are
// asked with ListOffsets; CONSUMER-ID is the owner in /consumers/<g>/owners/<t>/<p>.
import { ConsumerGroupZkClient } from '../../controller/zk/consumer-group-zk-client';
import { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import { ClusterClient } from '../client/cluster-client';
import { LATEST_TIMESTAMP, listOffsets } from '../client/list-offsets';
import { tpKey } from './coordinator-client';
import type { GroupCommand } from './group-command-options';
import { formatOffsets, type OffsetRow } from './group-output';

type Out = (s: string) => void;

/** "host:port" of every registered broker's PLAINTEXT endpoint ('' when none). */
/** The registered brokers' endpoints of one security protocol (the client's security.protocol). */
export async function bootstrapFromZooKeeper(zk: KafkaZkClient, securityProtocol = 'PLAINTEXT'): Promise<string> {
  const brokers = await zk.getAllBrokers();
  return brokers.flatMap((b) => b.endpoints.filter((e) => e.securityProtocol === securityProtocol).map((e) => `${e.host}:${e.port}`)).join(',');
}

export class ZkGroupService {
  private readonly groups: ConsumerGroupZkClient;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly out: Out,
  ) {
    this.groups = new ConsumerGroupZkClient(zk);
  }

  static async connect(zookeeper: string, out: Out): Promise<ZkGroupService> {
    return new ZkGroupService(await KafkaZkClient.connect(zookeeper, 30000, { connectionTimeoutMs: 30000, name: 'kafka-consumer-groups' }), out);
  }

  async close(): Promise<void> {
    await this.zk.close();
  }

  listGroupIds(): Promise<string[]> {
    return this.groups.getConsumerGroups();
  }

  async describe(cmd: Extract<GroupCommand, { action: 'describe' }>): Promise<void> {
    const groups = cmd.allGroups ? await this.listGroupIds() : cmd.groups;
    for (const group of groups) {
      if (!(await this.groups.groupExists(group))) {
        this.out(`\nError: Consumer group '${group}' does not exist.\n`);
        continue;
      }
      const rows = await this.offsetRows(group);
      const members = await this.groups.getConsumersInGroup(group);
      if (members.length === 0) process.stderr.write(`\nConsumer group '${group}' has no active members.\n`);
      if (rows.length > 0) this.out(formatOffsets(rows, group));
    }
  }

  /** One row per partition of every topic the group subscribes to or has offsets for. */
  async offsetRows(group: string): Promise<OffsetRow[]> {
    const offsets = await this.groups.getGroupOffsets(group);
    const topics = new Set(offsets.keys());
    const members = await this.groups.getConsumersInGroup(group);
    for (const reg of (await this.groups.getConsumerRegistrations(group, members)).values()) {
      if (reg.pattern === 'static') for (const t of Object.keys(reg.subscription)) topics.add(t);
    }
    const rows: OffsetRow[] = [];
    for (const topic of [...topics].sort()) {
      const partitions = await this.groups.getTopicPartitionsWatched(topic);
      const committed = offsets.get(topic) ?? new Map<number, number>();
      // A deleted topic keeps its offsets in ZooKeeper: still show them.
      const all = [...new Set([...partitions, ...committed.keys()])].sort((a, b) => a - b);
      const owners = await this.groups.getPartitionOwners(group, topic);
      for (const p of all) rows.push({ group, topic, partition: p, currentOffset: committed.get(p), consumerId: owners.get(p) });
    }
    const ends = await this.logEndOffsets(rows);
    for (const r of rows) r.logEndOffset = ends.get(tpKey(r.topic, r.partition));
    return rows;
  }

  private async logEndOffsets(rows: readonly OffsetRow[]): Promise<Map<string, number>> {
    const bootstrap = await bootstrapFromZooKeeper(this.zk);
    if (rows.length === 0 || bootstrap === '') return new Map();
    const client = await ClusterClient.connect(bootstrap, { clientId: 'kafka-consumer-groups' });
    try {
      const out = new Map<string, number>();
      // One topic at a time, so a deleted topic only blanks its own rows.
      for (const topic of new Set(rows.map((r) => r.topic))) {
        const qs = rows.filter((r) => r.topic === topic).map((r) => ({ topic, partition: r.partition, timestamp: LATEST_TIMESTAMP }));
        try {
          for (const [k, v] of await listOffsets(client, qs)) out.set(k, v);
        } catch {
          // Unknown topic or partition: no LOG-END-OFFSET, no LAG.
        }
      }
      return out;
    } finally {
      client.close();
    }
  }
}
