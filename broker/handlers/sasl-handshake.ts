// SaslHandshake once it reaches the API layer: on PLAINTEXT and SSL listeners, or on a SASL
// listener after authentication (the handshake itself is served by the connection's
// SaslServerAuthenticator, broker/security/). Behavior: as Kafka 2.4's KafkaApis,
// ILLEGAL_SASL_STATE with no mechanisms, and the connection stays open for further requests.
// Version notes: v0 would be followed by raw SASL tokens, v1 by SaslAuthenticate (KIP-152);
// neither follows here.
import { ErrorCode } from '../protocol/errors';
import { SaslHandshake } from '../protocol/messages/sasl-handshake';
import { defineHandler } from './api-handler';

export const saslHandshakeHandler = defineHandler({
  api: SaslHandshake,
  handle: () => ({ errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] }),
});
