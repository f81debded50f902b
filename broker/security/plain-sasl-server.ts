// SASL/PLAIN (RFC 4616) as Kafka's PlainSaslServer and PlainServerCallbackHandler do it: one
// token "authzid NUL username NUL password", checked against the user_<name>="<password>" options
// of the listener's PlainLoginModule JAAS entry.
import * as crypto from 'crypto';
import { SaslAuthenticationError, type SaslServer } from './sasl-server';

export class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  complete = false;
  authorizationId = '';

  constructor(private readonly passwordOf: (user: string) => string | undefined) {}

  evaluate(token: Buffer): Buffer {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) {
      throw new SaslAuthenticationError('Invalid SASL/PLAIN response: expected 3 tokens, got ' + parts.length);
    }
    const [authzid, username, password] = parts;
    if (username === '') throw new SaslAuthenticationError('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationError('Authentication failed: password not specified');
    const expected = this.passwordOf(username);
    if (expected === undefined || !sameText(expected, password)) {
      throw new SaslAuthenticationError('Authentication failed: Invalid username or password');
    }
    if (authzid !== '' && authzid !== username) {
      throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
    }
    this.authorizationId = username;
    this.complete = true;
    return Buffer.alloc(0);
  }
}

/** Constant-time comparison, so response timing does not reveal how much of a password matched. */
function sameText(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
