// The SASL stage of a SASL_PLAINTEXT or SASL_SSL connection, as Kafka 2.4's SaslServerAuthenticator:
//  - ApiVersions may come first (answered by the dispatcher, so clients can pick versions);
//  - SaslHandshake names the mechanism: one not enabled on the listener is answered
//    UNSUPPORTED_SASL_MECHANISM with the enabled list, then the connection closes;
//  - after a v1 handshake the tokens come in SaslAuthenticate requests (KIP-152): a bad token is
//    answered SASL_AUTHENTICATION_FAILED with Kafka's message, then the connection closes;
//  - after a v0 handshake the tokens come raw, each framed by a 4-byte length, and so do the
//    answers; a failure can only be told by closing the connection;
//  - any other request before authentication completes is illegal (Kafka's
//    IllegalSaslStateException): the connection closes.
// Once complete, SaslHandshake and SaslAuthenticate go to their handlers (ILLEGAL_SASL_STATE):
// re-authentication (KIP-368) is not offered, and sessionLifetimeMs is 0.
import type { AuthenticationStep, Authenticator, ConnectionInfo, RequestChannel, RequestHandler } from '../network/request-handler';
import { decodeRequestBody, encodeResponse } from '../protocol/codec';
import { ErrorCode } from '../protocol/errors';
import { decodeRequestHeader, type RequestHeader } from '../protocol/header';
import { ApiVersions } from '../protocol/messages/api-versions';
import { apiByKey } from '../protocol/messages/index';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate';
import { SaslHandshake } from '../protocol/messages/sasl-handshake';
import { SaslAuthenticationError, type SaslServer } from './sasl-server';

type State = 'HANDSHAKE_OR_VERSIONS_REQUEST' | 'AUTHENTICATE' | 'RAW_TOKEN' | 'COMPLETE' | 'FAILED';

export interface SaslServerFactory {
  /** The listener's sasl.enabled.mechanisms, in configured order. */
  readonly enabledMechanisms: readonly string[];
  create(mechanism: string): SaslServer;
}

const close = (reason: string, response: Buffer[] | null = null): AuthenticationStep => ({ response, close: true, reason });

export class SaslServerAuthenticator implements Authenticator {
  private state: State = 'HANDSHAKE_OR_VERSIONS_REQUEST';
  private server: SaslServer | null = null;

  constructor(
    private readonly factory: SaslServerFactory,
    /** Answers ApiVersions before authentication (the broker's dispatcher). */
    private readonly requests: RequestHandler,
  ) {}

  get complete(): boolean {
    return this.state === 'COMPLETE';
  }

  get principal(): string {
    return this.server?.complete ? this.server.authorizationId : 'ANONYMOUS';
  }

  async authenticate(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<AuthenticationStep> {
    try {
      return await this.step(frame, connection, channel);
    } catch (err) {
      // A SaslHandshake / SaslAuthenticate body that cannot be parsed: closed, as Kafka does.
      this.state = 'FAILED';
      return close(`invalid SASL request: ${(err as Error).message}`);
    }
  }

  private async step(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<AuthenticationStep> {
    if (this.state === 'RAW_TOKEN') return this.rawToken(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(frame);
    } catch {
      // Kafka would take this for a GSSAPI token from a 0.9 client; Zafka has no GSSAPI.
      return close('an unexpected SASL token or unparsable request before SaslHandshake');
    }
    if (header.apiKey === ApiVersions.apiKey && this.state === 'HANDSHAKE_OR_VERSIONS_REQUEST') {
      return { response: await this.requests.handle(frame, connection, channel), close: false };
    }
    if (header.apiKey === SaslHandshake.apiKey && this.state === 'HANDSHAKE_OR_VERSIONS_REQUEST' && header.apiVersion <= SaslHandshake.maxVersion) {
      return this.handshake(frame, header);
    }
    if (header.apiKey === SaslAuthenticate.apiKey && this.state === 'AUTHENTICATE' && header.apiVersion <= SaslAuthenticate.maxVersion) {
      return this.authenticateRequest(frame, header);
    }
    this.state = 'FAILED';
    const name = apiByKey(header.apiKey)?.name ?? `api key ${header.apiKey}`;
    return close(`Unexpected Kafka request of type ${name} during SASL handshake`);
  }

  private handshake(frame: Buffer, header: RequestHeader): AuthenticationStep {
    const { mechanism } = decodeRequestBody(SaslHandshake, header.apiVersion, frame, header.bodyOffset);
    const mechanisms = [...this.factory.enabledMechanisms];
    if (!mechanisms.includes(mechanism)) {
      this.state = 'FAILED';
      const response = encodeResponse(SaslHandshake, header.apiVersion, header.correlationId, { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms });
      return close(`Unsupported SASL mechanism ${mechanism}`, response);
    }
    this.server = this.factory.create(mechanism);
    this.state = header.apiVersion === 0 ? 'RAW_TOKEN' : 'AUTHENTICATE';
    return { response: encodeResponse(SaslHandshake, header.apiVersion, header.correlationId, { errorCode: ErrorCode.NONE, mechanisms }), close: false };
  }

  private authenticateRequest(frame: Buffer, header: RequestHeader): AuthenticationStep {
    const { authBytes } = decodeRequestBody(SaslAuthenticate, header.apiVersion, frame, header.bodyOffset);
    const server = this.server as SaslServer;
    try {
      const challenge = server.evaluate(Buffer.from(authBytes ?? Buffer.alloc(0)));
      if (server.complete) this.state = 'COMPLETE';
      return {
        response: encodeResponse(SaslAuthenticate, header.apiVersion, header.correlationId, { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: challenge, sessionLifetimeMs: 0 }),
        close: false,
      };
    } catch (err) {
      this.state = 'FAILED';
      const message = err instanceof SaslAuthenticationError ? err.message : `Authentication failed during authentication due to invalid credentials with SASL mechanism ${server.mechanism}`;
      const response = encodeResponse(SaslAuthenticate, header.apiVersion, header.correlationId, {
        errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
        errorMessage: message,
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0,
      });
      return close(`${(err as Error).message}, mechanism ${server.mechanism}`, response);
    }
  }

  /** After a v0 handshake: the frame is a bare SASL token; the answer is one too. */
  private rawToken(frame: Buffer): AuthenticationStep {
    const server = this.server as SaslServer;
    try {
      const challenge = server.evaluate(Buffer.from(frame));
      if (server.complete) this.state = 'COMPLETE';
      const size = Buffer.alloc(4);
      size.writeInt32BE(challenge.length, 0);
      return { response: [size, challenge], close: false };
    } catch (err) {
      this.state = 'FAILED';
      return close(`${(err as Error).message}, mechanism ${server.mechanism} (SaslHandshake v0)`);
    }
  }
}
