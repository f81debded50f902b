// UpdateMetadata (key 6), versions 0-6 (flexible from 6): controller -> every broker, feeding
// its metadata cache.
// Version notes: v0 brokers have one plaintext host/port (v0Host/v0Port); v1 a list of endpoints
// with security protocol; v2 rack; v3 listener name; v4 offlineReplicas; v5 (KIP-380)
// brokerEpoch and partition states grouped by topic (topicStates) instead of the flat
// ungroupedPartitionStates of v0-v4; v6 is v5 made flexible (KIP-482), what a Kafka 2.4
// controller sends with inter.broker.protocol.version 2.4. zkVersion is the partition state znode's version.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const UpdateMetadataPartitionState = struct({
  topicName: string('0-4'),
  partitionIndex: int32(),
  controllerEpoch: int32(),
  leader: int32(),
  leaderEpoch: int32(),
  isr: array('0+', int32()),
  zkVersion: int32(),
  replicas: array('0+', int32()),
  offlineReplicas: array('4+', int32()),
});

const UpdateMetadataTopicState = struct({
  topicName: string('5+'),
  partitionStates: array('5+', UpdateMetadataPartitionState),
});

const UpdateMetadataEndpoint = struct({
  port: int32('1+'),
  host: string('1+'),
  listener: string('3+'),
  securityProtocol: int16('1+'),
});

const UpdateMetadataBroker = struct({
  id: int32(),
  v0Host: string('0'),
  v0Port: int32('0'),
  endpoints: array('1+', UpdateMetadataEndpoint),
  rack: string('2+', { nullable: '0+', default: null }),
});

export const UpdateMetadataRequestSchema = struct({
  controllerId: int32(),
  controllerEpoch: int32(),
  brokerEpoch: int64('5+', { default: -1 }),
  ungroupedPartitionStates: array('0-4', UpdateMetadataPartitionState),
  topicStates: array('5+', UpdateMetadataTopicState),
  liveBrokers: array('0+', UpdateMetadataBroker),
});

export const UpdateMetadataResponseSchema = struct({
  errorCode: int16(),
});

export type UpdateMetadataRequest = Infer<typeof UpdateMetadataRequestSchema>;
export type UpdateMetadataRequestInput = InferInput<typeof UpdateMetadataRequestSchema>;
export type UpdateMetadataPartitionState = Infer<typeof UpdateMetadataPartitionState>;
export type UpdateMetadataTopicState = Infer<typeof UpdateMetadataTopicState>;
export type UpdateMetadataBroker = Infer<typeof UpdateMetadataBroker>;
export type UpdateMetadataEndpoint = Infer<typeof UpdateMetadataEndpoint>;
export type UpdateMetadataResponse = Infer<typeof UpdateMetadataResponseSchema>;

export const UpdateMetadata = defineApi({
  apiKey: 6,
  name: 'UpdateMetadata',
  maxVersion: 6,
  flexibleVersionsFrom: 6,
  request: UpdateMetadataRequestSchema,
  response: UpdateMetadataResponseSchema,
});
