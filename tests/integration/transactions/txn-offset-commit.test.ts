// TxnOffsetCommit against one real broker, spoken raw (KafkaClient): the commit is written but
// OffsetFetch does not show it; bad input gets Kafka 2.4's error codes; and after a restart the
// __consumer_offsets loader applies the transactions whose COMMIT marker is in the log, never
// shows the aborted ones, and keeps the undecided ones pending. The markers are crafted into the
// segment while the broker is down (a transaction coordinator's WriteTxnMarkers writes the same
// control batches), so this runs without the transaction coordinator.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ErrorCode } from '../../../broker/protocol/errors';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { OffsetFetch } from '../../../broker/protocol/messages/offset-fetch';
import { TxnOffsetCommit } from '../../../broker/protocol/messages/txn-offset-commit';
import { lastOffsetOf, PARTITION_LEADER_EPOCH } from '../../../broker/protocol/records/batch-header';
import { iterateEntries } from '../../../broker/protocol/records/log-entries';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { TestCluster } from '../../helpers/cluster';
import { kafkajs } from '../../helpers/kafkajs-client';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'txn-input';
const EPOCH = 2;

describe('TxnOffsetCommit with raw requests', () => {
  let cluster: TestCluster;
  let client: KafkaClient;

  const connect = async () => {
    client?.close();
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'raw-txn-offsets' });
    await waitFor('the group coordinator', async () => (await client.send(FindCoordinator, 1, { key: 'g', keyType: 0 })).errorCode === ErrorCode.NONE, 30000);
  };

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'offsets.topic.num.partitions': 1 } });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    await connect();
  }, 60000);

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  const txnCommit = async (groupId: string, producerId: number, offset: number, o: { topic?: string; epoch?: number; partition?: number } = {}) => {
    const response = await client.send(TxnOffsetCommit, 2, {
      transactionalId: `txn-${producerId}`,
      groupId,
      producerId,
      producerEpoch: o.epoch ?? EPOCH,
      topics: [{ name: o.topic ?? TOPIC, partitions: [{ partitionIndex: o.partition ?? 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    return response.topics[0].partitions[0].errorCode;
  };

  const fetched = async (groupId: string, partition = 0) => {
    const response = await client.send(OffsetFetch, 3, { groupId, topics: [{ name: TOPIC, partitionIndexes: [partition] }] });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    return response.topics[0].partitions[0].committedOffset;
  };

  test('ApiVersions advertises TxnOffsetCommit 0-2, as Kafka 2.4', async () => {
    const versions = await client.send(ApiVersions, 2, {});
    expect(versions.apiKeys.find((k) => k.apiKey === 28)).toMatchObject({ minVersion: 0, maxVersion: 2 });
  });

  test('a transactional commit is acknowledged but OffsetFetch does not show it', async () => {
    expect(await txnCommit('invisible', 1001, 17)).toBe(ErrorCode.NONE);
    expect(await fetched('invisible')).toBe(-1);
  });

  test('bad input: an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION, an empty group id INVALID_GROUP_ID, an older epoch INVALID_PRODUCER_EPOCH (one log line)', async () => {
    expect(await txnCommit('bad', 1002, 1, { topic: 'no-such-topic' })).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await txnCommit('', 1002, 1)).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(await txnCommit('bad', 1002, 1, { epoch: 5 })).toBe(ErrorCode.NONE);
    expect(await txnCommit('bad', 1002, 2, { epoch: 4 })).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const lines = cluster.output(0).split('\n').filter((l) => l.includes('INVALID_PRODUCER_EPOCH') || l.includes("Producer's epoch"));
    expect(lines).toHaveLength(1);
    // Still serving: a valid commit of the current epoch goes through.
    expect(await txnCommit('bad', 1002, 3, { epoch: 5 })).toBe(ErrorCode.NONE);
  });

  test('after a restart, committed transactions are applied, aborted ones never appear, undecided ones stay invisible', async () => {
    expect(await txnCommit('committed', 2001, 11)).toBe(ErrorCode.NONE);
    expect(await txnCommit('aborted', 2002, 12)).toBe(ErrorCode.NONE);
    expect(await txnCommit('undecided', 2003, 13)).toBe(ErrorCode.NONE);
    expect(await txnCommit('committed', 2004, 14, { partition: 1 })).toBe(ErrorCode.NONE);
    client.close();
    expect(await cluster.stopBroker(0)).toBe(0);

    const dir = path.join(cluster.brokers[0].logDir, '__consumer_offsets-0');
    const segment = path.join(dir, fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop()!);
    const bytes = fs.readFileSync(segment);
    let next = 0;
    let leaderEpoch = 0;
    for (const e of iterateEntries(bytes)) {
      next = lastOffsetOf(bytes, e.pos) + 1;
      leaderEpoch = bytes.readInt32BE(e.pos + PARTITION_LEADER_EPOCH);
    }
    const marker = (producerId: number, commit: boolean) =>
      encodeRecordBatch({
        baseOffset: next++,
        partitionLeaderEpoch: leaderEpoch,
        producerId,
        producerEpoch: EPOCH,
        isTransactional: true,
        isControl: true,
        records: [{ key: Buffer.from([0, 0, 0, commit ? 1 : 0]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }],
      });
    fs.appendFileSync(segment, Buffer.concat([marker(2001, true), marker(2002, false), marker(2004, true)]));
    // Without the clean-shutdown marker the broker recovers (re-reads) the segment tail it did not write.
    fs.rmSync(path.join(cluster.brokers[0].logDir, '.kafka_cleanshutdown'), { force: true });

    await cluster.startBroker(0);
    await cluster.waitUntilServing(0);
    await connect();
    await waitFor('offsets loaded', async () => (await fetched('committed')) === 11, 30000);
    expect(await fetched('committed', 1)).toBe(14);
    expect(await fetched('aborted')).toBe(-1);
    expect(await fetched('undecided')).toBe(-1);
    expect(await fetched('invisible')).toBe(-1);
  });
});
