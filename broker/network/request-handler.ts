// The seam between the socket server (bytes, framing, ordering) and the request dispatcher in
// broker/handlers/ (headers, APIs). The server knows nothing about Kafka APIs.

/** The connection a request arrived on. */
export interface ConnectionInfo {
  /** Kafka's connection id: "localHost:localPort-remoteHost:remotePort-index". */
  readonly id: string;
  readonly listenerName: string;
  /** IPv4-mapped IPv6 addresses are shown as plain IPv4 (127.0.0.1, not ::ffff:127.0.0.1). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
}

/** What a handler may ask of the connection its request came on. */
export interface RequestChannel {
  /**
   * Keeps the connection muted (no further request read) for `throttleTimeMs` from now, or until
   * this request's response has gone out if that is later: Kafka's channel throttling for quota
   * violations (KIP-219, ThrottledChannel). The response itself is not delayed.
   */
  throttle(throttleTimeMs: number): void;
  /**
   * The name of the connection's authenticated principal (KafkaPrincipal.getName): ANONYMOUS on
   * PLAINTEXT, the certificate's DN on SSL with a client certificate, the SASL user on SASL.
   * Quotas use it today; an authorizer can use it later.
   */
  readonly principal: string;
}

/** What one frame received before authentication completed leads to. */
export interface AuthenticationStep {
  /** Frame(s) to send, size prefix included; null: nothing. */
  readonly response: Buffer[] | null;
  /** Close (gracefully, after the response is out): a failed authentication or an illegal request. */
  readonly close: boolean;
  /** Why the connection closes; logged once by the connection. */
  readonly reason?: string;
}

/**
 * A connection's authentication stage (Kafka's Authenticator): while incomplete, every frame goes
 * here instead of the RequestHandler. SASL needs it because a v0 SaslHandshake is followed by raw
 * SASL tokens that are not Kafka requests at all (Kafka's SaslServerAuthenticator).
 */
export interface Authenticator {
  readonly complete: boolean;
  /** The authenticated principal's name, once complete. */
  readonly principal: string;
  authenticate(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<AuthenticationStep>;
}

export interface RequestHandler {
  /**
   * Handles one request frame (size prefix removed; it may be a subarray of a socket chunk, so
   * copy what must outlive the request). Resolves with the response chunks, size prefix
   * included, or null when no response is due (Produce with acks=0). May complete out of order:
   * the server still writes responses in request order. Throw CloseConnection to drop the
   * connection (unparsable header, unknown API); any other error also closes it, logged as a bug.
   */
  handle(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<Buffer[] | null>;
}

/**
 * Thrown by a RequestHandler when the connection is no longer usable (Kafka closes the socket
 * for a request it cannot parse). The server logs the message once and closes.
 */
export class CloseConnection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloseConnection';
  }
}
