// One client connection: cut frames out of the byte stream, hand each to the RequestHandler,
// and write responses strictly in request order (clients pipeline and match responses by
// position) even when handlers finish out of order. Backpressure: stop reading while too many
// requests are in flight or the socket's write buffer is over its limit, resume when drained.
import type { Socket } from 'net';
import type { Logger } from '../logging';
import { FrameReader, InvalidReceiveError } from './frame-reader';
import { CloseConnection, ConnectionInfo, RequestHandler } from './request-handler';

export interface ConnectionLimits {
  /** socket.request.max.bytes: a larger (or negative) size prefix closes the connection. */
  readonly maxRequestBytes: number;
  /** Requests read but not yet answered before reading pauses. */
  readonly maxInFlightRequests: number;
  /** Bytes queued in the socket's write buffer before reading pauses. */
  readonly maxWriteBufferBytes: number;
}

/** One request's place in the response order; `response` is undefined until its handler is done. */
interface Slot {
  done: boolean;
  response: Buffer[] | null;
}

export class Connection {
  private readonly reader: FrameReader;
  private readonly slots: Slot[] = [];
  private paused = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly handler: RequestHandler,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly onClosed: (connection: Connection) => void,
  ) {
    this.reader = new FrameReader(limits.maxRequestBytes);
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      this.pump();
    });
    socket.on('drain', () => this.updateFlowControl());
    socket.on('end', () => this.close());
    // ECONNRESET and friends: the peer went away; 'close' follows and does the clean-up.
    socket.on('error', (err) => this.log.debug(`Connection ${info.id} error: ${err.message}`));
    socket.on('close', () => this.close());
  }

  /** Requests read whose responses have not been written yet. */
  get inFlight(): number {
    return this.slots.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.slots.length = 0;
    this.socket.destroy();
    this.onClosed(this);
  }

  /** Dispatches every complete buffered frame while flow control allows. */
  private pump(): void {
    while (!this.closed && !this.overLimit()) {
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
        this.close();
        return;
      }
      if (frame === null) break;
      this.dispatch(frame);
    }
    this.updateFlowControl();
  }

  private dispatch(frame: Buffer): void {
    const slot: Slot = { done: false, response: null };
    this.slots.push(slot);
    let result: Promise<Buffer[] | null>;
    try {
      result = this.handler.handle(frame, this.info);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (response) => {
        if (this.closed) return;
        slot.done = true;
        slot.response = response;
        this.flush();
      },
      (err: unknown) => this.failed(err),
    );
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    if (err instanceof CloseConnection) {
      this.log.warn(`Closing socket for ${this.info.id} because of error: ${err.message}`);
    } else {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.log.error(`Unexpected error handling a request from ${this.info.id}; closing connection: ${detail}`);
    }
    this.close();
  }

  /** Writes every finished response at the head of the queue, in one corked batch (writev). */
  private flush(): void {
    if (this.slots.length === 0 || !this.slots[0].done) return;
    this.socket.cork();
    while (this.slots.length > 0 && this.slots[0].done) {
      const slot = this.slots.shift() as Slot;
      if (slot.response !== null) for (const chunk of slot.response) this.socket.write(chunk);
    }
    this.socket.uncork();
    // Fewer requests in flight: frames buffered while paused may now be dispatched.
    this.pump();
  }

  private overLimit(): boolean {
    return this.slots.length >= this.limits.maxInFlightRequests || this.socket.writableLength > this.limits.maxWriteBufferBytes;
  }

  private updateFlowControl(): void {
    if (this.closed) return;
    const over = this.overLimit();
    if (over && !this.paused) {
      this.paused = true;
      this.socket.pause();
    } else if (!over && this.paused) {
      this.paused = false;
      this.socket.resume();
      if (this.reader.bufferedBytes > 0) this.pump();
    }
  }
}
