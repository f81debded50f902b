// A loopback TCP proxy that records Kafka protocol frames between real clients and a broker, so
// protocol tests can use golden bytes from real traffic (ARCHITECTURE §7) rather than only
// round-trips through our own encoder, which pass even when encoder and decoder share a bug.
//
// Bytes are forwarded untouched, as they arrive; a copy of each direction is split into frames
// (int32 size + payload). Kafka answers in order on a connection, so responses are matched to
// requests by a per-connection FIFO of the requests still waiting; Produce with acks=0 gets no
// answer and never enters the queue. The response's correlation id is checked against it.
//
// Clients only use the bootstrap address to start: after Metadata they talk to the advertised
// host:port of each broker. With the broker advertising its own port, Produce/Fetch/ListOffsets
// would bypass a proxy that only sits on the bootstrap address, and rewriting the advertised
// address inside Metadata responses would mean re-encoding the very bytes we want to capture.
// So the broker runs with advertised.listeners pointing at this proxy: every client connection
// passes through it untouched (kcat and kafkajs then even reuse the bootstrap connection, as
// the advertised address is the same one).
// The controller reaches its own broker through the advertised endpoint too; its frames are
// recorded like any other and left out by whoever selects fixtures (clientId controller-N).
//
// Standalone use (after `npx tsc -p tsconfig.json`), writing every frame:
//   node dist/tests/tools/capture-proxy.js --target 127.0.0.1:9092 --listen 19092 \
//     --out /tmp/frames --client 'kcat 1.7.1 (librdkafka 2.0.2)' --command 'kcat -L ...'
// tests/tools/capture-golden.ts drives it to produce the checked-in fixtures.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { apiByKey } from '../../broker/protocol/messages/index';

const PRODUCE_KEY = 0;

export interface CapturedFrame {
  /** Per-proxy connection number, from 1. */
  connection: number;
  direction: 'request' | 'response';
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** The clientId of the request (for a response: of the request it answers). */
  clientId: string | null;
  /** The whole frame as on the wire, size prefix included. */
  bytes: Buffer;
  /** Whatever label was current when the connection was accepted (which client, which command). */
  label: CaptureLabel | null;
  /** For a response, the request it answers. */
  request?: CapturedFrame;
}

export interface CaptureLabel {
  /** The client software, e.g. 'kcat 1.7.1 (librdkafka 2.0.2)'. */
  client: string;
  /** The command or API call that produced the traffic. */
  command: string;
}

/** Accumulates a byte stream and yields complete size-prefixed frames. */
export class FrameSplitter {
  private buffered: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): Buffer[] {
    this.buffered.push(chunk);
    this.length += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.length < 4) break;
      let all = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered, this.length);
      const size = all.readInt32BE(0);
      if (size < 0) throw new Error(`negative frame size ${size}`);
      if (this.length < 4 + size) {
        this.buffered = [all];
        break;
      }
      frames.push(Buffer.from(all.subarray(0, 4 + size)));
      all = all.subarray(4 + size);
      this.buffered = all.length > 0 ? [all] : [];
      this.length = all.length;
    }
    return frames;
  }
}

/**
 * Reads what the proxy needs from a request frame (size prefix included) without the codec under
 * test: apiKey, apiVersion, correlationId, clientId (header v1+; ControlledShutdown v0 has none).
 */
export function peekRequest(frame: Buffer): { apiKey: number; apiVersion: number; correlationId: number; clientId: string | null; expectsResponse: boolean } {
  const apiKey = frame.readInt16BE(4);
  const apiVersion = frame.readInt16BE(6);
  const correlationId = frame.readInt32BE(8);
  let clientId: string | null = null;
  let pos = 12;
  if (!(apiKey === 7 && apiVersion === 0) && frame.length >= 14) {
    const len = frame.readInt16BE(12);
    pos = 14;
    if (len >= 0) {
      clientId = frame.toString('utf8', 14, 14 + len);
      pos += len;
    }
  }
  let expectsResponse = true;
  // acks=0 Produce is never answered (Kafka's only request without a response). Produce is not
  // flexible in the versions Zafka serves, so the body starts right after the clientId.
  if (apiKey === PRODUCE_KEY && apiVersion < 9) {
    if (apiVersion >= 3) {
      const txLen = frame.readInt16BE(pos);
      pos += 2 + Math.max(txLen, 0);
    }
    expectsResponse = frame.readInt16BE(pos) !== 0;
  }
  return { apiKey, apiVersion, correlationId, clientId, expectsResponse };
}

export interface CaptureProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** 0 (default) picks a free port. Always bound to 127.0.0.1. */
  listenPort?: number;
  /** Called for every frame, in order per connection and direction. */
  onFrame?: (frame: CapturedFrame) => void;
}

export class CaptureProxy {
  readonly frames: CapturedFrame[] = [];
  /** Attached to connections accepted from now on. */
  label: CaptureLabel | null = null;
  /** Problems seen (unmatched responses, unparsable frames); the proxy keeps forwarding. */
  readonly problems: string[] = [];
  private connections = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(options: CaptureProxyOptions): Promise<CaptureProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listenPort ?? 0, '127.0.0.1', () => resolve());
    });
    const proxy = new CaptureProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, options));
    return proxy;
  }

  private accept(client: net.Socket, options: CaptureProxyOptions): void {
    const connection = ++this.connections;
    const label = this.label;
    const upstream = net.connect(options.targetPort, options.targetHost ?? '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const waiting: CapturedFrame[] = [];
    const requests = new FrameSplitter();
    const responses = new FrameSplitter();
    const record = (f: CapturedFrame) => {
      this.frames.push(f);
      options.onFrame?.(f);
    };

    client.on('data', (chunk) => {
      upstream.write(chunk);
      try {
        for (const bytes of requests.push(chunk)) {
          const h = peekRequest(bytes);
          const f: CapturedFrame = { connection, direction: 'request', apiKey: h.apiKey, apiVersion: h.apiVersion, correlationId: h.correlationId, clientId: h.clientId, bytes, label };
          if (h.expectsResponse) waiting.push(f);
          record(f);
        }
      } catch (err) {
        this.problems.push(`connection ${connection}: bad request stream: ${(err as Error).message}`);
      }
    });
    upstream.on('data', (chunk) => {
      client.write(chunk);
      try {
        for (const bytes of responses.push(chunk)) {
          const correlationId = bytes.readInt32BE(4);
          const request = waiting.shift();
          if (request === undefined || request.correlationId !== correlationId) {
            this.problems.push(`connection ${connection}: response ${correlationId} does not answer the oldest request ${request?.correlationId}`);
            continue;
          }
          record({ connection, direction: 'response', apiKey: request.apiKey, apiVersion: request.apiVersion, correlationId, clientId: request.clientId, bytes, label, request });
        }
      } catch (err) {
        this.problems.push(`connection ${connection}: bad response stream: ${(err as Error).message}`);
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Kafka's API name in snake_case, as fixture files are named (api_versions, create_topics). */
export function apiSnakeName(apiKey: number): string {
  const api = apiByKey(apiKey);
  const name = api === undefined ? `Api${apiKey}` : api.name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** First line of every fixture written here; tests use it to tell live captures from others. */
export const CAPTURE_MARKER = '# captured from live traffic by tests/tools/capture-proxy.ts';

export interface FixtureNotes {
  /** Extra comment lines (without '#'). */
  notes?: string[];
  date?: Date;
}

function fixtureText(frame: CapturedFrame, extra: FixtureNotes): string {
  const name = apiByKey(frame.apiKey)?.name ?? `api key ${frame.apiKey}`;
  const lines = [
    CAPTURE_MARKER,
    `# client: ${frame.label?.client ?? 'unknown'} (clientId ${JSON.stringify(frame.clientId)})`,
    `# command: ${frame.label?.command ?? 'unknown'}`,
    `# date: ${(extra.date ?? new Date()).toISOString().slice(0, 10)}`,
    `# ${name} v${frame.apiVersion} ${frame.direction}, correlationId ${frame.correlationId}`,
  ];
  if (frame.direction === 'response') {
    lines.push('# written by Zafka itself (not a reference Kafka broker): less authoritative than the request');
  }
  for (const n of extra.notes ?? []) lines.push(`# ${n}`);
  const hex = frame.bytes.toString('hex');
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  return lines.join('\n') + '\n';
}

/** The smallest sequence number free for every given name prefix in dir. */
function nextSeq(dir: string, prefixes: string[]): number {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  let seq = 0;
  for (const prefix of prefixes) {
    for (const f of files) {
      const m = new RegExp(`^${prefix}_(\\d+)\\.hex$`).exec(f);
      if (m !== null) seq = Math.max(seq, Number(m[1]) + 1);
    }
  }
  return seq;
}

function prefixOf(f: CapturedFrame): string {
  return `${apiSnakeName(f.apiKey)}_${f.direction}_v${f.apiVersion}`;
}

/**
 * Writes a request (and optionally its response) as <api>_<request|response>_v<N>_<seq>.hex;
 * both get the same seq, the first one free for both, so a pair is easy to find. Returns the
 * file names.
 */
export function writeFixturePair(dir: string, request: CapturedFrame, response: CapturedFrame | null, extra: FixtureNotes = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const frames = response === null ? [request] : [request, response];
  const seq = String(nextSeq(dir, frames.map(prefixOf))).padStart(3, '0');
  return frames.map((f) => {
    const file = `${prefixOf(f)}_${seq}.hex`;
    fs.writeFileSync(path.join(dir, file), fixtureText(f, extra));
    return file;
  });
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.target || !args.out) {
    console.error('usage: capture-proxy --target host:port --out DIR [--listen PORT] [--client NAME] [--command TEXT]');
    process.exit(1);
  }
  const [targetHost, targetPort] = args.target.split(':');
  const out = path.resolve(args.out);
  const proxy = await CaptureProxy.start({
    targetHost,
    targetPort: Number(targetPort),
    listenPort: Number(args.listen ?? 0),
    onFrame: (f) => {
      // Requests with a response are written together with it; the others right away.
      if (f.direction === 'response') console.log(writeFixturePair(out, f.request!, f).join(' '));
      else if (!peekRequest(f.bytes).expectsResponse) console.log(writeFixturePair(out, f, null).join(' '));
    },
  });
  proxy.label = { client: args.client ?? 'unknown', command: args.command ?? 'unknown' };
  console.log(`capture proxy on 127.0.0.1:${proxy.port} -> ${args.target}, writing to ${out}`);
}

if (require.main === module) void main();
