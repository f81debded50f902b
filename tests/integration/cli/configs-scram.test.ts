// kafka-configs --zookeeper with SCRAM credentials, against a real ZooKeeper, a real broker with a
// SASL_PLAINTEXT listener, and real clients (kafkajs, kcat): users created, changed and partly
// deleted by Zafka's tool log in (or are refused) live, through the /config/changes notification;
// Kafka 2.4's own kafka-configs.sh run on the same chroot writes znodes of the same shape, its
// users log in to Zafka too, and both tools describe the same znodes with the same text.
// Bad credential specs exit 1 with Kafka's message and write nothing.
import * as fs from 'fs';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { KafkaZkClient } from '../../../controller/zk/kafka-zk-client';
import { KAFKA_DIST, runKafkaTool } from '../../helpers/reference-kafka';
import { kcat } from '../../helpers/kcat';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';
import { runCli } from './run-cli';

jest.setTimeout(180000);

/** ScramCredentialUtils.credentialToString: base64 salt (bytes of a base-36 string), keys of the hash's size. */
function credentialShape(value: string): { saltChars: boolean; storedKeyBytes: number; serverKeyBytes: number; iterations: number } {
  const m = /^salt=([A-Za-z0-9+/=]+),stored_key=([A-Za-z0-9+/=]+),server_key=([A-Za-z0-9+/=]+),iterations=(\d+)$/.exec(value);
  if (!m) throw new Error(`not a SCRAM credential: ${value}`);
  const salt = Buffer.from(m[1], 'base64').toString('latin1');
  return {
    saltChars: /^[0-9a-z]{20,26}$/.test(salt),
    storedKeyBytes: Buffer.from(m[2], 'base64').length,
    serverKeyBytes: Buffer.from(m[3], 'base64').length,
    iterations: Number(m[4]),
  };
}

describe('kafka-configs --zookeeper: SCRAM credentials', () => {
  let certs: TestCerts;
  let secure: SecureCluster;
  let zk: KafkaZkClient;
  const userZnode = async (user: string) => JSON.parse((await zk.zk.getData(`/config/users/${user}`)).data!.toString('utf8'));
  const zafkaConfigs = (...args: string[]) => runCli('kafka-configs', ['--zookeeper', secure.cluster.zkConnect, ...args]);

  /** A kafkajs admin connection: SASL handshake and authentication, then Metadata. */
  const canLogIn = async (mechanism: 'scram-sha-256' | 'scram-sha-512', username: string, password: string): Promise<boolean> => {
    const sasl = { mechanism, username, password } as SASLOptions;
    const admin = new Kafka({ clientId: 'configs-scram', brokers: [secure.bootstrap('SASL_PLAINTEXT')], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return true;
    } catch (err) {
      if (/authentication failed/i.test((err as Error).message)) return false;
      throw err;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, { protocols: ['SASL_PLAINTEXT'] });
    zk = await KafkaZkClient.connect(secure.cluster.zkConnect, 10000);
  });
  afterAll(async () => {
    await zk?.close();
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  test('--add-config SCRAM-SHA-256=[iterations=8192,password=..],SCRAM-SHA-512=[password=..] lets alice log in live with both; --delete-config SCRAM-SHA-512 shuts that one off', async () => {
    const added = await zafkaConfigs('--alter', '--add-config', 'SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]', '--entity-type', 'users', '--entity-name', 'alice');
    expect(added).toMatchObject({ code: 0, stdout: "Completed Updating config for entity: user-principal 'alice'.\n", stderr: '' });
    const znode = await userZnode('alice');
    expect(znode.version).toBe(1);
    // Kafka's Properties order puts SHA-512 first; the password itself is never stored.
    expect(Object.keys(znode.config)).toEqual(['SCRAM-SHA-512', 'SCRAM-SHA-256']);
    expect(JSON.stringify(znode)).not.toContain('alice-secret');
    expect(credentialShape(znode.config['SCRAM-SHA-256'])).toEqual({ saltChars: true, storedKeyBytes: 32, serverKeyBytes: 32, iterations: 8192 });
    expect(credentialShape(znode.config['SCRAM-SHA-512'])).toEqual({ saltChars: true, storedKeyBytes: 64, serverKeyBytes: 64, iterations: 4096 });

    await waitFor('alice logs in with SCRAM-SHA-256', () => canLogIn('scram-sha-256', 'alice', 'alice-secret'));
    expect(await canLogIn('scram-sha-512', 'alice', 'alice-secret')).toBe(true);
    expect(await canLogIn('scram-sha-256', 'alice', 'wrong-secret')).toBe(false);
    const listed = await kcat(['-L', '-b', secure.bootstrap('SASL_PLAINTEXT'), '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret', '-m', '10']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('1 brokers');

    const deleted = await zafkaConfigs('--alter', '--delete-config', 'SCRAM-SHA-512', '--entity-type', 'users', '--entity-name', 'alice');
    expect(deleted.code).toBe(0);
    expect(Object.keys((await userZnode('alice')).config)).toEqual(['SCRAM-SHA-256']);
    await waitFor('alice refused with SCRAM-SHA-512', async () => !(await canLogIn('scram-sha-512', 'alice', 'alice-secret')));
    expect(await canLogIn('scram-sha-256', 'alice', 'alice-secret')).toBe(true);
  });

  test('bad credential specs exit 1 with Kafka\'s message and write nothing', async () => {
    const cases: Array<[string, string]> = [
      ['SCRAM-SHA-256=[iterations=1000,password=x]', 'Iterations 1000 is less than the minimum 4096 required for SCRAM-SHA-256\n'],
      ['SCRAM-SHA-512=[pass=x]', 'Invalid credential property SCRAM-SHA-512=pass=x\n'],
      ['SCRAM-SHA-256=[iterations=,password=x]', 'For input string: ""\n'],
    ];
    for (const [spec, message] of cases) {
      const r = await zafkaConfigs('--alter', '--add-config', spec, '--entity-type', 'users', '--entity-name', 'mallory');
      expect(r).toMatchObject({ code: 1, stdout: '', stderr: message });
    }
    expect(await zk.zk.exists('/config/users/mallory')).toBeFalsy();
  });

  (KAFKA_DIST ? test : test.skip)("Kafka 2.4's kafka-configs.sh on the same chroot: same znode shape, its user logs in to Zafka, both tools describe users alike", async () => {
    const kafkaAdded = await runKafkaTool('kafka-configs.sh', ['--zookeeper', secure.cluster.zkConnect, '--alter', '--add-config', 'SCRAM-SHA-256=[iterations=8192,password=bob-secret],SCRAM-SHA-512=[password=bob-secret]', '--entity-type', 'users', '--entity-name', 'bob']);
    expect(kafkaAdded).toMatchObject({ code: 0, stdout: "Completed Updating config for entity: user-principal 'bob'.\n" });
    const zafkaAdded = await zafkaConfigs('--alter', '--add-config', 'SCRAM-SHA-256=[iterations=8192,password=carol-secret],SCRAM-SHA-512=[password=carol-secret]', '--entity-type', 'users', '--entity-name', 'carol');
    expect(zafkaAdded.code).toBe(0);
    const bob = await userZnode('bob');
    const carol = await userZnode('carol');
    expect(Object.keys(carol)).toEqual(Object.keys(bob));
    expect(Object.keys(carol.config)).toEqual(Object.keys(bob.config));
    for (const m of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) expect(credentialShape(carol.config[m])).toEqual(credentialShape(bob.config[m]));
    // Both wrote one version-2 notification per change.
    const changes = await Promise.all((await zk.zk.getChildren('/config/changes')).sort().slice(-2).map(async (n) => (await zk.zk.getData(`/config/changes/${n}`)).data!.toString()));
    expect(changes).toEqual(['{"version":2,"entity_path":"users/bob"}', '{"version":2,"entity_path":"users/carol"}']);

    await waitFor('bob (written by Kafka 2.4) logs in', () => canLogIn('scram-sha-512', 'bob', 'bob-secret'));
    expect(await canLogIn('scram-sha-256', 'bob', 'bob-secret')).toBe(true);

    const kafkaDescribe = await runKafkaTool('kafka-configs.sh', ['--zookeeper', secure.cluster.zkConnect, '--describe', '--entity-type', 'users']);
    const zafkaDescribe = await zafkaConfigs('--describe', '--entity-type', 'users');
    expect(kafkaDescribe.code).toBe(0);
    expect(zafkaDescribe.stdout).toBe(kafkaDescribe.stdout);
    expect(zafkaDescribe.stdout).toMatch(/^Configs for user-principal 'bob' are SCRAM-SHA-512=salt=/m);
  });
});
