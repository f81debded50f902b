// The SASL stage of a connection (Kafka's SaslServerAuthenticator) driven frame by frame:
// ApiVersions is passed on, v1 handshake + SaslAuthenticate completes with the user as principal,
// and a bad password, an unknown mechanism, an early request or a malformed body all close.
import type { ConnectionInfo, RequestChannel, RequestHandler } from '../../../broker/network/request-handler';
import { decodeResponse, encodeRequest } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { SaslAuthenticate } from '../../../broker/protocol/messages/sasl-authenticate';
import { SaslHandshake } from '../../../broker/protocol/messages/sasl-handshake';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { PlainSaslServer } from '../../../broker/security/plain-sasl-server';
import { SaslServerAuthenticator } from '../../../broker/security/sasl-server-authenticator';

const info: ConnectionInfo = { id: 'c', listenerName: 'SASL_PLAINTEXT', remoteAddress: '127.0.0.1', remotePort: 1, localAddress: '127.0.0.1', localPort: 2 };
const channel: RequestChannel = { throttle: () => undefined, principal: 'ANONYMOUS' };
const apiVersionsAnswer = [Buffer.from('api-versions-answer')];
const requests: RequestHandler = { handle: async () => apiVersionsAnswer };
const frameOf = (chunks: Buffer[]) => Buffer.concat(chunks).subarray(4);
const newAuthenticator = () =>
  new SaslServerAuthenticator({ enabledMechanisms: ['PLAIN'], create: () => new PlainSaslServer((u) => (u === 'alice' ? 'pw' : undefined)) }, requests);

describe('SaslServerAuthenticator', () => {
  test('ApiVersions, SaslHandshake v1, SaslAuthenticate: complete, principal alice', async () => {
    const a = newAuthenticator();
    expect((await a.authenticate(frameOf(encodeRequest(ApiVersions, 2, 1, 'c', {})), info, channel)).response).toBe(apiVersionsAnswer);
    const hs = await a.authenticate(frameOf(encodeRequest(SaslHandshake, 1, 2, 'c', { mechanism: 'PLAIN' })), info, channel);
    expect(decodeResponse(SaslHandshake, 1, frameOf(hs.response!)).body).toEqual({ errorCode: 0, mechanisms: ['PLAIN'] });
    const auth = await a.authenticate(frameOf(encodeRequest(SaslAuthenticate, 1, 3, 'c', { authBytes: Buffer.from('\u0000alice\u0000pw') })), info, channel);
    expect(auth.close).toBe(false);
    expect(decodeResponse(SaslAuthenticate, 1, frameOf(auth.response!)).body.errorCode).toBe(ErrorCode.NONE);
    expect(a.complete).toBe(true);
    expect(a.principal).toBe('alice');
  });

  test('a wrong password: SASL_AUTHENTICATION_FAILED with the reason, then close', async () => {
    const a = newAuthenticator();
    await a.authenticate(frameOf(encodeRequest(SaslHandshake, 1, 1, 'c', { mechanism: 'PLAIN' })), info, channel);
    const auth = await a.authenticate(frameOf(encodeRequest(SaslAuthenticate, 0, 2, 'c', { authBytes: Buffer.from('\u0000alice\u0000no') })), info, channel);
    expect(auth.close).toBe(true);
    const body = decodeResponse(SaslAuthenticate, 0, frameOf(auth.response!)).body;
    expect(body.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(body.errorMessage).toBe('Authentication failed: Invalid username or password');
    expect(a.complete).toBe(false);
  });

  test('an unknown mechanism, an early request and a malformed handshake body all close', async () => {
    const hs = await newAuthenticator().authenticate(frameOf(encodeRequest(SaslHandshake, 1, 1, 'c', { mechanism: 'GSSAPI' })), info, channel);
    expect(hs.close).toBe(true);
    expect(decodeResponse(SaslHandshake, 1, frameOf(hs.response!)).body.errorCode).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    const early = await newAuthenticator().authenticate(frameOf(encodeRequest(Metadata, 1, 1, 'c', { topics: [] })), info, channel);
    expect(early).toMatchObject({ close: true, response: null, reason: 'Unexpected Kafka request of type Metadata during SASL handshake' });
    const header = frameOf(encodeRequest(SaslHandshake, 1, 1, 'c', { mechanism: 'PLAIN' }));
    const truncated = header.subarray(0, header.length - 3);
    expect((await newAuthenticator().authenticate(truncated, info, channel)).close).toBe(true);
  });
});
