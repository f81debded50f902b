// DescribeLogDirs (key 35), versions 0-1 (flexible from 2). topics null = every partition.
// Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int64, string, struct } from '../schema';

const DescribableLogDirTopic = struct({
  topic: string(),
  partitions: array('0+', int32()),
});

export const DescribeLogDirsRequestSchema = struct({
  topics: array('0+', DescribableLogDirTopic, { nullable: '0+' }),
});

const DescribeLogDirsPartition = struct({
  partitionIndex: int32(),
  partitionSize: int64(),
  offsetLag: int64(),
  isFutureKey: bool(),
});

const DescribeLogDirsTopic = struct({
  name: string(),
  partitions: array('0+', DescribeLogDirsPartition),
});

const DescribeLogDirsResult = struct({
  errorCode: int16(),
  logDir: string(),
  topics: array('0+', DescribeLogDirsTopic),
});

export const DescribeLogDirsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', DescribeLogDirsResult),
});

export type DescribeLogDirsRequest = Infer<typeof DescribeLogDirsRequestSchema>;
export type DescribeLogDirsResponse = Infer<typeof DescribeLogDirsResponseSchema>;
export type DescribeLogDirsResponseInput = InferInput<typeof DescribeLogDirsResponseSchema>;

export const DescribeLogDirs = defineApi({
  apiKey: 35,
  name: 'DescribeLogDirs',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: DescribeLogDirsRequestSchema,
  response: DescribeLogDirsResponseSchema,
});
