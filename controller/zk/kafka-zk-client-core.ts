// The first half of Kafka's KafkaZkClient (the class users import is KafkaZkClient in
// kafka-zk-client.ts, which extends this one): start-up paths, cluster id, broker registration, the
// controller race, topics and partition states. Each write is exactly what Kafka 2.4 writes (compare
// shared/reference/kafka-2.4-zookeeper/zk-txnlog-decoded.txt): same paths, JSON, order of operations
// and multis. Controller writes take the controller epoch's zkVersion and are fenced (fenced-ops.ts).
// Batches are pipelined: a topic with 50 partitions costs 3 round trips, not 150.
import { randomBytes } from 'crypto';
import { getLogger, Logger } from '../../broker/logging';
import { deleteRecursive, fencedBatch } from './fenced-ops';
import { ControllerMovedError, NodeExistsError, NoNodeError, ZkError } from './zk-errors';
import {
  BrokerIdsZNode,
  BrokerIdZNode,
  BrokerInfo,
  BrokerRegistration,
  ClusterIdZNode,
  ControllerEpochZNode,
  ControllerZNode,
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  partitionKey,
  PERSISTENT_ZK_PATHS,
  TopicPartition,
  TopicPartitionStateZNode,
  TopicPartitionsZNode,
  TopicPartitionZNode,
  TopicsZNode,
  TopicAssignment,
  TopicZNode,
} from './zk-data';
import { InvalidZnodeLog } from './invalid-znode-log';
import { Decoded, tryDecode, ZnodeMap } from './znode-json';
import { CreateMode, MATCH_ANY_VERSION, ZkOp, ZkStat, ZkWatcher, ZooKeeperClient } from './zookeeper-client';

/** KafkaController.InitialControllerEpoch / InitialControllerEpochZkVersion. */
export const INITIAL_CONTROLLER_EPOCH = 0;
export const INITIAL_CONTROLLER_EPOCH_ZK_VERSION = 0;

/** A new cluster id: 16 random bytes, url-safe base64 without padding (22 chars), as Kafka. */
export function generateClusterId(): string {
  return randomBytes(16).toString('base64url');
}

export interface NewPartitionState {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerEpoch: number;
}

export interface LeaderAndIsrUpdate {
  topic: string;
  partition: number;
  /** The new state; its zkVersion is the version of the znode it replaces (the conditional update). */
  leaderAndIsr: LeaderAndIsr;
  controllerEpoch: number;
}

/** Per-partition outcome of a batch of state writes, keyed "topic-partition". */
export interface ZkUpdateResults {
  /** "topic-partition" -> the state znode's new zkVersion. */
  succeeded: Map<string, number>;
  /**
   * "topic-partition" -> error. BadVersionError: the znode changed meanwhile (re-read, retry);
   * NodeExistsError on create: the state znode is already there.
   */
  failed: Map<string, Error>;
}
export type UpdateLeaderAndIsrResult = ZkUpdateResults;

export const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));

export class KafkaZkClientCore {
  protected readonly log: Logger;
  /** Damaged znodes met by any read of this client: one error line each (invalid-znode-log.ts). */
  protected readonly invalidZnodes: InvalidZnodeLog;
  /** One watcher per (user watcher, topic) so re-reading with the same watcher does not pile up duplicates. */
  private readonly topicWatchers = new WeakMap<(topic: string) => void, Map<string, ZkWatcher>>();

  constructor(readonly zk: ZooKeeperClient) {
    this.log = getLogger('kafka.zk.KafkaZkClient');
    this.invalidZnodes = new InvalidZnodeLog(this.log);
  }

  /**
   * Decodes one znode's data. A damaged znode is logged once (naming it and what is skipped) and
   * returned as refused, with its dataVersion, so callers skip that one item and serve the rest.
   */
  decodeZnode<T>(path: string, consequence: string, decode: () => T, zkVersion = -1): Decoded<T> {
    const d = tryDecode(decode);
    if (d.ok) {
      this.invalidZnodes.valid(path);
    } else {
      d.error.zkVersion = zkVersion;
      this.invalidZnodes.report(d.error, consequence);
    }
    return d;
  }

  /** As decodeZnode, for single reads whose callers cannot go on without the value: throws the InvalidZnodeError. */
  protected decodeOrThrow<T>(path: string, consequence: string, decode: () => T, zkVersion = -1): T {
    const d = this.decodeZnode(path, consequence, decode, zkVersion);
    if (!d.ok) throw d.error;
    return d.value;
  }

  onNewSession(cb: () => void | Promise<void>): void {
    this.zk.onNewSession(cb);
  }

  onSessionExpired(cb: () => void): void {
    this.zk.onSessionExpired(cb);
  }

  close(): Promise<void> {
    return this.zk.close();
  }

  // ---- start-up ----

  /** Kafka's makeSurePersistentPathExists: create with parents, existing is fine. */
  makeSurePersistentPathExists(path: string): Promise<void> {
    return this.zk.createRecursive(path, null, CreateMode.PERSISTENT, true);
  }

  /** The persistent paths, one after another in Kafka's order (each create may fail NodeExists). */
  async createTopLevelPaths(): Promise<void> {
    for (const path of PERSISTENT_ZK_PATHS) await this.makeSurePersistentPathExists(path);
  }

  async getClusterId(): Promise<string | null> {
    try {
      return ClusterIdZNode.decode((await this.zk.getData(ClusterIdZNode.path)).data);
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** Reads /cluster/id; creates it with `proposed` (or a fresh id) when absent; a racing creator wins. */
  async getOrCreateClusterId(proposed: string = generateClusterId()): Promise<string> {
    const existing = await this.getClusterId();
    if (existing !== null) return existing;
    try {
      await this.zk.createRecursive(ClusterIdZNode.path, ClusterIdZNode.encode(proposed));
      return proposed;
    } catch (e) {
      if (!(e instanceof NodeExistsError)) throw e;
      const id = await this.getClusterId();
      if (id === null) throw new Error(`Failed to get cluster id from ZooKeeper: ${ClusterIdZNode.path} vanished`);
      return id;
    }
  }

  // ---- brokers ----

  /**
   * Registers /brokers/ids/<id> as Kafka's checkedEphemeralCreate: multi[create ephemeral (null data),
   * setData version 0]. Returns the broker epoch (the znode's czxid, KIP-380). If the znode exists and
   * belongs to this very session (a retried request), that registration is kept.
   */
  async registerBroker(info: BrokerRegistration): Promise<number> {
    const path = BrokerIdZNode.path(info.id);
    const data = BrokerIdZNode.encode({ ...info, timestamp: info.timestamp || Date.now() });
    try {
      const results = await this.zk.multi([
        { type: 'create', path, data: null, mode: CreateMode.EPHEMERAL },
        { type: 'setData', path, data, version: 0 },
      ]);
      const r = results[1];
      const epoch = r.type === 'setData' ? r.stat.czxid : -1;
      this.log.info(`Registered broker ${info.id} at path ${path} with addresses: ${info.endpoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(',')}, czxid (broker epoch): ${epoch}`);
      return epoch;
    } catch (e) {
      if (!(e instanceof NodeExistsError)) throw e;
      const stat = await this.zk.exists(path);
      if (stat && stat.ephemeralOwner === this.zk.sessionId) return stat.czxid;
      throw new NodeExistsError(
        path,
        `Error while registering broker ${info.id}: broker id ${info.id} is already registered at ${path}. ` +
          'Another broker uses this broker.id, or this broker was restarted faster than the ZooKeeper session timeout.',
      );
    }
  }

  /** Live broker ids, ascending. */
  async getBrokerIds(watcher?: ZkWatcher): Promise<number[]> {
    const children = await this.zk.getChildren(BrokerIdsZNode.path, watcher);
    return children.map(Number).filter((n) => Number.isInteger(n)).sort((a, b) => a - b);
  }

  async getBroker(id: number): Promise<BrokerInfo | null> {
    try {
      const path = BrokerIdZNode.path(id);
      const { data, stat } = await this.zk.getData(path);
      // A damaged registration is a broker nobody can reach: treated as not registered.
      const d = this.decodeZnode(path, `ignoring broker ${id} until it is repaired`, () => BrokerIdZNode.decode(id, data, stat), stat.version);
      return d.ok ? d.value : null;
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** Every registered broker, ascending id (reads pipelined). */
  async getAllBrokers(): Promise<BrokerInfo[]> {
    const ids = await this.getBrokerIds();
    const brokers = await Promise.all(ids.map((id) => this.getBroker(id)));
    return brokers.filter((b): b is BrokerInfo => b !== null);
  }

  // ---- controller ----

  /**
   * The controller's broker id, or null. With a watcher, the watch is set with exists() so it also
   * fires when /controller is created (Kafka's ControllerChangeHandler covers create/delete/change).
   * A damaged /controller reads as none, as in Kafka (its owner's session still holds it).
   */
  async getControllerId(watcher?: ZkWatcher): Promise<number | null> {
    if (watcher && (await this.zk.exists(ControllerZNode.path, watcher)) === null) return null;
    try {
      const { data, stat } = await this.zk.getData(ControllerZNode.path);
      const d = this.decodeZnode(ControllerZNode.path, 'no controller is known until it is repaired', () => ControllerZNode.decode(data), stat.version);
      return d.ok ? d.value : null;
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  async getControllerEpoch(): Promise<{ epoch: number; zkVersion: number } | null> {
    try {
      const { data, stat } = await this.zk.getData(ControllerEpochZNode.path);
      const epoch = this.decodeOrThrow(ControllerEpochZNode.path, 'no broker can become controller until it is repaired', () => ControllerEpochZNode.decode(data), stat.version);
      return { epoch, zkVersion: stat.version };
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /**
   * The /controller race: one multi [create ephemeral /controller, setData /controller_epoch
   * conditional on its version]. /controller_epoch is created as "0" first when missing. Throws
   * ControllerMovedError when another broker won.
   */
  async registerControllerAndIncrementEpoch(brokerId: number): Promise<{ epoch: number; epochZkVersion: number }> {
    const timestamp = Date.now();
    const current = (await this.getControllerEpoch()) ?? (await this.maybeCreateControllerEpochZNode());
    const newEpoch = current.epoch + 1;
    try {
      const results = await this.zk.multi([
        { type: 'create', path: ControllerZNode.path, data: ControllerZNode.encode(brokerId, timestamp), mode: CreateMode.EPHEMERAL },
        { type: 'setData', path: ControllerEpochZNode.path, data: ControllerEpochZNode.encode(newEpoch), version: current.zkVersion },
      ]);
      const r = results[1];
      return { epoch: newEpoch, epochZkVersion: r.type === 'setData' ? r.stat.version : current.zkVersion + 1 };
    } catch (e) {
      if (!(e instanceof ZkError) || !['NODE_EXISTS', 'BAD_VERSION'].includes(e.codeName)) throw e;
      // A retried request may have won already: it did if /controller is ours at the new epoch.
      const controllerId = await this.getControllerId();
      if (controllerId === null) {
        throw new ControllerMovedError(`The ephemeral node at ${ControllerZNode.path} went away while checking whether the controller election succeeds. Aborting controller startup procedure`);
      }
      if (controllerId === brokerId) {
        const epoch = await this.getControllerEpoch();
        if (epoch && epoch.epoch === newEpoch) return { epoch: newEpoch, epochZkVersion: epoch.zkVersion };
      }
      throw new ControllerMovedError('Controller moved to another broker. Aborting controller startup procedure');
    }
  }

  /** Kafka's deleteController (triggerControllerMove): drop /controller, fenced; absent is fine. */
  async deleteController(epochZkVersion: number): Promise<void> {
    const [r] = await fencedBatch(this.zk, [{ type: 'delete', path: ControllerZNode.path, version: MATCH_ANY_VERSION }], epochZkVersion);
    if (r instanceof Error && !(r instanceof NoNodeError)) throw r;
  }

  private async maybeCreateControllerEpochZNode(): Promise<{ epoch: number; zkVersion: number }> {
    try {
      await this.zk.create(ControllerEpochZNode.path, ControllerEpochZNode.encode(INITIAL_CONTROLLER_EPOCH));
      this.log.info(`Successfully created ${ControllerEpochZNode.path} with initial epoch ${INITIAL_CONTROLLER_EPOCH}`);
      return { epoch: INITIAL_CONTROLLER_EPOCH, zkVersion: INITIAL_CONTROLLER_EPOCH_ZK_VERSION };
    } catch (e) {
      if (!(e instanceof NodeExistsError)) throw e;
      const epoch = await this.getControllerEpoch();
      if (!epoch) throw new Error(`${ControllerEpochZNode.path} existed before but went away while trying to read it`);
      return epoch;
    }
  }

  // ---- topics and partitions ----

  async getAllTopics(watcher?: ZkWatcher): Promise<string[]> {
    try {
      return await this.zk.getChildren(TopicsZNode.path, watcher);
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.zk.exists(TopicZNode.path(topic))) !== null;
  }

  /**
   * topic -> partition -> replicas, for the topics that exist (reads pipelined). With dataWatcher, a
   * data watch is set on each /brokers/topics/<t>; it calls dataWatcher(topic) (partitions added,
   * reassignment) once. Topics whose znode is damaged are in `.invalid` (the watch is still set, so
   * a repair is noticed).
   */
  async getReplicaAssignment(topics: readonly string[], dataWatcher?: (topic: string) => void): Promise<ZnodeMap<string, Map<number, number[]>>> {
    const full = await this.getFullReplicaAssignment(topics, dataWatcher);
    const out = new ZnodeMap<string, Map<number, number[]>>();
    for (const [topic, a] of full) out.set(topic, a.partitions);
    for (const [topic, e] of full.invalid) out.invalid.set(topic, e);
    return out;
  }

  /**
   * As getReplicaAssignment, with each topic's adding_replicas / removing_replicas (KIP-455, topic
   * znode version 2): what a controller needs at failover to resume a reassignment in progress.
   */
  async getFullReplicaAssignment(topics: readonly string[], dataWatcher?: (topic: string) => void): Promise<ZnodeMap<string, TopicAssignment>> {
    const reads = await Promise.all(
      topics.map((t) => settle(this.zk.getData(TopicZNode.path(t), dataWatcher ? this.topicWatcher(dataWatcher, t) : undefined))),
    );
    const out = new ZnodeMap<string, TopicAssignment>();
    reads.forEach((r, i) => {
      const topic = topics[i];
      if (r.ok) {
        const d = this.decodeZnode(TopicZNode.path(topic), `skipping topic ${topic} until it is repaired`, () => TopicZNode.decode(topic, r.v.data), r.v.stat.version);
        if (d.ok) out.set(topic, d.value);
        else out.invalid.set(topic, d.error);
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  /**
   * The controller's rewrite of /brokers/topics/<t> during a reassignment (Kafka's
   * setTopicAssignmentRaw): the whole topic, with adding/removing replicas, fenced by the
   * controller epoch. NoNodeError when the topic is gone.
   */
  async setTopicFullAssignment(topic: string, assignment: TopicAssignment, epochZkVersion: number): Promise<void> {
    const data = TopicZNode.encode(topic, assignment.partitions, assignment.addingReplicas, assignment.removingReplicas);
    const [r] = await fencedBatch(this.zk, [{ type: 'setData', path: TopicZNode.path(topic), data, version: MATCH_ANY_VERSION }], epochZkVersion);
    if (r instanceof Error) throw r;
  }

  private topicWatcher(dataWatcher: (topic: string) => void, topic: string): ZkWatcher {
    let perTopic = this.topicWatchers.get(dataWatcher);
    if (!perTopic) this.topicWatchers.set(dataWatcher, (perTopic = new Map()));
    let w = perTopic.get(topic);
    if (!w) {
      w = () => dataWatcher(topic);
      perTopic.set(topic, w);
    }
    return w;
  }

  /** Creates /brokers/topics/<t> (persistent) with the version-2 assignment JSON. */
  async createTopicAssignment(topic: string, assignment: ReadonlyMap<number, readonly number[]>): Promise<void> {
    await this.zk.create(TopicZNode.path(topic), TopicZNode.encode(topic, assignment), CreateMode.PERSISTENT);
  }

  /** Rewrites /brokers/topics/<t> (partition addition); expectedVersion -1 = unconditional. */
  async setTopicAssignment(topic: string, assignment: ReadonlyMap<number, readonly number[]>, expectedVersion = MATCH_ANY_VERSION): Promise<void> {
    await this.zk.setData(TopicZNode.path(topic), TopicZNode.encode(topic, assignment), expectedVersion);
  }

  /** Partition ids that have a znode under /brokers/topics/<t>/partitions. */
  async getTopicPartitions(topic: string): Promise<number[]> {
    try {
      return (await this.zk.getChildren(TopicPartitionsZNode.path(topic))).map(Number).sort((a, b) => a - b);
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  /**
   * "topic-partition" -> state with its zkVersion, for partitions whose state znode exists; damaged
   * state znodes are in `.invalid` (with their zkVersion), so that partition alone is skipped.
   */
  async getTopicPartitionStates(partitions: readonly TopicPartition[]): Promise<ZnodeMap<string, LeaderIsrAndControllerEpoch>> {
    const reads = await Promise.all(partitions.map((p) => settle(this.zk.getData(TopicPartitionStateZNode.path(p.topic, p.partition)))));
    const out = new ZnodeMap<string, LeaderIsrAndControllerEpoch>();
    reads.forEach((r, i) => {
      const p = partitions[i];
      const key = partitionKey(p.topic, p.partition);
      if (r.ok) {
        const d = this.decodePartitionState(p, r.v.data, r.v.stat);
        if (d.ok) out.set(key, d.value);
        else out.invalid.set(key, d.error);
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  protected decodePartitionState(p: TopicPartition, data: Buffer | null, stat: ZkStat): Decoded<LeaderIsrAndControllerEpoch> {
    const path = TopicPartitionStateZNode.path(p.topic, p.partition);
    return this.decodeZnode(path, `partition ${partitionKey(p.topic, p.partition)} has no usable leader and ISR until it is repaired`, () => TopicPartitionStateZNode.decode(data, stat, path), stat.version);
  }

  /**
   * Arms a one-shot watch on a partition's state znode (exists: fires on change, creation or
   * deletion). Kafka has no such watch; Zafka sets it on damaged state znodes only, so rewriting
   * one brings its partition back without waiting for a broker change or a failover.
   */
  async watchTopicPartitionState(p: TopicPartition, watcher: ZkWatcher): Promise<ZkStat | null> {
    return this.zk.exists(TopicPartitionStateZNode.path(p.topic, p.partition), watcher);
  }

  /**
   * Kafka's createTopicPartitionStatesRaw: /brokers/topics/<t>/partitions for each topic, then
   * .../partitions/<p>, then .../partitions/<p>/state, each phase pipelined and every create fenced by
   * the controller epoch (NodeExists is fine for the first two). Created states succeed with zkVersion
   * 0; failures carry the state create's error (NodeExistsError: already there). Throws
   * ControllerMovedError when this controller was deposed.
   */
  async createTopicPartitionStates(states: readonly NewPartitionState[], epochZkVersion: number): Promise<ZkUpdateResults> {
    const create = (path: string, data: Buffer | null): ZkOp => ({ type: 'create', path, data, mode: CreateMode.PERSISTENT });
    const topics = [...new Set(states.map((s) => s.topic))];
    await fencedBatch(this.zk, topics.map((t) => create(TopicPartitionsZNode.path(t), null)), epochZkVersion);
    await fencedBatch(this.zk, states.map((s) => create(TopicPartitionZNode.path(s.topic, s.partition), null)), epochZkVersion);
    const results = await fencedBatch(
      this.zk,
      states.map((s) => create(TopicPartitionStateZNode.path(s.topic, s.partition), TopicPartitionStateZNode.encode(s))),
      epochZkVersion,
    );
    const out: ZkUpdateResults = { succeeded: new Map(), failed: new Map() };
    states.forEach((s, i) => {
      const r = results[i];
      const key = partitionKey(s.topic, s.partition);
      if (r instanceof Error) out.failed.set(key, r);
      else out.succeeded.set(key, 0);
    });
    return out;
  }

  /**
   * The controller's partition state writes: setData conditional on each state's zkVersion, fenced by
   * the controller epoch, pipelined. Throws ControllerMovedError when this controller was deposed.
   */
  async updateLeaderAndIsr(updates: readonly LeaderAndIsrUpdate[], epochZkVersion: number): Promise<ZkUpdateResults> {
    const results = await fencedBatch(
      this.zk,
      updates.map((u) => ({
        type: 'setData',
        path: TopicPartitionStateZNode.path(u.topic, u.partition),
        data: TopicPartitionStateZNode.encode({ ...u.leaderAndIsr, controllerEpoch: u.controllerEpoch }),
        version: u.leaderAndIsr.zkVersion,
      })),
      epochZkVersion,
    );
    const succeeded = new Map<string, number>();
    const failed = new Map<string, Error>();
    updates.forEach((u, i) => {
      const r = results[i];
      const key = partitionKey(u.topic, u.partition);
      if (r instanceof Error) failed.set(key, r);
      else if (r.type === 'setData') succeeded.set(key, r.stat.version);
    });
    return { succeeded, failed };
  }

  /**
   * A partition leader's own ISR change (shrink/expand): setData on the state znode conditional on
   * expectedZkVersion, NOT fenced by the controller epoch (Kafka's ReplicationUtils.updateLeaderAndIsr).
   * Resolves to the new zkVersion, or to the error (BadVersionError: the controller or another write
   * got there first; re-read). If the version check fails but the znode already holds exactly this
   * state (our own earlier write, retried), that counts as success, as Kafka's checker does.
   */
  async updatePartitionStateConditionally(
    topic: string,
    partition: number,
    state: { leader: number; leaderEpoch: number; isr: readonly number[]; controllerEpoch: number },
    expectedZkVersion: number,
  ): Promise<number | ZkError> {
    const path = TopicPartitionStateZNode.path(topic, partition);
    const data = TopicPartitionStateZNode.encode(state);
    try {
      return (await this.zk.setData(path, data, expectedZkVersion)).version;
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      if (e.codeName !== 'BAD_VERSION') return e;
      try {
        const current = await this.zk.getData(path);
        if (current.data && current.data.equals(data)) return current.stat.version;
      } catch {
        /* fall through to the original error */
      }
      return e;
    }
  }

  // ---- topic deletion (controller) ----

  /** /brokers/topics/<t> and everything under it, each delete fenced; absent is fine. */
  async deleteTopicZNode(topic: string, epochZkVersion: number): Promise<void> {
    await deleteRecursive(this.zk, TopicZNode.path(topic), epochZkVersion);
  }
}
