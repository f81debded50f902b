// Whole requests and responses: header + body, with the 4-byte size prefix on encode.
// Frames passed to the decoders are the bytes AFTER the size prefix (the network layer strips
// it while framing). Encoders return chunks for writev/cork: record sets are by reference.

import { ErrorCode } from './errors';
import { ApiDefinition, isFlexible } from './api-definition';
import { readResponseHeader, writeRequestHeader, writeResponseHeader } from './header';
import { KafkaError } from './kafka-error';
import { ApiVersions } from './messages/api-versions';
import { Reader, Writer } from './primitives';
import { decodeStruct, encodeStruct } from './schema-codec';

function checkVersion(api: { name: string; maxVersion: number }, version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > api.maxVersion) {
    throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `${api.name} v${version} is not supported`);
  }
}

/** Writes a size placeholder, runs `body`, then patches the size: the frame's length. */
function framed(initial: number, body: (w: Writer) => void): Buffer[] {
  const w = new Writer(initial);
  const size = w.reserve(4);
  body(w);
  size.buf.writeInt32BE(w.length - 4, size.offset);
  return w.toChunks();
}

export function decodeRequestBody<Req>(
  api: ApiDefinition<Req, unknown, unknown, unknown>,
  version: number,
  frame: Buffer,
  bodyOffset: number,
): Req {
  checkVersion(api, version);
  const r = new Reader(frame, bodyOffset);
  return decodeStruct(api.request, r, version, isFlexible(api, version)) as Req;
}

export function encodeRequest<ReqIn>(
  api: ApiDefinition<unknown, unknown, ReqIn, unknown>,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: NoInfer<ReqIn>,
): Buffer[] {
  checkVersion(api, version);
  return framed(512, (w) => {
    writeRequestHeader(w, api.apiKey, version, correlationId, clientId);
    encodeStruct(api.request, w, version, isFlexible(api, version), body);
  });
}

export function encodeResponse<ResIn>(
  api: ApiDefinition<unknown, unknown, unknown, ResIn>,
  version: number,
  correlationId: number,
  body: NoInfer<ResIn>,
): Buffer[] {
  checkVersion(api, version);
  return framed(1024, (w) => {
    writeResponseHeader(w, api.apiKey, version, correlationId);
    encodeStruct(api.response, w, version, isFlexible(api, version), body);
  });
}

export function decodeResponse<Res>(
  api: ApiDefinition<unknown, Res, unknown, unknown>,
  version: number,
  frame: Buffer,
): { correlationId: number; body: Res } {
  checkVersion(api, version);
  const r = new Reader(frame);
  const correlationId = readResponseHeader(r, api.apiKey, version);
  const body = decodeStruct(api.response, r, version, isFlexible(api, version)) as Res;
  return { correlationId, body };
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/**
 * The answer to an ApiVersions request of a version the broker does not know: the v0 layout
 * with UNSUPPORTED_VERSION and the supported ranges, from which the client picks a version
 * and retries (KIP-511). Header v0, as for every ApiVersions response.
 */
export function encodeApiVersionsFallback(correlationId: number, apiKeys: readonly ApiVersionRange[]): Buffer[] {
  return encodeResponse(ApiVersions, 0, correlationId, {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion })),
  });
}
