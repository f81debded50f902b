// SaslAuthenticate once it reaches the API layer: no SASL exchange is under way (PLAINTEXT and SSL
// listeners, or a SASL connection already authenticated: re-authentication, KIP-368, is not
// offered). Behavior: as Kafka 2.4's KafkaApis, ILLEGAL_SASL_STATE with
// Kafka's message; the connection stays open for further requests.
// Version notes: v1 sessionLifetimeMs (KIP-368), 0 here.
import { ErrorCode } from '../protocol/errors';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate';
import { defineHandler } from './api-handler';

export const saslAuthenticateHandler = defineHandler({
  api: SaslAuthenticate,
  handle: () => ({
    errorCode: ErrorCode.ILLEGAL_SASL_STATE,
    errorMessage: 'SaslAuthenticate request received after successful authentication',
    authBytes: Buffer.alloc(0),
    sessionLifetimeMs: 0,
  }),
});
