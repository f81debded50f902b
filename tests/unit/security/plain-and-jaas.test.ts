// SASL/PLAIN's server and the JAAS configuration it reads users from (a sasl.jaas.config value
// and a JAAS file as the JVM is given one), and a client's security properties.
import { clientSecurityFromProperties } from '../../../broker/security/client-security-config';
import { jaasFileFromKafkaOpts, parseJaasConfigValue, parseJaasFile } from '../../../broker/security/jaas-config';
import { PlainSaslServer } from '../../../broker/security/plain-sasl-server';
import { SaslAuthenticationError } from '../../../broker/security/sasl-server';

describe('JAAS configuration', () => {
  test('a sasl.jaas.config value with quoted options', () => {
    const [m] = parseJaasConfigValue('org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="a;b c" user_alice="x";');
    expect(m.className).toBe('org.apache.kafka.common.security.plain.PlainLoginModule');
    expect(m.flag).toBe('required');
    expect(m.options).toEqual({ username: 'admin', password: 'a;b c', user_alice: 'x' });
    expect(() => parseJaasConfigValue('org.Foo required username="a"')).toThrow(/must end with ';'/);
    expect(() => parseJaasConfigValue('org.Foo mandatory;')).toThrow(/invalid control flag/);
  });

  test('a JAAS file with comments, listener-prefixed sections and several modules', () => {
    const sections = parseJaasFile(`
      /* broker */
      KafkaServer {
        org.apache.kafka.common.security.plain.PlainLoginModule required user_bob="b";
        org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="p";
      };
      // KIP-103
      sasl_ssl.KafkaServer { org.apache.kafka.common.security.plain.PlainLoginModule required user_eve="e"; };
    `);
    expect(sections.get('KafkaServer')?.map((m) => m.className.split('.').pop())).toEqual(['PlainLoginModule', 'ScramLoginModule']);
    expect(sections.get('sasl_ssl.KafkaServer')?.[0].options).toEqual({ user_eve: 'e' });
    expect(jaasFileFromKafkaOpts('-Xmx1G -Djava.security.auth.login.config=/etc/kafka/jaas.conf -Dx=y')).toBe('/etc/kafka/jaas.conf');
    expect(jaasFileFromKafkaOpts(undefined)).toBeNull();
  });
});

describe('PlainSaslServer', () => {
  const users: Record<string, string> = { alice: 'alice-secret' };
  const server = () => new PlainSaslServer((u) => users[u]);

  test('accepts the right password, with or without the same authzid', () => {
    for (const token of ['\u0000alice\u0000alice-secret', 'alice\u0000alice\u0000alice-secret']) {
      const s = server();
      expect(s.evaluate(Buffer.from(token)).length).toBe(0);
      expect(s.complete).toBe(true);
      expect(s.authorizationId).toBe('alice');
    }
  });

  test("refuses a wrong password, an unknown user, another authzid and a malformed token with Kafka's messages", () => {
    expect(() => server().evaluate(Buffer.from('\u0000alice\u0000nope'))).toThrow(new SaslAuthenticationError('Authentication failed: Invalid username or password'));
    expect(() => server().evaluate(Buffer.from('\u0000bob\u0000alice-secret'))).toThrow(/Invalid username or password/);
    expect(() => server().evaluate(Buffer.from('bob\u0000alice\u0000alice-secret'))).toThrow(/authorization id that is different/);
    expect(() => server().evaluate(Buffer.from('alice'))).toThrow(/expected 3 tokens/);
  });
});

describe('client security properties (--command-config)', () => {
  test('SASL_PLAINTEXT with SCRAM from sasl.jaas.config; PLAINTEXT has nothing; GSSAPI refused', () => {
    expect(
      clientSecurityFromProperties({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cret";',
      }),
    ).toEqual({ sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 's3cret' } });
    expect(clientSecurityFromProperties({})).toEqual({});
    expect(() => clientSecurityFromProperties({ 'security.protocol': 'SASL_SSL' })).toThrow(/GSSAPI is not supported/);
  });
});
