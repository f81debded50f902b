// Kafka's AdminZkClient: topic administration by writing ZooKeeper directly, as kafka-topics
// --zookeeper, CreateTopics/CreatePartitions/DeleteTopics and topic auto-creation do. The controller
// notices the znodes (watches on /brokers/topics, /brokers/topics/<t>, /admin/delete_topics) and
// does the rest. Write order as Kafka 2.4: /config/topics/<t> (setData, then create on NoNode) first,
// then /brokers/topics/<t>, so the controller never sees a topic without its config.
import { DEFAULT_LOG_CONFIG, logConfigWithOverrides } from '../../broker/log/log-config';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { assignReplicasToBrokers, BrokerMetadata, brokersForRackMode, RackAwareMode } from '../replica-assignment';
import { hasCollision, hasCollisionChars, isInternal, validateTopicName } from '../topic-name';
import { KafkaZkClient } from './kafka-zk-client';
import { checkAssignmentFits, checkPartitionCountFits } from './topic-znode-limit';
import { NodeExistsError } from './zk-errors';
import { BROKER_DEFAULT_ENTITY, isInvalidZnode, partitionKey } from './zk-data';

export interface CreateTopicOptions {
  /** Validate everything, write nothing (CreateTopics validate_only). */
  validateOnly?: boolean;
  /** 'enforced' by default, as kafka-topics. */
  rackAwareMode?: RackAwareMode;
}

export interface AdminZkClientOptions {
  /** Used when CreateTopics asks for the broker default (-1, KIP-464): num.partitions. */
  defaultNumPartitions?: number;
  /** default.replication.factor, likewise. */
  defaultReplicationFactor?: number;
}

export interface PartitionDescription {
  partition: number;
  replicas: number[];
  /** -1 when there is no leader or no state znode yet. */
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

export interface TopicDescription {
  topic: string;
  partitions: PartitionDescription[];
  configs: Record<string, string>;
  markedForDeletion: boolean;
  isInternal: boolean;
}

const invalidAssignment = (message: string) => new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, message);

export class AdminZkClient {
  constructor(
    readonly zkClient: KafkaZkClient,
    private readonly options: AdminZkClientOptions = {},
  ) {}

  /** Live brokers sorted by id, with racks per the mode. */
  async getBrokerMetadatas(rackAwareMode: RackAwareMode = 'enforced'): Promise<BrokerMetadata[]> {
    const brokers = await this.zkClient.getAllBrokers();
    return brokersForRackMode(brokers.map((b) => ({ id: b.id, rack: b.rack })), rackAwareMode);
  }

  /** Creates a topic with an assignment computed over the live brokers; returns that assignment. */
  async createTopic(
    topic: string,
    numPartitions: number,
    replicationFactor: number,
    configs: Record<string, string> = {},
    options: CreateTopicOptions = {},
  ): Promise<Map<number, number[]>> {
    const partitions = numPartitions === -1 && this.options.defaultNumPartitions !== undefined ? this.options.defaultNumPartitions : numPartitions;
    const rf = replicationFactor === -1 && this.options.defaultReplicationFactor !== undefined ? this.options.defaultReplicationFactor : replicationFactor;
    // Kafka checks the name and existence before placement: an existing topic is TOPIC_ALREADY_EXISTS
    // whatever the requested replication factor.
    await this.validateName(topic);
    checkPartitionCountFits(topic, partitions);
    const brokers = await this.getBrokerMetadatas(options.rackAwareMode ?? 'enforced');
    const assignment = assignReplicasToBrokers(brokers, partitions, rf);
    await this.createTopicWithAssignment(topic, configs, assignment, options);
    return assignment;
  }

  /** Creates a topic with the given partition -> replicas assignment (CreateTopics with assignments). */
  async createTopicWithAssignment(
    topic: string,
    configs: Record<string, string>,
    assignment: ReadonlyMap<number, readonly number[]>,
    options: Pick<CreateTopicOptions, 'validateOnly'> = {},
  ): Promise<void> {
    await this.validateTopicCreate(topic, assignment, configs);
    if (options.validateOnly) return;
    await this.zkClient.setOrCreateEntityConfigs('topics', topic, configs);
    try {
      await this.zkClient.createTopicAssignment(topic, assignment);
    } catch (e) {
      if (e instanceof NodeExistsError) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
      throw e;
    }
  }

  /**
   * Kafka's validateTopicCreate: name, existence, '.'/'_' collisions, assignment shape, configs; and,
   * beyond Kafka 2.4, broker ids >= 0 (Kafka writes a negative id to ZooKeeper, leaving a replica no
   * broker can ever host; KRaft-era Kafka refuses it too) and an assignment that fits its znode.
   */
  async validateTopicCreate(topic: string, assignment: ReadonlyMap<number, readonly number[]>, configs: Record<string, string>): Promise<void> {
    await this.validateName(topic);
    if (assignment.size === 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    const ids = [...assignment.keys()].sort((a, b) => a - b);
    if (ids.some((p, i) => p !== i)) {
      throw invalidAssignment(`Partitions should be a consecutive 0-based integer sequence, but got: ${ids.join(', ')}`);
    }
    const sizes = new Set([...assignment.values()].map((r) => r.length));
    if (sizes.size !== 1) throw invalidAssignment('All partitions should have the same number of replicas');
    if (sizes.has(0)) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
    for (const [p, replicas] of assignment) {
      if (new Set(replicas).size !== replicas.length) throw invalidAssignment(`Duplicate replica assignment found for partition ${p}: ${replicas.join(',')}`);
      if (replicas.some((b) => b < 0)) throw invalidAssignment(`Broker ids must not be negative, but partition ${p} is assigned to ${replicas.join(',')}`);
    }
    checkAssignmentFits(topic, assignment);
    logConfigWithOverrides(DEFAULT_LOG_CONFIG, configs);
  }

  private async validateName(topic: string): Promise<void> {
    validateTopicName(topic);
    if (await this.zkClient.topicExists(topic)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
    if (hasCollisionChars(topic)) {
      const all = await this.zkClient.getAllTopics();
      // Read again: the topic may have been created meanwhile and would "collide" with itself.
      if (all.includes(topic)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
      const colliding = all.find((t) => hasCollision(topic, t));
      if (colliding !== undefined) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${topic}' collides with existing topic: ${colliding}`);
    }
  }

  /**
   * Grows a topic to `numPartitions` (kafka-topics --alter --partitions, CreatePartitions). New
   * replicas follow partition 0's replication factor and continue its placement, unless
   * `newAssignment` (one replica list per new partition) is given. Returns the full assignment.
   */
  async addPartitions(
    topic: string,
    numPartitions: number,
    newAssignment?: ReadonlyArray<readonly number[]>,
    options: Pick<CreateTopicOptions, 'validateOnly' | 'rackAwareMode'> = {},
  ): Promise<Map<number, number[]>> {
    // Checks in Kafka 2.4's order (AdminManager.createPartitions, then AdminZkClient.addPartitions).
    const read = await this.zkClient.getFullReplicaAssignment([topic]);
    const damage = read.invalid?.get(topic);
    if (damage) throw damage;
    const full0 = read.get(topic);
    if (full0 && (full0.addingReplicas.size > 0 || full0.removingReplicas.size > 0)) {
      // Writing the grown assignment would drop the reassignment's adding/removing replicas (KIP-455).
      throw new KafkaError(ErrorCode.REASSIGNMENT_IN_PROGRESS, `A partition reassignment is in progress for the topic '${topic}'.`);
    }
    const existing = full0?.partitions;
    if (!existing || existing.size === 0) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${topic}' does not exist.`);
    const toAdd = numPartitions - existing.size;
    if (toAdd < 0) {
      throw new KafkaError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${existing.size} partitions, which is higher than the requested ${numPartitions}.`,
      );
    }
    if (toAdd === 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${existing.size} partitions.`);
    checkPartitionCountFits(topic, numPartitions);
    const brokers = await this.getBrokerMetadatas(options.rackAwareMode ?? 'enforced');
    if (newAssignment) {
      const live = new Set(brokers.map((b) => b.id));
      const unknown = new Set(newAssignment.flatMap((replicas) => replicas.filter((b) => !live.has(b))));
      // Negative ids are unknown brokers too: INVALID_REPLICA_ASSIGNMENT, as Kafka answers.
      if (unknown.size > 0) throw invalidAssignment(`Unknown broker(s) in replica assignment: ${[...unknown].join(', ')}.`);
      if (newAssignment.length !== toAdd) {
        throw invalidAssignment(`Increasing the number of partitions by ${toAdd} but ${newAssignment.length} assignments provided.`);
      }
    }
    const partition0 = existing.get(0);
    // Kafka 2.4 throws AdminOperationException here, which reaches the client as UNKNOWN_SERVER_ERROR.
    if (!partition0) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `Unexpected existing replica assignment for topic '${topic}', partition id 0 is missing.`);
    const added = new Map<number, number[]>();
    if (newAssignment) {
      newAssignment.forEach((replicas, i) => {
        const p = existing.size + i;
        if (replicas.length === 0) throw invalidAssignment(`Cannot have replication factor of 0 for partition id ${p}.`);
        if (new Set(replicas).size !== replicas.length) {
          throw invalidAssignment(`Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')} for partition id ${p}.`);
        }
        added.set(p, [...replicas]);
      });
      const bad = [...added].filter(([, r]) => r.length !== partition0.length);
      if (bad.length > 0) {
        throw invalidAssignment(
          `Inconsistent replication factor between partitions, partition 0 has ${partition0.length} while partitions ` +
            `[${bad.map(([p]) => p).join(', ')}] have replication factors [${bad.map(([, r]) => r.length).join(', ')}], respectively.`,
        );
      }
    } else {
      // Kafka starts at the broker holding partition 0's first replica, so placement continues evenly.
      const startIndex = Math.max(0, brokers.findIndex((b) => b.id >= partition0[0]));
      for (const [p, r] of assignReplicasToBrokers(brokers, toAdd, partition0.length, { fixedStartIndex: startIndex, startPartitionId: existing.size })) {
        added.set(p, r);
      }
    }
    const full = new Map([...existing, ...added]);
    checkAssignmentFits(topic, full);
    if (!options.validateOnly) await this.zkClient.setTopicAssignment(topic, full);
    return full;
  }

  /**
   * Marks a topic for deletion (/admin/delete_topics/<t>); the controller deletes it. Resolves false
   * when it was already marked (Kafka's DeleteTopics treats that as success).
   */
  async deleteTopic(topic: string): Promise<boolean> {
    if (!(await this.zkClient.topicExists(topic))) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic \`${topic}\` to delete does not exist`);
    }
    try {
      await this.zkClient.createTopicDeletion(topic);
      return true;
    } catch (e) {
      if (e instanceof NodeExistsError) return false;
      throw e;
    }
  }

  /**
   * Replaces the topic's config overrides and tells every broker through a version-2 change
   * notification (what kafka-configs --alter writes). `configs` is the complete new override set.
   */
  async changeTopicConfig(topic: string, configs: Record<string, string>): Promise<void> {
    if (!(await this.zkClient.topicExists(topic))) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} does not exist.`);
    }
    logConfigWithOverrides(DEFAULT_LOG_CONFIG, configs);
    await this.zkClient.setOrCreateEntityConfigs('topics', topic, configs);
    await this.zkClient.createConfigChangeNotification(`topics/${topic}`);
  }

  /**
   * Kafka's changeBrokerConfig: replaces /config/brokers/<id> (or /config/brokers/<default> for
   * brokerId null, the cluster-wide level) and writes the change notification
   * {"version":2,"entity_path":"brokers/<id>"}. The caller validates (dynamic-broker-config-rules).
   */
  async changeBrokerConfig(brokerId: number | null, configs: Record<string, string>): Promise<void> {
    const entity = brokerId === null ? BROKER_DEFAULT_ENTITY : String(brokerId);
    await this.zkClient.setOrCreateEntityConfigs('brokers', entity, configs);
    await this.zkClient.createConfigChangeNotification(`brokers/${entity}`);
  }

  /** The dynamic configs of one broker, or the cluster-wide ones for brokerId null. */
  brokerConfig(brokerId: number | null): Promise<Record<string, string>> {
    return this.zkClient.getEntityConfigs('brokers', brokerId === null ? BROKER_DEFAULT_ENTITY : String(brokerId));
  }

  /** kafka-configs --add-config / --delete-config: merge into the current overrides. */
  async alterTopicConfig(topic: string, set: Record<string, string>, remove: readonly string[] = []): Promise<Record<string, string>> {
    // A damaged znode (logged by the client) is replaced: this is how an operator repairs it.
    const current = await this.zkClient.getEntityConfigs('topics', topic).catch((e: unknown) => {
      if (isInvalidZnode(e)) return {};
      throw e;
    });
    const next: Record<string, string> = { ...current, ...set };
    for (const k of remove) delete next[k];
    await this.changeTopicConfig(topic, next);
    return next;
  }

  /**
   * A topic's partition -> replicas, or undefined when it does not exist. A damaged topic znode
   * throws its InvalidZnodeError (naming the znode), rather than passing for a missing topic.
   */
  private async assignmentOf(topic: string): Promise<Map<number, number[]> | undefined> {
    const read = await this.zkClient.getReplicaAssignment([topic]);
    const damage = read.invalid.get(topic);
    if (damage) throw damage;
    return read.get(topic);
  }

  /** All topics, sorted (kafka-topics --list). */
  async listTopics(): Promise<string[]> {
    return (await this.zkClient.getAllTopics()).sort();
  }

  /** Assignment, partition states and config overrides of a topic (kafka-topics --describe), or null. */
  async describeTopic(topic: string): Promise<TopicDescription | null> {
    const assignment = await this.assignmentOf(topic);
    if (!assignment) return null;
    const ids = [...assignment.keys()].sort((a, b) => a - b);
    const [states, configs, deletions] = await Promise.all([
      this.zkClient.getTopicPartitionStates(ids.map((partition) => ({ topic, partition }))),
      this.zkClient.getEntityConfigs('topics', topic).catch((e: unknown) => {
        if (isInvalidZnode(e)) return {}; // logged by the client; the partitions are still worth showing
        throw e;
      }),
      this.zkClient.getTopicDeletions(),
    ]);
    const partitions = ids.map((p): PartitionDescription => {
      const s = states.get(partitionKey(topic, p));
      return {
        partition: p,
        replicas: assignment.get(p)!,
        leader: s ? s.leaderAndIsr.leader : -1,
        leaderEpoch: s ? s.leaderAndIsr.leaderEpoch : -1,
        isr: s ? s.leaderAndIsr.isr : [],
      };
    });
    return { topic, partitions, configs, markedForDeletion: deletions.includes(topic), isInternal: isInternal(topic) };
  }
}
