// Three brokers whose inter-broker listener is SASL_SSL (PLAIN, ssl.client.auth=required on it):
// replica fetchers and the controller's requests go over TLS with SASL. A kafkajs producer on
// SASL_SSL (SCRAM-SHA-512) sends with acks=all to an RF=3, min.insync.replicas=2 topic while the
// leader is killed with kill -9 twice: every acknowledged record is consumed afterwards.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { checkAcknowledged, AckedStream } from '../../helpers/acked-stream';
import { consumeUntilAll } from '../../helpers/consume-all';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { partitionsOf } from '../../helpers/metadata';
import { makeTestCerts, startSecureCluster, writeScramUser, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';

registerKafkajsCodecs();

/** The ports the process's established TCP connections go to (ss -tnp). */
function peerPortsOf(pid: number): number[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established']).toString();
  return out
    .split('\n')
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => Number(l.trim().split(/\s+/)[3].split(':').pop()));
}

describe('3 brokers replicating over SASL_SSL', () => {
  let certs: TestCerts;
  let secure: SecureCluster;

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, {
      brokers: 3,
      protocols: ['SASL_SSL'],
      config: {
        'inter.broker.listener.name': 'SASL_SSL',
        'sasl.mechanism.inter.broker.protocol': 'PLAIN',
        'listener.name.sasl_ssl.ssl.client.auth': 'required',
        'replica.lag.time.max.ms': '3000',
        'unclean.leader.election.enable': 'false',
      },
    });
    await writeScramUser(secure.cluster.zkConnect, 'producer', 'producer-secret', ['SCRAM-SHA-512']);
  });

  afterAll(async () => {
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  test('leader kill -9 twice under acks=all loses no acknowledged record; followers rejoin the ISR over SASL_SSL', async () => {
    const topic = 'secure-replicated';
    const tlsWithClientCert = { ca: [certs.caPem], cert: fs.readFileSync(certs.file('client.pem'), 'utf8'), key: fs.readFileSync(certs.file('client.key'), 'utf8') };
    const client = new Kafka({
      clientId: 'secure-producer',
      brokers: secure.bootstrap('SASL_SSL').split(','),
      ssl: tlsWithClientCert,
      sasl: { mechanism: 'scram-sha-512', username: 'producer', password: 'producer-secret' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const admin = client.admin();
    await waitFor('the SCRAM user known', async () => {
      try {
        await admin.connect();
        return true;
      } catch {
        return false;
      }
    });
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }], waitForLeaders: true });
    await admin.disconnect();
    await waitFor('full ISRs (followers fetch over SASL_SSL)', async () => (await partitionsOf(secure.cluster, topic)).every((p) => p.isr.length === 3), 30000, 200);
    // Broker-to-broker connections (fetchers, controller) go to SASL_SSL ports, never PLAINTEXT ones.
    const portsOf = (listener: string) => new Set(secure.cluster.brokers.map((b) => secure.ports.get(b.id)![listener]));
    const brokerPeers = secure.cluster.brokers.flatMap((b) => peerPortsOf(b.process!.pid!));
    expect(brokerPeers.filter((p) => portsOf('SASL_SSL').has(p)).length).toBeGreaterThanOrEqual(2);
    expect(brokerPeers.filter((p) => portsOf('PLAINTEXT').has(p))).toEqual([]);

    const stream = new AckedStream(client, topic, 2);
    await stream.start();
    for (let round = 0; round < 2; round++) {
      const before = stream.acked.length;
      await waitFor('progress before the kill', () => stream.acked.length >= before + 100, 60000, 20);
      const leader = (await partitionsOf(secure.cluster, topic))[round % 2].leader;
      await secure.cluster.kill(leader);
      await waitFor(`a new leader after killing ${leader}`, async () => {
        const parts = await partitionsOf(secure.cluster, topic);
        return parts.length === 2 && parts.every((p) => p.leader >= 0 && p.leader !== leader);
      }, 30000, 200);
      const atKill = stream.acked.length;
      await waitFor('progress with the leader dead', () => stream.acked.length >= atKill + 50, 60000, 20);
      await secure.cluster.startBroker(leader);
      await waitFor(`broker ${leader} back in every ISR`, async () => (await partitionsOf(secure.cluster, topic)).every((p) => p.isr.length === 3), 60000, 200);
    }
    await stream.stop();
    expect(stream.acked.length).toBeGreaterThan(200);

    const rows = await consumeUntilAll(secure.cluster.bootstrap, topic, stream.acked);
    checkAcknowledged(rows, stream.acked);
    for (const b of secure.cluster.brokers) expect(secure.cluster.output(b.id)).not.toMatch(/Failed authentication/);
  });
});
