// Golden bytes derived by hand from the wire spec (each byte group is commented), so an encoder
// and decoder that share a bug cannot both pass. Frames include the 4-byte size prefix.

import {
  decodeRequestBody,
  decodeResponse,
  encodeApiVersionsFallback,
  encodeRequest,
  encodeResponse,
} from '../../../broker/protocol/codec';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { ApiVersions, ControlledShutdown, Fetch, Metadata, Produce } from '../../../broker/protocol/messages/index';
import { hex, toHex } from './golden';

/** The frame after the size prefix, checking the prefix on the way. */
function frameOf(bytes: Buffer): Buffer {
  expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
  return bytes.subarray(4);
}

describe('ApiVersions v3 request as librdkafka/kcat sends it', () => {
  const bytes = hex`
    00000024                 # size 36
    0012 0003 00000001       # apiKey 18, version 3, correlationId 1
    0007 72646b61666b61      # clientId "rdkafka": header v2 keeps an int16-length string
    00                       # header tagged fields
    0b 6c696272646b61666b61  # clientSoftwareName: compact string, 10+1, "librdkafka"
    06 312e392e32            # clientSoftwareVersion: compact string, 5+1, "1.9.2"
    00                       # body tagged fields
  `;

  test('decodes', () => {
    const frame = frameOf(bytes);
    const h = decodeRequestHeader(frame);
    expect(h).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka', bodyOffset: 18 });
    expect(decodeRequestBody(ApiVersions, 3, frame, h.bodyOffset)).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '1.9.2',
    });
  });

  test('encodes to the same bytes', () => {
    const out = encodeRequest(ApiVersions, 3, 1, 'rdkafka', {
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '1.9.2',
    });
    expect(toHex(out)).toBe(bytes.toString('hex'));
  });
});

describe('Metadata requests as kafkajs sends them', () => {
  const v4 = hex`
    00000022                 # size 34
    0003 0004 00000002       # apiKey 3, version 4, correlationId 2
    0007 6b61666b616a73      # clientId "kafkajs"
    00000001                 # topics: 1
    000a 746573742d746f706963  # name "test-topic"
    01                       # allowAutoTopicCreation true
  `;
  const v1AllTopics = hex`
    00000015                 # size 21
    0003 0001 00000003       # apiKey 3, version 1, correlationId 3
    0007 6b61666b616a73      # clientId "kafkajs"
    ffffffff                 # topics: null = all topics (v1+)
  `;

  test('v4 with one topic', () => {
    const frame = frameOf(v4);
    const h = decodeRequestHeader(frame);
    expect(h.clientId).toBe('kafkajs');
    expect(decodeRequestBody(Metadata, 4, frame, h.bodyOffset)).toEqual({
      topics: [{ name: 'test-topic' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const out = encodeRequest(Metadata, 4, 2, 'kafkajs', { topics: [{ name: 'test-topic' }], allowAutoTopicCreation: true });
    expect(toHex(out)).toBe(v4.toString('hex'));
  });

  test('v1 with null topics; absent allowAutoTopicCreation defaults to true', () => {
    const frame = frameOf(v1AllTopics);
    const body = decodeRequestBody(Metadata, 1, frame, decodeRequestHeader(frame).bodyOffset);
    expect(body.topics).toBeNull();
    expect(body.allowAutoTopicCreation).toBe(true);
    expect(toHex(encodeRequest(Metadata, 1, 3, 'kafkajs', { topics: null }))).toBe(v1AllTopics.toString('hex'));
  });

  test('null topics are refused in v0, where the array is not nullable', () => {
    expect(() => encodeRequest(Metadata, 0, 3, 'kafkajs', { topics: null })).toThrow(TypeError);
  });
});

describe('Produce v3 request with a record batch', () => {
  const batch = hex`0000000000000000 0000000e ffffffff 02 0badc0de 0000`; // arbitrary 23 bytes
  const bytes = hex`
    0000003e                 # size 62 (39 + 23 bytes of batch)
    0000 0003 00000007       # apiKey 0, version 3, correlationId 7
    0002 6331                # clientId "c1"
    ffff                     # transactionalId null (v3+)
    ffff                     # acks -1
    00007530                 # timeoutMs 30000
    00000001                 # topicData: 1
    0001 74                  # name "t"
    00000001                 # partitionData: 1
    00000000                 # index 0
    00000017                 # records: 23 bytes
  `;
  const full = Buffer.concat([bytes, batch]);

  test('decodes with records as a zero-copy slice of the frame', () => {
    const frame = frameOf(full);
    const h = decodeRequestHeader(frame);
    const req = decodeRequestBody(Produce, 3, frame, h.bodyOffset);
    expect(req.transactionalId).toBeNull();
    expect(req.acks).toBe(-1);
    expect(req.timeoutMs).toBe(30000);
    const records = req.topicData[0].partitionData[0].records!;
    expect(records.equals(batch)).toBe(true);
    expect(records.buffer).toBe(full.buffer);
    expect(records.byteOffset).toBe(full.byteOffset + bytes.length);
  });

  test('encodes to the same bytes', () => {
    const out = encodeRequest(Produce, 3, 7, 'c1', {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
    });
    expect(toHex(out)).toBe(full.toString('hex'));
  });

  test('v2 has no transactionalId', () => {
    const out = Buffer.concat(
      encodeRequest(Produce, 2, 7, 'c1', { acks: 1, timeoutMs: 1000, topicData: [] }),
    );
    expect(out.toString('hex')).toBe('00000016' + '0000' + '0002' + '00000007' + '00026331' + '0001' + '000003e8' + '00000000');
  });
});

describe('ApiVersions v3 response', () => {
  const bytes = hex`
    0000001a                 # size 26
    00000001                 # correlationId; response header v0: NO tagged-fields byte (KIP-511)
    0000                     # errorCode
    03                       # apiKeys: compact array, 2+1
    0000 0000 0007 00        #   Produce 0-7, element tagged fields
    0012 0000 0003 00        #   ApiVersions 0-3, element tagged fields
    00000000                 # throttleTimeMs
    00                       # tagged fields: none (features left at their defaults)
  `;
  const body = {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 0, maxVersion: 7 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ],
    throttleTimeMs: 0,
  };

  test('encodes', () => {
    expect(toHex(encodeResponse(ApiVersions, 3, 1, body))).toBe(bytes.toString('hex'));
  });

  test('decodes, tagged fields at their defaults', () => {
    const { correlationId, body: decoded } = decodeResponse(ApiVersions, 3, frameOf(bytes));
    expect(correlationId).toBe(1);
    expect(decoded).toEqual({
      ...body,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
  });

  test('non-default tagged fields are written in tag order with sizes', () => {
    const out = Buffer.concat(
      encodeResponse(ApiVersions, 3, 1, { errorCode: 0, apiKeys: [], zkMigrationReady: true, finalizedFeaturesEpoch: 5 }),
    );
    expect(out.subarray(4).toString('hex')).toBe(
      '00000001' + '0000' + '01' + '00000000' + '02' + '01' + '08' + '0000000000000005' + '03' + '01' + '01',
    );
    const { body: decoded } = decodeResponse(ApiVersions, 3, out.subarray(4));
    expect(decoded.finalizedFeaturesEpoch).toBe(5);
    expect(decoded.zkMigrationReady).toBe(true);
  });

  test('unknown tags are skipped on decode', () => {
    const frame = hex`00000001 0000 01 00000000 01 1f 02 abcd`; // tag 31, 2 bytes
    expect(decodeResponse(ApiVersions, 3, frame).body.apiKeys).toEqual([]);
  });

  test('UNSUPPORTED_VERSION fallback uses the v0 layout', () => {
    const out = encodeApiVersionsFallback(9, [{ apiKey: 0, minVersion: 0, maxVersion: 7 }]);
    expect(toHex(out)).toBe('00000010' + '00000009' + '0023' + '00000001' + '0000' + '0000' + '0007');
  });
});

describe('Fetch v4 response', () => {
  const recordBytes = hex`0102030405`;
  const bytes = hex`
    0000003b                 # size 59
    0000000b                 # correlationId 11 (header v0)
    00000000                 # throttleTimeMs
    00000001                 # responses: 1
    0001 74                  # topic "t"
    00000001                 # partitions: 1
    00000002                 # partitionIndex 2
    0000                     # errorCode
    000000000000000a         # highWatermark 10
    0000000000000009         # lastStableOffset 9 (v4+)
    ffffffff                 # abortedTransactions null (v4+)
    0000000a                 # records: 10 bytes, from two chunks
    0102030405 0102030405
  `;
  const body = {
    throttleTimeMs: 0,
    responses: [
      {
        topic: 't',
        partitions: [
          {
            partitionIndex: 2,
            errorCode: 0,
            highWatermark: 10,
            lastStableOffset: 9,
            abortedTransactions: null,
            records: [recordBytes, recordBytes],
          },
        ],
      },
    ],
  };

  test('encodes, records given as chunks', () => {
    expect(toHex(encodeResponse(Fetch, 4, 11, body))).toBe(bytes.toString('hex'));
  });

  test('decodes', () => {
    const { correlationId, body: decoded } = decodeResponse(Fetch, 4, frameOf(bytes));
    expect(correlationId).toBe(11);
    const p = decoded.responses[0].partitions[0];
    expect(p.lastStableOffset).toBe(9);
    expect(p.logStartOffset).toBe(-1); // v5+ only
    expect(p.abortedTransactions).toBeNull();
    expect(p.records!.toString('hex')).toBe('01020304050102030405');
  });

  test('large record sets stay by reference in the output chunks', () => {
    const big = Buffer.alloc(64 * 1024, 0x5a);
    const chunks = encodeResponse(Fetch, 4, 11, {
      ...body,
      responses: [{ topic: 't', partitions: [{ ...body.responses[0].partitions[0], records: [big, big] }] }],
    });
    expect(chunks.filter((c) => c === big)).toHaveLength(2);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(chunks[0].readInt32BE(0)).toBe(total - 4);
  });
});

describe('request header versions', () => {
  test('ControlledShutdown v0 uses header v0 (no clientId)', () => {
    const out = encodeRequest(ControlledShutdown, 0, 5, 'broker-1', { brokerId: 1 });
    expect(toHex(out)).toBe('0000000c' + '0007' + '0000' + '00000005' + '00000001');
    const h = decodeRequestHeader(Buffer.concat(out).subarray(4));
    expect(h).toEqual({ apiKey: 7, apiVersion: 0, correlationId: 5, clientId: null, bodyOffset: 8 });
  });

  test('an unknown API still yields apiKey, version and correlationId', () => {
    const h = decodeRequestHeader(hex`03e7 0001 0000002a ffff`);
    expect(h).toMatchObject({ apiKey: 999, apiVersion: 1, correlationId: 42, clientId: null });
    const short = decodeRequestHeader(hex`03e7 0001 0000002a 00`);
    expect(short).toMatchObject({ apiKey: 999, correlationId: 42, clientId: null, bodyOffset: 8 });
  });

  test('an ApiVersions version above Zafka\'s range is still read with header v2', () => {
    const h = decodeRequestHeader(hex`0012 0009 00000001 0003 616263 00 ffff`);
    expect(h).toMatchObject({ apiVersion: 9, clientId: 'abc', bodyOffset: 14 });
  });
});
