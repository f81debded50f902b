// AlterConfigs (key 33), versions 0-1 (flexible from 2). Replaces the whole set of dynamic
// configs of each resource (not incremental). resourceType: 2 = topic, 4 = broker.
// Version notes: v1 only changes semantics.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int8, string, struct } from '../schema';

const AlterableConfig = struct({
  name: string(),
  value: string('0+', { nullable: '0+' }),
});

const AlterConfigsResource = struct({
  resourceType: int8(),
  resourceName: string(),
  configs: array('0+', AlterableConfig),
});

export const AlterConfigsRequestSchema = struct({
  resources: array('0+', AlterConfigsResource),
  validateOnly: bool(),
});

const AlterConfigsResourceResponse = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  resourceType: int8(),
  resourceName: string(),
});

export const AlterConfigsResponseSchema = struct({
  throttleTimeMs: int32(),
  responses: array('0+', AlterConfigsResourceResponse),
});

export type AlterConfigsRequest = Infer<typeof AlterConfigsRequestSchema>;
export type AlterConfigsResponse = Infer<typeof AlterConfigsResponseSchema>;
export type AlterConfigsResponseInput = InferInput<typeof AlterConfigsResponseSchema>;

export const AlterConfigs = defineApi({
  apiKey: 33,
  name: 'AlterConfigs',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: AlterConfigsRequestSchema,
  response: AlterConfigsResponseSchema,
});
