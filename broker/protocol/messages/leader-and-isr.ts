// LeaderAndIsr (key 4), versions 0-4 (flexible from 4): controller -> broker, telling each
// broker which partitions it leads or follows.
// Version notes: v0-v1 carry a flat list of partition states, each naming its topic
// (ungroupedPartitionStates); v1 adds isNew; v2 (KIP-380) adds brokerEpoch and groups partition
// states by topic (topicStates); v3 (KIP-455) addingReplicas/removingReplicas of a reassignment;
// v4 is v3 made flexible (KIP-482). A Kafka 2.4 controller sends v4 with
// inter.broker.protocol.version 2.4, v3 with 2.4-IV0, v2 with 2.2-2.3, v1 with 1.0-2.1.
// partitionEpoch is the partition state znode's zkVersion.
// Response: v0-v4 flat partitionErrors with topicName.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int64, string, struct } from '../schema';

const LeaderAndIsrPartitionState = struct({
  topicName: string('0-1'),
  partitionIndex: int32(),
  controllerEpoch: int32(),
  leader: int32(),
  leaderEpoch: int32(),
  isr: array('0+', int32()),
  partitionEpoch: int32(),
  replicas: array('0+', int32()),
  addingReplicas: array('3+', int32()),
  removingReplicas: array('3+', int32()),
  isNew: bool('1+', { default: false }),
});

const LeaderAndIsrTopicState = struct({
  topicName: string('2+'),
  partitionStates: array('2+', LeaderAndIsrPartitionState),
});

const LeaderAndIsrLiveLeader = struct({
  brokerId: int32(),
  hostName: string(),
  port: int32(),
});

export const LeaderAndIsrRequestSchema = struct({
  controllerId: int32(),
  controllerEpoch: int32(),
  brokerEpoch: int64('2+', { default: -1 }),
  ungroupedPartitionStates: array('0-1', LeaderAndIsrPartitionState),
  topicStates: array('2+', LeaderAndIsrTopicState),
  liveLeaders: array('0+', LeaderAndIsrLiveLeader),
});

const LeaderAndIsrPartitionError = struct({
  topicName: string('0-4'),
  partitionIndex: int32(),
  errorCode: int16(),
});

export const LeaderAndIsrResponseSchema = struct({
  errorCode: int16(),
  partitionErrors: array('0-4', LeaderAndIsrPartitionError),
});

export type LeaderAndIsrRequest = Infer<typeof LeaderAndIsrRequestSchema>;
export type LeaderAndIsrRequestInput = InferInput<typeof LeaderAndIsrRequestSchema>;
export type LeaderAndIsrPartitionState = Infer<typeof LeaderAndIsrPartitionState>;
export type LeaderAndIsrTopicState = Infer<typeof LeaderAndIsrTopicState>;
export type LeaderAndIsrLiveLeader = Infer<typeof LeaderAndIsrLiveLeader>;
export type LeaderAndIsrResponse = Infer<typeof LeaderAndIsrResponseSchema>;
export type LeaderAndIsrPartitionError = Infer<typeof LeaderAndIsrPartitionError>;

export const LeaderAndIsr = defineApi({
  apiKey: 4,
  name: 'LeaderAndIsr',
  maxVersion: 4,
  flexibleVersionsFrom: 4,
  request: LeaderAndIsrRequestSchema,
  response: LeaderAndIsrResponseSchema,
});
