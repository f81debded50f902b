// TLS listeners against real clients: kcat (librdkafka/OpenSSL) and kafkajs (Node TLS), with a
// PKCS12 keystore/truststore on the SSL listener and PEM ones on an MTLS listener
// (ssl.client.auth=required). The client certificate's DN becomes the principal (checked through
// a user quota, which only throttles that principal). Refusals: a plaintext client on a TLS port,
// no client certificate or an untrusted one on the MTLS port; the broker keeps serving.
import * as fs from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { sanitize } from '../../../broker/quota/sanitizer';
import { CreateMode, ZooKeeperClient } from '../../../controller/zk/zookeeper-client';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { kcat } from '../../helpers/kcat';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';

registerKafkajsCodecs();

describe('TLS listeners (SSL)', () => {
  let certs: TestCerts;
  let secure: SecureCluster;

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, {
      protocols: ['SSL'],
      extraListeners: { MTLS: 'SSL' },
      config: {
        'listener.name.mtls.ssl.client.auth': 'required',
        'listener.name.mtls.ssl.keystore.type': 'PEM',
        'listener.name.mtls.ssl.keystore.location': certs.file('broker.keystore.pem'),
        'listener.name.mtls.ssl.truststore.type': 'PEM',
        'listener.name.mtls.ssl.truststore.location': certs.file('truststore.pem'),
      },
    });
  });

  afterAll(async () => {
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  const sslArgs = () => ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${certs.file('ca.pem')}`];
  const mtlsArgs = () => [...sslArgs(), '-X', `ssl.certificate.location=${certs.file('client.pem')}`, '-X', `ssl.key.location=${certs.file('client.key')}`];

  async function kcatRoundTrip(bootstrap: string, args: string[], topic: string): Promise<string[]> {
    const lines = Array.from({ length: 20 }, (_, i) => `tls-${i}`).join('\n') + '\n';
    const produced = await kcat(['-P', '-b', bootstrap, ...args, '-t', topic], { input: lines });
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    return waitFor(`20 records on ${topic}`, async () => {
      const r = await kcat(['-C', '-b', bootstrap, ...args, '-t', topic, '-o', 'beginning', '-e', '-q']);
      const got = r.stdout.split('\n').filter((l) => l !== '');
      return got.length === 20 ? got : undefined;
    });
  }

  test('kcat lists, produces and consumes over SSL (PKCS12 keystore and truststore)', async () => {
    const list = await kcat(['-L', '-b', secure.bootstrap('SSL'), ...sslArgs()]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`broker 0 at 127.0.0.1:${secure.ports.get(0)!.SSL}`);
    expect((await kcatRoundTrip(secure.bootstrap('SSL'), sslArgs(), 'kcat-ssl')).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `tls-${i}`).sort());
  });

  test('kafkajs produces and consumes over SSL', async () => {
    const kafka = new Kafka({ clientId: 'tls-test', brokers: [secure.bootstrap('SSL')], ssl: { ca: [certs.caPem] }, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'kafkajs-ssl', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    const got = await kcatRoundTripRead(secure.bootstrap('SSL'), sslArgs(), 'kafkajs-ssl', 10);
    expect(got.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`).sort());
  });

  async function kcatRoundTripRead(bootstrap: string, args: string[], topic: string, n: number): Promise<string[]> {
    return waitFor(`${n} records on ${topic}`, async () => {
      const r = await kcat(['-C', '-b', bootstrap, ...args, '-t', topic, '-o', 'beginning', '-e', '-q']);
      const got = r.stdout.split('\n').filter((l) => l !== '');
      return got.length === n ? got : undefined;
    });
  }

  test('client certificate (ssl.client.auth=required, PEM stores): kcat and kafkajs get in, and the DN is the principal quotas see', async () => {
    expect((await kcatRoundTrip(secure.bootstrap('MTLS'), mtlsArgs(), 'kcat-mtls')).length).toBe(20);

    // A 1 KB/s produce quota for User:CN=client,OU=clients,O=Zafka (Kafka's X500Principal order).
    const principal = 'CN=client,OU=clients,O=Zafka';
    const zk = await ZooKeeperClient.connect(secure.cluster.zkConnect, 10000);
    await zk.createRecursive(`/config/users/${sanitize(principal)}`, Buffer.from('{"version":1,"config":{"producer_byte_rate":"1024"}}'));
    await zk.create('/config/changes/config_change_', Buffer.from(JSON.stringify({ version: 2, entity_path: `users/${sanitize(principal)}` })), CreateMode.PERSISTENT_SEQUENTIAL);
    await zk.close();

    const throttles: number[] = [];
    const kafka = new Kafka({
      clientId: 'mtls-test',
      brokers: [secure.bootstrap('MTLS')],
      ssl: { ca: [certs.caPem], cert: fs.readFileSync(certs.file('client.pem'), 'utf8'), key: fs.readFileSync(certs.file('client.key'), 'utf8') },
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => {
        const m = /Client side throttling in effect for (\d+)ms/.exec(entry.log.message);
        if (m) throttles.push(Number(m[1]));
      },
    });
    const producer = kafka.producer();
    await producer.connect();
    await waitFor('a throttled produce for the certificate principal', async () => {
      await producer.send({ topic: 'mtls-quota', acks: 1, messages: [{ value: Buffer.alloc(16 * 1024, 'x') }] });
      return throttles.some((t) => t > 0);
    }, 60000, 200);
    await producer.disconnect();
  });

  test('a plaintext client on a TLS port is refused (connection closed, one log line); the broker keeps serving', async () => {
    const client = await KafkaClient.connect('127.0.0.1', secure.ports.get(0)!.SSL, { requestTimeoutMs: 10000 });
    await expect(client.send(Metadata, 1, { topics: [] })).rejects.toThrow(/NETWORK_EXCEPTION|closed|timed out/);
    client.close();
    const plainKcat = await kcat(['-L', '-b', secure.bootstrap('SSL'), '-m', '5'], { timeoutMs: 20000 });
    expect(plainKcat.code).not.toBe(0);
    await waitFor('the handshake failure logged', () => /Failed authentication with \/127\.0\.0\.1 \(SSL handshake failed/.test(secure.cluster.output(0)));
    expect((await kcat(['-L', '-b', secure.bootstrap('SSL'), ...sslArgs()])).code).toBe(0);
  });

  test('MTLS refuses a client without a certificate and one with an untrusted certificate; the broker keeps serving', async () => {
    const port = secure.ports.get(0)!.MTLS;
    await expect(KafkaClient.connect('127.0.0.1', port, { security: { tls: { ca: certs.caPem } } }).then((c) => c.send(Metadata, 1, { topics: [] })))
      .rejects.toThrow(/NETWORK_EXCEPTION|closed|certificate|alert/i);
    const untrusted = { ca: certs.caPem, cert: fs.readFileSync(certs.file('untrusted.pem'), 'utf8'), key: fs.readFileSync(certs.file('untrusted.key'), 'utf8') };
    await expect(KafkaClient.connect('127.0.0.1', port, { security: { tls: untrusted } }).then((c) => c.send(Metadata, 1, { topics: [] })))
      .rejects.toThrow(/NETWORK_EXCEPTION|closed|certificate|alert/i);
    const bad = await kcat(['-L', '-b', secure.bootstrap('MTLS'), ...sslArgs(), '-X', `ssl.certificate.location=${certs.file('untrusted.pem')}`, '-X', `ssl.key.location=${certs.file('untrusted.key')}`, '-m', '5'], { timeoutMs: 20000 });
    expect(bad.code).not.toBe(0);
    // A client with the right certificate still gets in.
    const ok = await KafkaClient.connect('127.0.0.1', port, { security: { tls: { ca: certs.caPem, cert: fs.readFileSync(certs.file('client.pem')), key: fs.readFileSync(certs.file('client.key')) } } });
    expect((await ok.send(Metadata, 1, { topics: [] })).brokers.length).toBe(1);
    ok.close();
    expect(secure.cluster.broker(0).process?.exitCode).toBeNull();
  });
});
