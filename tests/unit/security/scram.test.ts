// SCRAM against RFC 7677's SCRAM-SHA-256 example exchange (user "user", password "pencil"), the
// credential string Kafka stores in /config/users/<user>, and Zafka's client against its server.
import { ScramSaslServer } from '../../../broker/security/scram-sasl-server';
import { createSaslClient } from '../../../broker/security/sasl-client';
import { formatScramCredential, makeScramCredential, parseScramCredential } from '../../../broker/security/scram-credential';
import { SaslException } from '../../../broker/security/sasl-server';

const RFC_SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');

describe('SCRAM (RFC 5802 / RFC 7677)', () => {
  test("the server follows RFC 7677's example byte for byte", () => {
    const credential = makeScramCredential('SCRAM-SHA-256', 'pencil', 4096, RFC_SALT);
    const server = new ScramSaslServer('SCRAM-SHA-256', (u) => (u === 'user' ? credential : undefined), () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    const serverFirst = server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')).toString();
    expect(serverFirst).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    const serverFinal = server.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')).toString();
    expect(serverFinal).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    expect(server.complete).toBe(true);
    expect(server.authorizationId).toBe('user');
  });

  test('a wrong proof and an unknown user fail alike (SaslException, no detail for the client)', () => {
    const credential = makeScramCredential('SCRAM-SHA-256', 'pencil', 4096, RFC_SALT);
    const server = new ScramSaslServer('SCRAM-SHA-256', () => credential, () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(() => server.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='))).toThrow(SaslException);
    expect(server.complete).toBe(false);
    const unknown = new ScramSaslServer('SCRAM-SHA-256', () => undefined);
    expect(() => unknown.evaluate(Buffer.from('n,,n=nobody,r=abc'))).toThrow(SaslException);
  });

  test("Zafka's client and server agree on both mechanisms, with ',' and '=' in the user name", () => {
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const credential = makeScramCredential(mechanism, 'secret');
      const server = new ScramSaslServer(mechanism, () => credential);
      const client = createSaslClient({ mechanism, username: 'a=b,c', password: 'secret' });
      let token: Buffer | null = client.initial();
      while (token !== null) token = client.next(server.evaluate(token));
      expect(server.complete).toBe(true);
      expect(server.authorizationId).toBe('a=b,c');
    }
  });

  test("credentials are stored in Kafka's ScramCredentialUtils format and read back", () => {
    const c = makeScramCredential('SCRAM-SHA-512', 'pw', 8192);
    const text = formatScramCredential(c);
    expect(text).toMatch(/^salt=[A-Za-z0-9+/=]+,stored_key=[A-Za-z0-9+/=]+,server_key=[A-Za-z0-9+/=]+,iterations=8192$/);
    // Kafka's salt: the bytes of a base-36 string.
    expect(c.salt.toString('ascii')).toMatch(/^[0-9a-z]+$/);
    expect(c.storedKey.length).toBe(64);
    const back = parseScramCredential(text);
    expect(back.storedKey.equals(c.storedKey) && back.serverKey.equals(c.serverKey) && back.salt.equals(c.salt)).toBe(true);
    expect(() => makeScramCredential('SCRAM-SHA-256', 'pw', 1000)).toThrow(/at least 4096/);
    expect(() => parseScramCredential('salt=abc,iterations=4096')).toThrow(/stored_key is missing/);
  });
});
