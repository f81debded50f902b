// CreatePartitions (key 37), versions 0-1 (flexible from 2). Must be sent to the controller.
// Version notes: v1 only changes semantics. assignments is null to let the controller place the
// new partitions, otherwise one entry (replica broker ids) per new partition.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, string, struct } from '../schema';

const CreatePartitionsAssignment = struct({
  brokerIds: array('0+', int32()),
});

const CreatePartitionsTopic = struct({
  name: string(),
  count: int32(),
  assignments: array('0+', CreatePartitionsAssignment, { nullable: '0+' }),
});

export const CreatePartitionsRequestSchema = struct({
  topics: array('0+', CreatePartitionsTopic),
  timeoutMs: int32(),
  validateOnly: bool(),
});

const CreatePartitionsTopicResult = struct({
  name: string(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+', default: null }),
});

export const CreatePartitionsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', CreatePartitionsTopicResult),
});

export type CreatePartitionsRequest = Infer<typeof CreatePartitionsRequestSchema>;
export type CreatePartitionsResponse = Infer<typeof CreatePartitionsResponseSchema>;
export type CreatePartitionsResponseInput = InferInput<typeof CreatePartitionsResponseSchema>;

export const CreatePartitions = defineApi({
  apiKey: 37,
  name: 'CreatePartitions',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: CreatePartitionsRequestSchema,
  response: CreatePartitionsResponseSchema,
});
