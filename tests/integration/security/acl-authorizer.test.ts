// The ACL authorizer (Kafka 2.4's AclAuthorizer) on a real 2-broker cluster with SASL/PLAIN users
// admin (super user), alice and bob, driven by kcat and kafkajs: each principal is allowed or refused
// produce, consume, group membership, topic create and delete per its ACLs, with Kafka's
// TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED; Metadata hides what a principal may not Describe;
// CreateAcls/DescribeAcls/DeleteAcls round-trip; ACLs written by hand in Kafka's znode format
// (plus a change notification) take effect live on both brokers; every denial is one log line in
// Kafka's kafka-authorizer.log format. A second, 1-broker cluster checks
// allow.everyone.if.no.acl.found, and a broker with an unknown authorizer class refuses to start.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../../../broker/protocol/messages/acls';
import { DescribeGroups } from '../../../broker/protocol/messages/describe-groups';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { WriteTxnMarkers } from '../../../broker/protocol/messages/write-txn-markers';
import { CreateMode, ZooKeeperClient } from '../../../controller/zk/zookeeper-client';
import { TestCluster } from '../../helpers/cluster';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { kcat, run } from '../../helpers/kcat';
import { KAFKA_DIST } from '../../helpers/reference-kafka';
import { makeTestCerts, startSecureCluster, type SecureCluster, type TestCerts } from '../../helpers/secure-cluster';
import { waitFor } from '../../helpers/wait';

registerKafkajsCodecs();

const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret" user_bob="bob-secret";';
const PASSWORDS: Record<string, string> = { admin: 'admin-secret', alice: 'alice-secret', bob: 'bob-secret' };

const AUTHORIZER_CONFIG = {
  'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
  // The harness and inter-broker traffic use the PLAINTEXT listener (User:ANONYMOUS).
  'super.users': 'User:ANONYMOUS;User:admin',
  'listener.name.sasl_plaintext.sasl.enabled.mechanisms': 'PLAIN',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  // __transaction_state on two brokers (Kafka's default replication factor 3 needs three)
  'transaction.state.log.replication.factor': '2',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '3',
};

describe('ACL authorizer on a 2-broker SASL/PLAIN cluster', () => {
  let certs: TestCerts;
  let secure: SecureCluster;
  let admin: Admin;
  const clients: { disconnect(): Promise<void> }[] = [];

  const kafkajs = (user: string, retries = 2) =>
    new Kafka({
      clientId: `acl-${user}`,
      brokers: secure.bootstrap('SASL_PLAINTEXT').split(','),
      sasl: { mechanism: 'plain', username: user, password: PASSWORDS[user] },
      logLevel: process.env.ACL_TEST_DEBUG ? logLevel.DEBUG : logLevel.NOTHING,
      retry: { retries, initialRetryTime: 100 },
    });
  const saslArgs = (user: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', `sasl.username=${user}`, '-X', `sasl.password=${PASSWORDS[user]}`];
  const kcatProduce = (user: string, topic: string, lines: string[]) =>
    kcat(['-P', '-b', secure.bootstrap('SASL_PLAINTEXT'), ...saslArgs(user), '-t', topic], { input: lines.join('\n') + '\n' });
  const kcatConsume = (user: string, topic: string) =>
    kcat(['-C', '-b', secure.bootstrap('SASL_PLAINTEXT'), ...saslArgs(user), '-t', topic, '-o', 'beginning', '-e', '-q']);
  /** What one broker's Metadata tells `user` about `topic` (kcat -L against that broker alone). */
  const metadataFromBroker = async (brokerId: number, user: string, topic: string) => {
    const r = await kcat(['-L', '-b', `127.0.0.1:${secure.ports.get(brokerId)!.SASL_PLAINTEXT}`, ...saslArgs(user), '-t', topic]);
    return r.stdout + r.stderr;
  };
  const output = () => secure.cluster.brokers.map((b) => secure.cluster.output(b.id)).join('\n');

  const allow = (resourceType: AclResourceTypes, resourceName: string, principal: string, operation: AclOperationTypes, resourcePatternType = ResourcePatternTypes.LITERAL) => ({
    resourceType, resourceName, resourcePatternType, principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
  });

  beforeAll(async () => {
    certs = makeTestCerts();
    secure = await startSecureCluster(certs, { brokers: 2, protocols: ['SASL_PLAINTEXT'], config: AUTHORIZER_CONFIG });
    admin = kafkajs('admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: ['t1', 'hidden', 't2', 'kt'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 2 })), waitForLeaders: true });
  });

  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => undefined);
    await admin?.disconnect();
    await secure?.cluster.stop();
    if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  test('without ACLs alice is refused produce (TOPIC_AUTHORIZATION_FAILED, kcat and kafkajs), sees no topics, and each denial is one authorizer log line', async () => {
    const produced = await kcatProduce('alice', 't1', ['nope']);
    expect(produced.stderr).toMatch(/Topic authorization failed/);
    const producer = kafkajs('alice').producer();
    clients.push(producer);
    await producer.connect();
    await expect(producer.send({ topic: 't1', messages: [{ value: 'nope' }] })).rejects.toThrow(/Not authorized to access topics: \[Topic authorization failed\]/);
    const aliceAdmin = kafkajs('alice').admin();
    clients.push(aliceAdmin);
    await aliceAdmin.connect();
    expect(await aliceAdmin.listTopics()).toEqual([]);
    expect(output()).toMatch(/INFO Principal = User:alice is Denied Operation = Describe from host = 127\.0\.0\.1 on resource = Topic:LITERAL:t1 for request = Metadata with resourceRefCount = 1 \(kafka\.authorizer\.logger\)/);
    // nothing was written
    expect((await kcatConsume('admin', 't1')).stdout).toBe('');
  });

  test('CreateAcls, DescribeAcls and DeleteAcls round-trip for the super user; alice gets CLUSTER_AUTHORIZATION_FAILED', async () => {
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'rt-', 'User:bob', AclOperationTypes.READ, ResourcePatternTypes.PREFIXED), allow(AclResourceTypes.GROUP, 'rt', 'User:bob', AclOperationTypes.READ)] });
    const described = await admin.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal: 'User:bob', operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
    expect(described.resources.map((r) => [r.resourceType, r.resourceName, r.resourcePatternType]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [AclResourceTypes.TOPIC, 'rt-', ResourcePatternTypes.PREFIXED],
      [AclResourceTypes.GROUP, 'rt', ResourcePatternTypes.LITERAL],
    ]);
    expect(described.resources[0].acls).toEqual([expect.objectContaining({ principal: 'User:bob', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW })]);
    // MATCH: the prefixed ACL applies to the topic rt-1
    const matched = await admin.describeAcls({ resourceType: AclResourceTypes.TOPIC, resourceName: 'rt-1', resourcePatternType: ResourcePatternTypes.MATCH, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
    expect(matched.resources.map((r) => r.resourceName)).toEqual(['rt-']);
    const deleted = await admin.deleteAcls({ filters: [{ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal: 'User:bob', operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }] });
    expect(deleted.filterResponses[0].errorCode).toBe(0);
    expect(deleted.filterResponses[0].matchingAcls.map((a) => a.resourceName).sort()).toEqual(['rt', 'rt-']);
    const after = await admin.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, principal: 'User:bob', operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY });
    expect(after.resources).toEqual([]);

    const aliceAdmin = kafkajs('alice').admin();
    clients.push(aliceAdmin);
    await aliceAdmin.connect();
    await expect(aliceAdmin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 't1', 'User:alice', AclOperationTypes.ALL)] })).rejects.toMatchObject({ type: 'CLUSTER_AUTHORIZATION_FAILED' });
  });

  test('bad ACL requests get INVALID_REQUEST per creation / filter and one log line, store nothing, and leave the broker serving', async () => {
    // The harness listener (PLAINTEXT, User:ANONYMOUS, a super user) lets raw requests through authorization.
    const client = await KafkaClient.connect('127.0.0.1', secure.cluster.brokers[0].port, { clientId: 'acl-raw' });
    try {
      const good = { resourceType: 2, resourceName: 'raw', resourcePatternType: 3, principal: 'User:carol', host: '*', operation: 3, permissionType: 3 };
      const created = await client.send(CreateAcls, 1, {
        creations: [
          { ...good, resourceType: 0 }, // UNKNOWN resource type
          { ...good, resourcePatternType: 2 }, // MATCH is a filter, not a pattern
          { ...good, operation: 1 }, // ANY operation
          { ...good, principal: 'carol' }, // no principal type
          { ...good, resourceType: 4, resourceName: 'my-cluster' }, // Cluster must be kafka-cluster
          { ...good, resourceName: '' },
          good,
        ],
      });
      expect(created.results.map((r) => r.errorCode)).toEqual([...Array(6).fill(ErrorCode.INVALID_REQUEST), ErrorCode.NONE]);
      expect(created.results[4].errorMessage).toBe('The only valid name for the CLUSTER resource is kafka-cluster');
      const unknownFilter = { resourceTypeFilter: 0, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 };
      expect(await client.send(DescribeAcls, 1, unknownFilter)).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, resources: [] });
      const deleted = await client.send(DeleteAcls, 1, { filters: [unknownFilter, { ...unknownFilter, resourceTypeFilter: 1, principalFilter: 'User:carol' }] });
      expect(deleted.filterResults.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.NONE]);
      expect(deleted.filterResults[1].matchingAcls).toEqual([expect.objectContaining({ resourceName: 'raw', principal: 'User:carol', operation: 3, permissionType: 3 })]);
      const left = await client.send(DescribeAcls, 1, { ...unknownFilter, resourceTypeFilter: 1, principalFilter: 'User:carol' });
      expect(left).toMatchObject({ errorCode: ErrorCode.NONE, resources: [] });
      expect(output().split('\n').filter((l) => l.includes('Refused 6 ACL creation(s) from client acl-raw'))).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  test('Write lets alice produce and Read (topic + group) lets her consume in a group; bob without the group ACL gets GROUP_AUTHORIZATION_FAILED', async () => {
    await admin.createAcls({
      acl: [
        allow(AclResourceTypes.TOPIC, 't1', 'User:alice', AclOperationTypes.WRITE),
        allow(AclResourceTypes.TOPIC, 't1', 'User:alice', AclOperationTypes.READ),
        allow(AclResourceTypes.GROUP, 'alice-group', 'User:alice', AclOperationTypes.READ),
        allow(AclResourceTypes.TOPIC, 't1', 'User:bob', AclOperationTypes.READ),
      ],
    });
    await waitFor('alice can produce to t1 with kcat', async () => (await kcatProduce('alice', 't1', ['k1', 'k2'])).stderr === '');
    const producer = kafkajs('alice').producer();
    clients.push(producer);
    await producer.connect();
    await producer.send({ topic: 't1', messages: [{ value: 'j1' }] });
    expect((await kcatConsume('alice', 't1')).stdout.trim().split('\n')).toEqual(['k1', 'k2', 'j1']);
    // Metadata now shows t1 (Describe implied by Read/Write) and still hides the rest
    const aliceAdmin = kafkajs('alice').admin();
    clients.push(aliceAdmin);
    await aliceAdmin.connect();
    expect(await aliceAdmin.listTopics()).toEqual(['t1']);

    // The group coordinator needs __consumer_offsets, created on first use: retry for a while.
    const consumer = kafkajs('alice', 10).consumer({ groupId: 'alice-group' });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 't1', fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor('alice consumes 3 records in her group', async () => seen.length === 3, 60000);
    await consumer.disconnect();

    const bob = kafkajs('bob').consumer({ groupId: 'alice-group', retry: { retries: 0 } });
    clients.push(bob);
    await bob.connect();
    await bob.subscribe({ topic: 't1', fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) => bob.on(bob.events.CRASH, (e) => resolve(e.payload.error)));
    await bob.run({ eachMessage: async () => undefined });
    // kafkajs reports FindCoordinator's GROUP_AUTHORIZATION_FAILED as "Failed to find group coordinator"
    expect(String(await crashed)).toMatch(/Failed to find group coordinator/);
    expect(output()).toMatch(/Principal = User:bob is Denied Operation = Describe from host = 127\.0\.0\.1 on resource = Group:LITERAL:alice-group for request = FindCoordinator/);
    // bob may read t1 (kcat, no group) but not write it
    expect((await kcatConsume('bob', 't1')).stdout.trim().split('\n')).toHaveLength(3);
    expect((await kcatProduce('bob', 't1', ['x'])).stderr).toMatch(/Topic authorization failed/);
  });

  test('KIP-430: Metadata v8 and DescribeGroups v3 report the operations each principal is allowed', async () => {
    const as = (user: string, port = secure.ports.get(1)!.SASL_PLAINTEXT) => KafkaClient.connect('127.0.0.1', port, {
      clientId: `kip430-${user}`,
      security: { sasl: { mechanism: 'PLAIN', username: user, password: PASSWORDS[user] } },
    });
    const bit = (...codes: number[]) => codes.reduce((n, c) => n | (1 << c), 0);
    const alice = await as('alice');
    const admin2 = await as('admin');
    try {
      const request = { topics: [{ name: 't1' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true };
      const forAlice = await alice.send(Metadata, 8, request);
      // Read (3), Write (4) and the Describe (8) they imply; no Describe on the Cluster: 0
      expect(forAlice.topics.map((t) => [t.name, t.errorCode, t.topicAuthorizedOperations])).toEqual([['t1', ErrorCode.NONE, bit(3, 4, 8)]]);
      expect(forAlice.clusterAuthorizedOperations).toBe(0);
      const forAdmin = await admin2.send(Metadata, 8, request);
      expect(forAdmin.topics[0].topicAuthorizedOperations).toBe(bit(3, 4, 5, 8, 6, 7, 10, 11));
      expect(forAdmin.clusterAuthorizedOperations).toBe(bit(5, 9, 10, 11, 12, 7, 8));
      // DescribeGroups goes to the group's coordinator
      const coordinator = await alice.send(FindCoordinator, 2, { key: 'alice-group', keyType: 0 });
      expect(coordinator.errorCode).toBe(ErrorCode.NONE);
      const aliceAtCoordinator = await as('alice', coordinator.port);
      const groups = await aliceAtCoordinator.send(DescribeGroups, 3, { groups: ['alice-group', 'rt'], includeAuthorizedOperations: true }).finally(() => aliceAtCoordinator.close());
      expect(groups.groups.map((g) => [g.groupId, g.errorCode, g.authorizedOperations])).toEqual([
        ['alice-group', ErrorCode.NONE, bit(3, 8)],
        ['rt', ErrorCode.GROUP_AUTHORIZATION_FAILED, -2147483648],
      ]);
    } finally {
      alice.close();
      admin2.close();
    }
  });

  test('an idempotent producer needs IdempotentWrite on the Cluster (CLUSTER_AUTHORIZATION_FAILED otherwise); auto-creation needs Create', async () => {
    const idempotent = kafkajs('alice').producer({ idempotent: true, maxInFlightRequests: 1 });
    clients.push(idempotent);
    // kafkajs asks for its producer id (InitProducerId) when it connects
    await expect(idempotent.connect()).rejects.toThrow(/Cluster authorization failed/);
    expect(output()).toMatch(/Principal = User:alice is Denied Operation = IdempotentWrite from host = 127\.0\.0\.1 on resource = Cluster:LITERAL:kafka-cluster for request = InitProducerId/);
    await idempotent.disconnect();
    await admin.createAcls({ acl: [allow(AclResourceTypes.CLUSTER, 'kafka-cluster', 'User:alice', AclOperationTypes.IDEMPOTENT_WRITE)] });
    const retried = kafkajs('alice').producer({ idempotent: true, maxInFlightRequests: 1 });
    clients.push(retried);
    await waitFor('alice produces idempotently', async () => {
      await retried.connect();
      return retried.send({ topic: 't1', messages: [{ value: 'i1' }] }).then(() => true, () => false);
    });

    // Describe (implied by Write) on auto- topics, but no Create: Metadata refuses to auto-create
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'auto-', 'User:alice', AclOperationTypes.WRITE, ResourcePatternTypes.PREFIXED)] });
    await waitFor('auto-1 is refused for lack of Create', async () => /Topic authorization failed/.test((await kcatProduce('alice', 'auto-1', ['a'])).stderr));
    expect(await admin.listTopics()).not.toContain('auto-1');
    expect(output()).toMatch(/Principal = User:alice is Denied Operation = Create from host = 127\.0\.0\.1 on resource = Topic:LITERAL:auto-1 for request = Metadata/);
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'auto-', 'User:alice', AclOperationTypes.CREATE, ResourcePatternTypes.PREFIXED)] });
    await waitFor('alice auto-creates auto-1 by producing', async () => (await kcatProduce('alice', 'auto-1', ['a'])).stderr === '');
    expect(await admin.listTopics()).toContain('auto-1');
  });

  test('a transactional producer needs Describe and Write on its TransactionalId (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise) and Write on the topics it adds; a WriteTxnMarkers from a client gets CLUSTER_AUTHORIZATION_FAILED', async () => {
    // alice has Write on t1 and IdempotentWrite from the tests above, nothing on tx-alice.
    const refused = kafkajs('alice', 1).producer({ transactionalId: 'tx-alice', idempotent: true, maxInFlightRequests: 1 });
    clients.push(refused);
    await refused.connect();
    await expect(refused.transaction()).rejects.toThrow();
    expect(output()).toMatch(/Principal = User:alice is Denied Operation = Describe from host = 127\.0\.0\.1 on resource = TransactionalId:LITERAL:tx-alice for request = FindCoordinator/);
    await refused.disconnect();

    // Describe on tx-denied (so Metadata shows it) but no Write: AddPartitionsToTxn must refuse it.
    await admin.createTopics({ topics: [{ topic: 'tx-denied', numPartitions: 1, replicationFactor: 2 }], waitForLeaders: true });
    await admin.createAcls({
      acl: [
        allow(AclResourceTypes.TRANSACTIONAL_ID, 'tx-alice', 'User:alice', AclOperationTypes.WRITE),
        allow(AclResourceTypes.TOPIC, 'tx-denied', 'User:alice', AclOperationTypes.DESCRIBE),
      ],
    });
    const producer = kafkajs('alice').producer({ transactionalId: 'tx-alice', idempotent: true, maxInFlightRequests: 1 });
    clients.push(producer);
    await producer.connect();
    await waitFor('the ACL on tx-alice to reach the coordinator', async () => {
      const txn = await producer.transaction().catch(() => null);
      if (txn === null) return false;
      await txn.abort().catch(() => undefined);
      return true;
    }, 60000);
    // tx-denied is not writable by alice: AddPartitionsToTxn answers TOPIC_AUTHORIZATION_FAILED
    const denied = await producer.transaction();
    await expect(denied.send({ topic: 'tx-denied', messages: [{ value: 'no' }] })).rejects.toThrow();
    await waitFor('the AddPartitionsToTxn denial in the authorizer log', () =>
      /Principal = User:alice is Denied Operation = Write from host = 127\.0\.0\.1 on resource = Topic:LITERAL:tx-denied for request = AddPartitionsToTxn/.test(output()),
    );
    await producer.disconnect();

    const committer = kafkajs('alice').producer({ transactionalId: 'tx-alice', idempotent: true, maxInFlightRequests: 1 });
    clients.push(committer);
    await committer.connect();
    const txn = await committer.transaction();
    await txn.send({ topic: 't1', messages: [{ value: 'in-a-transaction' }] });
    await txn.commit();

    // Markers are the brokers' business (ClusterAction): a client's WriteTxnMarkers writes nothing.
    const raw = await KafkaClient.connect('127.0.0.1', secure.ports.get(1)!.SASL_PLAINTEXT, {
      clientId: 'acl-markers',
      security: { sasl: { mechanism: 'PLAIN', username: 'alice', password: PASSWORDS.alice } },
    });
    try {
      const r = await raw.send(WriteTxnMarkers, 0, { markers: [{ producerId: 1, producerEpoch: 0, transactionResult: true, topics: [{ name: 't1', partitionIndexes: [0] }], coordinatorEpoch: 0 }] });
      expect(r.markers[0].topics[0].partitions[0].errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    } finally {
      raw.close();
    }
  });

  test('topic create needs Create (Cluster or topic, PREFIXED works) and delete needs Delete: TOPIC_AUTHORIZATION_FAILED otherwise', async () => {
    const aliceAdmin = kafkajs('alice').admin();
    clients.push(aliceAdmin);
    await aliceAdmin.connect();
    await expect(aliceAdmin.createTopics({ topics: [{ topic: 'alice-1' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })] });
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'alice-', 'User:alice', AclOperationTypes.CREATE, ResourcePatternTypes.PREFIXED)] });
    await waitFor('alice can create alice-1', async () => aliceAdmin.createTopics({ topics: [{ topic: 'alice-1' }], waitForLeaders: true }).then(() => true, () => false));
    await expect(aliceAdmin.createTopics({ topics: [{ topic: 'bob-1' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })] });
    expect(await admin.listTopics()).toContain('alice-1');
    expect(await admin.listTopics()).not.toContain('bob-1');

    await expect(aliceAdmin.deleteTopics({ topics: ['alice-1'] })).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'alice-1', 'User:alice', AclOperationTypes.DELETE)] });
    await aliceAdmin.deleteTopics({ topics: ['alice-1'] });
    await waitFor('alice-1 is gone', async () => !(await admin.listTopics()).includes('alice-1'));
  });

  test("ACLs written by hand in Kafka's znode format take effect on both brokers through change notifications, and so does their removal", async () => {
    const zk = await ZooKeeperClient.connect(secure.cluster.zkConnect, 10000);
    try {
      for (const id of [1, 2]) expect(await metadataFromBroker(id, 'bob', 't2')).toMatch(/Topic authorization failed/);
      await zk.create('/kafka-acl/Topic/t2', Buffer.from('{"version":1,"acls":[{"principal":"User:bob","permissionType":"Allow","operation":"Describe","host":"*"}]}'));
      await zk.create('/kafka-acl-changes/acl_changes_', Buffer.from('Topic:t2'), CreateMode.PERSISTENT_SEQUENTIAL);
      for (const id of [1, 2]) await waitFor(`broker ${id} lets bob describe t2`, async () => !/authorization failed/.test(await metadataFromBroker(id, 'bob', 't2')));
      // prefixed ACLs use the extended store and JSON notifications
      await zk.create('/kafka-acl-extended/prefixed/Topic/t', Buffer.from('{"version":1,"acls":[{"principal":"User:*","permissionType":"Deny","operation":"Describe","host":"*"}]}'));
      await zk.create('/kafka-acl-extended-changes/acl_changes_', Buffer.from('{"version":1,"resourceType":"Topic","name":"t","patternType":"PREFIXED"}'), CreateMode.PERSISTENT_SEQUENTIAL);
      for (const id of [1, 2]) await waitFor(`broker ${id} applies the prefixed Deny`, async () => /Topic authorization failed/.test(await metadataFromBroker(id, 'bob', 't2')));
      await zk.delete('/kafka-acl-extended/prefixed/Topic/t');
      await zk.create('/kafka-acl-extended-changes/acl_changes_', Buffer.from('{"version":1,"resourceType":"Topic","name":"t","patternType":"PREFIXED"}'), CreateMode.PERSISTENT_SEQUENTIAL);
      for (const id of [1, 2]) await waitFor(`broker ${id} drops the prefixed Deny`, async () => !/authorization failed/.test(await metadataFromBroker(id, 'bob', 't2')));
      // A damaged ACL znode is one error line per broker; the ACLs last read stay in force, as in Kafka.
      await zk.setData('/kafka-acl/Topic/t2', Buffer.from('{"version":1,"acls":[{"principal":"bob"'));
      await zk.create('/kafka-acl-changes/acl_changes_', Buffer.from('Topic:t2'), CreateMode.PERSISTENT_SEQUENTIAL);
      await waitFor('both brokers log the damaged znode', async () => output().split('\n').filter((l) => l.includes('Cannot reload the ACLs of Topic:LITERAL:t2')).length === 2);
      for (const id of [1, 2]) expect(await metadataFromBroker(id, 'bob', 't2')).not.toMatch(/authorization failed/);
      expect(output().split('\n').filter((l) => l.includes('Cannot reload the ACLs of Topic:LITERAL:t2'))).toHaveLength(2);
    } finally {
      await zk.close();
    }
  });

  // The real Apache Kafka 2.4 kafka-acls.sh (--authorizer-properties zookeeper.connect=...), when installed.
  const kafkaDist = KAFKA_DIST;
  (kafkaDist ? test : test.skip)("Kafka 2.4's own kafka-acls.sh writes ACLs the brokers honour, and lists the ACLs Zafka stored", async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-acls-log-'));
    const kafkaAcls = (...args: string[]) =>
      run(path.join(kafkaDist!, 'bin/kafka-acls.sh'), ['--authorizer-properties', `zookeeper.connect=${secure.cluster.zkConnect}`, ...args], {
        env: { ...process.env, LOG_DIR: logDir, KAFKA_HEAP_OPTS: '-Xmx256m -Xms256m' },
        timeoutMs: 90000,
      });
    try {
      expect((await kcatProduce('bob', 'kt', ['before'])).stderr).toMatch(/Topic authorization failed/);
      const added = await kafkaAcls('--add', '--allow-principal', 'User:bob', '--operation', 'Write', '--topic', 'kt');
      expect(added.code).toBe(0);
      await waitFor('bob can produce to kt', async () => (await kcatProduce('bob', 'kt', ['after'])).stderr === '');
      // written by Zafka's CreateAcls in an earlier test
      const listed = await kafkaAcls('--list', '--topic', 't1');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/User:alice has Allow permission for operations: Write from hosts: \*/);
      expect(listed.stdout).toMatch(/User:bob has Allow permission for operations: Read from hosts: \*/);
    } finally {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  });

  test('the super user produces to and consumes from any topic without ACLs', async () => {
    expect((await kcatProduce('admin', 'hidden', ['s1'])).stderr).toBe('');
    await waitFor('admin reads hidden', async () => (await kcatConsume('admin', 'hidden')).stdout.trim() === 's1');
  });
});

describe('ACL authorizer settings', () => {
  test('allow.everyone.if.no.acl.found lets anyone use resources without ACLs, not those with ACLs for others', async () => {
    const certs = makeTestCerts();
    const secure = await startSecureCluster(certs, { protocols: ['SASL_PLAINTEXT'], config: { ...AUTHORIZER_CONFIG, 'allow.everyone.if.no.acl.found': 'true' } });
    try {
      const args = (user: string) => ['-b', secure.bootstrap('SASL_PLAINTEXT'), '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', `sasl.username=${user}`, '-X', `sasl.password=${PASSWORDS[user]}`];
      const zk = await ZooKeeperClient.connect(secure.cluster.zkConnect, 10000);
      try {
        await zk.createRecursive('/kafka-acl/Topic/owned', Buffer.from('{"version":1,"acls":[{"principal":"User:bob","permissionType":"Allow","operation":"All","host":"*"}]}'));
        await zk.create('/kafka-acl-changes/acl_changes_', Buffer.from('Topic:owned'), CreateMode.PERSISTENT_SEQUENTIAL);
      } finally {
        await zk.close();
      }
      // auto-created by alice's produce: no ACLs anywhere for "open"
      await waitFor('alice produces to open', async () => (await kcat(['-P', ...args('alice'), '-t', 'open'], { input: 'a\n' })).stderr === '');
      await waitFor('the ACL on owned is loaded', async () => /Topic authorization failed/.test((await kcat(['-P', ...args('alice'), '-t', 'owned'], { input: 'a\n' })).stderr));
      expect((await kcat(['-P', ...args('bob'), '-t', 'owned'], { input: 'b\n' })).stderr).toBe('');
    } finally {
      await secure.cluster.stop();
      fs.rmSync(certs.dir, { recursive: true, force: true });
    }
  });

  test('an authorizer class Zafka cannot run stops the broker at start-up with one line', async () => {
    const cluster = await TestCluster.create({ config: { 'authorizer.class.name': 'com.example.MyAuthorizer' } });
    try {
      await expect(cluster.startBroker(cluster.brokers[0].id)).rejects.toThrow(/exited with 1/);
      const lines = cluster.output(cluster.brokers[0].id).split('\n').filter((l) => /authorizer\.class\.name/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/ERROR Exiting Kafka due to fatal exception: Invalid value com\.example\.MyAuthorizer for configuration authorizer\.class\.name/);
    } finally {
      await cluster.stop();
    }
  });
});
