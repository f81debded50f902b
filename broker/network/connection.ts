// One client connection, handled as Kafka's SocketServer Processor handles a channel: cut one
// request frame out of the stream, hand it to the RequestHandler, and mute the socket (stop
// reading) until that request's response has been handed to the kernel; only then read the next
// request. So responses are in request order by construction, a client that pipelines without
// reading its responses holds at most one request and one response in the broker, and pipelining
// clients (kafkajs, librdkafka, the Java producer) simply wait in their own socket buffers.
// A request with no response (Produce acks=0) unmutes at once, as Kafka's NoOpResponse does.
// A handler may throttle the connection (a client over its quota, KIP-219): the response still
// goes out at once, but the socket stays muted until the throttle time has passed, as Kafka's
// KafkaChannel MUTED_AND_THROTTLED state does.
//
// A frame that cannot be read (bad size prefix) or a request the handler refuses is only reached
// after every earlier request has been answered and sent, so a client sees those answers before
// the connection closes and never retries (duplicates) a request that succeeded.
import type { Socket } from 'net';
import type { Logger } from '../logging';
import { FrameReader, InvalidReceiveError } from './frame-reader';
import { Authenticator, CloseConnection, ConnectionInfo, RequestChannel, RequestHandler } from './request-handler';
import type { RequestQueue } from './request-queue';

/**
 * Who is on the other end: the principal known when the connection opens (ANONYMOUS, or the TLS
 * client certificate's DN), and the SASL authenticator that must complete before any request
 * reaches the handler (null on PLAINTEXT and SSL listeners).
 */
export interface ConnectionSecurity {
  principal: string;
  readonly authenticator: Authenticator | null;
}

export interface ConnectionLimits {
  /** socket.request.max.bytes: a larger (or negative) size prefix closes the connection. */
  readonly maxRequestBytes: number;
  /** connection.failed.authentication.delay.ms (KIP-306): slows password guessing down. */
  readonly failedAuthenticationDelayMs?: number;
}

/**
 * idle: reading; waiting: a frame is cut but the broker-wide queue is full; handling: the handler
 * has the request; sending: its response is written but not yet handed to the kernel; throttled:
 * the response is out but the client is over its quota, so nothing is read until the throttle ends.
 */
type State = 'idle' | 'waiting' | 'handling' | 'sending' | 'throttled';

/** After a close for bad input: how long the peer may take to read our last bytes and hang up. */
const CLOSE_GRACE_MS = 1000;

export class Connection implements RequestChannel {
  private readonly reader: FrameReader;
  private state: State = 'idle';
  private muted = false;
  private peerEnded = false;
  private closed = false;
  /** The frame waiting for room in the request queue, and the callback the queue will call. */
  private waitingFrame: Buffer | null = null;
  private readonly granted = () => this.onQueueRoom();
  /** performance.now() until which reading stays muted (KIP-219 channel throttling); 0: not throttled. */
  private throttledUntil = 0;
  private throttleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly handler: RequestHandler,
    private readonly queue: RequestQueue,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly onClosed: (connection: Connection) => void,
    private readonly security: ConnectionSecurity = { principal: 'ANONYMOUS', authenticator: null },
  ) {
    this.reader = new FrameReader(limits.maxRequestBytes);
    socket.on('data', (chunk: Buffer) => {
      if (this.closed) return; // closing gracefully: what the peer still sends is dropped
      this.reader.push(chunk);
      this.readNext();
    });
    // The peer half-closed: answer what it sent (the server allows half-open sockets), then close.
    socket.on('end', () => {
      this.peerEnded = true;
      this.readNext();
    });
    // ECONNRESET and friends: the peer went away; 'close' follows and does the clean-up.
    socket.on('error', (err) => this.log.debug(`Connection ${info.id} error: ${err.message}`));
    socket.on('close', () => this.close());
  }

  /** Closes at once; a response not yet sent is dropped (peer gone, idle timeout, shutdown). */
  close(): void {
    if (this.closed) return;
    this.markClosed();
    this.socket.destroy();
  }

  /**
   * Closes after what was already handed to the kernel has gone out: FIN now, and the socket is
   * destroyed when the peer hangs up or after a grace period (a peer that never reads).
   */
  private closeGracefully(): void {
    if (this.closed) return;
    this.markClosed();
    this.socket.end();
    // Read on (and drop) so the peer's own close is seen and the socket goes without waiting.
    this.socket.resume();
    const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  /** RequestChannel: mute for `throttleTimeMs` from now (or until the response is out, if later). */
  throttle(throttleTimeMs: number): void {
    if (throttleTimeMs <= 0 || this.closed) return;
    this.throttledUntil = Math.max(this.throttledUntil, performance.now() + throttleTimeMs);
  }

  /** RequestChannel: the authenticated principal's name. */
  get principal(): string {
    return this.security.principal;
  }

  private markClosed(): void {
    this.closed = true;
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.throttleTimer = null;
    if (this.state === 'waiting') this.queue.cancel(this.granted);
    this.waitingFrame = null;
    this.onClosed(this);
  }

  /** When idle, takes the next complete frame (if any) and dispatches it; otherwise reads on. */
  private readNext(): void {
    if (this.closed || this.state !== 'idle') return;
    let frame: Buffer | null;
    try {
      frame = this.reader.next();
    } catch (err) {
      if (!(err instanceof InvalidReceiveError)) throw err;
      // Kafka's Selector wording, so the line is recognisable: one line, then the socket goes.
      this.log.warn(
        `Unexpected error from /${this.info.remoteAddress} (channelId=${this.info.id}); closing connection: ` +
          `org.apache.kafka.common.network.InvalidReceiveException: ${err.message}`,
      );
      this.closeGracefully();
      return;
    }
    if (frame === null) {
      if (this.peerEnded) this.closeGracefully();
      else this.unmute();
      return;
    }
    this.mute();
    if (this.queue.acquire(frame.length, this.granted)) {
      this.dispatch(frame);
    } else {
      this.state = 'waiting';
      this.waitingFrame = frame;
    }
  }

  private onQueueRoom(): void {
    const frame = this.waitingFrame as Buffer;
    this.waitingFrame = null;
    this.dispatch(frame);
  }

  private dispatch(frame: Buffer): void {
    this.state = 'handling';
    const size = frame.length;
    const authenticator = this.security.authenticator;
    if (authenticator !== null && !authenticator.complete) {
      this.authenticate(authenticator, frame);
      return;
    }
    let result: Promise<Buffer[] | null>;
    try {
      result = this.handler.handle(frame, this.info, this);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (response) => {
        this.queue.release(size);
        if (this.closed) return;
        if (response === null) {
          this.readNextSoon();
        } else {
          this.send(response);
        }
      },
      (err: unknown) => {
        this.queue.release(size);
        this.failed(err);
      },
    );
  }

  /**
   * A frame before authentication completed: the authenticator answers it; a failure is answered
   * (SASL_AUTHENTICATION_FAILED, where the protocol version allows) and then the connection closes.
   */
  private authenticate(authenticator: Authenticator, frame: Buffer): void {
    const size = frame.length;
    let step;
    try {
      step = authenticator.authenticate(frame, this.info, this);
    } catch (err) {
      step = Promise.reject(err);
    }
    step.then(
      ({ response, close, reason }) => {
        this.queue.release(size);
        if (this.closed) return;
        if (authenticator.complete) this.security.principal = authenticator.principal;
        if (close) {
          this.log.info(`Failed authentication with /${this.info.remoteAddress} (${reason ?? 'authentication failed'})`);
          // Kafka delays the answer and the close (KIP-306); the connection stays muted meanwhile.
          const delayMs = this.limits.failedAuthenticationDelayMs ?? 0;
          const timer = setTimeout(() => this.answerAndClose(response), delayMs);
          timer.unref();
          return;
        }
        if (response === null) this.readNextSoon();
        else this.send(response);
      },
      (err: unknown) => {
        this.queue.release(size);
        this.failed(err);
      },
    );
  }

  private answerAndClose(response: Buffer[] | null): void {
    if (this.closed) return;
    if (response !== null) {
      this.socket.cork();
      for (const chunk of response) this.socket.write(chunk);
      this.socket.uncork();
    }
    this.closeGracefully();
  }

  /** Writes one response in one corked batch (writev); reading resumes once the kernel has it. */
  private send(response: Buffer[]): void {
    this.state = 'sending';
    if (response.length === 0) {
      this.readNextSoon();
      return;
    }
    this.socket.cork();
    for (let i = 0; i < response.length - 1; i++) this.socket.write(response[i]);
    this.socket.write(response[response.length - 1], (err) => {
      if (!err) this.readNextSoon();
    });
    this.socket.uncork();
  }

  /**
   * The request is done: read the next one on the next turn of the event loop, not now. A write
   * the kernel takes at once completes within the same turn, so a client with many requests
   * buffered would otherwise be served back to back and starve every other socket; Kafka's
   * Processor likewise takes at most one request per channel per poll.
   */
  private readNextSoon(): void {
    setImmediate(() => {
      if (this.closed) return;
      const throttleLeft = this.throttledUntil - performance.now();
      if (throttleLeft > 0) {
        this.state = 'throttled';
        this.throttleTimer = setTimeout(() => this.throttleEnded(), Math.ceil(throttleLeft));
        return;
      }
      this.state = 'idle';
      this.readNext();
    });
  }

  private throttleEnded(): void {
    this.throttleTimer = null;
    this.throttledUntil = 0;
    if (this.closed) return;
    this.state = 'idle';
    this.readNext();
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    if (err instanceof CloseConnection) {
      this.log.warn(`Closing socket for ${this.info.id} because of error: ${err.message}`);
    } else {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.log.error(`Unexpected error handling a request from ${this.info.id}; closing connection: ${detail}`);
    }
    this.closeGracefully();
  }

  private mute(): void {
    if (this.muted) return;
    this.muted = true;
    this.socket.pause();
  }

  private unmute(): void {
    if (!this.muted) return;
    this.muted = false;
    this.socket.resume();
  }
}
