// Hostile produce requests that a CRC check alone lets through, against a real broker: each gets
// the error code Apache Kafka 2.4.0 answers, nothing of it is stored (the log end offset does not
// move and real consumers read every good record around it), and the broker keeps serving.
//   a payload the codec cannot decode (gzip/snappy/lz4/zstd)       -> UNKNOWN_SERVER_ERROR (-1)
//   a truncated gzip stream                                          -> INVALID_RECORD (87)
//   a truncated snappy/lz4/zstd stream                               -> UNKNOWN_SERVER_ERROR (-1)
//   recordCount larger than the records compressed inside            -> INVALID_RECORD (87)
//   a record whose length disagrees with its fields                  -> INVALID_RECORD (87)
//   zstd in Produce v3..v6                                           -> UNSUPPORTED_COMPRESSION_TYPE (76)
//   two batches in one Produce v3+ partition                         -> INVALID_RECORD (87)
//   a decompression bomb (expands past 64 MiB; Zafka's own guard)   -> MESSAGE_TOO_LARGE (10)
//   a client's produce to __consumer_offsets                         -> INVALID_TOPIC_EXCEPTION (17)
//   a poison batch with acks=0                                       -> connection closed
import { KafkaClient } from '../../../broker/network/kafka-client';
import { encodeRequest } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { CreateTopics } from '../../../broker/protocol/messages/create-topics';
import { FindCoordinator } from '../../../broker/protocol/messages/find-coordinator';
import { ListOffsets } from '../../../broker/protocol/messages/list-offsets';
import { Metadata } from '../../../broker/protocol/messages/metadata';
import { OffsetCommit } from '../../../broker/protocol/messages/offset-commit';
import { OffsetFetch } from '../../../broker/protocol/messages/offset-fetch';
import { Produce } from '../../../broker/protocol/messages/produce';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../../broker/protocol/records/batch-validation';
import { compress } from '../../../broker/protocol/records/compression';
import { writeVarint } from '../../../broker/protocol/records/varint';
import { TestCluster } from '../../helpers/cluster';
import { consumeAllRows } from '../../helpers/consume-all';
import { CODECS, codecName, compressedBatch, compressedRecords, craftBatch, GARBAGE, recordsSection } from '../../helpers/crafted-batches';
import { kafkajs, TEST_CONSUMER_FETCH } from '../../helpers/kafkajs-client';
import { kcat } from '../../helpers/kcat';
import { registerKafkajsCodecs } from '../../helpers/kafkajs-codecs';
import { rawExchange } from '../../helpers/raw-socket';
import { waitFor } from '../../helpers/wait';

const TOPIC = 'poison';
const OFFSETS_TOPIC = '__consumer_offsets';
const REFUSED_LINE = `Error processing append operation on partition ${TOPIC}-0`;

describe('poison batches', () => {
  let cluster: TestCluster;
  let client: KafkaClient;
  /** Values acknowledged so far, in produce order. */
  const good: string[] = [];

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1, config: { 'auto.create.topics.enable': false, 'offsets.topic.num.partitions': 1 } });
    client = await KafkaClient.connect('127.0.0.1', cluster.brokers[0].port, { clientId: 'poison-test' });
    await waitFor('broker is controller', async () => (await client.send(Metadata, 1, { topics: [] })).controllerId === 0);
    const created = await client.send(CreateTopics, 2, {
      topics: [{ name: TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    await waitFor('topic leader', async () => (await client.send(Metadata, 1, { topics: [{ name: TOPIC }] })).topics[0].partitions[0]?.leaderId === 0);
  }, 60000);

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  });

  async function produce(records: Buffer, version = 7, topic = TOPIC, acks = 1): Promise<ErrorCode> {
    const r = await client.send(Produce, version, { transactionalId: null, acks, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    return r.responses[0].partitionResponses[0].errorCode;
  }

  async function logEndOffset(topic = TOPIC): Promise<number> {
    const r = await client.send(ListOffsets, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] });
    return r.topics[0].partitions[0].offset;
  }

  async function produceGood(codec: CompressionType, version = 7): Promise<void> {
    const values = [`${codecName(codec)}-v${version}-${good.length}`, `${codecName(codec)}-v${version}-${good.length + 1}`];
    expect(await produce(compressedRecords(codec, values), version)).toBe(ErrorCode.NONE);
    good.push(...values);
  }

  /** Sends a poison batch; asserts Kafka's code, an unchanged log and one log line; then proves the broker still appends. */
  async function refused(codec: CompressionType, poison: Buffer, expected: ErrorCode, version = 7): Promise<void> {
    const before = await logEndOffset();
    const linesBefore = countLines(REFUSED_LINE);
    expect(await produce(poison, version)).toBe(expected);
    expect(await logEndOffset()).toBe(before);
    if (expected === ErrorCode.INVALID_RECORD || expected === ErrorCode.UNKNOWN_SERVER_ERROR) {
      await waitFor('one log line for the refused append', () => countLines(REFUSED_LINE) === linesBefore + 1);
    }
    await produceGood(codec);
    expect(await logEndOffset()).toBe(before + 2);
  }

  function countLines(text: string): number {
    return cluster.output(0).split('\n').filter((l) => l.includes(text)).length;
  }

  const section = recordsSection([{ key: 'a', value: 'never-1' }, { key: 'b', value: 'never-2' }]);

  describe.each(CODECS)('%s', (codec) => {
    const name = codecName(codec);

    test(`a ${name} payload that does not decompress gets UNKNOWN_SERVER_ERROR and is not stored`, async () => {
      await produceGood(codec);
      await refused(codec, craftBatch({ codec, payload: GARBAGE, recordCount: 2 }), ErrorCode.UNKNOWN_SERVER_ERROR);
    });

    test(`a truncated ${name} stream gets ${codec === CompressionType.GZIP ? 'INVALID_RECORD' : 'UNKNOWN_SERVER_ERROR'} and is not stored`, async () => {
      const compressed = compress(codec, section);
      const truncated = craftBatch({ codec, payload: compressed.subarray(0, compressed.length - 6), recordCount: 2 });
      await refused(codec, truncated, codec === CompressionType.GZIP ? ErrorCode.INVALID_RECORD : ErrorCode.UNKNOWN_SERVER_ERROR);
    });

    test(`a ${name} batch declaring more records than it holds gets INVALID_RECORD and is not stored`, async () => {
      await refused(codec, compressedBatch(codec, section, 3), ErrorCode.INVALID_RECORD);
    });

    test(`a ${name} record whose length disagrees with its fields gets INVALID_RECORD and is not stored`, async () => {
      const lengthPrefix = Buffer.alloc(5);
      const fields = section.subarray(1); // the first record's body, its length prefix (1 byte) dropped
      const lying = Buffer.concat([lengthPrefix.subarray(0, writeVarint(lengthPrefix, section[0] / 2 + 3, 0)), fields]);
      await refused(codec, compressedBatch(codec, lying, 2), ErrorCode.INVALID_RECORD);
    });
  });

  test('zstd in Produce v3..v6 gets UNSUPPORTED_COMPRESSION_TYPE and is not stored; v7 is accepted', async () => {
    for (const version of [3, 4, 5, 6]) {
      const before = await logEndOffset();
      expect(await produce(compressedRecords(CompressionType.ZSTD, ['zstd-too-early']), version)).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
      expect(await logEndOffset()).toBe(before);
    }
    await produceGood(CompressionType.ZSTD, 7);
    await produceGood(CompressionType.LZ4, 3); // other codecs are fine at v3
  });

  test('a zstd or gzip bomb (KBs that expand past 64 MiB) gets MESSAGE_TOO_LARGE; the broker stays up', async () => {
    for (const codec of [CompressionType.ZSTD, CompressionType.GZIP]) {
      const payload = compress(codec, Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1024));
      expect(payload.length).toBeLessThan(200 * 1024);
      await refused(codec, craftBatch({ codec, payload, recordCount: 1 }), ErrorCode.MESSAGE_TOO_LARGE);
    }
  });

  test('two batches in one Produce v3 partition get INVALID_RECORD and are not stored', async () => {
    const before = await logEndOffset();
    const two = Buffer.concat([compressedRecords(CompressionType.GZIP, ['two-1']), compressedRecords(CompressionType.GZIP, ['two-2'])]);
    expect(await produce(two, 3)).toBe(ErrorCode.INVALID_RECORD);
    expect(await logEndOffset()).toBe(before);
  });

  test('a poison batch with acks=0 closes the connection; the broker keeps serving', async () => {
    const before = await logEndOffset();
    const body = { transactionalId: null, acks: 0, timeoutMs: 5000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: craftBatch({ codec: CompressionType.LZ4, payload: GARBAGE, recordCount: 1 }) }] }] };
    const r = await rawExchange(cluster.brokers[0].port, Buffer.concat(encodeRequest(Produce, 7, 1, 'raw', body)), 5000);
    expect(r.closedByBroker).toBe(true);
    expect(r.received.length).toBe(0);
    expect(await logEndOffset()).toBe(before);
  });

  test('real producers pass the record-level checks: kcat (librdkafka) with every codec', async () => {
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      const values = [1, 2, 3].map((i) => `kcat-${codec}-${i}-${'abcd'.repeat(i * 10)}`);
      const r = await kcat(['-P', '-b', cluster.bootstrap, '-t', TOPIC, '-p', '0', '-z', codec], { input: values.join('\n') + '\n' });
      expect(r.stderr).not.toMatch(/fail|error/i);
      expect(r.code).toBe(0);
      good.push(...values);
    }
    await waitFor('kcat batches appended', async () => (await logEndOffset()) === good.length);
  }, 60000);

  test('kcat (librdkafka) and kafkajs read every acknowledged record and nothing else', async () => {
    const rows = await consumeAllRows(cluster.bootstrap, TOPIC);
    expect(rows.map((r) => r.value)).toEqual(good);
    expect(rows.map((r) => r.offset)).toEqual(good.map((_, i) => i));

    registerKafkajsCodecs();
    const consumer = kafkajs(cluster.bootstrap, 'poison-reader').consumer({ groupId: 'poison-readers', ...TEST_CONSUMER_FETCH });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor('kafkajs read everything', () => seen.length >= good.length, 60000);
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(good);
  }, 120000);

  test('a client produce to __consumer_offsets gets INVALID_TOPIC_EXCEPTION and stores nothing; offset commits still work', async () => {
    await waitFor('a group coordinator', async () => (await client.send(FindCoordinator, 1, { key: 'g', keyType: 0 })).errorCode === ErrorCode.NONE, 30000);
    await waitFor('__consumer_offsets has a leader', async () => (await client.send(Metadata, 1, { topics: [{ name: OFFSETS_TOPIC }] })).topics[0].partitions[0]?.leaderId === 0);
    const before = await logEndOffset(OFFSETS_TOPIC);
    for (const version of [0, 3, 7]) {
      const records = version < 3 ? compressedRecords(CompressionType.NONE, ['x']) : compressedRecords(CompressionType.GZIP, ['x']);
      expect(await produce(records, version, OFFSETS_TOPIC)).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    }
    expect(await logEndOffset(OFFSETS_TOPIC)).toBe(before);

    // The group coordinator writes there itself: a simple (generation -1) commit is stored.
    const commit = await client.send(OffsetCommit, 2, {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      retentionTimeMs: -1,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 3, committedMetadata: 'm' }] }],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    expect(await logEndOffset(OFFSETS_TOPIC)).toBe(before + 1);
    const fetched = await client.send(OffsetFetch, 1, { groupId: 'g', topics: [{ name: TOPIC, partitionIndexes: [0] }] });
    expect(fetched.topics[0].partitions[0]).toMatchObject({ committedOffset: 3, errorCode: ErrorCode.NONE });
  }, 60000);
});
