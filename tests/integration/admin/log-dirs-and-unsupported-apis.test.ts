// DescribeLogDirs and AlterReplicaLogDirs (kafkajs has neither: raw requests through Zafka's
// protocol client), the ACL and delegation-token APIs without an authorizer, and unknown API keys.
// (Every API Zafka has a schema for is now served; unsupported-api.ts's answer in an API's own
// shape is covered by tests/unit/protocol/unsupported-api.test.ts.)
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CreateAcls, DeleteAcls, DescribeAcls } from '../../../broker/protocol/messages/acls';
import { AlterReplicaLogDirs } from '../../../broker/protocol/messages/alter-replica-log-dirs';
import { CreateDelegationToken, DescribeDelegationToken } from '../../../broker/protocol/messages/delegation-tokens';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { DescribeLogDirs } from '../../../broker/protocol/messages/describe-log-dirs';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { TestCluster } from '../../helpers/cluster';
import { DEFAULT_PARTITIONER, kafkajs } from '../../helpers/kafkajs-client';
import { rawExchange, rawRequest } from '../../helpers/raw-socket';
import { waitFor } from '../../helpers/wait';

describe('log dirs and unsupported APIs on one broker', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  let logDir: string;

  beforeAll(async () => {
    cluster = await TestCluster.start();
    logDir = path.resolve(cluster.brokers[0].logDir);
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'dirs', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer({ createPartitioner: DEFAULT_PARTITIONER });
    await producer.connect();
    await producer.send({ topic: 'dirs', acks: -1, messages: [{ partition: 0, value: 'x'.repeat(1000) }, { partition: 0, value: 'y' }] });
    await producer.disconnect();
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'log-dirs-test' });
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  test('ApiVersions advertises the admin APIs at Kafka 2.4\'s versions', async () => {
    const r = await client.send(ApiVersions, 2, {});
    const range = (key: number) => r.apiKeys.find((k) => k.apiKey === key);
    expect(range(21)).toEqual({ apiKey: 21, minVersion: 0, maxVersion: 1 }); // DeleteRecords
    expect(range(32)).toEqual({ apiKey: 32, minVersion: 0, maxVersion: 2 }); // DescribeConfigs
    expect(range(33)).toEqual({ apiKey: 33, minVersion: 0, maxVersion: 1 }); // AlterConfigs
    expect(range(34)).toEqual({ apiKey: 34, minVersion: 0, maxVersion: 1 }); // AlterReplicaLogDirs
    expect(range(35)).toEqual({ apiKey: 35, minVersion: 0, maxVersion: 1 }); // DescribeLogDirs
    expect(range(44)).toEqual({ apiKey: 44, minVersion: 0, maxVersion: 1 }); // IncrementalAlterConfigs
    expect(range(22)).toEqual({ apiKey: 22, minVersion: 0, maxVersion: 2 }); // InitProducerId (v2 flexible, as Kafka 2.4)
  });

  test('DescribeLogDirs v0 and v1 list the log dir with each partition\'s size and lag; topics null means all', async () => {
    for (const version of [0, 1]) {
      const all = await client.send(DescribeLogDirs, version, { topics: null });
      expect(all.results).toHaveLength(1);
      expect(all.results[0]).toMatchObject({ errorCode: ErrorCode.NONE, logDir });
      const dirs = all.results[0].topics.find((t) => t.name === 'dirs')!;
      const byPartition = new Map(dirs.partitions.map((p) => [p.partitionIndex, p]));
      expect(byPartition.get(0)!.partitionSize).toBeGreaterThan(1000);
      expect(byPartition.get(1)).toEqual({ partitionIndex: 1, partitionSize: 0, offsetLag: 0, isFutureKey: false });
      expect(byPartition.get(0)!.offsetLag).toBe(0);
    }
    const one = await client.send(DescribeLogDirs, 1, { topics: [{ topic: 'dirs', partitions: [1] }] });
    expect(one.results[0].topics).toEqual([{ name: 'dirs', partitions: [{ partitionIndex: 1, partitionSize: 0, offsetLag: 0, isFutureKey: false }] }]);
  });

  test('AlterReplicaLogDirs: the current dir is a no-op (NONE), an unknown dir gets LOG_DIR_NOT_FOUND, a partition not hosted REPLICA_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const send = async (dir: string, topic: string, partition: number) =>
      (await client.send(AlterReplicaLogDirs, 1, { dirs: [{ path: dir, topics: [{ name: topic, partitions: [partition] }] }] })).results[0].partitions[0].errorCode;
    expect(await send(logDir, 'dirs', 0)).toBe(ErrorCode.NONE);
    expect(await send('/nonexistent/dir', 'dirs', 0)).toBe(ErrorCode.LOG_DIR_NOT_FOUND);
    expect(await send(logDir, 'dirs', 9)).toBe(ErrorCode.REPLICA_NOT_AVAILABLE);
    expect(await send(logDir, 'nope', 0)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('ACL APIs answer SECURITY_DISABLED and delegation-token APIs DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, as Kafka 2.4 without an authorizer on PLAINTEXT', async () => {
    const describeAcls = await client.send(DescribeAcls, 1, { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 });
    expect(describeAcls).toMatchObject({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured on the broker', resources: [] });
    const creation = { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 };
    const created = await client.send(CreateAcls, 1, { creations: [creation, creation] });
    expect(created.results.map((r) => r.errorCode)).toEqual([ErrorCode.SECURITY_DISABLED, ErrorCode.SECURITY_DISABLED]);
    const deleted = await client.send(DeleteAcls, 0, { filters: [{ resourceTypeFilter: 1, resourceNameFilter: null, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 }] });
    expect(deleted.filterResults).toEqual([expect.objectContaining({ errorCode: ErrorCode.SECURITY_DISABLED, matchingAcls: [] })]);
    for (const version of [0, 1, 2]) {
      const token = await client.send(CreateDelegationToken, version, { renewers: [], maxLifetimeMs: -1 });
      expect(token).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, principalName: 'ANONYMOUS', expiryTimestampMs: -1 });
    }
    expect((await client.send(DescribeDelegationToken, 1, { owners: null })).errorCode).toBe(ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED);
  });

  test('an unknown API key or a version beyond any schema still closes the connection, as Kafka 2.4 does, with one log line', async () => {
    const unknown = await rawExchange(cluster.brokers[0].port, rawRequest(77, 0, 5));
    expect(unknown.closedByBroker).toBe(true);
    expect(unknown.received.length).toBe(0);
    const tooNew = await rawExchange(cluster.brokers[0].port, rawRequest(21, 9, 6));
    expect(tooNew.closedByBroker).toBe(true);
    await waitFor('log line', () => cluster.output(0).split('\n').filter((l) => l.includes('Unsupported API key 77 version 0')).length === 1);
  });
});
