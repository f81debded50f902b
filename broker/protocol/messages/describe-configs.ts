// DescribeConfigs (key 32), versions 0-2 (flexible from 4).
// Version notes: v0 has isDefault; v1 replaces it with configSource and adds synonyms
// (KIP-226, includeSynonyms); v2 only changes semantics. resourceType: 2 = topic, 4 = broker.
// configurationKeys null means all keys.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int8, string, struct } from '../schema';

const DescribeConfigsResource = struct({
  resourceType: int8(),
  resourceName: string(),
  configurationKeys: array('0+', string(), { nullable: '0+' }),
});

export const DescribeConfigsRequestSchema = struct({
  resources: array('0+', DescribeConfigsResource),
  includeSynonyms: bool('1+', { default: false }),
});

const DescribeConfigsSynonym = struct({
  name: string('1+'),
  value: string('1+', { nullable: '0+' }),
  source: int8('1+'),
});

const DescribeConfigsResourceResult = struct({
  name: string(),
  value: string('0+', { nullable: '0+' }),
  readOnly: bool(),
  isDefault: bool('0'),
  configSource: int8('1+', { default: -1 }),
  isSensitive: bool(),
  synonyms: array('1+', DescribeConfigsSynonym),
});

const DescribeConfigsResult = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  resourceType: int8(),
  resourceName: string(),
  configs: array('0+', DescribeConfigsResourceResult),
});

export const DescribeConfigsResponseSchema = struct({
  throttleTimeMs: int32(),
  results: array('0+', DescribeConfigsResult),
});

export type DescribeConfigsRequest = Infer<typeof DescribeConfigsRequestSchema>;
export type DescribeConfigsResponse = Infer<typeof DescribeConfigsResponseSchema>;
export type DescribeConfigsResponseInput = InferInput<typeof DescribeConfigsResponseSchema>;
export type DescribeConfigsResult = InferInput<typeof DescribeConfigsResult>;
export type DescribeConfigsResourceResult = InferInput<typeof DescribeConfigsResourceResult>;

export const DescribeConfigs = defineApi({
  apiKey: 32,
  name: 'DescribeConfigs',
  maxVersion: 2,
  flexibleVersionsFrom: 4,
  request: DescribeConfigsRequestSchema,
  response: DescribeConfigsResponseSchema,
});
