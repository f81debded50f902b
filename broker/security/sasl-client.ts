// The client side of PLAIN and SCRAM for Zafka's own outbound connections (replica fetchers, the
// controller channel, tools): a sequence of tokens to send, each computed from the previous
// server challenge, as Kafka's SaslClientAuthenticator drives its SaslClient.
import * as crypto from 'crypto';
import { clientKey, hash, hmac, isScramMechanism, saltedPassword, serverKey, type ScramMechanism } from './scram-credential';
import { parseServerFinal, parseServerFirst, saslNameOf, xor } from './scram-messages';

export interface SaslCredentials {
  /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
  readonly mechanism: string;
  readonly username: string;
  readonly password: string;
}

export interface SaslClient {
  /** The first token to send. */
  initial(): Buffer;
  /** The server's challenge -> the next token, or null when the exchange is complete. */
  next(challenge: Buffer): Buffer | null;
}

export function createSaslClient(c: SaslCredentials): SaslClient {
  if (c.mechanism === 'PLAIN') {
    return { initial: () => Buffer.from(`\u0000${c.username}\u0000${c.password}`, 'utf8'), next: () => null };
  }
  if (isScramMechanism(c.mechanism)) return new ScramSaslClient(c.mechanism, c.username, c.password);
  throw new Error(`SASL mechanism ${c.mechanism} is not supported by Zafka's client (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
}

class ScramSaslClient implements SaslClient {
  private readonly nonce = crypto.randomBytes(18).toString('base64').replace(/[+/=]/g, 'x');
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | null = null;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly username: string,
    private readonly password: string,
  ) {}

  initial(): Buffer {
    this.clientFirstBare = `n=${saslNameOf(this.username)},r=${this.nonce}`;
    return Buffer.from(`n,,${this.clientFirstBare}`, 'utf8');
  }

  next(challenge: Buffer): Buffer | null {
    const text = challenge.toString('utf8');
    if (this.expectedServerSignature !== null) {
      const final = parseServerFinal(text);
      if (final.error !== null) throw new Error(`SCRAM authentication failed: ${final.error}`);
      if (!final.serverSignature.equals(this.expectedServerSignature)) throw new Error('SCRAM server signature does not match');
      return null;
    }
    const first = parseServerFirst(text);
    if (!first.nonce.startsWith(this.nonce)) throw new Error('SCRAM server nonce does not extend the client nonce');
    const salted = saltedPassword(this.mechanism, this.password, first.salt, first.iterations);
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${first.nonce}`;
    const authMessage = `${this.clientFirstBare},${text},${withoutProof}`;
    const key = clientKey(this.mechanism, salted);
    const proof = xor(key, hmac(this.mechanism, hash(this.mechanism, key), authMessage));
    this.expectedServerSignature = hmac(this.mechanism, serverKey(this.mechanism, salted), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }
}
