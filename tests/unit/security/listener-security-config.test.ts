// The listener security a broker builds from its config: config/server-secure.properties works as
// documented (with certificates from scripts/make-local-ca.sh), and settings that cannot work
// fail start-up with a ConfigError naming the key.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../broker/config/config-error';
import { parseKafkaConfig } from '../../../broker/config/kafka-config';
import { parseProperties } from '../../../broker/config/properties';
import type { RequestHandler } from '../../../broker/network/request-handler';
import { buildChannelBuilders } from '../../../broker/security/channel-builders';
import { interBrokerClientSecurity } from '../../../broker/security/inter-broker-security';
import { ScramCredentialCache } from '../../../broker/security/scram-credential-cache';

const ROOT = path.resolve(__dirname, '../../..');
const noRequests: RequestHandler = { handle: async () => null };

describe('listener security from the broker config', () => {
  let dir: string;
  let example: Record<string, string>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-secure-config-'));
    execFileSync('bash', [path.join(ROOT, 'scripts/make-local-ca.sh'), dir, 'zafka-secret', '2'], { stdio: 'ignore' });
    example = parseProperties(fs.readFileSync(path.join(ROOT, 'config/server-secure.properties'), 'utf8'));
    for (const key of ['ssl.keystore.location', 'ssl.truststore.location']) example[key] = path.join(dir, path.basename(example[key]));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const build = (props: Record<string, string>) => {
    const { config } = parseKafkaConfig(props);
    return { builders: buildChannelBuilders(config, new ScramCredentialCache(), noRequests), interBroker: interBrokerClientSecurity(config) };
  };

  test('config/server-secure.properties: four listeners, inter-broker SASL_SSL with PLAIN as admin', () => {
    const { builders, interBroker } = build(example);
    expect([...builders.keys()]).toEqual(['PLAINTEXT', 'SSL', 'SASL_SSL', 'SASL_PLAINTEXT']);
    expect(builders.get('PLAINTEXT')?.tls).toBeNull();
    expect(builders.get('SSL')?.tls?.requestCert).toBe(false);
    expect(builders.get('SSL')?.newAuthenticator()).toBeNull();
    expect(builders.get('SASL_SSL')?.newAuthenticator()).not.toBeNull();
    expect(builders.get('SASL_PLAINTEXT')?.tls).toBeNull();
    expect(interBroker.sasl).toEqual({ mechanism: 'PLAIN', username: 'admin', password: 'admin-secret' });
    expect(interBroker.tls?.ca).toContain('BEGIN CERTIFICATE');
  });

  test('the PEM keystore and ssl.client.auth per listener', () => {
    const { builders } = build({
      ...example,
      'listener.name.ssl.ssl.keystore.type': 'PEM',
      'listener.name.ssl.ssl.keystore.location': path.join(dir, 'broker.keystore.pem'),
      'listener.name.ssl.ssl.client.auth': 'required',
    });
    expect(builders.get('SSL')?.tls).toMatchObject({ requestCert: true, rejectUnauthorized: true });
    expect(builders.get('SASL_SSL')?.tls?.requestCert).toBe(false);
  });

  test('settings that cannot work are refused at start-up, naming what to set', () => {
    const without = (...keys: string[]) => Object.fromEntries(Object.entries(example).filter(([k]) => !keys.includes(k)));
    expect(() => build(without('sasl.enabled.mechanisms'))).toThrow(/GSSAPI is not supported by Zafka/);
    expect(() => build({ ...without('listener.name.sasl_plaintext.plain.sasl.jaas.config') })).toThrow(/SASL_PLAINTEXT enables PLAIN but has no JAAS entry/);
    expect(() => build(without('ssl.keystore.location'))).toThrow(/no ssl.keystore.location/);
    expect(() => build({ ...example, 'ssl.keystore.type': 'JKS' })).toThrow(ConfigError);
    expect(() => build({ ...example, 'ssl.keystore.password': 'wrong' })).toThrow(/cannot use the configured keystore/);
    expect(() => build({ ...example, 'sasl.mechanism.inter.broker.protocol': 'GSSAPI' })).toThrow(/sasl.mechanism.inter.broker.protocol=GSSAPI is not supported/);
  });
});
