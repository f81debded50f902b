// IncrementalAlterConfigs (key 44), versions 0-1 (flexible from 1): changes single configs of a
// resource (KIP-339). configOperation: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT (list configs).
// resourceType: 2 = topic, 4 = broker, 8 = broker logger. Version notes: v1 is v0 made flexible.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int8, string, struct } from '../schema';

const AlterableConfig = struct({
  name: string(),
  configOperation: int8(),
  value: string('0+', { nullable: '0+' }),
});

const AlterConfigsResource = struct({
  resourceType: int8(),
  resourceName: string(),
  configs: array('0+', AlterableConfig),
});

export const IncrementalAlterConfigsRequestSchema = struct({
  resources: array('0+', AlterConfigsResource),
  validateOnly: bool(),
});

const AlterConfigsResourceResponse = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  resourceType: int8(),
  resourceName: string(),
});

export const IncrementalAlterConfigsResponseSchema = struct({
  throttleTimeMs: int32(),
  responses: array('0+', AlterConfigsResourceResponse),
});

export type IncrementalAlterConfigsRequest = Infer<typeof IncrementalAlterConfigsRequestSchema>;
export type IncrementalAlterConfigsResponse = Infer<typeof IncrementalAlterConfigsResponseSchema>;
export type IncrementalAlterConfigsResponseInput = InferInput<typeof IncrementalAlterConfigsResponseSchema>;

export const IncrementalAlterConfigs = defineApi({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  maxVersion: 1,
  flexibleVersionsFrom: 1,
  request: IncrementalAlterConfigsRequestSchema,
  response: IncrementalAlterConfigsResponseSchema,
});
