// SASL/PLAIN listeners against real clients: kcat and kafkajs on SASL_PLAINTEXT (users from
// listener.name.sasl_plaintext.plain.sasl.jaas.config) and SASL_SSL (users from a JAAS file given
// in KAFKA_OPTS, section sasl_ssl.KafkaServer). The SASL user is the principal (checked through a
// user quota). Refusals, each answered and then closed, broker unharmed: a wrong password or an
// unknown user (SASL_AUTHENTICATION_FAILED), a mechanism the listener does not enable
// (UNSUPPORTED_SASL_MECHANISM), a request before authentication (closed). The v0 handshake
// followed by raw tokens works as Kafka's SaslServerAuthenticator serves it.
import * as fs from 'fs';
import * as path from 'path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { decodeResponse, encodeRequest } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { SaslHandshake } from '../../../broker/protocol/messages/sasl-handshake';
import { CreateMode, ZooKeeperClient } from '../../../controller/zk/zookeeper-client';
import { FramedSocket } from '../../helpers/framed-socket';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { kcat } from '../../helpers/kcat';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';

registerKafkajsCodecs();

const JAAS_FILE = `
// As a Kafka broker would be given it: -Djava.security.auth.login.config=<this file>
sasl_ssl.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
    username="admin"
    password="admin-secret"
    user_admin="admin-secret"
    user_bob="bob-secret";
};
`;

describe('SASL/PLAIN (SASL_PLAINTEXT and SASL_SSL)', () => {
  let certs: TestCerts;
  let secure: SecureCluster;

  beforeAll(async () => {
    certs = makeTestCerts();
    const jaasFile = path.join(certs.dir, 'kafka_server_jaas.conf');
    fs.writeFileSync(jaasFile, JAAS_FILE);
    secure = await startSecureCluster(certs, {
      protocols: ['SASL_PLAINTEXT', 'SASL_SSL'],
      config: { 'listener.name.sasl_plaintext.sasl.enabled.mechanisms': 'PLAIN', 'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN' },
      omit: ['listener.name.sasl_ssl.plain.sasl.jaas.config'],
      env: { KAFKA_OPTS: `-Djava.security.auth.login.config=${jaasFile}` },
    });
  });

  afterAll(async () => {
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  const saslArgs = (protocol: string, user: string, password: string, mechanism = 'PLAIN') => [
    '-X', `security.protocol=${protocol}`, '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`,
    ...(protocol === 'SASL_SSL' ? ['-X', `ssl.ca.location=${certs.file('ca.pem')}`] : []),
  ];

  async function kcatRoundTrip(listener: string, args: string[], topic: string): Promise<void> {
    const lines = Array.from({ length: 10 }, (_, i) => `sasl-${i}`).join('\n') + '\n';
    const produced = await kcat(['-P', '-b', secure.bootstrap(listener), ...args, '-t', topic], { input: lines });
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    await waitFor(`10 records on ${topic}`, async () => {
      const r = await kcat(['-C', '-b', secure.bootstrap(listener), ...args, '-t', topic, '-o', 'beginning', '-e', '-q']);
      return r.stdout.split('\n').filter((l) => l !== '').length === 10;
    });
  }

  function kafkajsWith(listener: string, sasl: SASLOptions, ssl: boolean, logCreator?: Kafka['logger']): Kafka {
    return new Kafka({
      clientId: 'sasl-test',
      brokers: [secure.bootstrap(listener)],
      sasl,
      ssl: ssl ? { ca: [certs.caPem] } : undefined,
      logLevel: logCreator ? logLevel.DEBUG : logLevel.NOTHING,
      logCreator: logCreator as never,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  async function kafkajsRoundTrip(kafka: Kafka, topic: string): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(2);
  }

  test('kcat and kafkajs on SASL_PLAINTEXT with PLAIN (users from the listener JAAS key)', async () => {
    await kcatRoundTrip('SASL_PLAINTEXT', saslArgs('SASL_PLAINTEXT', 'alice', 'alice-secret'), 'plain-kcat');
    await kafkajsRoundTrip(kafkajsWith('SASL_PLAINTEXT', { mechanism: 'plain', username: 'alice', password: 'alice-secret' }, false), 'plain-kafkajs');
  });

  test('kcat and kafkajs on SASL_SSL with PLAIN (users from the JAAS file in KAFKA_OPTS)', async () => {
    await kcatRoundTrip('SASL_SSL', saslArgs('SASL_SSL', 'bob', 'bob-secret'), 'plain-ssl-kcat');
    await kafkajsRoundTrip(kafkajsWith('SASL_SSL', { mechanism: 'plain', username: 'bob', password: 'bob-secret' }, true), 'plain-ssl-kafkajs');
    // The JAAS file's users are that listener's: alice is only known on SASL_PLAINTEXT.
    const r = await kcat(['-L', '-b', secure.bootstrap('SASL_SSL'), ...saslArgs('SASL_SSL', 'alice', 'alice-secret'), '-m', '5'], { timeoutMs: 20000 });
    expect(r.code).not.toBe(0);
  });

  test('wrong password and unknown user: SASL_AUTHENTICATION_FAILED, then the connection closes', async () => {
    for (const [user, password] of [['alice', 'wrong'], ['mallory', 'alice-secret']]) {
      const r = await kcat(['-L', '-b', secure.bootstrap('SASL_PLAINTEXT'), ...saslArgs('SASL_PLAINTEXT', user, password), '-m', '5'], { timeoutMs: 20000 });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Authentication failed: Invalid username or password/);
      const client = KafkaClient.connect('127.0.0.1', secure.ports.get(0)!.SASL_PLAINTEXT, { security: { sasl: { mechanism: 'PLAIN', username: user, password } } });
      await expect(client).rejects.toMatchObject({ code: ErrorCode.SASL_AUTHENTICATION_FAILED });
      await expect(kafkajsWith('SASL_SSL', { mechanism: 'plain', username: user, password }, true).admin().connect()).rejects.toThrow(/SASL PLAIN authentication failed|Authentication failed/);
    }
    await waitFor('the failure logged', () => /Failed authentication with \/127\.0\.0\.1 \(Authentication failed: Invalid username or password/.test(secure.cluster.output(0)));
  });

  test('a mechanism the listener does not enable: UNSUPPORTED_SASL_MECHANISM with the enabled list, then closed', async () => {
    const socket = await FramedSocket.connect(secure.ports.get(0)!.SASL_PLAINTEXT);
    socket.write(encodeRequest(SaslHandshake, 1, 1, 'raw', { mechanism: 'SCRAM-SHA-256' }));
    const frame = await socket.readFrame();
    expect(frame).not.toBeNull();
    const res = decodeResponse(SaslHandshake, 1, frame!).body;
    expect(res.errorCode).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(res.mechanisms).toEqual(['PLAIN']);
    expect(await socket.waitClosed()).toBe(true);
    const r = await kcat(['-L', '-b', secure.bootstrap('SASL_PLAINTEXT'), ...saslArgs('SASL_PLAINTEXT', 'alice', 'alice-secret', 'SCRAM-SHA-256'), '-m', '5'], { timeoutMs: 20000 });
    expect(r.code).not.toBe(0);
  });

  test('a request other than ApiVersions/SaslHandshake before authentication closes the connection unanswered', async () => {
    const socket = await FramedSocket.connect(secure.ports.get(0)!.SASL_PLAINTEXT);
    socket.write(encodeRequest(Metadata, 1, 7, 'raw', { topics: [] }));
    expect(await socket.readFrame(5000)).toBeNull();
    expect(await socket.waitClosed()).toBe(true);
  });

  test('SaslHandshake v0 then raw PLAIN tokens: authenticated, then requests are served; a bad raw token closes', async () => {
    const socket = await FramedSocket.connect(secure.ports.get(0)!.SASL_PLAINTEXT);
    socket.write(encodeRequest(SaslHandshake, 0, 1, 'raw', { mechanism: 'PLAIN' }));
    expect(decodeResponse(SaslHandshake, 0, (await socket.readFrame())!).body.errorCode).toBe(ErrorCode.NONE);
    socket.writeToken(Buffer.from('\u0000alice\u0000alice-secret'));
    expect((await socket.readFrame())?.length).toBe(0); // PLAIN's empty final challenge, size-prefixed
    socket.write(encodeRequest(Metadata, 1, 2, 'raw', { topics: [] }));
    const metadata = decodeResponse(Metadata, 1, (await socket.readFrame())!).body;
    expect(metadata.brokers.map((b) => b.nodeId)).toEqual([0]);
    socket.close();

    const bad = await FramedSocket.connect(secure.ports.get(0)!.SASL_PLAINTEXT);
    bad.write(encodeRequest(SaslHandshake, 0, 1, 'raw', { mechanism: 'PLAIN' }));
    await bad.readFrame();
    bad.writeToken(Buffer.from('\u0000alice\u0000nope'));
    expect(await bad.readFrame(5000)).toBeNull();
    expect(await bad.waitClosed()).toBe(true);
  });

  test('the SASL user is the principal: a quota for User:alice throttles alice, not admin', async () => {
    const zk = await ZooKeeperClient.connect(secure.cluster.zkConnect, 10000);
    await zk.createRecursive('/config/users/alice', Buffer.from('{"version":1,"config":{"producer_byte_rate":"1024"}}'));
    await zk.create('/config/changes/config_change_', Buffer.from('{"version":2,"entity_path":"users/alice"}'), CreateMode.PERSISTENT_SEQUENTIAL);
    await zk.close();
    const throttledFor = async (user: string, password: string): Promise<number[]> => {
      const throttles: number[] = [];
      const kafka = kafkajsWith('SASL_PLAINTEXT', { mechanism: 'plain', username: user, password }, false, (() => (entry: { log: { message: string } }) => {
        const m = /Client side throttling in effect for (\d+)ms/.exec(entry.log.message);
        if (m) throttles.push(Number(m[1]));
      }) as never);
      const producer = kafka.producer();
      await producer.connect();
      // Up to three 16 KB sends, stopping at the first throttled answer: kafkajs then waits out
      // each throttle (tens of seconds at 1 KB/s) before its next send.
      for (let i = 0; i < 3 && !throttles.some((t) => t > 0); i++) await producer.send({ topic: 'plain-quota', acks: 1, messages: [{ value: Buffer.alloc(16 * 1024, 'x') }] });
      await producer.disconnect();
      return throttles;
    };
    await waitFor('alice throttled', async () => (await throttledFor('alice', 'alice-secret')).some((t) => t > 0), 60000, 500);
    expect((await throttledFor('admin', 'admin-secret')).filter((t) => t > 0)).toEqual([]);
    expect(secure.cluster.broker(0).process?.exitCode).toBeNull();
  });
});
