// The small value types the controller passes around, named as Kafka's controller names them
// (TopicPartition, PartitionAndReplica, LeaderAndIsr, LeaderIsrAndControllerEpoch).
//
// Keys: partitions are keyed "topic-partition" (Kafka's TopicPartition.toString, and the key the
// ZooKeeper client uses in its result maps). A topic may itself contain '-', so keys are never
// parsed back: every map keyed by them keeps the TopicPartition object alongside.

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionAndReplica {
  readonly topic: string;
  readonly partition: number;
  readonly replica: number;
}

/** Kafka's LeaderAndIsr: zkVersion is the version of the partition state znode it was read at. */
export interface LeaderAndIsr {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: number[];
  readonly zkVersion: number;
}

export interface LeaderIsrAndControllerEpoch {
  readonly leaderAndIsr: LeaderAndIsr;
  readonly controllerEpoch: number;
}

/** LeaderAndIsr.NoLeader: no eligible replica; the partition stays offline. */
export const NO_LEADER = -1;
/** LeaderAndIsr.LeaderDuringDelete: sent in UpdateMetadata so brokers drop a topic being deleted. */
export const LEADER_DURING_DELETE = -2;

export interface BrokerEndpoint {
  listenerName: string;
  securityProtocol: string;
  host: string;
  port: number;
}

/** A live broker as the controller knows it (the ZooKeeper contract's BrokerInfo). */
export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  endpoints: BrokerEndpoint[];
  jmxPort?: number;
  timestamp?: number;
  /** KIP-380 broker epoch: czxid of /brokers/ids/<id>; changes when the broker re-registers. */
  epoch: number;
}

export interface ControllerConfig {
  /** auto.leader.rebalance.enable (true) */
  autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds (300) */
  leaderImbalanceCheckIntervalSeconds: number;
  /** leader.imbalance.per.broker.percentage (10) */
  leaderImbalancePerBrokerPercentage: number;
  /** unclean.leader.election.enable (false); topics may override it in /config/topics/<t>. */
  uncleanLeaderElectionEnable: boolean;
  /** delete.topic.enable (true) */
  deleteTopicEnable: boolean;
  /** controlled.shutdown.enable (true): informational here, the broker drives the retries. */
  controlledShutdownEnable?: boolean;
  /** inter.broker.listener.name: which endpoint the controller connects to (default PLAINTEXT). */
  interBrokerListenerName?: string;
  /** controller.socket.timeout.ms (30000): request timeout towards brokers. */
  controllerSocketTimeoutMs?: number;
}

export const DEFAULT_CONTROLLER_CONFIG: ControllerConfig = {
  autoLeaderRebalanceEnable: true,
  leaderImbalanceCheckIntervalSeconds: 300,
  leaderImbalancePerBrokerPercentage: 10,
  uncleanLeaderElectionEnable: false,
  deleteTopicEnable: true,
  controlledShutdownEnable: true,
  interBrokerListenerName: 'PLAINTEXT',
  controllerSocketTimeoutMs: 30000,
};

export function tpKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function keyOf(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function replicaKey(r: PartitionAndReplica): string {
  return `${r.topic}-${r.partition}:${r.replica}`;
}

/** Kafka's LeaderAndIsr.toString, for state-change.log. */
export function formatLeaderAndIsr(l: LeaderAndIsr): string {
  return `LeaderAndIsr(leader=${l.leader}, leaderEpoch=${l.leaderEpoch}, isr=List(${l.isr.join(', ')}), zkVersion=${l.zkVersion})`;
}

/** Kafka's LeaderAndIsr.newLeaderAndIsr: a new leader always bumps the leader epoch (KIP-101). */
export function newLeaderAndIsr(current: LeaderAndIsr, leader: number, isr: number[]): LeaderAndIsr {
  return { leader, leaderEpoch: current.leaderEpoch + 1, isr, zkVersion: current.zkVersion };
}

/** Scala-ish Set rendering used in controller.log lines ("Set(0, 1)"). */
export function formatSet(values: Iterable<number | string>): string {
  return `Set(${[...values].join(', ')})`;
}
