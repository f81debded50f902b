// CreateTopics (key 19), versions 0-3 (flexible from 5). Must be sent to the controller.
// Version notes: v1 validateOnly and errorMessage, v2 throttleTimeMs; v3 only changes semantics.
// numPartitions/replicationFactor are -1 when assignments are given (or to use broker defaults).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, string, struct } from '../schema';

const CreatableReplicaAssignment = struct({
  partitionIndex: int32(),
  brokerIds: array('0+', int32()),
});

const CreateableTopicConfig = struct({
  name: string(),
  value: string('0+', { nullable: '0+' }),
});

const CreatableTopic = struct({
  name: string(),
  numPartitions: int32(),
  replicationFactor: int16(),
  assignments: array('0+', CreatableReplicaAssignment),
  configs: array('0+', CreateableTopicConfig),
});

export const CreateTopicsRequestSchema = struct({
  topics: array('0+', CreatableTopic),
  timeoutMs: int32('0+', { default: 60000 }),
  validateOnly: bool('1+', { default: false }),
});

const CreatableTopicResult = struct({
  name: string(),
  errorCode: int16(),
  errorMessage: string('1+', { nullable: '0+' }),
});

export const CreateTopicsResponseSchema = struct({
  throttleTimeMs: int32('2+'),
  topics: array('0+', CreatableTopicResult),
});

export type CreateTopicsRequest = Infer<typeof CreateTopicsRequestSchema>;
export type CreatableTopic = Infer<typeof CreatableTopic>;
export type CreateTopicsResponse = Infer<typeof CreateTopicsResponseSchema>;
export type CreateTopicsResponseInput = InferInput<typeof CreateTopicsResponseSchema>;

export const CreateTopics = defineApi({
  apiKey: 19,
  name: 'CreateTopics',
  maxVersion: 3,
  flexibleVersionsFrom: 5,
  request: CreateTopicsRequestSchema,
  response: CreateTopicsResponseSchema,
});
