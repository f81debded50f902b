// SaslHandshake (key 17), versions 0-1 (never flexible).
// Version notes: v0 is followed by raw SASL tokens on the socket; v1 by SaslAuthenticate
// requests (KIP-152).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, string, struct } from '../schema';

export const SaslHandshakeRequestSchema = struct({
  mechanism: string(),
});

export const SaslHandshakeResponseSchema = struct({
  errorCode: int16(),
  mechanisms: array('0+', string()),
});

export type SaslHandshakeRequest = Infer<typeof SaslHandshakeRequestSchema>;
export type SaslHandshakeResponse = Infer<typeof SaslHandshakeResponseSchema>;
export type SaslHandshakeResponseInput = InferInput<typeof SaslHandshakeResponseSchema>;

export const SaslHandshake = defineApi({
  apiKey: 17,
  name: 'SaslHandshake',
  maxVersion: 1,
  flexibleVersionsFrom: Infinity,
  request: SaslHandshakeRequestSchema,
  response: SaslHandshakeResponseSchema,
});
