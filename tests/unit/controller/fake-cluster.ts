// In-memory fakes for controller unit tests: a ControllerZkClient that keeps znode-like state
// (with one-shot watches and the controller-epoch fence), and a ConnectionFactory that records
// every request each broker receives and answers success.

import { InvalidZnodeError, ZnodeMap } from '../../../controller/zk/znode-json';
import { ConnectionFactory } from '../../../controller/controller-channel-manager';
import { ControllerRequest } from '../../../controller/controller-requests';
import { BrokerInfo, LeaderIsrAndControllerEpoch, TopicPartition, tpKey } from '../../../controller/controller-types';
import {
  ControllerZkClient,
  LeaderAndIsrUpdate,
  NewPartitionState,
  PartitionReassignment,
  TopicAssignment,
  Watcher,
  ZkUpdateResults,
} from '../../../controller/controller-zk';
import { BadVersionError, ControllerMovedError, NodeExistsError } from '../../../controller/zk/zk-errors';

export function broker(id: number, epoch = 100 + id): BrokerInfo {
  return {
    id,
    host: '127.0.0.1',
    port: 19092 + id,
    rack: null,
    endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 19092 + id }],
    epoch,
  };
}

export class FakeZk implements ControllerZkClient {
  controllerId: number | null = null;
  controllerEpoch = 0;
  epochZkVersion = 0;
  brokers = new Map<number, BrokerInfo>();
  topics = new Map<string, Map<number, number[]>>();
  states = new Map<string, LeaderIsrAndControllerEpoch>();
  deletions = new Set<string>();
  topicConfigs = new Map<string, Record<string, string>>();
  isrNotifications = new Map<string, TopicPartition[]>();
  preferred: TopicPartition[] | null = null;
  /** topic -> partition -> adding / removing replicas (topic znode version 2). */
  adding = new Map<string, Map<number, number[]>>();
  removing = new Map<string, Map<number, number[]>>();
  reassignment: PartitionReassignment[] | null = null;
  /** Topics whose /brokers/topics/<t> holds garbage, and "topic-partition" keys of garbage state znodes. */
  damagedTopics = new Set<string>();
  damagedStates = new Set<string>();
  /** Every successful write, in order ("create t-0", "update t-0", "delete topic t", ...). */
  writes: string[] = [];
  private watches = new Map<string, Watcher[]>();

  private arm(path: string, w?: Watcher): void {
    if (!w) return;
    const list = this.watches.get(path) ?? [];
    if (!list.includes(w)) list.push(w); // ZooKeeper keeps one registration per watcher and path
    this.watches.set(path, list);
  }

  fire(path: string): void {
    const list = this.watches.get(path) ?? [];
    this.watches.delete(path);
    for (const w of list) w();
  }

  private fence(epochZkVersion: number): void {
    if (epochZkVersion !== this.epochZkVersion) throw new ControllerMovedError('Controller epoch zkVersion moved');
  }

  // ---- test drivers (what other brokers / tools would do) ----
  addBroker(b: BrokerInfo): void {
    this.brokers.set(b.id, b);
    this.fire('/brokers/ids');
  }
  removeBroker(id: number): void {
    this.brokers.delete(id);
    this.fire('/brokers/ids');
  }
  createTopic(topic: string, assignment: number[][]): void {
    this.topics.set(topic, new Map(assignment.map((r, p) => [p, r])));
    this.fire('/brokers/topics');
  }
  markForDeletion(topic: string): void {
    this.deletions.add(topic);
    this.fire('/admin/delete_topics');
  }
  /** kafka-reassign-partitions --execute. */
  requestReassignment(list: PartitionReassignment[]): void {
    this.reassignment = list;
    this.fire('/admin/reassign_partitions');
  }
  /** A leader rewrote the ISR of a partition (conditional update + watch). */
  leaderSetsIsr(key: string, isr: number[]): void {
    const cur = this.states.get(key)!;
    this.states.set(key, { leaderAndIsr: { ...cur.leaderAndIsr, isr: [...isr], zkVersion: cur.leaderAndIsr.zkVersion + 1 }, controllerEpoch: cur.controllerEpoch });
    this.fire(`state ${key}`);
  }
  /** Someone writes garbage into a state znode (its version moves, as a real setData would). */
  damageState(key: string): void {
    const cur = this.states.get(key)!;
    this.states.set(key, { ...cur, leaderAndIsr: { ...cur.leaderAndIsr, zkVersion: cur.leaderAndIsr.zkVersion + 1 } });
    this.damagedStates.add(key);
    this.fire(`state ${key}`);
  }
  /** The state znode is rewritten with its previous content. */
  repairState(key: string): void {
    const cur = this.states.get(key)!;
    this.states.set(key, { ...cur, leaderAndIsr: { ...cur.leaderAndIsr, zkVersion: cur.leaderAndIsr.zkVersion + 1 } });
    this.damagedStates.delete(key);
    this.fire(`state ${key}`);
  }
  damageTopic(topic: string): void {
    this.damagedTopics.add(topic);
    this.fire(`/brokers/topics/${topic}`);
  }
  repairTopic(topic: string): void {
    this.damagedTopics.delete(topic);
    this.fire(`/brokers/topics/${topic}`);
  }
  /** Another broker takes the controller epoch (this controller is now a zombie). */
  stealEpoch(): void {
    this.controllerEpoch++;
    this.epochZkVersion++;
  }

  // ---- ControllerZkClient ----
  async getControllerId(watcher?: Watcher): Promise<number | null> {
    this.arm('/controller', watcher);
    return this.controllerId;
  }
  async registerControllerAndIncrementEpoch(brokerId: number): Promise<{ epoch: number; epochZkVersion: number }> {
    if (this.controllerId !== null) throw new ControllerMovedError('Controller moved to another broker');
    this.controllerId = brokerId;
    this.controllerEpoch++;
    this.epochZkVersion++;
    this.fire('/controller');
    return { epoch: this.controllerEpoch, epochZkVersion: this.epochZkVersion };
  }
  async deleteController(epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.controllerId = null;
    this.fire('/controller');
  }
  async getAllBrokers(): Promise<BrokerInfo[]> {
    return [...this.brokers.values()];
  }
  async getBrokerIds(watcher?: Watcher): Promise<number[]> {
    this.arm('/brokers/ids', watcher);
    return [...this.brokers.keys()];
  }
  async getAllTopics(watcher?: Watcher): Promise<string[]> {
    this.arm('/brokers/topics', watcher);
    return [...this.topics.keys()];
  }
  async getReplicaAssignment(topics: string[], dataWatcher?: (topic: string) => void): Promise<ZnodeMap<string, Map<number, number[]>>> {
    const out = new ZnodeMap<string, Map<number, number[]>>();
    for (const t of topics) {
      const a = this.topics.get(t);
      if (!a) continue;
      if (this.damagedTopics.has(t)) {
        out.invalid.set(t, new InvalidZnodeError(`/brokers/topics/${t}`, '', 'not valid JSON'));
        if (dataWatcher) this.arm(`/brokers/topics/${t}`, () => dataWatcher(t));
        continue;
      }
      out.set(t, new Map(a));
      if (dataWatcher) this.arm(`/brokers/topics/${t}`, () => dataWatcher(t));
    }
    return out;
  }
  async getTopicPartitionStates(partitions: TopicPartition[]): Promise<ZnodeMap<string, LeaderIsrAndControllerEpoch>> {
    const out = new ZnodeMap<string, LeaderIsrAndControllerEpoch>();
    for (const tp of partitions) {
      const s = this.states.get(tpKey(tp.topic, tp.partition));
      if (s && this.damagedStates.has(tpKey(tp.topic, tp.partition))) {
        const e = new InvalidZnodeError(`/brokers/topics/${tp.topic}/partitions/${tp.partition}/state`, 'leader', 'expected an integer');
        e.zkVersion = s.leaderAndIsr.zkVersion;
        out.invalid.set(tpKey(tp.topic, tp.partition), e);
      } else if (s) out.set(tpKey(tp.topic, tp.partition), { leaderAndIsr: { ...s.leaderAndIsr, isr: [...s.leaderAndIsr.isr] }, controllerEpoch: s.controllerEpoch });
    }
    return out;
  }
  async createTopicPartitionStates(states: NewPartitionState[], epochZkVersion: number): Promise<ZkUpdateResults> {
    this.fence(epochZkVersion);
    const res: ZkUpdateResults = { succeeded: new Map(), failed: new Map() };
    for (const s of states) {
      const key = tpKey(s.topic, s.partition);
      if (this.states.has(key)) {
        res.failed.set(key, new NodeExistsError(key));
        continue;
      }
      this.states.set(key, { leaderAndIsr: { leader: s.leader, leaderEpoch: s.leaderEpoch, isr: [...s.isr], zkVersion: 0 }, controllerEpoch: s.controllerEpoch });
      this.writes.push(`create ${key} leader=${s.leader} isr=${s.isr.join(',')}`);
      res.succeeded.set(key, 0);
    }
    return res;
  }
  async updateLeaderAndIsr(updates: LeaderAndIsrUpdate[], epochZkVersion: number): Promise<ZkUpdateResults> {
    this.fence(epochZkVersion);
    const res: ZkUpdateResults = { succeeded: new Map(), failed: new Map() };
    for (const u of updates) {
      const key = tpKey(u.topic, u.partition);
      const cur = this.states.get(key);
      if (!cur || cur.leaderAndIsr.zkVersion !== u.leaderAndIsr.zkVersion) {
        res.failed.set(key, new BadVersionError(key));
        continue;
      }
      const zkVersion = cur.leaderAndIsr.zkVersion + 1;
      this.states.set(key, { leaderAndIsr: { ...u.leaderAndIsr, isr: [...u.leaderAndIsr.isr], zkVersion }, controllerEpoch: u.controllerEpoch });
      this.writes.push(`update ${key} leader=${u.leaderAndIsr.leader} epoch=${u.leaderAndIsr.leaderEpoch} isr=${u.leaderAndIsr.isr.join(',')}`);
      res.succeeded.set(key, zkVersion);
      this.fire(`state ${key}`);
    }
    return res;
  }
  async getTopicDeletions(watcher?: Watcher): Promise<string[]> {
    this.arm('/admin/delete_topics', watcher);
    return [...this.deletions];
  }
  async deleteTopicZNode(topic: string, epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.topics.delete(topic);
    for (const k of [...this.states.keys()]) if (k.startsWith(`${topic}-`)) this.states.delete(k);
    this.writes.push(`delete topic ${topic}`);
    this.fire('/brokers/topics');
  }
  async deleteTopicDeletions(topics: string[], epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    for (const t of topics) this.deletions.delete(t);
    this.writes.push(`delete marker ${topics.join(',')}`);
    this.fire('/admin/delete_topics');
  }
  async deleteTopicConfigs(topics: string[], epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    for (const t of topics) this.topicConfigs.delete(t);
    this.writes.push(`delete config ${topics.join(',')}`);
  }
  async getEntityConfigs(entityType: 'topics' | 'brokers', name: string): Promise<Record<string, string>> {
    return entityType === 'topics' ? { ...(this.topicConfigs.get(name) ?? {}) } : {};
  }
  async getIsrChangeNotifications(watcher?: Watcher): Promise<string[]> {
    this.arm('/isr_change_notification', watcher);
    return [...this.isrNotifications.keys()];
  }
  async getPartitionsFromIsrChangeNotifications(notifications: string[]): Promise<TopicPartition[]> {
    return notifications.flatMap((n) => this.isrNotifications.get(n) ?? []);
  }
  async deleteIsrChangeNotifications(notifications: string[] | undefined, epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    for (const n of notifications ?? [...this.isrNotifications.keys()]) this.isrNotifications.delete(n);
  }
  async getPreferredReplicaElection(watcher?: Watcher): Promise<TopicPartition[] | null> {
    this.arm('/admin/preferred_replica_election', watcher);
    return this.preferred;
  }
  async deletePreferredReplicaElection(epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.preferred = null;
  }
  async getPartitionReassignment(watcher?: Watcher): Promise<Map<string, number[]> | null> {
    this.arm('/admin/reassign_partitions', watcher);
    return this.reassignment && new Map(this.reassignment.map((r) => [tpKey(r.topic, r.partition), [...r.replicas]]));
  }
  async getPartitionReassignmentList(watcher?: Watcher): Promise<PartitionReassignment[] | null> {
    this.arm('/admin/reassign_partitions', watcher);
    return this.reassignment && this.reassignment.map((r) => ({ ...r, replicas: [...r.replicas] }));
  }
  async setOrCreatePartitionReassignment(list: PartitionReassignment[], epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.reassignment = list.map((r) => ({ ...r, replicas: [...r.replicas] }));
    this.writes.push(`set reassign ${list.map((r) => `${tpKey(r.topic, r.partition)}=${r.replicas.join(',')}`).join(' ')}`);
    this.fire('/admin/reassign_partitions');
  }
  async deletePartitionReassignment(epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.reassignment = null;
    this.writes.push('delete reassign');
    this.fire('/admin/reassign_partitions');
  }
  async getFullReplicaAssignment(topics: string[], dataWatcher?: (topic: string) => void): Promise<ZnodeMap<string, TopicAssignment>> {
    const out = new ZnodeMap<string, TopicAssignment>();
    const assignments = await this.getReplicaAssignment(topics, dataWatcher);
    for (const [t, partitions] of assignments) {
      out.set(t, { partitions, addingReplicas: new Map(this.adding.get(t) ?? []), removingReplicas: new Map(this.removing.get(t) ?? []) });
    }
    for (const [t, e] of assignments.invalid) out.invalid.set(t, e);
    return out;
  }
  async setTopicFullAssignment(topic: string, a: TopicAssignment, epochZkVersion: number): Promise<void> {
    this.fence(epochZkVersion);
    this.topics.set(topic, new Map(a.partitions));
    this.adding.set(topic, new Map(a.addingReplicas));
    this.removing.set(topic, new Map(a.removingReplicas));
    const fmt = (m: Map<number, number[]>) => [...m].map(([p, r]) => `${p}:${r.join(',')}`).join(' ');
    this.writes.push(`assign ${topic} ${fmt(a.partitions)} adding=${fmt(a.addingReplicas)} removing=${fmt(a.removingReplicas)}`);
    this.fire(`/brokers/topics/${topic}`);
  }
  async watchTopicPartitionState(tp: TopicPartition, watcher: Watcher): Promise<{ version: number } | null> {
    const key = tpKey(tp.topic, tp.partition);
    this.arm(`state ${key}`, watcher);
    return this.states.has(key) ? { version: this.states.get(key)!.leaderAndIsr.zkVersion } : null;
  }
  async getTopicPartitionStateAndWatch(tp: TopicPartition, watcher: Watcher): Promise<LeaderIsrAndControllerEpoch | null> {
    const key = tpKey(tp.topic, tp.partition);
    this.arm(`state ${key}`, watcher);
    return (await this.getTopicPartitionStates([tp])).get(key) ?? null;
  }
}

export interface SentRequest {
  broker: number;
  request: ControllerRequest;
}

/** A ConnectionFactory whose brokers all answer success, recording what they received. */
export function recordingConnections(sent: SentRequest[]): ConnectionFactory {
  return async (_endpoint, b) => ({
    async send(request: ControllerRequest) {
      sent.push({ broker: b.id, request });
      if (request.api === 'StopReplica') {
        return {
          errorCode: 0,
          partitionErrors: request.body.topics.flatMap((t) => t.partitionIndexes.map((p) => ({ topicName: t.name, partitionIndex: p, errorCode: 0 }))),
        };
      }
      return { errorCode: 0, partitionErrors: [] };
    },
    close() {},
  });
}

/** Lets queued promise callbacks and setImmediate-scheduled work run. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
