// zafka-docker up --secure as data: each broker's SSL and SASL_SSL listeners and TLS/SASL settings
// survive the KAFKA_* environment round trip into server.properties, the certificates are
// bind-mounted read-only, every extra port is checked, and the client property files work for the
// tools' --command-config (clientSecurityFromProperties).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planCluster } from '../../../docker/cluster/cluster-plan';
import { repoRoot } from '../../../docker/cluster/docker-cluster';
import { planPortProblems, portsToCheck } from '../../../docker/cluster/port-check';
import { prepareSecrets, SECRETS_TARGET } from '../../../docker/cluster/secure-listeners';
import { parseProperties } from '../../../broker/config/properties';
import { clientSecurityFromProperties } from '../../../broker/security/client-security-config';
import { serverPropertiesFromEnv } from '../../../docker/server-properties-from-env';

const secure = { secretsDir: '/home/me/zafka-secrets', storePassword: 'pw"1', adminPassword: 'adm\\in' };
const OPTIONS = { cluster: 'zafka', brokers: 2, image: 'zafka:local', zookeeperImage: 'zookeeper:3.8', firstPort: 9092, zookeeperPort: 2181, brokerConfig: {}, secure };

describe('zafka-docker --secure plan', () => {
  test('SSL on port+100 and SASL_SSL on port+200, with the keystores of the mounted directory and a PLAIN admin', () => {
    const plan = planCluster(OPTIONS);
    const b2 = plan.brokers[1];
    expect(b2.securePorts).toEqual({ ssl: 9193, saslSsl: 9293 });
    expect(b2.container.binds).toEqual([{ hostPath: '/home/me/zafka-secrets', target: SECRETS_TARGET, readOnly: true }]);
    const props = serverPropertiesFromEnv(b2.container.env);
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:9093,SSL://127.0.0.1:9193,SASL_SSL://127.0.0.1:9293');
    expect(props['advertised.listeners']).toBe(props.listeners);
    expect(props['ssl.keystore.location']).toBe(`${SECRETS_TARGET}/broker.keystore.p12`);
    expect(props['ssl.keystore.password']).toBe('pw"1');
    expect(props['sasl.enabled.mechanisms']).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512');
    expect(props['listener.name.sasl_ssl.plain.sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="adm\\\\in" user_admin="adm\\\\in";',
    );
    expect(props['broker.id']).toBe('2');
  });

  test('every secure port is checked before start, and a clash between brokers is named', () => {
    const plan = planCluster(OPTIONS);
    expect(portsToCheck(plan, []).map((n) => n.port)).toEqual([2181, 9092, 9192, 9292, 9093, 9193, 9293]);
    expect(planPortProblems(planCluster({ ...OPTIONS, brokers: 101 }))).toContain('port 9192 is planned for both broker 1 SSL and broker 101: change --port or --zookeeper-port');
  });

  test('without --secure nothing changes', () => {
    const plan = planCluster({ ...OPTIONS, secure: undefined });
    expect(plan.brokers[0].securePorts).toBeUndefined();
    expect(plan.brokers[0].container.binds).toBeUndefined();
    expect(serverPropertiesFromEnv(plan.brokers[0].container.env).listeners).toBe('PLAINTEXT://127.0.0.1:9092');
  });

  test('prepareSecrets runs make-local-ca.sh only when the keystore is missing and writes client files the tools accept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-plan-'));
    try {
      const runs: string[][] = [];
      const opts = { secretsDir: dir, storePassword: 'store-pw', adminPassword: 'admin-pw' };
      // The real script (openssl) the first time; the second call finds the keystore and runs nothing.
      const notes = prepareSecrets(repoRoot(), opts, (script, args) => execFileSync('bash', [script, ...args], { stdio: 'ignore' }));
      expect(notes[0]).toMatch(/^Made a local CA/);
      prepareSecrets(repoRoot(), opts, (script, args) => runs.push([script, ...args]));
      expect(runs).toEqual([]);
      const sasl = parseProperties(fs.readFileSync(path.join(dir, 'client-sasl-ssl.properties'), 'utf8'));
      const security = clientSecurityFromProperties(sasl);
      expect(security.sasl).toEqual({ mechanism: 'PLAIN', username: 'admin', password: 'admin-pw' });
      expect(security.tls).toBeDefined();
      expect(clientSecurityFromProperties(parseProperties(fs.readFileSync(path.join(dir, 'client-ssl.properties'), 'utf8'))).sasl).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
