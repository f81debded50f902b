// kafkajs as a real peer: its request encoders produce the bytes our decoders read, and its
// response decoders read the bytes our encoders write. Unlike our own round trips, this fails
// when our schema and Kafka's wire format disagree.

import {
  decodeRequestBody,
  encodeResponse,
} from '../../../broker/protocol/codec';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import {
  ApiVersions,
  CreateTopics,
  Fetch,
  FindCoordinator,
  JoinGroup,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
} from '../../../broker/protocol/messages/index';
import { AnyApiDefinition } from '../../../broker/protocol/api-definition';

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<unknown>;
}
interface KafkajsProtocol {
  request: KafkajsRequest;
  response: { decode(payload: Buffer): Promise<Record<string, unknown>> };
}
type KafkajsApi = { protocol(o: { version: number }): (args: object) => KafkajsProtocol };

const kjs = (name: string): KafkajsApi => require(`kafkajs/src/protocol/requests/${name}`) as KafkajsApi;
const encodeKafkajsRequest = require('kafkajs/src/protocol/request') as (o: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;

/** kafkajs request bytes -> our header + body decoders. */
async function fromKafkajs(name: string, version: number, args: object, api: AnyApiDefinition): Promise<Record<string, unknown>> {
  const { request } = kjs(name).protocol({ version })(args);
  const { buffer } = await encodeKafkajsRequest({ correlationId: 77, clientId: 'kafkajs', request });
  expect(buffer.readInt32BE(0)).toBe(buffer.length - 4);
  const frame = buffer.subarray(4);
  const h = decodeRequestHeader(frame);
  expect(h).toMatchObject({ apiKey: api.apiKey, apiVersion: version, correlationId: 77, clientId: 'kafkajs' });
  return decodeRequestBody(api, version, frame, h.bodyOffset) as Record<string, unknown>;
}

/** Our response bytes -> kafkajs's decoder (it gets the payload after the correlation id). */
async function toKafkajs(name: string, version: number, chunks: Buffer[]): Promise<Record<string, unknown>> {
  const frame = Buffer.concat(chunks);
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  expect(frame.readInt32BE(4)).toBe(5);
  const { response } = kjs(name).protocol({ version })({});
  return response.decode(frame.subarray(8));
}

describe('requests encoded by kafkajs', () => {
  test('Metadata v6', async () => {
    const body = await fromKafkajs('metadata', 6, { topics: ['a', 'b'], allowAutoTopicCreation: false }, Metadata);
    expect(body).toEqual({
      topics: [{ name: 'a' }, { name: 'b' }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });

  test('ListOffsets v3', async () => {
    const body = await fromKafkajs(
      'listOffsets',
      3,
      { replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 2, timestamp: -2 }] }] },
      ListOffsets,
    );
    expect(body).toEqual({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, currentLeaderEpoch: -1, timestamp: -2, maxNumOffsets: 1 }] }],
    });
  });

  test('CreateTopics v3', async () => {
    const body = await fromKafkajs(
      'createTopics',
      3,
      {
        topics: [{ topic: 'new', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
        timeout: 5000,
        validateOnly: false,
      },
      CreateTopics,
    );
    expect(body).toEqual({
      topics: [
        {
          name: 'new',
          numPartitions: 3,
          replicationFactor: 2,
          assignments: [],
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
  });

  test('JoinGroup v5 and OffsetCommit v5', async () => {
    const join = await fromKafkajs(
      'joinGroup',
      5,
      {
        groupId: 'g',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1]) }],
      },
      JoinGroup,
    );
    expect(join).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1]) }],
    });
    const commit = await fromKafkajs(
      'offsetCommit',
      5,
      { groupId: 'g', groupGenerationId: 3, memberId: 'm', topics: [{ topic: 't', partitions: [{ partition: 0, offset: '42' }] }] },
      OffsetCommit,
    );
    expect(commit).toMatchObject({
      groupId: 'g',
      generationIdOrMemberEpoch: 3,
      memberId: 'm',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: null }] }],
    });
  });

  test('Fetch v11 as a kafkajs consumer sends it', async () => {
    const body = await fromKafkajs(
      'fetch',
      11,
      {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 10485760,
        topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '7', maxBytes: 1048576 }] }],
        rackId: 'r1',
      },
      Fetch,
    );
    expect(body).toEqual({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1, // kafkajs defaults to READ_COMMITTED
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        { topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 7, logStartOffset: -1, partitionMaxBytes: 1048576 }] },
      ],
      forgottenTopicsData: [],
      rackId: 'r1',
    });
  });
});

describe('responses decoded by kafkajs', () => {
  test('ApiVersions v2', async () => {
    const out = encodeResponse(ApiVersions, 2, 5, {
      errorCode: 0,
      apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 8 }],
      throttleTimeMs: 0,
    });
    expect(await toKafkajs('apiVersions', 2, out)).toMatchObject({
      errorCode: 0,
      apiVersions: [{ apiKey: 3, minVersion: 0, maxVersion: 8 }],
      throttleTime: 0,
    });
  });

  test('Metadata v6', async () => {
    const out = encodeResponse(Metadata, 6, 5, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'abc',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
        },
      ],
    });
    const decoded = await toKafkajs('metadata', 6, out);
    expect(decoded).toMatchObject({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'abc',
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 't',
          isInternal: false,
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }],
        },
      ],
    });
  });

  test('FindCoordinator v2 and OffsetFetch v4', async () => {
    const fc = encodeResponse(FindCoordinator, 2, 5, {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 2,
      host: 'h',
      port: 9093,
    });
    expect(await toKafkajs('findCoordinator', 2, fc)).toMatchObject({
      errorCode: 0,
      coordinator: { nodeId: 2, host: 'h', port: 9093 },
    });
    const of = encodeResponse(OffsetFetch, 4, 5, {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42, metadata: '', errorCode: 0 }] }],
      errorCode: 0,
    });
    expect(await toKafkajs('offsetFetch', 4, of)).toMatchObject({
      responses: [{ topic: 't', partitions: [{ partition: 0, offset: '42', metadata: '', errorCode: 0 }] }],
      errorCode: 0,
    });
  });

  test('a kafkajs Produce v7 batch, decoded by us and returned in a Fetch v11 response', async () => {
    const produce = await fromKafkajs(
      'produce',
      7,
      {
        acks: -1,
        timeout: 30000,
        topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v1' }, { value: 'v2' }] }] }],
      },
      Produce,
    );
    expect(produce).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
    const batch = (produce as { topicData: Array<{ partitionData: Array<{ records: Buffer }> }> }).topicData[0].partitionData[0]
      .records;
    expect(batch.readInt8(16)).toBe(2); // magic v2

    const out = encodeResponse(Fetch, 11, 5, {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 2,
              lastStableOffset: 2,
              logStartOffset: 0,
              abortedTransactions: [],
              preferredReadReplica: -1,
              records: [batch],
            },
          ],
        },
      ],
    });
    const decoded = (await toKafkajs('fetch', 11, out)) as {
      responses: Array<{ topicName: string; partitions: Array<Record<string, unknown> & { messages: Array<{ value: Buffer }> }> }>;
    };
    const p = decoded.responses[0].partitions[0];
    expect(decoded.responses[0].topicName).toBe('t');
    expect(p).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '2', lastStableOffset: '2', preferredReadReplica: -1 });
    expect(p.messages.map((m) => m.value.toString())).toEqual(['v1', 'v2']);
  });
});
