// The capture proxy (tests/tools/capture-proxy.ts) that produced the live fixtures: framing across
// arbitrary chunk boundaries, in-order response matching (acks=0 Produce has no answer), and the
// fixture files it writes. Loopback only, against a tiny fake broker.

import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { encodeRequest } from '../../../broker/protocol/codec';
import { ApiVersions, Metadata, Produce } from '../../../broker/protocol/messages/index';
import { CAPTURE_MARKER, CaptureProxy, CapturedFrame, FrameSplitter, peekRequest, writeFixturePair } from '../../tools/capture-proxy';
import { hex } from './golden';

const req = (chunks: Buffer[]) => Buffer.concat(chunks);
const apiVersions = req(encodeRequest(ApiVersions, 0, 1, 'test', {}));
const produceAcks0 = req(encodeRequest(Produce, 7, 2, 'test', { acks: 0, timeoutMs: 1000, topicData: [] }));
const metadata = req(encodeRequest(Metadata, 1, 3, 'test', { topics: null }));

test('FrameSplitter reassembles frames split anywhere', () => {
  const stream = Buffer.concat([apiVersions, produceAcks0, metadata]);
  const splitter = new FrameSplitter();
  const frames: Buffer[] = [];
  for (let i = 0; i < stream.length; i++) frames.push(...splitter.push(stream.subarray(i, i + 1)));
  expect(frames.map((f) => f.toString('hex'))).toEqual([apiVersions, produceAcks0, metadata].map((f) => f.toString('hex')));
  expect(new FrameSplitter().push(stream)).toHaveLength(3);
});

test('peekRequest reads the header and knows acks=0 Produce gets no response', () => {
  expect(peekRequest(apiVersions)).toEqual({ apiKey: 18, apiVersion: 0, correlationId: 1, clientId: 'test', expectsResponse: true });
  expect(peekRequest(produceAcks0).expectsResponse).toBe(false);
  const acks1 = req(encodeRequest(Produce, 2, 4, null, { acks: 1, timeoutMs: 1000, topicData: [] }));
  expect(peekRequest(acks1)).toMatchObject({ clientId: null, expectsResponse: true });
});

describe('CaptureProxy against a fake broker', () => {
  let upstream: net.Server;
  let proxy: CaptureProxy;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-capture-test-'));

  beforeAll(async () => {
    // Answers every request except acks=0 Produce with correlationId + int16 0.
    upstream = net.createServer((socket) => {
      const splitter = new FrameSplitter();
      socket.on('data', (chunk) => {
        for (const frame of splitter.push(chunk)) {
          const h = peekRequest(frame);
          if (!h.expectsResponse) continue;
          const res = Buffer.alloc(10);
          res.writeInt32BE(6, 0);
          res.writeInt32BE(h.correlationId, 4);
          socket.write(res);
        }
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    proxy = await CaptureProxy.start({ targetPort: (upstream.address() as net.AddressInfo).port });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('forwards bytes, records frames and pairs responses with their requests', async () => {
    proxy.label = { client: 'unit test', command: 'pipelined requests' };
    const client = net.connect(proxy.port, '127.0.0.1');
    const received: Buffer[] = [];
    client.on('data', (d) => received.push(d));
    client.write(Buffer.concat([apiVersions, produceAcks0, metadata]));
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5000;
      const poll = () => {
        if (Buffer.concat(received).length >= 20) resolve();
        else if (Date.now() > deadline) reject(new Error('no responses through the proxy'));
        else setTimeout(poll, 10);
      };
      poll();
    });
    client.destroy();

    expect(proxy.problems).toEqual([]);
    const summary = proxy.frames.map((f) => `${f.direction} ${f.apiKey} ${f.correlationId}`);
    expect(summary).toEqual(['request 18 1', 'request 0 2', 'request 3 3', 'response 18 1', 'response 3 3']);
    const responses = proxy.frames.filter((f) => f.direction === 'response');
    expect(responses.map((f) => f.request?.bytes)).toEqual([apiVersions, metadata]);
    expect(responses[1]).toMatchObject({ apiVersion: 1, clientId: 'test', label: { client: 'unit test' } });
  });

  test('writes fixture pairs under one seq, after the ones already there', () => {
    const [request, response] = [proxy.frames[2], proxy.frames[4]] as CapturedFrame[];
    expect(writeFixturePair(dir, request, response)).toEqual(['metadata_request_v1_000.hex', 'metadata_response_v1_000.hex']);
    expect(writeFixturePair(dir, request, null)).toEqual(['metadata_request_v1_001.hex']);
    expect(writeFixturePair(dir, request, response)).toEqual(['metadata_request_v1_002.hex', 'metadata_response_v1_002.hex']);
    const text = fs.readFileSync(path.join(dir, 'metadata_response_v1_000.hex'), 'utf8');
    expect(text.startsWith(CAPTURE_MARKER)).toBe(true);
    expect(text).toContain('# client: unit test (clientId "test")');
    expect(text).toContain('written by Zafka itself');
    expect(hex(text).equals(response.bytes)).toBe(true);
  });
});
