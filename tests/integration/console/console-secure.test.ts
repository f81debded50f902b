// The console on a cluster with SASL_SSL listeners: --command-config (a Kafka client properties
// file) makes it connect as a principal, to the registered endpoints of that security protocol.
// Bad credentials stop it at start-up with the broker's SASL error, not a blank page.
import * as fs from 'fs';
import * as path from 'path';
import { startConsoleProcess, type ConsoleProcess } from '../../helpers/console-process';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { REPO_ROOT } from '../../helpers/cluster';
import { spawnSync } from 'child_process';

describe('Zafka Console on SASL_SSL', () => {
  let certs: TestCerts;
  let secure: SecureCluster;
  let console_: ConsoleProcess | undefined;

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, {
      protocols: ['SASL_SSL'],
      config: { 'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN' },
    });
  });

  afterAll(async () => {
    await console_?.stop();
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  const clientConfig = (password: string): string => {
    const file = path.join(certs.dir, `console-${password}.properties`);
    fs.writeFileSync(
      file,
      [
        'security.protocol=SASL_SSL',
        'sasl.mechanism=PLAIN',
        `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="${password}";`,
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${certs.file('ca.pem')}`,
      ].join('\n') + '\n',
    );
    return file;
  };

  test('with --command-config it finds the SASL_SSL endpoints in ZooKeeper and shows the cluster', async () => {
    console_ = await startConsoleProcess(['--zookeeper', secure.cluster.zkConnect, '--command-config', clientConfig('alice-secret')]);
    const cluster = (await (await fetch(`${console_.url}/api/cluster`)).json()) as { lastError: string | null; brokers: { id: number }[] };
    expect(cluster.lastError).toBeNull();
    expect(cluster.brokers.map((b) => b.id)).toEqual(secure.cluster.brokers.map((b) => b.id));
    // The brokers also have a PLAINTEXT listener (for the harness): a TLS client sent there would
    // fail its handshake, so an answer means the SASL_SSL endpoints were chosen; the next test
    // shows the credentials are really used.
  });

  test('a wrong password stops the console at start-up with the SASL error (exit 1)', () => {
    const run = spawnSync(path.join(REPO_ROOT, 'bin/zafka-console.sh'), ['--zookeeper', secure.cluster.zkConnect, '--command-config', clientConfig('wrong'), '--port', '0'], {
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/authentication failed|Authentication failed|SASL_AUTHENTICATION_FAILED|Invalid username or password/i);
  });
});
