// The server side of one SASL mechanism for one connection (javax.security.sasl.SaslServer as
// Kafka uses it): tokens in, challenges out, until complete; then the authenticated user name.
// A wrong password or unknown user throws SaslAuthenticationError, whose message goes to the
// client in SaslAuthenticate's errorMessage (Kafka's SaslAuthenticationException).

export interface SaslServer {
  readonly mechanism: string;
  /** The client's next token -> the challenge to send back (maybe empty). */
  evaluate(token: Buffer): Buffer;
  readonly complete: boolean;
  /** The authenticated user name, once complete. */
  readonly authorizationId: string;
}

export class SaslAuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslAuthenticationError';
  }
}

/**
 * Kafka's plain SaslException: the client is told only "Authentication failed during
 * authentication due to invalid credentials with SASL mechanism <m>" (SCRAM's unknown user and
 * wrong proof), so the reason stays in the broker's log.
 */
export class SaslException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslException';
  }
}
