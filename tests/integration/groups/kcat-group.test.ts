// Three long-running kcat -G (librdkafka balanced consumer) processes in one group on a
// 6-partition topic: the coordinator shares the partitions out without overlap (checked over the
// protocol with DescribeGroups), moves a member's partitions to the others when it leaves
// (SIGTERM: kcat closes the consumer, LeaveGroup) or dies (SIGKILL: after session.timeout.ms),
// and no record is skipped across the rebalances.
import type { Kafka } from 'kafkajs';
import { ClusterClient } from '../../../admin-cli/client/cluster-client';
import { describeGroup } from '../../../admin-cli/groups/coordinator-client';
import { decodeMemberAssignment } from '../../../admin-cli/groups/consumer-protocol';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { KcatGroupMember } from '../../helpers/kcat-group-member';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'kcat-six';
const GROUP = 'g-kcat-balanced';
const SESSION_TIMEOUT_MS = 6000;

describe('kcat -G balanced consumers (librdkafka, one broker)', () => {
  let cluster: TestCluster;
  let client: Kafka;
  let admin: ClusterClient;
  const members: KcatGroupMember[] = [];

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 5 } });
    client = kafkajs(cluster.bootstrap);
    admin = await ClusterClient.connect(cluster.bootstrap, { clientId: 'kcat-group-test' });
  });

  afterAll(async () => {
    for (const m of members) m.kill('SIGKILL');
    await Promise.all(members.map((m) => m.exited));
    admin?.close();
    await cluster?.stop();
  });

  async function produce(values: string[]): Promise<void> {
    const producer = client.producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic: TOPIC, acks: -1, messages: values.map((value) => ({ key: `key-${value}`, value })) });
    await producer.disconnect();
  }

  /** The group as the coordinator describes it: state, and client.id -> partitions of TOPIC it owns. */
  async function ownership(): Promise<{ state: string; owners: Map<string, number[]> }> {
    const g = await describeGroup(admin, GROUP);
    const owners = new Map<string, number[]>();
    for (const m of g.members) {
      const parts = decodeMemberAssignment(m.memberAssignment)
        .filter((a) => a.topic === TOPIC)
        .flatMap((a) => a.partitions)
        .sort((a, b) => a - b);
      owners.set(m.clientId, [...(owners.get(m.clientId) ?? []), ...parts]);
    }
    return { state: g.groupState, owners };
  }

  /** Stable, exactly these members, each owning some, every partition owned by exactly one. */
  async function ownedExactlyBy(clientIds: string[]): Promise<Map<string, number[]> | false> {
    const { state, owners } = await ownership();
    if (state !== 'Stable') return false;
    if (owners.size !== clientIds.length || !clientIds.every((id) => owners.has(id))) return false;
    const all = [...owners.values()].flat();
    if (all.length !== 6 || new Set(all).size !== 6) return false;
    if ([...owners.values()].some((ps) => ps.length === 0)) return false;
    return owners;
  }

  const describeMembers = () => members.map((m) => `${m.clientId}: ${m.values.size} values; stderr:\n${m.stderr.slice(-1500)}`).join('\n');

  test('partitions shared without overlap; rebalanced on leave and on death; nothing skipped', async () => {
    const admin0 = client.admin();
    await admin0.connect();
    await admin0.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }], waitForLeaders: true });
    await admin0.disconnect();

    const produced = Array.from({ length: 600 }, (_, i) => `r${i}`);
    await produce(produced);

    for (let i = 0; i < 3; i++) members.push(new KcatGroupMember(cluster.bootstrap, GROUP, TOPIC, `kcat-${i}`));
    const [a, b, c] = members;
    const consumedByAll = () => new Set(members.flatMap((m) => [...m.values]));

    try {
      await waitFor('all 600 records consumed across the three kcat processes', () => produced.every((v) => consumedByAll().has(v)), 60000, 200);

      // Each partition owned by exactly one member, and all three own some (2 each for range or roundrobin).
      const three = await waitFor('three kcat members sharing six partitions', () => ownedExactlyBy(['kcat-0', 'kcat-1', 'kcat-2']), 60000, 250);
      expect([...three.values()].map((ps) => ps.length)).toEqual([2, 2, 2]);

      // SIGTERM: kcat closes its consumer, which sends LeaveGroup; the survivors take over at once
      // (well within a session timeout, which is what a member that did not leave would cost).
      a.kill('SIGTERM');
      const left = await a.exited;
      expect(left.signal).toBeNull(); // kcat handled SIGTERM and exited by itself
      const two = await waitFor('two kcat members covering six partitions after a leave', () => ownedExactlyBy(['kcat-1', 'kcat-2']), 20000, 100);
      expect([...two.values()].map((ps) => ps.length)).toEqual([3, 3]);

      // SIGKILL: no LeaveGroup; the coordinator removes the member once its session expires.
      b.kill('SIGKILL');
      const killedAt = Date.now();
      await b.exited;
      const one = await waitFor('the last kcat member owning all six partitions', () => ownedExactlyBy(['kcat-2']), SESSION_TIMEOUT_MS + 30000, 100);
      expect(one.get('kcat-2')).toEqual([0, 1, 2, 3, 4, 5]);
      // Not before the dead member's session could have expired.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS - 1000);

      const more = Array.from({ length: 60 }, (_, i) => `s${i}`);
      await produce(more);
      await waitFor('the last kcat member consumed the 60 new records', () => more.every((v) => c.values.has(v)), 30000, 200);

      // No record skipped across the rebalances (redelivery after a rebalance is allowed).
      const union = consumedByAll();
      expect([...produced, ...more].filter((v) => !union.has(v))).toEqual([]);
      const allRows = members.flatMap((m) => m.rows);
      expect(allRows.every((r) => r.partition >= 0 && r.partition < 6)).toBe(true);
      expect(new Set(allRows.map((r) => r.value)).size).toBe(660);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${describeMembers()}`);
    }
  }, 180000);
});
