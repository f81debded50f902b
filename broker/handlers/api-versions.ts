// ApiVersions: answered from the registered handlers' API definitions (the dispatcher passes them in the
// request context), so advertised ranges cannot drift from what is implemented. v3 (KIP-511)
// comes from librdkafka with a flexible body; its response header never carries tagged fields.
import { ErrorCode } from '../protocol/errors';
import { ApiVersions } from '../protocol/messages/api-versions';
import { defineHandler, type ApiHandler } from './api-handler';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export function versionRangesOf(handlers: readonly ApiHandler[]): ApiVersionRange[] {
  return handlers
    .map((h) => ({ apiKey: h.api.apiKey, minVersion: 0, maxVersion: h.api.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey);
}

export const apiVersionsHandler = defineHandler({
  api: ApiVersions,
  handle: (_request, _version, ctx) => ({ errorCode: ErrorCode.NONE, apiKeys: [...ctx.supportedVersions], throttleTimeMs: 0 }),
});
