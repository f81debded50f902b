// The outbound Kafka protocol client: one TCP connection to one broker, used broker->broker
// (the controller's LeaderAndIsr/UpdateMetadata/StopReplica, follower fetchers) and by the tools,
// the benchmark and tests. Requests are pipelined; Kafka answers each connection in request order,
// so a response must carry the correlation id of the oldest request in flight, and anything else
// means the stream is out of step: the connection is closed, as Kafka's NetworkClient does.
// Like NetworkClient, a request timeout also closes the connection (a late response would
// otherwise arrive out of step). Reconnecting is the caller's business.
// On a TLS listener the connection is TLS; on a SASL listener it authenticates first with
// SaslHandshake v1 + SaslAuthenticate v1 (KIP-152), as Kafka's SaslClientAuthenticator does.
import * as net from 'net';
import * as tls from 'tls';
import type { ApiDefinition } from '../protocol/api-definition';
import { decodeResponse, encodeRequest } from '../protocol/codec';
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate';
import { SaslHandshake } from '../protocol/messages/sasl-handshake';
import { createSaslClient, type SaslCredentials } from '../security/sasl-client';
import { FrameReader } from './frame-reader';

/** How to reach a listener that is not PLAINTEXT. */
export interface ClientSecurity {
  /** TLS options (SSL, SASL_SSL); absent: plain TCP. */
  readonly tls?: tls.ConnectionOptions;
  /** SASL credentials (SASL_PLAINTEXT, SASL_SSL); absent: no authentication. */
  readonly sasl?: SaslCredentials;
}

export interface KafkaClientOptions {
  /** The client id sent in every request header (default "zafka"). */
  clientId?: string;
  /** How long the TCP connect may take (default 10000, Kafka's socket.connection.setup.timeout.ms). */
  connectTimeoutMs?: number;
  /** Default per-request timeout (default 30000, Kafka's request.timeout.ms). */
  requestTimeoutMs?: number;
  /** TLS and/or SASL for the listener connected to (default: PLAINTEXT). */
  security?: ClientSecurity;
}

interface InFlight {
  readonly correlationId: number;
  readonly apiName: string;
  decode(frame: Buffer): unknown;
  resolve(body: unknown): void;
  reject(err: Error): void;
  readonly timer: NodeJS.Timeout;
}

const INT32_MAX = 0x7fffffff;
// Responses are not limited like requests (Kafka's client has no receive limit by default), but a
// size prefix beyond int32 range or negative is still nonsense.
const MAX_RESPONSE_BYTES = INT32_MAX;

export class KafkaClient {
  private readonly reader = new FrameReader(MAX_RESPONSE_BYTES);
  private readonly inFlight: InFlight[] = [];
  private readonly closeListeners: Array<() => void> = [];
  private nextCorrelationId = 0;
  private isClosed = false;
  private closeReason: string | null = null;
  private readonly clientId: string;
  private readonly requestTimeoutMs: number;

  private constructor(
    private readonly socket: net.Socket,
    readonly host: string,
    readonly port: number,
    options: KafkaClientOptions,
  ) {
    this.clientId = options.clientId ?? 'zafka';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30000;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(`Connection to ${host}:${port} failed: ${err.message}`));
    socket.on('close', () => this.fail(`Connection to ${host}:${port} was closed`));
  }

  /**
   * Opens a connection (TLS and SASL authentication included when `options.security` asks);
   * rejects with KafkaError(NETWORK_EXCEPTION) on refusal, timeout or a failed TLS handshake, and
   * with KafkaError(SASL_AUTHENTICATION_FAILED) when the broker refuses the credentials.
   */
  static async connect(host: string, port: number, options: KafkaClientOptions = {}): Promise<KafkaClient> {
    const socket = await KafkaClient.openSocket(host, port, options);
    const client = new KafkaClient(socket, host, port, options);
    const sasl = options.security?.sasl;
    if (sasl !== undefined) {
      try {
        await client.authenticate(sasl);
      } catch (err) {
        client.close();
        throw err;
      }
    }
    return client;
  }

  private static openSocket(host: string, port: number, options: KafkaClientOptions): Promise<net.Socket> {
    const timeoutMs = options.connectTimeoutMs ?? 10000;
    const tlsOptions = options.security?.tls;
    return new Promise((resolve, reject) => {
      const socket = tlsOptions === undefined
        ? net.connect({ host, port, noDelay: true })
        : tls.connect({ ...tlsOptions, host, port, servername: net.isIP(host) === 0 ? host : undefined });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KafkaError(ErrorCode.NETWORK_EXCEPTION, `Connection to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new KafkaError(ErrorCode.NETWORK_EXCEPTION, `Connection to ${host}:${port} failed: ${err.message}`));
      };
      socket.once('error', onError);
      socket.once(tlsOptions === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolve(socket);
      });
    });
  }

  /** SaslHandshake v1 then SaslAuthenticate v1 rounds until the mechanism is done. */
  private async authenticate(credentials: SaslCredentials): Promise<void> {
    const handshake = await this.send(SaslHandshake, 1, { mechanism: credentials.mechanism });
    if (handshake.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(handshake.errorCode, `SASL mechanism ${credentials.mechanism} refused by ${this.host}:${this.port} (enabled: ${handshake.mechanisms.join(', ')})`);
    }
    const sasl = createSaslClient(credentials);
    let token: Buffer | null = sasl.initial();
    while (token !== null) {
      const res = await this.send(SaslAuthenticate, 1, { authBytes: token });
      if (res.errorCode !== ErrorCode.NONE) {
        throw new KafkaError(res.errorCode, `SASL authentication with ${this.host}:${this.port} failed: ${res.errorMessage ?? ''}`);
      }
      try {
        token = sasl.next(Buffer.from(res.authBytes ?? Buffer.alloc(0)));
      } catch (err) {
        throw new KafkaError(ErrorCode.SASL_AUTHENTICATION_FAILED, `SASL authentication with ${this.host}:${this.port} failed: ${(err as Error).message}`);
      }
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Called once when the connection closes, whoever closed it (immediately if already closed). */
  onClose(cb: () => void): void {
    if (this.isClosed) queueMicrotask(cb);
    else this.closeListeners.push(cb);
  }

  /**
   * Sends a request and resolves with the decoded response body. Rejects with
   * KafkaError(NETWORK_EXCEPTION) when the connection closes first, and with
   * KafkaError(REQUEST_TIMED_OUT) after timeoutMs (the connection is then closed too).
   */
  send<Req, Res, ReqIn>(
    api: ApiDefinition<Req, Res, ReqIn, unknown>,
    version: number,
    body: NoInfer<ReqIn>,
    options: { timeoutMs?: number } = {},
  ): Promise<Res> {
    if (this.isClosed) return Promise.reject(this.closedError());
    const correlationId = this.takeCorrelationId();
    let chunks: Buffer[];
    try {
      chunks = encodeRequest(api, version, correlationId, this.clientId, body);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<Res>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
      const timer = setTimeout(() => {
        const err = new KafkaError(
          ErrorCode.REQUEST_TIMED_OUT,
          `${api.name} request (correlation id ${correlationId}) to ${this.host}:${this.port} timed out after ${timeoutMs} ms`,
        );
        reject(err);
        this.fail(`Disconnected from ${this.host}:${this.port} due to request timeout`);
      }, timeoutMs);
      this.inFlight.push({
        correlationId,
        apiName: api.name,
        decode: (frame) => decodeResponse(api, version, frame).body,
        resolve: resolve as (body: unknown) => void,
        reject,
        timer,
      });
      this.write(chunks);
    });
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0). Resolves once the bytes are
   * handed to the kernel.
   */
  sendNoResponse<Req, ReqIn>(api: ApiDefinition<Req, unknown, ReqIn, unknown>, version: number, body: NoInfer<ReqIn>): Promise<void> {
    if (this.isClosed) return Promise.reject(this.closedError());
    let chunks: Buffer[];
    try {
      chunks = encodeRequest(api, version, this.takeCorrelationId(), this.clientId, body);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      this.socket.cork();
      for (let i = 0; i < chunks.length; i++) {
        const last = i === chunks.length - 1;
        this.socket.write(chunks[i], last ? (err) => (err ? reject(this.closedError()) : resolve()) : undefined);
      }
      this.socket.uncork();
    });
  }

  /** Closes the connection; requests in flight reject with NETWORK_EXCEPTION. */
  close(): void {
    this.fail(`Connection to ${this.host}:${this.port} was closed by the client`);
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = id === INT32_MAX ? 0 : id + 1;
    return id;
  }

  private write(chunks: Buffer[]): void {
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk);
    try {
      for (let frame = this.reader.next(); frame !== null && !this.isClosed; frame = this.reader.next()) {
        this.onResponse(frame);
      }
    } catch (err) {
      this.fail(`Invalid response from ${this.host}:${this.port}: ${(err as Error).message}`);
    }
  }

  private onResponse(frame: Buffer): void {
    const expected = this.inFlight[0];
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    if (expected === undefined || correlationId !== expected.correlationId) {
      const wanted = expected === undefined ? 'none in flight' : String(expected.correlationId);
      this.fail(`Correlation id for response (${correlationId}) does not match request (${wanted}) from ${this.host}:${this.port}`);
      return;
    }
    this.inFlight.shift();
    clearTimeout(expected.timer);
    let body: unknown;
    try {
      body = expected.decode(frame);
    } catch (err) {
      // An undecodable response leaves the stream's state unknown: fail it and close.
      expected.reject(new KafkaError(ErrorCode.NETWORK_EXCEPTION, `Cannot decode ${expected.apiName} response: ${(err as Error).message}`));
      this.fail(`Undecodable ${expected.apiName} response from ${this.host}:${this.port}`);
      return;
    }
    expected.resolve(body);
  }

  private closedError(): KafkaError {
    return new KafkaError(ErrorCode.NETWORK_EXCEPTION, this.closeReason ?? `Connection to ${this.host}:${this.port} is closed`);
  }

  /** Closes once: rejects everything in flight and tells the onClose listeners. */
  private fail(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason = reason;
    this.socket.destroy();
    const pending = this.inFlight.splice(0);
    for (const request of pending) {
      clearTimeout(request.timer);
      request.reject(this.closedError());
    }
    for (const cb of this.closeListeners.splice(0)) {
      try {
        cb();
      } catch {
        // A listener's failure must not stop the others from hearing about the close.
      }
    }
  }
}
