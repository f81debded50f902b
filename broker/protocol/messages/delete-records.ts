// DeleteRecords (key 21), versions 0-1 (flexible from 2): advances the log start offset.
// Version notes: v1 only changes semantics. offset -1 means the high watermark.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

const DeleteRecordsPartition = struct({
  partitionIndex: int32(),
  offset: int64(),
});

const DeleteRecordsTopic = struct({
  name: string(),
  partitions: array('0+', DeleteRecordsPartition),
});

export const DeleteRecordsRequestSchema = struct({
  topics: array('0+', DeleteRecordsTopic),
  timeoutMs: int32(),
});

const DeleteRecordsPartitionResult = struct({
  partitionIndex: int32(),
  lowWatermark: int64(),
  errorCode: int16(),
});

const DeleteRecordsTopicResult = struct({
  name: string(),
  partitions: array('0+', DeleteRecordsPartitionResult),
});

export const DeleteRecordsResponseSchema = struct({
  throttleTimeMs: int32(),
  topics: array('0+', DeleteRecordsTopicResult),
});

export type DeleteRecordsRequest = Infer<typeof DeleteRecordsRequestSchema>;
export type DeleteRecordsResponse = Infer<typeof DeleteRecordsResponseSchema>;
export type DeleteRecordsResponseInput = InferInput<typeof DeleteRecordsResponseSchema>;

export const DeleteRecords = defineApi({
  apiKey: 21,
  name: 'DeleteRecords',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: DeleteRecordsRequestSchema,
  response: DeleteRecordsResponseSchema,
});
