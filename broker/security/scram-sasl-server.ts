// SASL/SCRAM-SHA-256 and -512 (RFC 5802, RFC 7677) as Kafka's ScramSaslServer does it: client-first
// -> server-first (our nonce appended, the user's salt and iterations), client-final (proof) ->
// server-final (server signature). Credentials come from ZooKeeper's /config/users/<user> via the
// credential cache. An unknown user and a wrong password fail alike, so neither is revealed.
import * as crypto from 'crypto';
import { hash, hmac, type ScramCredential, type ScramMechanism } from './scram-credential';
import { formatServerFirst, parseClientFinal, parseClientFirst, usernameOf, xor, type ClientFirstMessage } from './scram-messages';
import { SaslAuthenticationError, SaslException, type SaslServer } from './sasl-server';

const INVALID_CREDENTIALS = 'Authentication failed: Invalid user credentials';

type State = 'RECEIVE_CLIENT_FIRST_MESSAGE' | 'RECEIVE_CLIENT_FINAL_MESSAGE' | 'COMPLETE' | 'FAILED';

export class ScramSaslServer implements SaslServer {
  private state: State = 'RECEIVE_CLIENT_FIRST_MESSAGE';
  private clientFirst: ClientFirstMessage | null = null;
  private serverFirst = '';
  private serverNonce = '';
  private credential: ScramCredential | null = null;
  authorizationId = '';

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly credentialOf: (user: string, mechanism: ScramMechanism) => ScramCredential | undefined,
    /** The server's nonce part (tests give RFC 7677's); printable, no ','. */
    private readonly newNonce: () => string = () => crypto.randomBytes(18).toString('base64').replace(/[+/=]/g, 'x'),
  ) {}

  get complete(): boolean {
    return this.state === 'COMPLETE';
  }

  evaluate(token: Buffer): Buffer {
    try {
      switch (this.state) {
        case 'RECEIVE_CLIENT_FIRST_MESSAGE':
          return this.onClientFirst(token.toString('utf8'));
        case 'RECEIVE_CLIENT_FINAL_MESSAGE':
          return this.onClientFinal(token.toString('utf8'));
        default:
          throw new SaslException(`Unexpected challenge in Sasl server state ${this.state}`);
      }
    } catch (err) {
      this.state = 'FAILED';
      throw err;
    }
  }

  private onClientFirst(text: string): Buffer {
    const first = parseClientFirst(text);
    const user = usernameOf(first.saslName);
    if (first.authorizationId !== '' && first.authorizationId !== user) {
      throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
    }
    const credential = this.credentialOf(user, this.mechanism);
    if (credential === undefined) throw new SaslException(INVALID_CREDENTIALS);
    this.clientFirst = first;
    this.credential = credential;
    this.authorizationId = user;
    this.serverNonce = this.newNonce();
    this.serverFirst = formatServerFirst({ nonce: first.nonce + this.serverNonce, salt: credential.salt, iterations: credential.iterations });
    this.state = 'RECEIVE_CLIENT_FINAL_MESSAGE';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private onClientFinal(text: string): Buffer {
    const first = this.clientFirst as ClientFirstMessage;
    const credential = this.credential as ScramCredential;
    const final = parseClientFinal(text);
    // Kafka checks only that the final nonce ends with the server-first nonce (endsWith), and
    // librdkafka relies on it: it sends its own nonce again in front of the combined one.
    if (!final.nonce.endsWith(first.nonce + this.serverNonce)) throw new SaslException('Invalid client nonce in the final client message');
    if (!final.channelBinding.equals(Buffer.from(first.gs2Header, 'utf8'))) {
      throw new SaslException('Invalid channel binding in the final client message');
    }
    const authMessage = `${first.bare},${this.serverFirst},${final.withoutProof}`;
    const clientSignature = hmac(this.mechanism, credential.storedKey, authMessage);
    if (final.proof.length !== clientSignature.length) throw new SaslException('Invalid client credentials');
    const computedStoredKey = hash(this.mechanism, xor(final.proof, clientSignature));
    if (!crypto.timingSafeEqual(computedStoredKey, credential.storedKey)) throw new SaslException('Invalid client credentials');
    const serverSignature = hmac(this.mechanism, credential.serverKey, authMessage);
    this.state = 'COMPLETE';
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }
}
