// ApiVersions (key 18), versions 0-3; v3 is flexible (KIP-511) and carries the client's software
// name and version. Pitfall: the response header is always v0 (no tagged fields), even for v3,
// because a client cannot know the header version before it knows the broker's versions.
// The v3 response's tagged feature fields (KIP-584) are declared so they can be decoded; Zafka
// leaves them at their defaults, which are not written.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int64, string, struct } from '../schema';

export const ApiVersionsRequestSchema = struct({
  clientSoftwareName: string('3+'),
  clientSoftwareVersion: string('3+'),
});

const ApiVersion = struct({
  apiKey: int16(),
  minVersion: int16(),
  maxVersion: int16(),
});

const SupportedFeatureKey = struct({
  name: string('3+'),
  minVersion: int16('3+'),
  maxVersion: int16('3+'),
});

const FinalizedFeatureKey = struct({
  name: string('3+'),
  maxVersionLevel: int16('3+'),
  minVersionLevel: int16('3+'),
});

export const ApiVersionsResponseSchema = struct({
  errorCode: int16(),
  apiKeys: array('0+', ApiVersion),
  throttleTimeMs: int32('1+'),
  supportedFeatures: array('3+', SupportedFeatureKey, { tag: 0 }),
  finalizedFeaturesEpoch: int64('3+', { tag: 1, default: -1 }),
  finalizedFeatures: array('3+', FinalizedFeatureKey, { tag: 2 }),
  zkMigrationReady: bool('3+', { tag: 3, default: false }),
});

export type ApiVersionsRequest = Infer<typeof ApiVersionsRequestSchema>;
export type ApiVersionsResponse = Infer<typeof ApiVersionsResponseSchema>;
export type ApiVersionsResponseInput = InferInput<typeof ApiVersionsResponseSchema>;
export type ApiVersionsResponseKey = Infer<typeof ApiVersion>;

export const ApiVersions = defineApi({
  apiKey: 18,
  name: 'ApiVersions',
  maxVersion: 3,
  flexibleVersionsFrom: 3,
  request: ApiVersionsRequestSchema,
  response: ApiVersionsResponseSchema,
});
