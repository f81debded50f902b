// The answer to a request for an API (or version) that Zafka can parse but does not serve.
//
// Kafka 2.4 closes the connection for an unknown API key (RequestHeader.parse throws) and for a
// known key at a version it cannot parse (RequestContext.parseRequest throws); only ApiVersions
// gets an UNSUPPORTED_VERSION answer. Kafka 2.4 serves every API key up to 47, so a client that
// skips ApiVersions never meets that close there. Zafka does not serve all of them (transactions
// among others), and a silently closed connection that the client then reuses shows up as
// "EOF" followed by "broken pipe". So where Zafka knows the API's schema at that version it
// answers, in the API's own response shape, with UNSUPPORTED_VERSION in every error field and
// keeps the connection open; only bytes it cannot parse at all still close the connection.
import type { AnyApiDefinition } from '../protocol/api-definition';
import { ErrorCode } from '../protocol/errors';
import type { FieldDef } from '../protocol/schema';
import { Kind } from '../protocol/schema';

/** Whether `version` of `api` can be decoded and encoded by Zafka's codec. */
export function canAnswer(api: AnyApiDefinition | undefined, version: number): api is AnyApiDefinition {
  return api !== undefined && Number.isInteger(version) && version >= 0 && version <= api.maxVersion;
}

/**
 * The response body: every top-level int16 error field set to `errorCode`, everything else left
 * to the schema's defaults (empty arrays, -1 where Kafka declares it). Top-level error fields are
 * what clients check first (InitProducerId, EndTxn, ...); per-item arrays stay empty, which
 * clients read as "nothing was done".
 */
export function unsupportedResponseBody(api: AnyApiDefinition, errorCode: number = ErrorCode.UNSUPPORTED_VERSION): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const { names, defs } = api.response;
  names.forEach((name, i) => {
    if (isErrorCodeField(name, defs[i])) body[name] = errorCode;
  });
  return body;
}

function isErrorCodeField(name: string, def: FieldDef): boolean {
  return def.kind === Kind.Int16 && name === 'errorCode';
}
