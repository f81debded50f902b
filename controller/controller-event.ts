// Every kind of work the controller does, as one discriminated union (Kafka's ControllerEvent
// subclasses). KafkaController.process() switches on `type`: read it as the table of contents of
// the control plane. ZooKeeper watches are one-shot, so each handler re-reads the znode with a
// new watcher, which re-arms it.

import { ErrorCode } from '../broker/protocol/errors';

export interface ControlledShutdownResult {
  errorCode: ErrorCode;
  remainingPartitions: { topicName: string; partitionIndex: number }[];
}

/** One partition's answer to an ElectLeaders request (Kafka's Either[ApiError, leader]). */
export interface ElectLeaderResult {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
  errorMessage: string | null;
  /** The leader elected (errorCode NONE), else -1. */
  leader: number;
}

/** One partition's answer to an AlterPartitionReassignments request. */
export interface AlterReassignmentResult {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
  errorMessage: string | null;
}

/** One partition of an AlterPartitionReassignments request: replicas null = cancel. */
export interface AlterReassignmentRequest {
  topic: string;
  partition: number;
  replicas: number[] | null;
}

export type ControllerEvent =
  /** Broker start: watch /controller and try to win. */
  | { type: 'Startup' }
  /** /controller changed (someone else won, or data changed): resign if it is not us. */
  | { type: 'ControllerChange' }
  /** /controller deleted, or a new ZooKeeper session: resign if active, then run the election. */
  | { type: 'Reelect' }
  /** ZooKeeper session expired: stop acting as controller at once (Kafka's Expire). */
  | { type: 'Expire' }
  /** /brokers/ids children changed: new, dead and bounced (re-registered, new epoch) brokers. */
  | { type: 'BrokerChange' }
  /** /brokers/topics children changed: new topics, and topics whose znode disappeared. */
  | { type: 'TopicChange' }
  /** /brokers/topics/<topic> data changed: partitions added (kafka-topics --alter). */
  | { type: 'PartitionModifications'; topic: string }
  /** /admin/delete_topics children changed. */
  | { type: 'TopicDeletion' }
  /** A StopReplica(delete=true) answered: replicas deleted, or failed. */
  | {
      type: 'TopicDeletionStopReplicaResponseReceived';
      replicaId: number;
      errorCode: ErrorCode;
      partitionErrors: { topic: string; partition: number; errorCode: ErrorCode }[];
    }
  /** /log_dir_event_notification children changed: a broker's log dir went offline. */
  | { type: 'LogDirEventNotification' }
  /** A broker answered LeaderAndIsr: partitions it answered KAFKA_STORAGE_ERROR for are on an offline dir. */
  | { type: 'LeaderAndIsrResponseReceived'; brokerId: number; partitionErrors: { topic: string; partition: number; errorCode: ErrorCode }[] }
  /** /isr_change_notification children changed: leaders shrank/expanded an ISR. */
  | { type: 'IsrChangeNotification' }
  /** /admin/preferred_replica_election created (kafka-preferred-replica-election.sh). */
  | { type: 'ReplicaLeaderElection' }
  /** /admin/reassign_partitions created or changed. */
  | { type: 'PartitionReassignment' }
  /** The state znode of a partition being reassigned changed: maybe all target replicas are in the ISR. */
  | { type: 'PartitionReassignmentIsrChange'; topic: string; partition: number }
  /** A damaged partition state znode changed (Zafka's watch; Kafka has none): maybe repaired. */
  | { type: 'DamagedPartitionStateChange'; topic: string; partition: number }
  /** ElectLeaders (AdminClientTriggered preferred election); null partitions = every partition. */
  | {
      type: 'ElectLeaders';
      partitions: { topic: string; partition: number }[] | null;
      callback: (results: ElectLeaderResult[]) => void;
    }
  /** AlterPartitionReassignments (KIP-455): merged into /admin/reassign_partitions, then started. */
  | {
      type: 'AlterPartitionReassignments';
      partitions: AlterReassignmentRequest[];
      callback: (results: AlterReassignmentResult[]) => void;
    }
  /** The auto leader rebalance timer fired (auto.leader.rebalance.enable). */
  | { type: 'AutoPreferredReplicaLeaderElection' }
  /** A broker asked to shut down cleanly (ControlledShutdown request). */
  | {
      type: 'ControlledShutdown';
      brokerId: number;
      brokerEpoch: number;
      callback: (result: ControlledShutdownResult) => void;
    }
  /** Broker shutdown: resign and stop (no new election from this broker). */
  | { type: 'Shutdown'; done: () => void };

export type ControllerEventType = ControllerEvent['type'];

