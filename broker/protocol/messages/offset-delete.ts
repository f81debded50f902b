// OffsetDelete (key 47), version 0 (KIP-496): deletes a group's committed offsets for partitions
// it no longer consumes (broker/handlers/offset-delete.ts).

import { defineApi } from '../api-definition';
import { array, int16, int32, string, struct } from '../schema';

export const OffsetDelete = defineApi({
  apiKey: 47,
  name: 'OffsetDelete',
  maxVersion: 0,
  flexibleVersionsFrom: Infinity,
  request: struct({
    groupId: string(),
    topics: array('0+', struct({ name: string(), partitions: array('0+', struct({ partitionIndex: int32() })) })),
  }),
  response: struct({
    errorCode: int16(),
    throttleTimeMs: int32(),
    topics: array('0+', struct({
      name: string(),
      partitions: array('0+', struct({ partitionIndex: int32(), errorCode: int16() })),
    })),
  }),
});
