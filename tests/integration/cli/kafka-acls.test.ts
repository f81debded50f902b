// kafka-acls against a real ZooKeeper, a real broker running the ACL authorizer (super user
// User:admin and the inter-broker User:ANONYMOUS, no access without an ACL) with a SASL/PLAIN listener, real clients (kafkajs) and
// Kafka 2.4's own kafka-acls.sh on the same chroot and broker:
//  - --authorizer-properties zookeeper.connect: ACLs Zafka's tool writes are listed alike by Kafka's
//    tool, ACLs Kafka's tool writes are listed by Zafka's, and the broker applies both live;
//  - --bootstrap-server + --command-config (SASL): add/list/remove through CreateAcls/DescribeAcls/
//    DeleteAcls as admin, output alike Kafka's tool; a non-super user is refused
//    (ClusterAuthorizationException, exit 1);
//  - bad command lines: Kafka's message (and usage), exit 1, nothing written.
// Kafka prints ACLs from hash sets, in an order that varies between its own runs: listings are
// compared as sets of blocks of sets of lines, and exactly where a block has one entry.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_DIST, runKafkaTool } from '../../helpers/reference-kafka';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';
import { runCli } from './run-cli';

jest.setTimeout(240000);

/** Kafka's blocks as a sorted list of "header | sorted entry lines" (see the file comment). */
function normalized(stdout: string): string[] {
  return stdout
    .split('\n\n')
    .map((chunk) => chunk.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const headers = lines.filter((l) => !/^[ \t]/.test(l)).map((l) => l.trimEnd());
      const entries = lines.filter((l) => /^[ \t]/.test(l)).map((l) => l.trim()).sort();
      return `${headers.join(' / ')} | ${entries.join(' ; ')}`;
    })
    .sort();
}

describe('kafka-acls', () => {
  let certs: TestCerts;
  let secure: SecureCluster;
  let adminConfig: string;
  let aliceConfig: string;
  const zkArgs = () => ['--authorizer-properties', `zookeeper.connect=${secure.cluster.zkConnect}`];
  const zafkaAcls = (...args: string[]) => runCli('kafka-acls', args);

  /** Produces one record as alice over SASL/PLAIN; the error's type name on refusal. */
  const aliceProduces = async (topic: string): Promise<string> => {
    const kafka = new Kafka({
      clientId: 'acl-test', brokers: [secure.bootstrap('SASL_PLAINTEXT')], logLevel: logLevel.NOTHING, retry: { retries: 0 },
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: 'v' }] });
      return 'ok';
    } catch (err) {
      // kafkajs names the code (type), or for a refused metadata request only says it in words.
      const message = (err as Error).message;
      return (err as { type?: string }).type ?? (/Topic authorization failed/.test(message) ? 'TOPIC_AUTHORIZATION_FAILED' : message);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, {
      protocols: ['SASL_PLAINTEXT'],
      // The broker talks to itself (UpdateMetadata) on PLAINTEXT as User:ANONYMOUS: a super user, as
      // a real Kafka's inter-broker principal must be.
      config: { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:admin;User:ANONYMOUS', 'sasl.enabled.mechanisms': 'PLAIN' },
    });
    for (const t of ['granted', 'refused', 'by-kafka']) {
      const r = await runCli('kafka-topics', ['--zookeeper', secure.cluster.zkConnect, '--create', '--topic', t, '--partitions', '1', '--replication-factor', '1']);
      expect(r.code).toBe(0);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acl-tools-'));
    const clientConfig = (user: string) => {
      const file = path.join(dir, `${user}.properties`);
      fs.writeFileSync(file, `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${user}-secret";\n`);
      return file;
    };
    adminConfig = clientConfig('admin');
    aliceConfig = clientConfig('alice');
  });
  afterAll(async () => {
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  test('--authorizer-properties: --producer ACLs written by Zafka let alice produce live; a deny ACL refuses her (TOPIC_AUTHORIZATION_FAILED)', async () => {
    expect(await aliceProduces('granted')).toBe('TOPIC_AUTHORIZATION_FAILED');
    const added = await zafkaAcls(...zkArgs(), '--add', '--producer', '--topic', 'granted', '--allow-principal', 'User:alice');
    expect(added.code).toBe(0);
    expect(normalized(added.stdout)).toEqual([
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=granted, patternType=LITERAL)`: | ' +
        ['(principal=User:alice, host=*, operation=CREATE, permissionType=ALLOW)', '(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW)', '(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)'].join(' ; '),
      'Current ACLs for resource `Topic:LITERAL:granted`: | ' +
        ['User:alice has Allow permission for operations: Create from hosts: *', 'User:alice has Allow permission for operations: Describe from hosts: *', 'User:alice has Allow permission for operations: Write from hosts: *'].join(' ; '),
    ]);
    await waitFor('alice may produce to granted', async () => (await aliceProduces('granted')) === 'ok');

    // Allowed to everyone on every topic, but denied to alice on "refused" from any host: deny wins.
    expect((await zafkaAcls(...zkArgs(), '--add', '--allow-principal', 'User:*', '--operation', 'All', '--topic', '*')).code).toBe(0);
    const denied = await zafkaAcls(...zkArgs(), '--add', '--deny-principal', 'User:alice', '--operation', 'Write', '--topic', 'ref', '--resource-pattern-type', 'prefixed');
    expect(denied).toMatchObject({
      code: 0,
      stdout:
        'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=ref, patternType=PREFIXED)`: \n \t(principal=User:alice, host=*, operation=WRITE, permissionType=DENY) \n\n' +
        'Current ACLs for resource `Topic:PREFIXED:ref`: \n \tUser:alice has Deny permission for operations: Write from hosts: * \n\n',
    });
    await waitFor('alice refused on refused', async () => (await aliceProduces('refused')) === 'TOPIC_AUTHORIZATION_FAILED');
    expect(await aliceProduces('granted')).toBe('ok');

    // --resource-pattern-type match lists every pattern that applies to the name.
    const matching = await zafkaAcls(...zkArgs(), '--list', '--topic', 'refused', '--resource-pattern-type', 'match');
    expect(normalized(matching.stdout)).toEqual([
      'Current ACLs for resource `Topic:LITERAL:*`: | User:* has Allow permission for operations: All from hosts: *',
      'Current ACLs for resource `Topic:PREFIXED:ref`: | User:alice has Deny permission for operations: Write from hosts: *',
    ]);

    // --remove of one entry, and of a whole resource; the broker follows.
    const removed = await zafkaAcls(...zkArgs(), '--remove', '--force', '--deny-principal', 'User:alice', '--operation', 'Write', '--topic', 'ref', '--resource-pattern-type', 'prefixed');
    expect(removed).toMatchObject({ code: 0, stdout: '' });
    await waitFor('alice may produce to refused again', async () => (await aliceProduces('refused')) === 'ok');
    expect((await zafkaAcls(...zkArgs(), '--remove', '--force', '--topic', '*')).code).toBe(0);
  });

  (KAFKA_DIST ? test : test.skip)("--authorizer-properties: Kafka 2.4's kafka-acls.sh lists what Zafka's wrote and the reverse; the broker applies Kafka-written ACLs", async () => {
    expect((await zafkaAcls(...zkArgs(), '--add', '--consumer', '--topic', 'granted', '--group', 'g1', '--allow-principal', 'User:bob', '--allow-host', '10.1.1.1')).code).toBe(0);
    const kafkaAdded = await runKafkaTool('kafka-acls.sh', [...zkArgs(), '--add', '--allow-principal', 'User:alice', '--operation', 'Write', '--operation', 'Describe', '--topic', 'by-kafka']);
    expect(kafkaAdded.code).toBe(0);
    const zafkaList = await zafkaAcls(...zkArgs(), '--list');
    const kafkaList = await runKafkaTool('kafka-acls.sh', [...zkArgs(), '--list']);
    expect(kafkaList.code).toBe(0);
    expect(normalized(zafkaList.stdout)).toEqual(normalized(kafkaList.stdout));
    expect(zafkaList.stdout).toContain('Current ACLs for resource `Topic:LITERAL:by-kafka`');
    expect(zafkaList.stdout).toContain('User:bob has Allow permission for operations: Read from hosts: 10.1.1.1');
    await waitFor('alice may produce to by-kafka', async () => (await aliceProduces('by-kafka')) === 'ok');
    // The --principal listing, as Kafka's.
    const mine = await zafkaAcls(...zkArgs(), '--list', '--principal', 'User:bob');
    expect(mine.stdout.startsWith('ACLs for principal `User:bob`\n')).toBe(true);
    expect(normalized(mine.stdout)).toEqual([
      'ACLs for principal `User:bob` / Current ACLs for resource `Topic:LITERAL:granted`: | User:bob has Allow permission for operations: Describe from hosts: 10.1.1.1 ; User:bob has Allow permission for operations: Read from hosts: 10.1.1.1',
      'Current ACLs for resource `Group:LITERAL:g1`: | User:bob has Allow permission for operations: Read from hosts: 10.1.1.1',
    ]);
  });

  test('--bootstrap-server with --command-config (SASL admin): add, list, remove through the ACL APIs; alice (not a super user) is refused', async () => {
    const bootstrap = secure.bootstrap('SASL_PLAINTEXT');
    const added = await zafkaAcls('--bootstrap-server', bootstrap, '--command-config', adminConfig, '--add', '--allow-principal', 'User:carol', '--operation', 'Read', '--group', 'team-', '--resource-pattern-type', 'prefixed');
    expect(added).toMatchObject({
      code: 0,
      stdout:
        'Adding ACLs for resource `ResourcePattern(resourceType=GROUP, name=team-, patternType=PREFIXED)`: \n \t(principal=User:carol, host=*, operation=READ, permissionType=ALLOW) \n\n' +
        'Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=team-, patternType=PREFIXED)`: \n \t(principal=User:carol, host=*, operation=READ, permissionType=ALLOW) \n\n',
    });
    // ZooKeeper mode sees it too (same store).
    const viaZk = await zafkaAcls(...zkArgs(), '--list', '--group', 'team-', '--resource-pattern-type', 'prefixed');
    expect(viaZk.stdout).toBe('Current ACLs for resource `Group:PREFIXED:team-`: \n \tUser:carol has Allow permission for operations: Read from hosts: * \n\n');

    if (KAFKA_DIST) {
      const kafkaList = await runKafkaTool('kafka-acls.sh', ['--bootstrap-server', bootstrap, '--command-config', adminConfig, '--list', '--group', 'team-x', '--resource-pattern-type', 'match']);
      const zafkaList = await zafkaAcls('--bootstrap-server', bootstrap, '--command-config', adminConfig, '--list', '--group', 'team-x', '--resource-pattern-type', 'match');
      expect(kafkaList.code).toBe(0);
      expect(zafkaList.stdout).toBe(kafkaList.stdout);
    }

    const refused = await zafkaAcls('--bootstrap-server', bootstrap, '--command-config', aliceConfig, '--add', '--allow-principal', 'User:alice', '--operation', 'All', '--cluster');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Error while executing ACL command: org.apache.kafka.common.errors.ClusterAuthorizationException');

    const removed = await zafkaAcls('--bootstrap-server', bootstrap, '--command-config', adminConfig, '--remove', '--force', '--group', 'team-', '--resource-pattern-type', 'prefixed');
    expect(removed).toMatchObject({ code: 0, stdout: '' });
    expect((await zafkaAcls(...zkArgs(), '--list', '--group', 'team-', '--resource-pattern-type', 'prefixed')).stdout).toBe('');
    expect(secure.cluster.broker(0).process?.exitCode).toBeNull();
  });

  test.each([
    [['--list', '--add'], 'Command must include exactly one action: --list, --add, --remove. '],
    [['--add', '--producer', '--allow-principal', 'User:a'], 'With --producer you must specify a --topic'],
    [['--add', '--allow-principal', 'User:a', '--operation', 'Write', '--group', 'g'], 'ResourceType GROUP only supports operations Read,Describe,Delete,All'],
    [['--add', '--topic', 't'], 'You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.'],
    [['--add', '--allow-principal', 'User:a', '--topic', 't', '--resource-pattern-type', 'match'], "A '--resource-pattern-type' value of 'MATCH' is not valid when adding acls."],
    [['--remove', '--force'], 'You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>'],
  ])('usage error %j: Kafka\'s message and the usage, exit 1', async (args, message) => {
    const r = await zafkaAcls(...zkArgs(), ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(`${message}\n`)).toBe(true);
    expect(r.stderr).toContain('--resource-pattern-type');
  });

  test.each([
    [['--add', '--allow-principal', 'User:a', '--operation', 'Bogus', '--topic', 'bad-op'], 'Bogus not a valid operation name. The valid names are Read,Write,Create,Delete,Alter,Describe,ClusterAction,AlterConfigs,DescribeConfigs,IdempotentWrite,All'],
    [['--add', '--allow-principal', 'bogus', '--topic', 'bad-principal'], 'expected a string in format principalType:principalName but got bogus'],
  ])('bad value %j: "Error while executing ACL command" on stdout, exit 1, nothing written', async (args, message) => {
    const r = await zafkaAcls(...zkArgs(), ...args);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`Error while executing ACL command: ${message}`);
    expect((await zafkaAcls(...zkArgs(), '--list', '--topic', args[args.length - 1])).stdout).toBe('');
  });
});
