// What one Kafka API is to the codec: its key, its name, the highest version Zafka encodes and
// decodes, where flexible versions (KIP-482) start, and the request/response schemas that cover
// every version from 0 to maxVersion.

import { StructSchema } from './schema';

export interface ApiDefinition<Req, Res, ReqIn = Req, ResIn = Res> {
  readonly apiKey: number;
  /** Kafka's name for the API (Produce, Fetch, ...), as in ApiKeys.java. */
  readonly name: string;
  /** Highest version the schemas below describe; lowest is always 0. */
  readonly maxVersion: number;
  /**
   * Kafka's first flexible version of this API (Infinity when none), even when above
   * maxVersion: the request header version of an unsupported version still depends on it.
   */
  readonly flexibleVersionsFrom: number;
  readonly request: StructSchema<Req, ReqIn>;
  readonly response: StructSchema<Res, ResIn>;
}

/** Any API, for tables keyed by apiKey. */
export type AnyApiDefinition = ApiDefinition<unknown, unknown, unknown, unknown>;

export function isFlexible(api: { readonly flexibleVersionsFrom: number }, version: number): boolean {
  return version >= api.flexibleVersionsFrom;
}

/** Declares an API, inferring its decoded and encodable types from the schemas. */
export function defineApi<RqD, RqE, RsD, RsE>(api: {
  apiKey: number;
  name: string;
  maxVersion: number;
  flexibleVersionsFrom: number;
  request: StructSchema<RqD, RqE>;
  response: StructSchema<RsD, RsE>;
}): ApiDefinition<RqD, RsD, RqE, RsE> {
  return api;
}
