// KafkaClient against a real SocketServer whose handler answers ApiVersions with the real codec.
// The request's clientSoftwareName steers the fake broker: "delay:<ms>", "silent" (no response),
// "wrong-id" (answers with another correlation id), "hang" (never answers).
import * as net from 'net';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ConnectionInfo, RequestHandler } from '../../../broker/network/request-handler';
import { SocketServer } from '../../../broker/network/socket-server';
import { decodeRequestBody, encodeResponse } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { ApiVersions } from '../../../broker/protocol/messages/api-versions';

jest.mock('../../../broker/logging', () => ({
  getLogger: () => ({ error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined }),
}));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class ApiVersionsBroker implements RequestHandler {
  clientIds: Array<string | null> = [];
  async handle(frame: Buffer, _connection: ConnectionInfo): Promise<Buffer[] | null> {
    const header = decodeRequestHeader(frame);
    this.clientIds.push(header.clientId);
    const body = decodeRequestBody(ApiVersions, header.apiVersion, frame, header.bodyOffset);
    const steer = body.clientSoftwareName;
    if (steer.startsWith('delay:')) await sleep(Number(steer.slice(6)));
    if (steer === 'silent') return null;
    if (steer === 'hang') return new Promise(() => undefined);
    const correlationId = steer === 'wrong-id' ? header.correlationId + 1000 : header.correlationId;
    // Echo the correlation id in maxVersion so the test can check each promise got its own answer.
    return encodeResponse(ApiVersions, header.apiVersion, correlationId, {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: header.correlationId }],
      throttleTimeMs: 0,
    });
  }
}

describe('KafkaClient', () => {
  let broker: ApiVersionsBroker;
  let server: SocketServer;
  let port: number;
  let client: KafkaClient;

  beforeEach(async () => {
    broker = new ApiVersionsBroker();
    server = new SocketServer({ brokerId: 0, listeners: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 0 }], socketRequestMaxBytes: 1 << 20 }, broker);
    await server.startup();
    port = server.boundPort();
    client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'unit-test' });
  });

  afterEach(async () => {
    client.close();
    await server.shutdown();
  });

  const request = (name: string) => ({ clientSoftwareName: name, clientSoftwareVersion: '1.0' });

  it('pipelines requests and gives each promise its own response', async () => {
    const delays = [40, 0, 25, 5, 10, 0, 30, 1];
    const responses = await Promise.all(delays.map((d) => client.send(ApiVersions, 3, request(`delay:${d}`))));
    expect(responses.map((r) => r.apiKeys[0].maxVersion)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(responses.every((r) => r.errorCode === ErrorCode.NONE)).toBe(true);
    expect(broker.clientIds).toEqual(Array(8).fill('unit-test'));
  });

  it('speaks non-flexible versions too', async () => {
    const response = await client.send(ApiVersions, 1, request('ignored in v1'));
    expect(response.throttleTimeMs).toBe(0);
    expect(response.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 0 }]);
  });

  it('sends requests without a response (acks=0) and keeps matching the next ones', async () => {
    await client.sendNoResponse(ApiVersions, 3, request('silent'));
    const response = await client.send(ApiVersions, 3, request('delay:0'));
    expect(response.apiKeys[0].maxVersion).toBe(1); // correlation id 0 went to the silent request
  });

  it('closes the connection when a response carries an unexpected correlation id', async () => {
    const closed = new Promise<void>((r) => client.onClose(r));
    const [bad, queued] = [client.send(ApiVersions, 3, request('wrong-id')), client.send(ApiVersions, 3, request('hang'))];
    await expect(bad).rejects.toThrow(/Correlation id for response \(1000\) does not match request \(0\)/);
    await expect(queued).rejects.toMatchObject({ code: ErrorCode.NETWORK_EXCEPTION });
    await closed;
    expect(client.closed).toBe(true);
    await expect(client.send(ApiVersions, 3, request('x'))).rejects.toBeInstanceOf(KafkaError);
  });

  it('times a request out with REQUEST_TIMED_OUT and closes the connection', async () => {
    const other = client.send(ApiVersions, 3, request('hang'), { timeoutMs: 10_000 });
    const timedOut = client.send(ApiVersions, 3, request('hang'), { timeoutMs: 30 });
    await expect(timedOut).rejects.toMatchObject({ code: ErrorCode.REQUEST_TIMED_OUT });
    await expect(other).rejects.toMatchObject({ code: ErrorCode.NETWORK_EXCEPTION });
    expect(client.closed).toBe(true);
  });

  it('rejects requests in flight when the broker goes away, and tells onClose listeners', async () => {
    let closes = 0;
    client.onClose(() => closes++);
    const pending = client.send(ApiVersions, 3, request('hang'));
    await sleep(10);
    await server.shutdown();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.NETWORK_EXCEPTION });
    expect(closes).toBe(1);
    client.close();
    expect(closes).toBe(1);
    let late = false;
    client.onClose(() => (late = true));
    await sleep(0);
    expect(late).toBe(true);
  });

  it('rejects an unsupported version before sending anything', async () => {
    await expect(client.send(ApiVersions, 99, request('x'))).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_VERSION });
    expect(client.closed).toBe(false);
  });

  it('fails to connect with NETWORK_EXCEPTION when nothing listens', async () => {
    const unused = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expect(KafkaClient.connect('127.0.0.1', unused)).rejects.toMatchObject({ code: ErrorCode.NETWORK_EXCEPTION });
  });
});
