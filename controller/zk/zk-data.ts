// Every znode path and JSON body Zafka uses, in Kafka 2.4's formats (ARCHITECTURE §3), after Kafka's
// ZkData.scala: one small object per znode with path(...), encode, decode; paths built from their
// parents; every JSON body carries its "version". Nothing outside controller/zk/ builds a ZooKeeper
// path or parses znode JSON. Key order matches what Kafka writes byte for byte (see jvm-map-order.ts).
import {
  javaPropertiesOrder,
  javaStringHashCode,
  jsonWithKeyOrder,
  scalaImmutableMapOrder,
  scalaMutableHashMapOrder,
  topicAssignmentKeyOrder,
} from './jvm-map-order';
import { ZnodeJson } from './znode-json';
import type { ZkStat } from './zookeeper-client';

export { InvalidZnodeError, isInvalidZnode } from './znode-json';
export type { Decoded } from './znode-json';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** "topic-partition", the key used in maps over partitions (as Kafka's TopicPartition.toString). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export interface EndPoint {
  listenerName: string;
  securityProtocol: string;
  host: string;
  port: number;
}

export interface BrokerInfo {
  id: number;
  /** Host/port of the PLAINTEXT endpoint (Kafka's legacy fields); '' / -1 without one (JSON null). */
  host: string;
  port: number;
  rack: string | null;
  endpoints: EndPoint[];
  jmxPort: number;
  /** Registration time, ms. */
  timestamp: number;
  /** KIP-380 broker epoch: czxid of /brokers/ids/<id>. Not part of the JSON. */
  epoch: number;
}

/** What a broker registers: BrokerInfo without the epoch (ZooKeeper assigns it); jmx -1, timestamp now by default. */
export type BrokerRegistration = Omit<BrokerInfo, 'epoch' | 'jmxPort' | 'timestamp' | 'rack'> & {
  rack?: string | null;
  jmxPort?: number;
  timestamp?: number;
  epoch?: number;
};

export interface LeaderAndIsr {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** dataVersion of the state znode this was read from (or is expected to replace). */
  zkVersion: number;
}

export interface LeaderIsrAndControllerEpoch {
  leaderAndIsr: LeaderAndIsr;
  controllerEpoch: number;
}

function json(bytes: Buffer | null, what: string): Record<string, unknown> {
  if (!bytes || bytes.length === 0) throw new Error(`${what}: empty znode`);
  return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
}

// Every decoder below reads through ZnodeJson (znode-json.ts): a wrong type, a missing required
// field or invalid JSON throws one InvalidZnodeError naming the znode and the field.

/** Broker ids and replica ids are non-negative; a replica list never names a broker twice. */
const REPLICAS = { min: 0, distinct: true } as const;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

// ---- /cluster ----

export const ClusterZNode = { path: '/cluster' };

export const ClusterIdZNode = {
  path: `${ClusterZNode.path}/id`,
  encode: (id: string): Buffer => utf8(JSON.stringify({ version: '1', id })),
  decode: (bytes: Buffer | null): string => ZnodeJson.parse(ClusterIdZNode.path, bytes).string('id'),
};

// ---- /brokers ----

export const BrokersZNode = { path: '/brokers' };
export const BrokerIdsZNode = { path: `${BrokersZNode.path}/ids` };
export const BrokerSequenceIdZNode = { path: `${BrokersZNode.path}/seqid` };
export const TopicsZNode = { path: `${BrokersZNode.path}/topics` };

// BrokerIdZNode.encode fills a Scala mutable.HashMap in this order (rack only when set).
const BROKER_KEYS = ['version', 'host', 'port', 'endpoints', 'jmx_port', 'timestamp'];
const brokerKeyOrder = (withRack: boolean) =>
  scalaMutableHashMapOrder([...BROKER_KEYS, ...(withRack ? ['rack'] : []), 'listener_security_protocol_map'], javaStringHashCode);
const BROKER_ORDER = brokerKeyOrder(false);
const BROKER_ORDER_RACK = brokerKeyOrder(true);

/** "PLAINTEXT://host:port"; IPv6 hosts in brackets, as Kafka's EndPoint.connectionString. */
export function endpointConnectionString(e: EndPoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.listenerName}://${host}:${e.port}`;
}

const ENDPOINT_RE = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*?)\]?:(-?[0-9]+)$/;

export function parseEndpoint(s: string, protocolMap: Record<string, string>): EndPoint {
  const m = ENDPOINT_RE.exec(s);
  if (!m) throw new Error(`Unable to parse ${s} to a broker endpoint`);
  const listenerName = m[1];
  return { listenerName, securityProtocol: protocolMap[listenerName] ?? listenerName, host: m[2], port: Number(m[3]) };
}

export const BrokerIdZNode = {
  path: (id: number): string => `${BrokerIdsZNode.path}/${id}`,
  /** Version 4 (Kafka 2.x): endpoints + listener_security_protocol_map; host/port from the PLAINTEXT endpoint. */
  encode(info: BrokerRegistration): Buffer {
    const plaintext = info.endpoints.find((e) => e.securityProtocol === 'PLAINTEXT');
    const listeners = info.endpoints.map((e) => e.listenerName);
    const protocolMap = jsonWithKeyOrder(
      scalaImmutableMapOrder([...new Set(listeners)], javaStringHashCode).map((l) => [
        l,
        info.endpoints.find((e) => e.listenerName === l)!.securityProtocol,
      ]),
    );
    const values: Record<string, string> = {
      version: '4',
      host: JSON.stringify(plaintext ? plaintext.host : null),
      port: String(plaintext ? plaintext.port : -1),
      endpoints: JSON.stringify(info.endpoints.map(endpointConnectionString)),
      jmx_port: String(info.jmxPort ?? -1),
      timestamp: JSON.stringify(String(info.timestamp ?? Date.now())),
      rack: JSON.stringify(info.rack ?? null),
      listener_security_protocol_map: protocolMap,
    };
    const order = info.rack != null ? BROKER_ORDER_RACK : BROKER_ORDER;
    return utf8(`{${order.map((k) => `"${k}":${values[k]}`).join(',')}}`);
  },
  /** Versions 1-4 (version 1: host/port only). `stat` gives the broker epoch (czxid). */
  decode(id: number, bytes: Buffer | null, stat?: ZkStat): BrokerInfo {
    const j = ZnodeJson.parse(BrokerIdZNode.path(id), bytes);
    const version = j.int('version', { min: 1 });
    const host = j.optionalString('host');
    const port = j.optionalInt('port', -1, { min: -1 });
    const protocolMap = j.has('listener_security_protocol_map') ? j.stringMap('listener_security_protocol_map') : {};
    let endpoints: EndPoint[];
    if (version === 1 || !j.has('endpoints')) {
      if (host === null || port < 0) j.fail('host', 'a version 1 registration needs host and port');
      endpoints = [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: host as string, port }];
    } else {
      endpoints = j.strings('endpoints').map((s, i) => {
        try {
          return parseEndpoint(s, protocolMap);
        } catch (e) {
          return j.fail(`endpoints[${i}]`, (e as Error).message);
        }
      });
    }
    return {
      id,
      host: host ?? '',
      port,
      rack: j.optionalString('rack'),
      endpoints,
      jmxPort: j.optionalInt('jmx_port', -1),
      timestamp: j.longish('timestamp', 0),
      epoch: stat ? stat.czxid : -1,
    };
  },
};

export interface TopicAssignment {
  partitions: Map<number, number[]>;
  addingReplicas: Map<number, number[]>;
  removingReplicas: Map<number, number[]>;
}

function assignmentJson(topic: string, m: ReadonlyMap<number, readonly number[]>): string {
  return jsonWithKeyOrder(topicAssignmentKeyOrder(topic, [...m.keys()]).map((p) => [String(p), m.get(p)]));
}

export const TopicZNode = {
  path: (topic: string): string => `${TopicsZNode.path}/${topic}`,
  /** Version 2 (KIP-455): partitions plus (empty unless reassigning) adding/removing replicas. */
  encode(topic: string, partitions: ReadonlyMap<number, readonly number[]>, adding: ReadonlyMap<number, readonly number[]> = new Map(), removing: ReadonlyMap<number, readonly number[]> = new Map()): Buffer {
    return utf8(
      `{"version":2,"partitions":${assignmentJson(topic, partitions)},` +
        `"adding_replicas":${assignmentJson(topic, adding)},"removing_replicas":${assignmentJson(topic, removing)}}`,
    );
  },
  /**
   * Versions 1 and 2. Partition ids must be non-negative ints; every replica list an array of
   * distinct non-negative broker ids (a partition's list non-empty). Anything else refuses the topic.
   */
  decode(topic: string, bytes: Buffer | null): TopicAssignment {
    const j = ZnodeJson.parse(TopicZNode.path(topic), bytes);
    const partitions = j.partitionMap('partitions', REPLICAS);
    for (const [p, replicas] of partitions) if (replicas.length === 0) j.fail(`partitions.${p}`, 'empty replica list');
    const optional = (field: string) => (j.has(field) ? j.partitionMap(field, REPLICAS) : new Map<number, number[]>());
    return { partitions, addingReplicas: optional('adding_replicas'), removingReplicas: optional('removing_replicas') };
  },
};

export const TopicPartitionsZNode = { path: (topic: string): string => `${TopicZNode.path(topic)}/partitions` };
export const TopicPartitionZNode = { path: (topic: string, partition: number): string => `${TopicPartitionsZNode.path(topic)}/${partition}` };

export const TopicPartitionStateZNode = {
  path: (topic: string, partition: number): string => `${TopicPartitionZNode.path(topic, partition)}/state`,
  /** An immutable 5-key Map in Kafka: its hash-trie order is controller_epoch, leader, version, leader_epoch, isr. */
  encode(state: { leader: number; leaderEpoch: number; isr: readonly number[]; controllerEpoch: number }): Buffer {
    return utf8(
      `{"controller_epoch":${state.controllerEpoch},"leader":${state.leader},"version":1,` +
        `"leader_epoch":${state.leaderEpoch},"isr":${JSON.stringify(state.isr)}}`,
    );
  },
  /**
   * leader (a broker id, or -1 for none; -2 is Kafka's LeaderDuringDelete), leader_epoch,
   * controller_epoch and isr (distinct broker ids) are all required. `path` names the znode in errors.
   */
  decode(bytes: Buffer | null, stat: ZkStat, path = '/brokers/topics/<topic>/partitions/<partition>/state'): LeaderIsrAndControllerEpoch {
    const j = ZnodeJson.parse(path, bytes);
    return {
      leaderAndIsr: {
        leader: j.int('leader', { min: -2 }),
        leaderEpoch: j.int('leader_epoch', { min: 0 }),
        isr: j.intList('isr', REPLICAS),
        zkVersion: stat.version,
      },
      controllerEpoch: j.int('controller_epoch', { min: 0 }),
    };
  },
};

// ---- controller ----

export const ControllerZNode = {
  path: '/controller',
  encode: (brokerId: number, timestamp: number): Buffer => utf8(`{"version":1,"brokerid":${brokerId},"timestamp":"${timestamp}"}`),
  decode: (bytes: Buffer | null): number => ZnodeJson.parse(ControllerZNode.path, bytes).int('brokerid', { min: 0 }),
};

export const ControllerEpochZNode = {
  path: '/controller_epoch',
  encode: (epoch: number): Buffer => utf8(String(epoch)),
  decode: (bytes: Buffer | null): number => ZnodeJson.decimal(ControllerEpochZNode.path, bytes, { min: 0 }),
};

// ---- /config ----

export type ConfigEntityType = 'topics' | 'brokers' | 'clients' | 'users';
export const CONFIG_ENTITY_TYPES: readonly ConfigEntityType[] = ['topics', 'clients', 'users', 'brokers']; // Kafka's ConfigType.all

export const ConfigZNode = { path: '/config' };
/** Kafka's ConfigEntityName.Default: /config/brokers/<default> holds cluster-wide broker configs. */
export const BROKER_DEFAULT_ENTITY = '<default>';
export const ConfigEntityTypeZNode = { path: (entityType: ConfigEntityType): string => `${ConfigZNode.path}/${entityType}` };

export const ConfigEntityZNode = {
  path: (entityType: ConfigEntityType, name: string): string => `${ConfigEntityTypeZNode.path(entityType)}/${name}`,
  /** The config map is a java.util.Properties in Kafka: key order is its hash order. */
  encode(configs: Readonly<Record<string, string>>): Buffer {
    const order = javaPropertiesOrder(Object.keys(configs));
    return utf8(`{"version":1,"config":${jsonWithKeyOrder(order.map((k) => [k, String(configs[k])]))}}`);
  },
  /**
   * An empty znode is an empty config (Kafka writes null data for none). Otherwise "config" must be
   * an object of strings (numbers and booleans are taken as their text, as Properties would hold them).
   */
  decode(bytes: Buffer | null, path = '/config/<type>/<name>'): Record<string, string> {
    if (!bytes || bytes.length === 0) return {};
    return ZnodeJson.parse(path, bytes).stringMap('config');
  },
};

export const ConfigEntityChangeNotificationZNode = { path: `${ConfigZNode.path}/changes` };

export const ConfigEntityChangeNotificationSequenceZNode = {
  SequenceNumberPrefix: 'config_change_',
  createPath: `${ConfigEntityChangeNotificationZNode.path}/config_change_`,
  /** Version 2: {"version":2,"entity_path":"topics/<topic>"}. */
  encode: (entityPath: string): Buffer => utf8(JSON.stringify({ version: 2, entity_path: entityPath })),
  /**
   * The entity path "<type>/<name>". Version 2 carries it; version 1 (Kafka 0.10) has entity_type
   * and entity_name, as Kafka's ConfigChangedNotificationHandler still reads. `path` names the znode.
   */
  decode(bytes: Buffer | null, path = `${ConfigEntityChangeNotificationZNode.path}/config_change_<seq>`): string {
    const j = ZnodeJson.parse(path, bytes);
    const version = j.int('version');
    if (version === 1) return `${j.string('entity_type')}/${j.string('entity_name')}`;
    if (version !== 2) j.fail('version', `unsupported version ${version}`);
    const entityPath = j.string('entity_path');
    if (!/^[^/]+\/.+$/.test(entityPath)) j.fail('entity_path', `expected "<type>/<name>", got ${JSON.stringify(entityPath)}`);
    return entityPath;
  },
};

// ---- notifications ----

function partitionsJson(partitions: readonly TopicPartition[]): string {
  return JSON.stringify({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

function partitionsFromJson(bytes: Buffer | null, path: string): TopicPartition[] {
  return ZnodeJson.parse(path, bytes).objects('partitions', (p) => ({ topic: p.string('topic'), partition: p.int('partition', { min: 0 }) }));
}

export const IsrChangeNotificationZNode = { path: '/isr_change_notification' };

export const IsrChangeNotificationSequenceZNode = {
  SequenceNumberPrefix: 'isr_change_',
  /** Accepts a sequence number ("0000000003") or a child name ("isr_change_0000000003"). */
  path: (sequenceNumber = ''): string =>
    `${IsrChangeNotificationZNode.path}/isr_change_${sequenceNumber.startsWith('isr_change_') ? sequenceNumber.slice(11) : sequenceNumber}`,
  encode: (partitions: readonly TopicPartition[]): Buffer => utf8(partitionsJson(partitions)),
  /** `path` names the znode in errors. */
  decode: (bytes: Buffer | null, path = `${IsrChangeNotificationZNode.path}/isr_change_<seq>`): TopicPartition[] => partitionsFromJson(bytes, path),
  /** "isr_change_0000000003" or its full path -> "0000000003". */
  sequenceNumber: (pathOrName: string): string => pathOrName.slice(pathOrName.lastIndexOf('isr_change_') + 'isr_change_'.length),
};

export const LogDirEventNotificationZNode = { path: '/log_dir_event_notification' };

export const LogDirEventNotificationSequenceZNode = {
  SequenceNumberPrefix: 'log_dir_event_',
  path: (sequenceNumber = ''): string => `${LogDirEventNotificationZNode.path}/log_dir_event_${sequenceNumber}`,
  /** event 1 = LogDirFailure. */
  encode: (brokerId: number): Buffer => utf8(`{"version":1,"broker":${brokerId},"event":1}`),
  decode: (bytes: Buffer | null): number => Number(json(bytes, 'log dir event').broker),
};

// ---- /admin ----

export const AdminZNode = { path: '/admin' };
export const DeleteTopicsZNode = { path: `${AdminZNode.path}/delete_topics` };
export const DeleteTopicsTopicZNode = { path: (topic: string): string => `${DeleteTopicsZNode.path}/${topic}` };

export interface PartitionReassignment {
  topic: string;
  partition: number;
  replicas: number[];
}

export const ReassignPartitionsZNode = {
  path: `${AdminZNode.path}/reassign_partitions`,
  encode: (reassignments: readonly PartitionReassignment[]): Buffer =>
    utf8(JSON.stringify({ version: 1, partitions: reassignments.map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas })) })),
  /** Types only: whether a replica list can be carried out (empty, duplicated, negative) is the controller's call, per partition. */
  decode(bytes: Buffer | null): PartitionReassignment[] {
    return ZnodeJson.parse(ReassignPartitionsZNode.path, bytes).objects('partitions', (r) => ({
      topic: r.string('topic'),
      partition: r.int('partition', { min: 0 }),
      replicas: r.intList('replicas'),
    }));
  },
};

export const PreferredReplicaElectionZNode = {
  path: `${AdminZNode.path}/preferred_replica_election`,
  encode: (partitions: readonly TopicPartition[]): Buffer => utf8(partitionsJson(partitions)),
  decode: (bytes: Buffer | null): TopicPartition[] => partitionsFromJson(bytes, PreferredReplicaElectionZNode.path),
};

// ---- legacy consumers (OffsetCommit/OffsetFetch v0, Kafka 0.8.1 clients) ----

export const ConsumerPathZNode = { path: '/consumers' };

export const ConsumerOffset = {
  path: (group: string, topic: string, partition: number): string => `${ConsumerPathZNode.path}/${group}/offsets/${topic}/${partition}`,
  encode: (offset: number): Buffer => utf8(String(offset)),
  /** `path` names the znode in errors; an empty znode holds no offset. */
  decode: (bytes: Buffer | null, path = '/consumers/<group>/offsets/<topic>/<partition>'): number | null =>
    bytes && bytes.length > 0 ? ZnodeJson.decimal(path, bytes, { min: -1 }) : null,
};

// ---- idempotent producers ----

export interface ProducerIdBlock {
  brokerId: number;
  blockStart: number;
  blockEnd: number;
}

export const ProducerIdBlockZNode = {
  path: '/latest_producer_id_block',
  encode: (b: ProducerIdBlock): Buffer =>
    utf8(`{"version":1,"broker":${b.brokerId},"block_start":"${b.blockStart}","block_end":"${b.blockEnd}"}`),
  decode(bytes: Buffer | null): ProducerIdBlock | null {
    if (!bytes || bytes.length === 0) return null;
    const j = ZnodeJson.parse(ProducerIdBlockZNode.path, bytes);
    const block = { brokerId: j.int('broker', { min: 0 }), blockStart: j.longish('block_start', -1), blockEnd: j.longish('block_end', -1) };
    if (block.blockStart < 0 || block.blockEnd < block.blockStart) j.fail('block_end', `not a block: ${block.blockStart}-${block.blockEnd}`);
    return block;
  },
};

/** Created at broker start, in Kafka's order (ZkData.PersistentZkPaths; see the txn log). */
export const PERSISTENT_ZK_PATHS: readonly string[] = [
  ConsumerPathZNode.path,
  BrokerIdsZNode.path,
  TopicsZNode.path,
  ConfigEntityChangeNotificationZNode.path,
  DeleteTopicsZNode.path,
  BrokerSequenceIdZNode.path,
  IsrChangeNotificationZNode.path,
  ProducerIdBlockZNode.path,
  LogDirEventNotificationZNode.path,
  ...CONFIG_ENTITY_TYPES.map((t) => ConfigEntityTypeZNode.path(t)),
];
