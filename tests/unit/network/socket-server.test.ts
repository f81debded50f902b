// A real SocketServer on an ephemeral port, with a fake RequestHandler speaking a tiny protocol:
// request frame = [id int32][delayMs int32][command int8]; response = [id int32].
import * as net from 'net';
import { SocketServer, SocketServerOptions } from '../../../broker/network/socket-server';
import { CloseConnection, ConnectionInfo, RequestChannel, RequestHandler } from '../../../broker/network/request-handler';

const logged: string[] = [];
jest.mock('../../../broker/logging', () => ({
  getLogger: () => ({
    error: (m: string) => logged.push(`ERROR ${m}`),
    warn: (m: string) => logged.push(`WARN ${m}`),
    info: () => undefined,
    debug: () => undefined,
  }),
}));

const CMD_RESPOND = 0;
const CMD_NO_RESPONSE = 1;
const CMD_CLOSE = 2;
const CMD_THROW = 3;
const CMD_BIG = 4; // a 1 MB response
const CMD_THROTTLE = 5; // delayMs is a throttle time (KIP-219 mute), not a handling delay
const CMD_THROTTLE_NO_RESPONSE = 6; // the same for a request without a response (acks=0)

function request(id: number, delayMs = 0, command = CMD_RESPOND): Buffer {
  const b = Buffer.alloc(13);
  b.writeInt32BE(9, 0);
  b.writeInt32BE(id, 4);
  b.writeInt32BE(delayMs, 8);
  b.writeInt8(command, 12);
  return b;
}

const BIG = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
}

class FakeHandler implements RequestHandler {
  calls = 0;
  connections: ConnectionInfo[] = [];
  gate: Promise<void> | null = null;
  /** When each request id reached the handler (performance.now()). */
  readonly handledAt = new Map<number, number>();
  async handle(frame: Buffer, connection: ConnectionInfo, channel: RequestChannel): Promise<Buffer[] | null> {
    this.calls++;
    this.connections.push(connection);
    const id = frame.readInt32BE(0);
    const delay = frame.readInt32BE(4);
    const command = frame.readInt8(8);
    this.handledAt.set(id, performance.now());
    if (this.gate) await this.gate;
    if (command === CMD_THROTTLE || command === CMD_THROTTLE_NO_RESPONSE) channel.throttle(delay);
    else if (delay > 0) await sleep(delay);
    if (command === CMD_NO_RESPONSE || command === CMD_THROTTLE_NO_RESPONSE) return null;
    if (command === CMD_CLOSE) throw new CloseConnection(`cannot parse request ${id}`);
    if (command === CMD_THROW) throw new Error('handler bug');
    const response = Buffer.alloc(command === CMD_BIG ? 4 + BIG : 8);
    response.writeInt32BE(response.length - 4, 0);
    response.writeInt32BE(id, 4);
    return [response.subarray(0, 4), response.subarray(4)]; // two chunks: written corked
  }
}

/** A raw client collecting response ids; `closed` resolves when the server closes it. */
class RawClient {
  readonly ids: number[] = [];
  readonly closed: Promise<void>;
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 8 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        this.ids.push(this.buffered.readInt32BE(4));
        this.buffered = this.buffered.subarray(4 + this.buffered.readInt32BE(0));
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }
  async waitFor(count: number): Promise<number[]> {
    while (this.ids.length < count) await new Promise<void>((r) => this.waiters.push(r));
    return this.ids;
  }
}

const BASE_OPTIONS: SocketServerOptions = {
  brokerId: 0,
  listeners: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 0 }],
  socketRequestMaxBytes: 1000,
};

describe('SocketServer', () => {
  let handler: FakeHandler;
  let server: SocketServer;
  let port: number;
  const clients: RawClient[] = [];

  async function client(): Promise<RawClient> {
    const c = await RawClient.connect(port);
    clients.push(c);
    return c;
  }

  async function restart(options: Partial<SocketServerOptions>): Promise<void> {
    await server.shutdown();
    server = new SocketServer({ ...BASE_OPTIONS, ...options }, handler);
    await server.startup();
    port = server.boundPort();
  }

  beforeEach(async () => {
    logged.length = 0;
    handler = new FakeHandler();
    server = new SocketServer(BASE_OPTIONS, handler);
    await server.startup();
    port = server.boundPort();
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.socket.destroy());
    await server.shutdown();
  });

  it('binds an ephemeral port and reports the connection', async () => {
    expect(port).toBeGreaterThan(0);
    expect(server.boundPort('PLAINTEXT')).toBe(port);
    const c = await client();
    c.socket.write(request(1));
    await c.waitFor(1);
    const info = handler.connections[0];
    expect(info.listenerName).toBe('PLAINTEXT');
    expect(info.remoteAddress).toBe('127.0.0.1');
    expect(info.id).toBe(`127.0.0.1:${port}-127.0.0.1:${c.socket.localPort}-0`);
    expect(server.connectionCount).toBe(1);
  });

  it('writes responses in request order when handlers finish out of order', async () => {
    const c = await client();
    // One write with four pipelined requests; the first finishes last.
    c.socket.write(Buffer.concat([request(1, 60), request(2, 5), request(3, 30), request(4, 0)]));
    expect(await c.waitFor(4)).toEqual([1, 2, 3, 4]);
  });

  it('skips requests without a response and keeps the order of the others', async () => {
    const c = await client();
    c.socket.write(Buffer.concat([request(1, 30), request(2, 0, CMD_NO_RESPONSE), request(3, 0)]));
    expect(await c.waitFor(2)).toEqual([1, 3]);
    await sleep(20);
    expect(c.ids).toEqual([1, 3]);
  });

  it('throttling answers at once but reads nothing more from that connection until the throttle time has passed (KIP-219)', async () => {
    const throttled = await client();
    const other = await client();
    const start = performance.now();
    throttled.socket.write(Buffer.concat([request(1, 400, CMD_THROTTLE), request(2)]));
    await throttled.waitFor(1);
    const firstAnswerMs = performance.now() - start;
    other.socket.write(request(3));
    expect(await other.waitFor(1)).toEqual([3]); // another connection is not held up
    expect(throttled.ids).toEqual([1]);
    expect(await throttled.waitFor(2)).toEqual([1, 2]);
    const gap = (handler.handledAt.get(2) as number) - (handler.handledAt.get(1) as number);
    expect(gap).toBeGreaterThanOrEqual(395);
    expect(firstAnswerMs).toBeLessThan(gap); // the response was not the part held back
  });

  it('throttling a request without a response (acks=0) also mutes the connection', async () => {
    const c = await client();
    c.socket.write(Buffer.concat([request(1, 300, CMD_THROTTLE_NO_RESPONSE), request(2)]));
    expect(await c.waitFor(1)).toEqual([2]);
    const gap = (handler.handledAt.get(2) as number) - (handler.handledAt.get(1) as number);
    expect(gap).toBeGreaterThanOrEqual(295);
  });

  it('a connection closed while throttled goes away cleanly', async () => {
    const c = await client();
    c.socket.write(Buffer.concat([request(1, 60000, CMD_THROTTLE), request(2)]));
    await c.waitFor(1);
    c.socket.destroy();
    await c.closed;
    await waitUntil(() => server.connectionCount === 0);
    expect(handler.calls).toBe(1);
    expect(logged).toEqual([]);
  });

  it('handles a request split into single bytes', async () => {
    const c = await client();
    const bytes = Buffer.concat([request(7), request(8)]);
    for (const byte of bytes) {
      c.socket.write(Buffer.from([byte]));
      await sleep(0);
    }
    expect(await c.waitFor(2)).toEqual([7, 8]);
  });

  it('closes only the connection that sends an oversized frame, logging one line', async () => {
    const bad = await client();
    const good = await client();
    const size = Buffer.alloc(4);
    size.writeInt32BE(5000);
    bad.socket.write(size);
    await bad.closed;
    expect(handler.calls).toBe(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^WARN Unexpected error from \/127\.0\.0\.1 \(channelId=127\.0\.0\.1:\d+-127\.0\.0\.1:\d+-\d+\); closing connection/);
    expect(logged[0]).toContain('Invalid receive (size = 5000 larger than 1000)');
    good.socket.write(request(42));
    expect(await good.waitFor(1)).toEqual([42]);
  });

  it('closes a connection that sends garbage (an HTTP request)', async () => {
    const c = await client();
    c.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await c.closed;
    expect(handler.calls).toBe(0);
    expect(logged.join('\n')).toContain('Invalid receive (size = 1195725856 larger than 1000)');
  });

  it('closes on a negative size', async () => {
    const c = await client();
    c.socket.write(Buffer.from([0x80, 0, 0, 0]));
    await c.closed;
    expect(logged[0]).toContain('Invalid receive (size = -2147483648)');
  });

  it('drops a connection that closes mid-frame without calling the handler or logging', async () => {
    const c = await client();
    c.socket.end(request(1).subarray(0, 10));
    await c.closed;
    await sleep(20);
    expect(handler.calls).toBe(0);
    expect(logged).toEqual([]);
    expect(server.connectionCount).toBe(0);
    const other = await client();
    other.socket.write(request(2));
    expect(await other.waitFor(1)).toEqual([2]);
  });

  it('closes the connection when the handler throws CloseConnection, logging once', async () => {
    const c = await client();
    c.socket.write(request(1, 0, CMD_CLOSE));
    await c.closed;
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^WARN Closing socket for .* because of error: cannot parse request 1$/);
  });

  it('closes the connection on an unexpected handler error', async () => {
    const c = await client();
    c.socket.write(request(1, 0, CMD_THROW));
    await c.closed;
    expect(logged[0]).toMatch(/^ERROR Unexpected error handling a request .*handler bug/);
  });

  it('handles one request per connection at a time: the next is read only after the response is sent', async () => {
    let open!: () => void;
    handler.gate = new Promise<void>((r) => (open = r));
    const c = await client();
    c.socket.write(Buffer.concat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => request(id))));
    await sleep(50);
    expect(handler.calls).toBe(1);
    handler.gate = null;
    open();
    expect(await c.waitFor(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(handler.calls).toBe(10);
  });

  it('mutes a client that pipelines without reading: it holds about one response, and gets all when it reads', async () => {
    const greedy = await client();
    greedy.socket.pause(); // never reads until the end
    greedy.socket.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => request(i, 0, CMD_BIG))));
    await sleep(300);
    // Only what fits in the kernel's socket buffers (a few MB) was handed over; the rest waits unread.
    expect(handler.calls).toBeLessThan(30);
    const normal = await client();
    normal.socket.write(request(7));
    expect(await normal.waitFor(1)).toEqual([7]);
    greedy.socket.resume();
    const ids = await greedy.waitFor(100);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('reads on at once after a request without a response (acks=0)', async () => {
    const c = await client();
    c.socket.write(Buffer.concat([request(1, 0, CMD_NO_RESPONSE), request(2, 0, CMD_NO_RESPONSE), request(3)]));
    expect(await c.waitFor(1)).toEqual([3]);
    expect(handler.calls).toBe(3);
  });

  it('answers a request pipelined before a bad size prefix, then closes', async () => {
    const c = await client();
    const bad = Buffer.alloc(4);
    bad.writeInt32BE(5000);
    c.socket.write(Buffer.concat([request(1, 30), request(2), bad]));
    await c.closed;
    expect(c.ids).toEqual([1, 2]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('Invalid receive (size = 5000 larger than 1000)');
  });

  it('answers a request pipelined before one the handler refuses, then closes without reading further', async () => {
    const c = await client();
    c.socket.write(Buffer.concat([request(1, 30), request(2, 0, CMD_CLOSE), request(3)]));
    await c.closed;
    expect(c.ids).toEqual([1]);
    expect(handler.calls).toBe(2);
  });

  it('answers every request of a client that half-closes after sending them, then closes', async () => {
    const c = await client();
    c.socket.end(Buffer.concat([request(1, 20), request(2), request(3, 10)]));
    await c.closed;
    expect(c.ids).toEqual([1, 2, 3]);
    await sleep(20);
    expect(server.connectionCount).toBe(0);
  });

  it('queued.max.requests: a full queue holds every other connection\'s next request until there is room', async () => {
    await restart({ queuedMaxRequests: 1 });
    let open!: () => void;
    handler.gate = new Promise<void>((r) => (open = r));
    const first = await client();
    const second = await client();
    first.socket.write(request(1));
    await sleep(30);
    second.socket.write(request(2));
    await sleep(50);
    expect(handler.calls).toBe(1);
    handler.gate = null;
    open();
    expect(await first.waitFor(1)).toEqual([1]);
    expect(await second.waitFor(1)).toEqual([2]);
  });

  it('max.connections.per.ip: the connection over the limit is closed at once; the others are served', async () => {
    await restart({ maxConnectionsPerIp: 2 });
    const a = await client();
    const b = await client();
    const over = await client();
    await over.closed;
    expect(server.connectionCount).toBe(2);
    a.socket.write(request(1));
    b.socket.write(request(2));
    expect(await a.waitFor(1)).toEqual([1]);
    expect(await b.waitFor(1)).toEqual([2]);
    a.socket.destroy();
    await a.closed;
    await sleep(20);
    const again = await client();
    again.socket.write(request(3));
    expect(await again.waitFor(1)).toEqual([3]);
  });

  it('max.connections.per.ip.overrides: a listed IP gets its own limit', async () => {
    await restart({ maxConnectionsPerIp: 5, maxConnectionsPerIpOverrides: new Map([['127.0.0.1', 1]]) });
    await client();
    const over = await client();
    await over.closed;
    expect(server.connectionCount).toBe(1);
  });

  it('max.connections: a connection over the limit waits unread until another closes (Kafka 2.4 blocks accepting)', async () => {
    await restart({ maxConnections: 1 });
    const first = await client();
    const waiting = await client();
    waiting.socket.write(request(2));
    await sleep(50);
    expect(handler.calls).toBe(0);
    expect(server.connectionCount).toBe(0 + 1);
    first.socket.destroy();
    expect(await waiting.waitFor(1)).toEqual([2]);
  });

  it('max.connections: the inter-broker listener is exempt when there are several listeners (Kafka\'s protected listener)', async () => {
    await restart({
      listeners: [
        { listenerName: 'PLAINTEXT', host: '127.0.0.1', port: 0 },
        { listenerName: 'REPLICATION', host: '127.0.0.1', port: 0 },
      ],
      interBrokerListenerName: 'REPLICATION',
      maxConnections: 1,
    });
    await client();
    const broker = await RawClient.connect(server.boundPort('REPLICATION'));
    clients.push(broker);
    broker.socket.write(request(5));
    expect(await broker.waitFor(1)).toEqual([5]);
    expect(server.connectionCount).toBe(2);
  });

  it('closes every connection and stops accepting on shutdown', async () => {
    const c = await client();
    c.socket.write(request(1));
    await c.waitFor(1);
    await server.shutdown();
    await c.closed;
    await expect(RawClient.connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
