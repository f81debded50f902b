// SASL/SCRAM-SHA-256 and -512 against real clients (kcat, kafkajs), plain and over TLS, with
// credentials written to ZooKeeper after the broker started, exactly as kafka-configs --zookeeper
// writes them (/config/users/<user> + a /config/changes notification): the broker picks them up
// live. A changed password takes effect at once. Refusals: wrong password, unknown user, a
// mechanism the user has no credential for — SASL_AUTHENTICATION_FAILED, then closed.
import * as fs from 'fs';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { kcat } from '../../helpers/kcat';
import { makeTestCerts, startSecureCluster, writeScramUser, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';

registerKafkajsCodecs();

describe('SASL/SCRAM (credentials in ZooKeeper)', () => {
  let certs: TestCerts;
  let secure: SecureCluster;

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, { protocols: ['SASL_PLAINTEXT', 'SASL_SSL'] });
    // After start-up: the broker must learn of them through /config/changes.
    await writeScramUser(secure.cluster.zkConnect, 'carol', 'carol-secret', ['SCRAM-SHA-256', 'SCRAM-SHA-512']);
    await writeScramUser(secure.cluster.zkConnect, 'dave', 'dave-secret', ['SCRAM-SHA-256']);
  });

  afterAll(async () => {
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  const args = (protocol: string, mechanism: string, user: string, password: string) => [
    '-X', `security.protocol=${protocol}`, '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`,
    ...(protocol === 'SASL_SSL' ? ['-X', `ssl.ca.location=${certs.file('ca.pem')}`] : []),
  ];

  const canLogIn = async (listener: string, mechanism: string, user: string, password: string): Promise<boolean> => {
    try {
      const client = await KafkaClient.connect('127.0.0.1', secure.ports.get(0)![listener], {
        security: { sasl: { mechanism, username: user, password }, tls: listener === 'SASL_SSL' ? { ca: certs.caPem } : undefined },
      });
      await client.send(Metadata, 1, { topics: [] });
      client.close();
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === ErrorCode.SASL_AUTHENTICATION_FAILED) return false;
      throw err;
    }
  };

  for (const listener of ['SASL_PLAINTEXT', 'SASL_SSL']) {
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      test(`kcat and kafkajs with ${mechanism} on ${listener}`, async () => {
        await waitFor('carol known to the broker', () => canLogIn(listener, mechanism, 'carol', 'carol-secret'));
        const topic = `scram-${listener}-${mechanism}`.toLowerCase();
        const produced = await kcat(['-P', '-b', secure.bootstrap(listener), ...args(listener, mechanism, 'carol', 'carol-secret'), '-t', topic], { input: 'x1\nx2\nx3\n' });
        expect(produced.stderr).toBe('');
        expect(produced.code).toBe(0);
        const sasl = { mechanism: mechanism.toLowerCase(), username: 'carol', password: 'carol-secret' } as SASLOptions;
        const kafka = new Kafka({ clientId: 'scram', brokers: [secure.bootstrap(listener)], sasl, ssl: listener === 'SASL_SSL' ? { ca: [certs.caPem] } : undefined, logLevel: logLevel.NOTHING });
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic, acks: -1, messages: [{ value: 'x4' }] });
        await producer.disconnect();
        await waitFor('4 records read back by kcat', async () => {
          const r = await kcat(['-C', '-b', secure.bootstrap(listener), ...args(listener, mechanism, 'carol', 'carol-secret'), '-t', topic, '-o', 'beginning', '-e', '-q']);
          return r.stdout.split('\n').filter((l) => l !== '').sort().join(',') === 'x1,x2,x3,x4';
        });
      });
    }
  }

  test('wrong password, unknown user, and a mechanism without a credential: SASL_AUTHENTICATION_FAILED', async () => {
    await waitFor('dave known', () => canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-256', 'dave', 'dave-secret'));
    expect(await canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-256', 'carol', 'wrong')).toBe(false);
    expect(await canLogIn('SASL_SSL', 'SCRAM-SHA-512', 'nobody', 'carol-secret')).toBe(false);
    expect(await canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-512', 'dave', 'dave-secret')).toBe(false);
    const r = await kcat(['-L', '-b', secure.bootstrap('SASL_PLAINTEXT'), ...args('SASL_PLAINTEXT', 'SCRAM-SHA-256', 'carol', 'wrong'), '-m', '5'], { timeoutMs: 20000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Authentication failed/);
    const kafka = new Kafka({ clientId: 'scram', brokers: [secure.bootstrap('SASL_PLAINTEXT')], sasl: { mechanism: 'scram-sha-256', username: 'carol', password: 'wrong' }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    await expect(kafka.admin().connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed|Authentication failed/);
    expect(secure.cluster.broker(0).process?.exitCode).toBeNull();
  });

  test('a password changed in ZooKeeper takes effect live', async () => {
    await writeScramUser(secure.cluster.zkConnect, 'erin', 'first', ['SCRAM-SHA-512']);
    await waitFor('erin with the first password', () => canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-512', 'erin', 'first'));
    await writeScramUser(secure.cluster.zkConnect, 'erin', 'second', ['SCRAM-SHA-512']);
    await waitFor('erin with the second password', () => canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-512', 'erin', 'second'));
    expect(await canLogIn('SASL_PLAINTEXT', 'SCRAM-SHA-512', 'erin', 'first')).toBe(false);
  });
});
