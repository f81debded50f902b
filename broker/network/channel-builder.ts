// What a listener's security protocol adds to a plain TCP connection (Kafka's ChannelBuilder):
// a TLS layer on SSL and SASL_SSL listeners, a SASL authenticator on SASL_PLAINTEXT and SASL_SSL,
// and the principal known from the transport (ANONYMOUS, or the client certificate's DN). The
// socket server applies it; broker/security/ builds it from the broker config.
import type * as tls from 'tls';
import type { Authenticator } from './request-handler';

export interface ServerTlsSettings {
  readonly secureContext: tls.SecureContext;
  /** ssl.client.auth requested or required. */
  readonly requestCert: boolean;
  /** ssl.client.auth required: the handshake fails without a trusted client certificate. */
  readonly rejectUnauthorized: boolean;
}

export interface ChannelBuilder {
  /** null on PLAINTEXT and SASL_PLAINTEXT. */
  readonly tls: ServerTlsSettings | null;
  /**
   * The principal from the transport once TLS (if any) is established; throws when the peer's
   * certificate must be refused (ssl.client.auth=requested and an untrusted certificate shown).
   */
  transportPrincipal(socket: tls.TLSSocket | null): string;
  /** A fresh authenticator for a new connection, or null when none is needed. */
  newAuthenticator(): Authenticator | null;
}

/** PLAINTEXT: no TLS, no authentication, everyone is ANONYMOUS. */
export const PLAINTEXT_CHANNEL: ChannelBuilder = {
  tls: null,
  transportPrincipal: () => 'ANONYMOUS',
  newAuthenticator: () => null,
};
