// The three controller-to-broker requests as the controller builds them, with Kafka's JSON field
// names camelCased (LeaderAndIsrRequest.json, UpdateMetadataRequest.json, StopReplicaRequest.json).
// Shapes: LeaderAndIsr v2+, UpdateMetadata v5+, StopReplica v1+ (grouped by topic, carrying the
// KIP-380 broker epoch of the recipient). The version sent follows inter.broker.protocol.version
// (broker/config/inter-broker-protocol.ts, legacy-control-requests.ts); the constants below are
// the default of a connection factory built without one (unit tests).
//
// These are the controller's view; the channel's transport hands them to the protocol module's
// ApiDefinitions, whose types may carry more (defaulted) fields of later versions.

export const LEADER_AND_ISR_VERSION = 2;
export const UPDATE_METADATA_VERSION = 5;
export const STOP_REPLICA_VERSION = 1;

export interface LeaderAndIsrPartitionStateData {
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The partition state znode's zkVersion (Kafka 2.4 named the field ZkVersion). */
  partitionEpoch: number;
  replicas: number[];
  isNew: boolean;
}

export interface LeaderAndIsrRequestData {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  topicStates: { topicName: string; partitionStates: LeaderAndIsrPartitionStateData[] }[];
  liveLeaders: { brokerId: number; hostName: string; port: number }[];
}

export interface UpdateMetadataPartitionStateData {
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
  offlineReplicas: number[];
}

export interface UpdateMetadataBrokerData {
  id: number;
  endpoints: { port: number; host: string; listener: string; securityProtocol: number }[];
  rack: string | null;
}

export interface UpdateMetadataRequestData {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  topicStates: { topicName: string; partitionStates: UpdateMetadataPartitionStateData[] }[];
  liveBrokers: UpdateMetadataBrokerData[];
}

export interface StopReplicaRequestData {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  deletePartitions: boolean;
  topics: { name: string; partitionIndexes: number[] }[];
}

/** What the channel manager sends; `api` selects the ApiDefinition. */
export type ControllerRequest =
  | { api: 'LeaderAndIsr'; body: LeaderAndIsrRequestData }
  | { api: 'UpdateMetadata'; body: UpdateMetadataRequestData }
  | { api: 'StopReplica'; body: StopReplicaRequestData };

/** The parts of the responses the controller reads. */
export interface ControllerResponse {
  errorCode: number;
  /** LeaderAndIsr and StopReplica: per-partition results. */
  partitionErrors?: { topicName: string; partitionIndex: number; errorCode: number }[];
}

/** Kafka's SecurityProtocol ids, as UpdateMetadata carries them. */
export const SECURITY_PROTOCOL_IDS: Record<string, number> = {
  PLAINTEXT: 0,
  SSL: 1,
  SASL_PLAINTEXT: 2,
  SASL_SSL: 3,
};

export function describeRequest(req: ControllerRequest): string {
  switch (req.api) {
    case 'LeaderAndIsr':
      return `LeaderAndIsr(${req.body.topicStates.reduce((n, t) => n + t.partitionStates.length, 0)} partitions)`;
    case 'UpdateMetadata':
      return `UpdateMetadata(${req.body.topicStates.reduce((n, t) => n + t.partitionStates.length, 0)} partitions, ${req.body.liveBrokers.length} brokers)`;
    case 'StopReplica':
      return `StopReplica(delete=${req.body.deletePartitions}, ${req.body.topics.reduce((n, t) => n + t.partitionIndexes.length, 0)} partitions)`;
  }
}
