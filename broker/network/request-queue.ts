// The broker-wide bound on requests being handled: Kafka's RequestChannel queue
// (queued.max.requests, default 500) and its request memory pool (queued.max.request.bytes,
// default -1 = unbounded). In Kafka a full queue blocks the network threads, so no socket is read
// until an I/O thread takes a request; here a connection whose next request finds no room waits
// (FIFO) and is woken, with the room already taken for it, when a request finishes.
//
// A request is counted from when its frame is cut from the stream until its handler has produced
// the response (or decided there is none). Unlike Kafka, a request parked in a purgatory (a
// long-polling Fetch, an acks=all Produce) still counts: Node has no separate I/O-thread hand-off
// to end its stay earlier.

export interface RequestQueueLimits {
  /** queued.max.requests. */
  readonly maxRequests: number;
  /** queued.max.request.bytes; <= 0 means unbounded. */
  readonly maxBytes: number;
}

export type Waiter = () => void;

export class RequestQueue {
  private requests = 0;
  private bytes = 0;
  private readonly waiters: Array<{ size: number; granted: Waiter }> = [];

  constructor(private readonly limits: RequestQueueLimits) {}

  /** Requests being handled now. */
  get size(): number {
    return this.requests;
  }

  /** Request bytes being handled now. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Takes room for a request of `size` bytes and returns true, or returns false and calls
   * `granted` later, once the room has been taken for it. Earlier waiters go first.
   */
  acquire(size: number, granted: Waiter): boolean {
    if (this.waiters.length === 0 && this.hasRoom()) {
      this.take(size);
      return true;
    }
    this.waiters.push({ size, granted });
    return false;
  }

  /** Forgets a waiter (its connection closed). */
  cancel(granted: Waiter): void {
    const i = this.waiters.findIndex((w) => w.granted === granted);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  release(size: number): void {
    this.requests--;
    this.bytes -= size;
    while (this.waiters.length > 0 && this.hasRoom()) {
      const next = this.waiters.shift() as { size: number; granted: Waiter };
      this.take(next.size);
      next.granted();
    }
  }

  /**
   * Like Kafka's SimpleMemoryPool in non-strict mode, any free byte admits a whole request, so one
   * request larger than the rest of the pool is not starved.
   */
  private hasRoom(): boolean {
    if (this.requests >= this.limits.maxRequests) return false;
    return this.limits.maxBytes <= 0 || this.bytes < this.limits.maxBytes;
  }

  private take(size: number): void {
    this.requests++;
    this.bytes += size;
  }
}
