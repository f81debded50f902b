// What each kind of bad input gets from a broker, and that the broker keeps serving everyone else
// and writes nothing from a rejected request:
//   frame over socket.request.max.bytes, garbage bytes, unknown API key, unsupported version
//   of a non-ApiVersions API, a body that does not parse  -> connection closed + one log line
//   a frame cut short by the client                       -> connection dropped, nothing logged as error
//   ApiVersions with an unknown version                   -> UNSUPPORTED_VERSION (35) in the v0 layout
//   a record batch with a corrupt CRC                     -> CORRUPT_MESSAGE (2), log unchanged
//   invalid topic names (empty, too long, bad characters, '.', '..') -> INVALID_TOPIC_EXCEPTION (17)
//   negative/zero partition count                         -> INVALID_PARTITIONS (37)
//   replication factor 0 or above the live brokers        -> INVALID_REPLICATION_FACTOR (38)
//   produce to a partition that does not exist            -> UNKNOWN_TOPIC_OR_PARTITION (3)
//   acks other than -1, 0, 1                              -> INVALID_REQUIRED_ACKS (21)
import { KafkaClient } from '../../broker/network/kafka-client';
import { ErrorCode } from '../../broker/protocol/errors';
import { CreateTopics } from '../../broker/protocol/messages/create-topics';
import { ListOffsets } from '../../broker/protocol/messages/list-offsets';
import { Metadata } from '../../broker/protocol/messages/metadata';
import { Produce } from '../../broker/protocol/messages/produce';
import { encodeRecordBatch } from '../../broker/protocol/records/record-batch';
import { TestCluster } from '../helpers/cluster';
import { rawExchange, rawRequest } from '../helpers/raw-socket';
import { waitFor } from '../helpers/wait';

const MAX_REQUEST = 64 * 1024;

describe('bad input', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  let port: number;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'socket.request.max.bytes': MAX_REQUEST, 'auto.create.topics.enable': false } });
    port = cluster.brokers[0].port;
    client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'bad-input-test' });
    await waitFor('broker is controller', async () => (await client.send(Metadata, 1, { topics: [] })).controllerId === 0);
    const created = await client.send(CreateTopics, 2, {
      topics: [{ name: 'good', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
  });

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  /** The long-lived client still gets answers: the broker survived. */
  async function stillServing(): Promise<void> {
    const metadata = await client.send(Metadata, 1, { topics: [{ name: 'good' }] });
    expect(metadata.topics[0].errorCode).toBe(ErrorCode.NONE);
  }

  async function latestOffset(topic: string): Promise<number> {
    const r = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
    return r.topics[0].partitions[0].offset;
  }

  test('a frame larger than socket.request.max.bytes closes that connection only', async () => {
    const header = Buffer.alloc(8);
    header.writeInt32BE(MAX_REQUEST + 1, 0);
    const r = await rawExchange(port, header);
    expect(r.closedByBroker).toBe(true);
    expect(r.received.length).toBe(0);
    await stillServing();
    await waitFor('log line', () => /Invalid receive|larger than/i.test(cluster.output(0)));
  });

  test('garbage bytes (an HTTP request) close the connection', async () => {
    const r = await rawExchange(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(r.closedByBroker).toBe(true);
    await stillServing();
  });

  test('a frame cut short by the client is dropped; the broker carries on', async () => {
    const frame = rawRequest(3, 1, 7, Buffer.from([0, 0, 0, 1, 0, 4]));
    const r = await rawExchange(port, frame.subarray(0, frame.length - 3), 500, true);
    expect(r.received.length).toBe(0);
    await stillServing();
  });

  test('an unknown API key closes the connection with one log line', async () => {
    const r = await rawExchange(port, rawRequest(999, 0, 1));
    expect(r.closedByBroker).toBe(true);
    expect(r.received.length).toBe(0);
    await waitFor('log line', () => cluster.output(0).split('\n').filter((l) => l.includes('Unsupported API key 999')).length === 1);
    await stillServing();
  });

  test('an unsupported version of Metadata closes the connection', async () => {
    const r = await rawExchange(port, rawRequest(3, 99, 1));
    expect(r.closedByBroker).toBe(true);
    await stillServing();
  });

  test('a body that does not parse closes the connection', async () => {
    // Metadata v1 whose topic array claims 5 entries but carries none.
    const r = await rawExchange(port, rawRequest(3, 1, 1, Buffer.from([0, 0, 0, 5])));
    expect(r.closedByBroker).toBe(true);
    await stillServing();
  });

  test('ApiVersions with an unknown version answers UNSUPPORTED_VERSION with the supported ranges', async () => {
    // A future client: header v2 (client id + empty tagged fields), flexible body.
    const r = await rawExchange(port, rawRequest(18, 77, 42, Buffer.from([0x00, 0x03, 0x61, 0x62, 0x00])));
    expect(r.received.length).toBeGreaterThan(14);
    expect(r.received.readInt32BE(4)).toBe(42); // correlation id, response header v0
    expect(r.received.readInt16BE(8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const count = r.received.readInt32BE(10);
    const keys = Array.from({ length: count }, (_, i) => r.received.readInt16BE(14 + i * 6));
    expect(keys).toEqual(expect.arrayContaining([0, 1, 2, 3, 18, 19, 20]));
  });

  test('a record batch with a corrupt CRC gets CORRUPT_MESSAGE and nothing is written', async () => {
    const before = await latestOffset('good');
    const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'hello' }, { key: 'k2', value: 'world' }] });
    batch[batch.length - 2] ^= 0xff;
    const r = await client.send(Produce, 3, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: 'good', partitionData: [{ index: 0, records: batch }] }] });
    expect(r.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(await latestOffset('good')).toBe(before);
  });

  test('acks=2 gets INVALID_REQUIRED_ACKS; an unknown partition UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const batch = encodeRecordBatch({ records: [{ value: 'x' }] });
    const bad = await client.send(Produce, 3, { transactionalId: null, acks: 2, timeoutMs: 5000, topicData: [{ name: 'good', partitionData: [{ index: 0, records: batch }] }] });
    expect(bad.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    const unknown = await client.send(Produce, 3, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: 'good', partitionData: [{ index: 9, records: batch }] }] });
    expect(unknown.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await latestOffset('good')).toBe(0);
  });

  test.each([
    ['empty', ''],
    ['too long', 'a'.repeat(250)],
    ['bad characters', 'bad/name'],
    ['space', 'with space'],
    ['dot', '.'],
    ['dot dot', '..'],
  ])('CreateTopics with an invalid name (%s) gets INVALID_TOPIC_EXCEPTION', async (_label, name) => {
    const r = await client.send(CreateTopics, 2, {
      topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(r.topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    const metadata = await client.send(Metadata, 1, { topics: null });
    expect(metadata.topics.map((t) => t.name)).not.toContain(name);
  });

  test('Metadata for an invalid topic name answers INVALID_TOPIC_EXCEPTION', async () => {
    const r = await client.send(Metadata, 4, { topics: [{ name: 'bad/name' }], allowAutoTopicCreation: true });
    expect(r.topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  test.each([
    ['negative partitions', -3, 1, ErrorCode.INVALID_PARTITIONS],
    ['zero partitions', 0, 1, ErrorCode.INVALID_PARTITIONS],
    ['replication factor 0', 1, 0, ErrorCode.INVALID_REPLICATION_FACTOR],
    ['replication factor above live brokers', 1, 3, ErrorCode.INVALID_REPLICATION_FACTOR],
  ])('CreateTopics with %s is refused', async (_label, numPartitions, replicationFactor, expected) => {
    const r = await client.send(CreateTopics, 2, {
      topics: [{ name: `refused-${numPartitions}-${replicationFactor}`, numPartitions, replicationFactor, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(r.topics[0].errorCode).toBe(expected);
    const metadata = await client.send(Metadata, 1, { topics: null });
    expect(metadata.topics.map((t) => t.name)).not.toContain(`refused-${numPartitions}-${replicationFactor}`);
  });
});
