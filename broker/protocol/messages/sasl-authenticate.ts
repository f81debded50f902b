// SaslAuthenticate (key 36), versions 0-1 (flexible from 2): SASL tokens framed as Kafka
// requests after SaslHandshake v1 (KIP-152).
// Version notes: v1 sessionLifetimeMs (KIP-368).

import { defineApi } from '../api-definition';
import { Infer, InferInput, bytes, int16, int64, string, struct } from '../schema';

export const SaslAuthenticateRequestSchema = struct({
  authBytes: bytes(),
});

export const SaslAuthenticateResponseSchema = struct({
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  authBytes: bytes(),
  sessionLifetimeMs: int64('1+', { default: 0 }),
});

export type SaslAuthenticateRequest = Infer<typeof SaslAuthenticateRequestSchema>;
export type SaslAuthenticateResponse = Infer<typeof SaslAuthenticateResponseSchema>;
export type SaslAuthenticateResponseInput = InferInput<typeof SaslAuthenticateResponseSchema>;

export const SaslAuthenticate = defineApi({
  apiKey: 36,
  name: 'SaslAuthenticate',
  maxVersion: 1,
  flexibleVersionsFrom: 2,
  request: SaslAuthenticateRequestSchema,
  response: SaslAuthenticateResponseSchema,
});
