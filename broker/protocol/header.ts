// Request and response headers (RequestHeader.json / ResponseHeader.json).
//
// Request header v0: apiKey int16, apiVersion int16, correlationId int32. v1 adds clientId, a
// nullable int16-length string. v2 (flexible API versions, KIP-482) adds a tagged-fields
// section, but clientId stays a NON-compact string ("flexibleVersions": "none").
// ControlledShutdown v0 is the one request still sent with header v0.
//
// Response header v0: correlationId. v1 (flexible versions) adds tagged fields, EXCEPT for
// ApiVersions, whose response header is always v0 (KIP-511: the client parses it before it knows
// which versions the broker speaks). librdkafka sends ApiVersions v3 with request header v2.

import { isFlexible } from './api-definition';
import { apiByKey } from './messages/index';
import { ProtocolDecodeError, Reader, Writer } from './primitives';

export const API_VERSIONS_KEY = 18;
export const CONTROLLED_SHUTDOWN_KEY = 7;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Where the request body starts in the frame. */
  bodyOffset: number;
}

/**
 * Header version of a request. Depends only on the API's first flexible version, so it is right
 * even for versions above what Zafka decodes (the network layer still answers those).
 * Unknown APIs are assumed to use v1.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 | 2 {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  const api = apiByKey(apiKey);
  return api !== undefined && isFlexible(api, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === API_VERSIONS_KEY) return 0;
  const api = apiByKey(apiKey);
  return api !== undefined && isFlexible(api, apiVersion) ? 1 : 0;
}

/**
 * Reads the request header of a frame (the bytes after the 4-byte size prefix). apiKey,
 * apiVersion and correlationId are always read, even for an unknown API, so the network layer
 * can answer (ApiVersions) or log before closing. Throws ProtocolDecodeError on a frame too
 * short for the header of a known API.
 */
export function decodeRequestHeader(frame: Buffer): RequestHeader {
  const r = new Reader(frame);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  let clientId: string | null = null;
  if (headerVersion >= 1) {
    if (apiByKey(apiKey) === undefined) {
      // Unknown API: its header layout is a guess, so a clientId that does not parse is no error.
      try {
        clientId = r.nullableString();
      } catch (err) {
        if (!(err instanceof ProtocolDecodeError)) throw err;
        r.pos = 8;
      }
    } else {
      clientId = r.nullableString();
    }
  }
  if (headerVersion >= 2) r.skipTaggedFields();
  return { apiKey, apiVersion, correlationId, clientId, bodyOffset: r.pos };
}

export function writeRequestHeader(
  w: Writer,
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
): void {
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  w.int16(apiKey).int16(apiVersion).int32(correlationId);
  if (headerVersion >= 1) w.nullableString(clientId);
  if (headerVersion >= 2) w.taggedFields();
}

export function writeResponseHeader(w: Writer, apiKey: number, apiVersion: number, correlationId: number): void {
  w.int32(correlationId);
  if (responseHeaderVersion(apiKey, apiVersion) >= 1) w.taggedFields();
}

/** Reads a response header; returns the correlation id and leaves r at the body. */
export function readResponseHeader(r: Reader, apiKey: number, apiVersion: number): number {
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, apiVersion) >= 1) r.skipTaggedFields();
  return correlationId;
}
