// AlterReplicaLogDirs (key 34), versions 0-1 (flexible from 2): moves replicas between the log
// directories of one broker (KIP-113). Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

const AlterReplicaLogDirTopic = struct({
  name: string(),
  partitions: array('0+', int32()),
});

const AlterReplicaLogDir = struct({
  path: string(),
  topics: array('0+', AlterReplicaLogDirTopic),
});

export const AlterReplicaLogDirsRequestSchema = struct({
  dirs: array('0+', AlterReplicaLogDir),
});

const AlterReplicaLogDirPartitionResult = struct({
  partitionIndex: int32(),
  errorCode: int16(),
});

const AlterReplicaLogDirTopicResult = struct({
  topicName: string(),
  partitions: array('0+', AlterReplicaLogDirPartitionResult),
});

export const AlterReplicaLogDirsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', AlterReplicaLogDirTopicResult),
});

export type AlterReplicaLogDirsRequest = Infer<typeof AlterReplicaLogDirsRequestSchema>;
export type AlterReplicaLogDirsResponse = Infer<typeof AlterReplicaLogDirsResponseSchema>;
export type AlterReplicaLogDirsResponseInput = InferInput<typeof AlterReplicaLogDirsResponseSchema>;

export const AlterReplicaLogDirs = defineApi({
  apiKey: 34,
  name: 'AlterReplicaLogDirs',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: AlterReplicaLogDirsRequestSchema,
  response: AlterReplicaLogDirsResponseSchema,
});
