// AlterPartitionReassignments and ListPartitionReassignments v0 (KIP-455, flexible from v0):
// hand-derived bytes (request header v2, response header v1), encode and decode both ways.

import { decodeRequestBody, decodeResponse, encodeRequest, encodeResponse } from '../../../broker/protocol/codec';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { AlterPartitionReassignments, ListPartitionReassignments } from '../../../broker/protocol/messages/index';
import { hex, toHex } from './golden';

function frameOf(bytes: Buffer): Buffer {
  expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
  return bytes.subarray(4);
}

describe('AlterPartitionReassignments v0', () => {
  const request = hex`
    0000002c                 # size 44
    002d 0000 00000007       # apiKey 45, version 0, correlationId 7
    0003 61646d              # clientId "adm" (int16 length even in header v2)
    00                       # header tagged fields
    00007530                 # timeoutMs 30000
    02                       # topics: compact array, 1+1
    02 74                    #   name "t"
    03                       #   partitions: 2+1
    00000000                 #     partitionIndex 0
    03 00000002 00000003     #     replicas [2,3]
    00                       #     tagged fields
    00000001                 #     partitionIndex 1
    00                       #     replicas null (cancel)
    00                       #     tagged fields
    00                       #   topic tagged fields
    00                       # body tagged fields
  `;
  const requestBody = {
    timeoutMs: 30000,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: [2, 3] }, { partitionIndex: 1, replicas: null }] }],
  };

  const response = hex`
    00000024                 # size 36
    00000007 00              # correlationId, header tagged fields (header v1)
    00000000                 # throttleTimeMs
    0000                     # errorCode
    00                       # errorMessage null
    02                       # responses: 1+1
    02 74                    #   name "t"
    03                       #   partitions: 2+1
    00000000 0000 00 00      #     0: NONE, message null, tagged fields
    00000001 0055 03 6e6f 00 #     1: NO_REASSIGNMENT_IN_PROGRESS (85), "no", tagged fields
    00                       #   topic tagged fields
    00                       # body tagged fields
  `;
  const responseBody = {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    responses: [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, errorCode: 0, errorMessage: null },
          { partitionIndex: 1, errorCode: 85, errorMessage: 'no' },
        ],
      },
    ],
  };

  test('request encodes and decodes', () => {
    expect(toHex(encodeRequest(AlterPartitionReassignments, 0, 7, 'adm', requestBody))).toBe(request.toString('hex'));
    const frame = frameOf(request);
    const h = decodeRequestHeader(frame);
    expect(h).toEqual({ apiKey: 45, apiVersion: 0, correlationId: 7, clientId: 'adm', bodyOffset: 14 });
    expect(decodeRequestBody(AlterPartitionReassignments, 0, frame, h.bodyOffset)).toEqual(requestBody);
  });

  test('response encodes and decodes', () => {
    expect(toHex(encodeResponse(AlterPartitionReassignments, 0, 7, responseBody))).toBe(response.toString('hex'));
    const { correlationId, body } = decodeResponse(AlterPartitionReassignments, 0, frameOf(response));
    expect(correlationId).toBe(7);
    expect(body).toEqual(responseBody);
  });
});

describe('ListPartitionReassignments v0', () => {
  const allTopics = hex`
    00000014                 # size 20
    002e 0000 00000008       # apiKey 46, version 0, correlationId 8
    0003 61646d 00           # clientId "adm", header tagged fields
    00007530                 # timeoutMs 30000
    00                       # topics null (everything)
    00                       # body tagged fields
  `;
  const someTopics = hex`
    00000020                 # size 32
    002e 0000 00000008 0003 61646d 00
    00007530                 # timeoutMs 30000
    02                       # topics: 1+1
    02 74                    #   name "t"
    03 00000000 00000001     #   partitionIndexes [0,1]
    00                       #   topic tagged fields
    00                       # body tagged fields
  `;
  const response = hex`
    0000002e                 # size 46
    00000008 00              # correlationId, header tagged fields
    00000000 0000 00         # throttleTimeMs, errorCode, errorMessage null
    02                       # topics: 1+1
    02 74                    #   name "t"
    02                       #   partitions: 1+1
    00000000                 #     partitionIndex 0
    04 00000002 00000003 00000001  # replicas [2,3,1] (RS = TRS ++ ORS)
    02 00000003              #     addingReplicas [3]
    02 00000001              #     removingReplicas [1]
    00                       #     tagged fields
    00                       #   topic tagged fields
    00                       # body tagged fields
  `;
  const responseBody = {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }] }],
  };

  test('requests encode and decode (null = all topics)', () => {
    expect(toHex(encodeRequest(ListPartitionReassignments, 0, 8, 'adm', { timeoutMs: 30000, topics: null }))).toBe(allTopics.toString('hex'));
    expect(toHex(encodeRequest(ListPartitionReassignments, 0, 8, 'adm', { timeoutMs: 30000, topics: [{ name: 't', partitionIndexes: [0, 1] }] }))).toBe(
      someTopics.toString('hex'),
    );
    for (const [bytes, topics] of [
      [allTopics, null],
      [someTopics, [{ name: 't', partitionIndexes: [0, 1] }]],
    ] as const) {
      const frame = frameOf(bytes);
      const h = decodeRequestHeader(frame);
      expect(decodeRequestBody(ListPartitionReassignments, 0, frame, h.bodyOffset)).toEqual({ timeoutMs: 30000, topics });
    }
  });

  test('defaults: timeoutMs 60000, topics null', () => {
    const out = encodeRequest(ListPartitionReassignments, 0, 8, 'adm', {});
    const frame = frameOf(Buffer.concat(out));
    expect(decodeRequestBody(ListPartitionReassignments, 0, frame, decodeRequestHeader(frame).bodyOffset)).toEqual({ timeoutMs: 60000, topics: null });
  });

  test('response encodes and decodes', () => {
    expect(toHex(encodeResponse(ListPartitionReassignments, 0, 8, responseBody))).toBe(response.toString('hex'));
    const { correlationId, body } = decodeResponse(ListPartitionReassignments, 0, frameOf(response));
    expect(correlationId).toBe(8);
    expect(body).toEqual(responseBody);
  });
});
