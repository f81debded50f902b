// A TCP proxy in front of a broker that, for chosen clients only, answers ApiVersions as an Apache
// Kafka 0.10.0 broker would (Produce 0-2, Fetch 0-2, ...). librdkafka cannot be pinned to message
// format v1 otherwise: with broker.version.fallback=0.10.0 it still asks ApiVersions (0.10.0 has
// it) and then uses the newest versions the broker offers. Clients are told apart by client.id,
// so kafkajs and the harness pass through untouched. Point advertised.listeners at the proxy so
// that the connections a client opens after Metadata go through it too.
import * as net from 'net';

/** ApiVersions of Apache Kafka 0.10.0.1 (key, min, max). */
export const KAFKA_0_10_0_API_VERSIONS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 2], [1, 0, 2], [2, 0, 0], [3, 0, 1], [4, 0, 0], [5, 0, 0], [6, 0, 2], [7, 1, 1], [8, 0, 2],
  [9, 0, 1], [10, 0, 0], [11, 0, 0], [12, 0, 0], [13, 0, 0], [14, 0, 0], [15, 0, 0], [16, 0, 0],
  [17, 0, 0], [18, 0, 0],
];

const API_VERSIONS_KEY = 18;
const UNSUPPORTED_VERSION = 35;

export class OldBrokerProxy {
  private readonly sockets = new Set<net.Socket>();
  /** ApiVersions requests answered by the proxy, as "v<version>" per request. */
  readonly answered: string[] = [];

  private constructor(private readonly server: net.Server) {}

  /**
   * Listens on 127.0.0.1:listenPort and forwards to 127.0.0.1:upstreamPort; ApiVersions from a
   * client whose client.id starts with clientIdPrefix gets the 0.10.0 list.
   */
  static start(listenPort: number, upstreamPort: number, clientIdPrefix: string): Promise<OldBrokerProxy> {
    let proxy: OldBrokerProxy;
    const server = net.createServer((client) => proxy.handle(client, upstreamPort, clientIdPrefix));
    proxy = new OldBrokerProxy(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => resolve(proxy));
    });
  }

  private handle(client: net.Socket, upstreamPort: number, clientIdPrefix: string): void {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    upstream.on('data', (d) => client.write(d));

    // Requests are framed (int32 size) so each can be looked at; a request answered here is not
    // forwarded. Kafka answers in order per connection, so a local answer may only be sent when
    // nothing forwarded is still unanswered: clients send ApiVersions first, before anything else.
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        const apiKey = frame.readInt16BE(4);
        const apiVersion = frame.readInt16BE(6);
        const correlationId = frame.readInt32BE(8);
        const idLength = frame.readInt16BE(12);
        const clientId = idLength >= 0 ? frame.toString('utf8', 14, 14 + idLength) : '';
        if (apiKey === API_VERSIONS_KEY && clientId.startsWith(clientIdPrefix)) {
          this.answered.push(`v${apiVersion}`);
          client.write(apiVersionsV0Response(correlationId, apiVersion === 0 ? 0 : UNSUPPORTED_VERSION));
        } else {
          upstream.write(frame);
        }
      }
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** ApiVersions response in the v0 layout (also what a broker sends for a version it does not know). */
function apiVersionsV0Response(correlationId: number, errorCode: number): Buffer {
  const apis = KAFKA_0_10_0_API_VERSIONS;
  const body = Buffer.alloc(4 + 4 + 2 + 4 + apis.length * 6);
  let at = 0;
  body.writeInt32BE(body.length - 4, at); at += 4;
  body.writeInt32BE(correlationId, at); at += 4;
  body.writeInt16BE(errorCode, at); at += 2;
  body.writeInt32BE(apis.length, at); at += 4;
  for (const [key, min, max] of apis) {
    body.writeInt16BE(key, at);
    body.writeInt16BE(min, at + 2);
    body.writeInt16BE(max, at + 4);
    at += 6;
  }
  return body;
}
