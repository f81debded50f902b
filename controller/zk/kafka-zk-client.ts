// KafkaZkClient: everything brokers, the controller and the admin tools do on ZooKeeper. The core
// (brokers, controller race, topics, partition states) is in kafka-zk-client-core.ts; this file adds
// topic deletion, entity configs and their change notifications, ISR change notifications,
// reassignment / preferred election znodes, legacy consumer offsets and producer id blocks.
// ZooKeeper watches are one-shot: every method that takes a watcher registers it on that read.
import { fencedBatch } from './fenced-ops';
import * as logDirEvents from './log-dir-event-notifications';
import { KafkaZkClientCore, settle } from './kafka-zk-client-core';
import { NodeExistsError, NoNodeError, ZkError } from './zk-errors';
import { isInvalidZnode } from './znode-json';
import {
  ConfigEntityChangeNotificationSequenceZNode,
  ConfigEntityChangeNotificationZNode,
  ConfigEntityType,
  ConfigEntityTypeZNode,
  ConfigEntityZNode,
  ConsumerOffset,
  DeleteTopicsTopicZNode,
  DeleteTopicsZNode,
  IsrChangeNotificationSequenceZNode,
  IsrChangeNotificationZNode,
  LeaderIsrAndControllerEpoch,
  PartitionReassignment,
  partitionKey,
  PreferredReplicaElectionZNode,
  ProducerIdBlock,
  ProducerIdBlockZNode,
  ReassignPartitionsZNode,
  TopicPartition,
  TopicPartitionStateZNode,
} from './zk-data';
import { CreateMode, MATCH_ANY_VERSION, ZkOp, ZkWatcher, ZooKeeperClient, ZooKeeperClientOptions } from './zookeeper-client';

export * from './kafka-zk-client-core';
export type { BrokerInfo, BrokerRegistration, EndPoint, LeaderAndIsr, LeaderIsrAndControllerEpoch, PartitionReassignment, TopicAssignment, TopicPartition } from './zk-data';
export { partitionKey, InvalidZnodeError, isInvalidZnode } from './zk-data';
export { ZnodeMap } from './znode-json';

export interface ConfigChangeNotification {
  /** Child name, config_change_<seq>: names sort in creation order. */
  name: string;
  /** "topics/<topic>" (or "brokers/<id>", ...). */
  entityPath: string;
  /** Creation time, ms (Kafka purges notifications older than 15 minutes). */
  ctime: number;
}

const del = (path: string): ZkOp => ({ type: 'delete', path, version: MATCH_ANY_VERSION });

export class KafkaZkClient extends KafkaZkClientCore {
  /** `options` may be just zookeeper.connection.timeout.ms. */
  static async connect(connectString: string, sessionTimeoutMs: number, options?: ZooKeeperClientOptions | number): Promise<KafkaZkClient> {
    const opts = typeof options === 'number' ? { connectionTimeoutMs: options } : options;
    return new KafkaZkClient(await ZooKeeperClient.connect(connectString, sessionTimeoutMs, { name: 'Kafka server', ...opts }));
  }

  // ---- topic deletion ----

  /** Topics queued for deletion (children of /admin/delete_topics). */
  async getTopicDeletions(watcher?: ZkWatcher): Promise<string[]> {
    try {
      return await this.zk.getChildren(DeleteTopicsZNode.path, watcher);
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  /** Queues a topic for deletion (what kafka-topics --delete and DeleteTopics write). */
  async createTopicDeletion(topic: string): Promise<void> {
    await this.zk.create(DeleteTopicsTopicZNode.path(topic), null, CreateMode.PERSISTENT);
  }

  /** Removes /admin/delete_topics/<t> (fenced; absent is fine). */
  async deleteTopicDeletions(topics: readonly string[], epochZkVersion: number): Promise<void> {
    await this.deleteAll(topics.map((t) => DeleteTopicsTopicZNode.path(t)), epochZkVersion);
  }

  /** Removes /config/topics/<t> (fenced; absent is fine). */
  async deleteTopicConfigs(topics: readonly string[], epochZkVersion: number): Promise<void> {
    await this.deleteAll(topics.map((t) => ConfigEntityZNode.path('topics', t)), epochZkVersion);
  }

  private async deleteAll(paths: readonly string[], epochZkVersion: number): Promise<void> {
    const results = await fencedBatch(this.zk, paths.map(del), epochZkVersion);
    for (const r of results) if (r instanceof Error && !(r instanceof NoNodeError)) throw r;
  }

  // ---- entity configs (/config/<type>/<name>) ----

  /** Throws InvalidZnodeError (logged once) when the znode is damaged: callers choose their fallback. */
  async getEntityConfigs(entityType: ConfigEntityType, name: string): Promise<Record<string, string>> {
    const path = ConfigEntityZNode.path(entityType, name);
    try {
      const { data, stat } = await this.zk.getData(path);
      return this.decodeOrThrow(path, `ignoring the config overrides of ${entityType}/${name} until it is repaired`, () => ConfigEntityZNode.decode(data, path), stat.version);
    } catch (e) {
      if (e instanceof NoNodeError) return {};
      throw e;
    }
  }

  /** name -> configs for every entity of the type (reads pipelined); damaged ones skipped (logged once). */
  async getAllEntityConfigs(entityType: ConfigEntityType): Promise<Map<string, Record<string, string>>> {
    let names: string[];
    try {
      names = await this.zk.getChildren(ConfigEntityTypeZNode.path(entityType));
    } catch (e) {
      if (e instanceof NoNodeError) return new Map();
      throw e;
    }
    const reads = await Promise.all(names.map((n) => settle(this.zk.getData(ConfigEntityZNode.path(entityType, n)))));
    const out = new Map<string, Record<string, string>>();
    reads.forEach((r, i) => {
      const path = ConfigEntityZNode.path(entityType, names[i]);
      if (r.ok) {
        const d = this.decodeZnode(path, `ignoring the config overrides of ${entityType}/${names[i]} until it is repaired`, () => ConfigEntityZNode.decode(r.v.data, path), r.v.stat.version);
        if (d.ok) out.set(names[i], d.value);
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  /**
   * Kafka's getAllEntitiesWithConfig: the children of /config/<type>, or of
   * /config/<type>/<sub> for <user, client> quotas (sub = "<user>/clients"); none when absent.
   */
  async getAllEntitiesWithConfig(entityType: ConfigEntityType, sub?: string): Promise<string[]> {
    const path = sub === undefined ? ConfigEntityTypeZNode.path(entityType) : ConfigEntityZNode.path(entityType, sub);
    try {
      return await this.zk.getChildren(path);
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  /**
   * Kafka's fetchAllChildEntityConfigs: every /config/<rootType>/<name>/<childType>/<child> (the
   * <user, client-id> quotas under /config/users), keyed "<name>/<childType>/<child>", the entity
   * name getEntityConfigs(rootType, ...) and change notifications use. Damaged ones skipped (logged once).
   */
  async getAllChildEntityConfigs(rootType: ConfigEntityType, childType: ConfigEntityType): Promise<Map<string, Record<string, string>>> {
    const parents = await this.getAllEntitiesWithConfig(rootType);
    const listings = await Promise.all(parents.map((p) => this.getAllEntitiesWithConfig(rootType, `${p}/${childType}`)));
    const names = listings.flatMap((children, i) => children.map((child) => `${parents[i]}/${childType}/${child}`));
    const out = new Map<string, Record<string, string>>();
    for (const name of names) {
      try {
        out.set(name, await this.getEntityConfigs(rootType, name));
      } catch (e) {
        if (!isInvalidZnode(e)) throw e;
      }
    }
    return out;
  }

  /** Kafka's setOrCreateEntityConfigs: setData first; on NoNode create (with parents). */
  async setOrCreateEntityConfigs(entityType: ConfigEntityType, name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.updatePersistentPath(ConfigEntityZNode.path(entityType, name), ConfigEntityZNode.encode(configs));
  }

  /** Kafka's updatePersistentPath: setData, or create with parents when absent (racing creators tolerated). */
  private async updatePersistentPath(path: string, data: Buffer): Promise<void> {
    try {
      await this.zk.setData(path, data);
    } catch (e) {
      if (!(e instanceof NoNodeError)) throw e;
      try {
        await this.zk.createRecursive(path, data);
      } catch (e2) {
        if (!(e2 instanceof NodeExistsError)) throw e2;
        await this.zk.setData(path, data);
      }
    }
  }

  /**
   * A version-2 change notification ({"version":2,"entity_path":"topics/<t>"}) as a persistent
   * sequential /config/changes/config_change_<seq>. Returns the created path.
   */
  async createConfigChangeNotification(entityPath: string): Promise<string> {
    await this.makeSurePersistentPathExists(ConfigEntityChangeNotificationZNode.path);
    return this.zk.create(
      ConfigEntityChangeNotificationSequenceZNode.createPath,
      ConfigEntityChangeNotificationSequenceZNode.encode(entityPath),
      CreateMode.PERSISTENT_SEQUENTIAL,
    );
  }

  /**
   * Pending notifications in creation order, each with its entity path (reads pipelined; ones purged
   * meanwhile are skipped, damaged ones too, logged once). Brokers watch the children of
   * /config/changes to apply config changes.
   */
  async getConfigChangeNotifications(watcher?: ZkWatcher): Promise<ConfigChangeNotification[]> {
    let names: string[];
    try {
      names = (await this.zk.getChildren(ConfigEntityChangeNotificationZNode.path, watcher)).sort();
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
    const reads = await Promise.all(names.map((n) => settle(this.zk.getData(`${ConfigEntityChangeNotificationZNode.path}/${n}`))));
    const out: ConfigChangeNotification[] = [];
    reads.forEach((r, i) => {
      const path = `${ConfigEntityChangeNotificationZNode.path}/${names[i]}`;
      if (r.ok) {
        const d = this.decodeZnode(path, 'skipping this config change notification', () => ConfigEntityChangeNotificationSequenceZNode.decode(r.v.data, path));
        if (d.ok) out.push({ name: names[i], entityPath: d.value, ctime: r.v.stat.ctime });
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  /** Purges old notifications (Kafka removes those older than 15 minutes). */
  async deleteConfigChangeNotifications(names: readonly string[]): Promise<void> {
    await this.deleteAll(names.map((n) => `${ConfigEntityChangeNotificationZNode.path}/${n}`), MATCH_ANY_VERSION);
  }

  // ---- ISR change notifications ----

  /** A leader's ISR change, for the controller to propagate: persistent sequential isr_change_<seq>. */
  createIsrChangeNotification(partitions: readonly TopicPartition[]): Promise<string> {
    return this.zk.create(IsrChangeNotificationSequenceZNode.path(), IsrChangeNotificationSequenceZNode.encode(partitions), CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /**
   * Pending notifications as child names ("isr_change_0000000003"), ascending. The methods below
   * accept these names or bare sequence numbers.
   */
  async getIsrChangeNotifications(watcher?: ZkWatcher): Promise<string[]> {
    try {
      return (await this.zk.getChildren(IsrChangeNotificationZNode.path, watcher)).sort();
    } catch (e) {
      if (e instanceof NoNodeError) return [];
      throw e;
    }
  }

  /** The partitions named by these notifications (reads pipelined; vanished and damaged ones skipped, the latter logged once). */
  async getPartitionsFromIsrChangeNotifications(sequenceNumbers: readonly string[]): Promise<TopicPartition[]> {
    const paths = sequenceNumbers.map((s) => IsrChangeNotificationSequenceZNode.path(s));
    const reads = await Promise.all(paths.map((path) => settle(this.zk.getData(path))));
    const out: TopicPartition[] = [];
    reads.forEach((r, i) => {
      if (r.ok) {
        const d = this.decodeZnode(paths[i], 'skipping this ISR change notification', () => IsrChangeNotificationSequenceZNode.decode(r.v.data, paths[i]));
        if (d.ok) out.push(...d.value);
      } else if (!(r.e instanceof NoNodeError)) throw r.e;
    });
    return out;
  }

  /** Deletes the given notifications (fenced), or all current ones when `notifications` is undefined. */
  async deleteIsrChangeNotifications(notifications: readonly string[] | undefined, epochZkVersion: number): Promise<void> {
    const names = notifications ?? (await this.getIsrChangeNotifications());
    await this.deleteAll(names.map((s) => IsrChangeNotificationSequenceZNode.path(s)), epochZkVersion);
  }

  // ---- admin requests: preferred replica election, reassignment ----

  /**
   * The requested partitions, or null when no election is pending. The watch (exists) fires on
   * creation. A damaged znode throws InvalidZnodeError (logged once).
   */
  async getPreferredReplicaElection(watcher?: ZkWatcher): Promise<TopicPartition[] | null> {
    return this.readOptional(PreferredReplicaElectionZNode.path, PreferredReplicaElectionZNode.decode, watcher);
  }

  /** What kafka-preferred-replica-election writes; NodeExistsError while one is in progress. */
  async createPreferredReplicaElection(partitions: readonly TopicPartition[]): Promise<void> {
    await this.zk.create(PreferredReplicaElectionZNode.path, PreferredReplicaElectionZNode.encode(partitions), CreateMode.PERSISTENT);
  }

  async deletePreferredReplicaElection(epochZkVersion: number): Promise<void> {
    await this.deleteAll([PreferredReplicaElectionZNode.path], epochZkVersion);
  }

  /** Pending reassignments ("topic-partition" -> target replicas), or null when none. The watch (exists) fires on creation. */
  async getPartitionReassignment(watcher?: ZkWatcher): Promise<Map<string, number[]> | null> {
    const list = await this.readOptional(ReassignPartitionsZNode.path, ReassignPartitionsZNode.decode, watcher);
    return list && new Map(list.map((r) => [partitionKey(r.topic, r.partition), r.replicas]));
  }

  /** Pending reassignments as written (topic, partition, replicas), or null when none. The watch (exists) fires on creation. */
  async getPartitionReassignmentList(watcher?: ZkWatcher): Promise<PartitionReassignment[] | null> {
    return this.readOptional(ReassignPartitionsZNode.path, ReassignPartitionsZNode.decode, watcher);
  }

  /**
   * One partition's state, arming a watch on its state znode (Kafka's
   * PartitionReassignmentIsrChangeHandler: the controller re-checks a reassignment whenever the
   * leader rewrites the ISR). Null when the znode is absent (the watch then fires on creation) or
   * damaged (logged once; the watch fires on its repair).
   */
  async getTopicPartitionStateAndWatch(tp: TopicPartition, watcher: ZkWatcher): Promise<LeaderIsrAndControllerEpoch | null> {
    const path = TopicPartitionStateZNode.path(tp.topic, tp.partition);
    if ((await this.zk.exists(path, watcher)) === null) return null;
    try {
      const { data, stat } = await this.zk.getData(path);
      const d = this.decodePartitionState(tp, data, stat);
      return d.ok ? d.value : null;
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** What kafka-reassign-partitions --execute writes; NodeExistsError while one is in progress. */
  async createPartitionReassignment(reassignments: readonly PartitionReassignment[]): Promise<void> {
    await this.zk.create(ReassignPartitionsZNode.path, ReassignPartitionsZNode.encode(reassignments), CreateMode.PERSISTENT);
  }

  /** The controller rewrites the remaining reassignments as partitions complete (fenced). */
  async setOrCreatePartitionReassignment(reassignments: readonly PartitionReassignment[], epochZkVersion: number): Promise<void> {
    const data = ReassignPartitionsZNode.encode(reassignments);
    const [r] = await fencedBatch(this.zk, [{ type: 'setData', path: ReassignPartitionsZNode.path, data, version: MATCH_ANY_VERSION }], epochZkVersion);
    if (r instanceof NoNodeError) {
      const [c] = await fencedBatch(this.zk, [{ type: 'create', path: ReassignPartitionsZNode.path, data, mode: CreateMode.PERSISTENT }], epochZkVersion);
      if (c instanceof Error) throw c;
    } else if (r instanceof Error) {
      throw r;
    }
  }

  async deletePartitionReassignment(epochZkVersion: number): Promise<void> {
    await this.deleteAll([ReassignPartitionsZNode.path], epochZkVersion);
  }

  /**
   * exists(watch) then getData: Kafka's registerZNodeChangeHandlerAndCheckExistence + read. A
   * damaged znode throws InvalidZnodeError, logged once (the controller then deletes the request).
   */
  private async readOptional<T>(path: string, decode: (b: Buffer | null) => T, watcher?: ZkWatcher): Promise<T | null> {
    if ((await this.zk.exists(path, watcher)) === null) return null;
    try {
      const { data, stat } = await this.zk.getData(path);
      return this.decodeOrThrow(path, 'the request cannot be carried out', () => decode(data), stat.version);
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  // ---- legacy consumer offsets (OffsetCommit / OffsetFetch v0) ----

  async getConsumerOffset(group: string, topic: string, partition: number): Promise<number | null> {
    try {
      const path = ConsumerOffset.path(group, topic, partition);
      const { data, stat } = await this.zk.getData(path);
      return this.decodeOrThrow(path, 'the offset cannot be read until it is repaired', () => ConsumerOffset.decode(data, path), stat.version);
    } catch (e) {
      if (e instanceof NoNodeError) return null;
      throw e;
    }
  }

  /** Kafka 0.8's updatePersistentPath: setData, or create with parents when absent. */
  async setConsumerOffset(group: string, topic: string, partition: number, offset: number): Promise<void> {
    await this.updatePersistentPath(ConsumerOffset.path(group, topic, partition), ConsumerOffset.encode(offset));
  }

  // ---- producer id blocks (InitProducerId) ----

  /** The last allocated block and the znode's version (null block when never allocated). */
  async getProducerIdBlock(): Promise<{ block: ProducerIdBlock | null; zkVersion: number }> {
    try {
      const { data, stat } = await this.zk.getData(ProducerIdBlockZNode.path);
      const block = this.decodeOrThrow(ProducerIdBlockZNode.path, 'no producer id block can be allocated until it is repaired', () => ProducerIdBlockZNode.decode(data), stat.version);
      return { block, zkVersion: stat.version };
    } catch (e) {
      if (e instanceof NoNodeError) return { block: null, zkVersion: -1 };
      throw e;
    }
  }

  /** Claims a block with setData conditional on the version read; false when another broker won. */
  async setProducerIdBlock(block: ProducerIdBlock, expectedZkVersion: number): Promise<boolean> {
    try {
      await this.zk.setData(ProducerIdBlockZNode.path, ProducerIdBlockZNode.encode(block), expectedZkVersion);
      return true;
    } catch (e) {
      if (e instanceof ZkError && e.codeName === 'BAD_VERSION') return false;
      throw e;
    }
  }

  // ---- log dir failures (log-dir-event-notifications.ts) ----

  /** A broker's log dir went offline: persistent sequential log_dir_event_<seq>. */
  propagateLogDirEvent(brokerId: number): Promise<string> {
    return logDirEvents.propagateLogDirEvent(this.zk, brokerId);
  }

  getLogDirEventNotifications(watcher?: ZkWatcher): Promise<string[]> {
    return logDirEvents.getLogDirEventNotifications(this.zk, watcher);
  }

  getBrokerIdsFromLogDirEvents(names: readonly string[], onBad: (name: string, reason: string) => void): Promise<number[]> {
    return logDirEvents.getBrokerIdsFromLogDirEvents(this.zk, names, onBad);
  }

  /** Deletes the given notifications (fenced), or all current ones when `names` is undefined. */
  async deleteLogDirEventNotifications(names: readonly string[] | undefined, epochZkVersion: number): Promise<void> {
    await logDirEvents.deleteLogDirEventNotifications(this.zk, names ?? (await this.getLogDirEventNotifications()), epochZkVersion);
  }
}
