// Kafka's ControllerEventManager: ONE serial queue. ZooKeeper watchers, timers and request
// handlers only put events here; a single loop awaits each handler before taking the next, so
// controller state is only ever touched by one event at a time even though handlers are async
// (they await ZooKeeper and never interleave).
//
// clearAndPut drops queued events first: Kafka uses it on session expiry so stale work queued
// for the old session is not processed after resignation.

import { getLogger, Logger } from '../broker/logging';

export type EventProcessor<E> = (event: E) => Promise<void>;

export class EventManager<E> {
  private readonly queue: E[] = [];
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly log: Logger;

  constructor(
    private readonly process: EventProcessor<E>,
    controllerId: number,
    /** Called with events dropped by clearAndPut/close, so callers waiting on them can be answered. */
    private readonly onDropped?: (event: E) => void,
  ) {
    this.log = getLogger(
      'kafka.controller.ControllerEventManager$ControllerEventThread',
      `[ControllerEventThread controllerId=${controllerId}] `,
      'controller',
    );
  }

  get size(): number {
    return this.queue.length;
  }

  put(event: E): void {
    if (this.closed) {
      this.onDropped?.(event);
      return;
    }
    this.queue.push(event);
    this.kick();
  }

  clearAndPut(event: E): void {
    const dropped = this.queue.splice(0, this.queue.length);
    for (const e of dropped) this.onDropped?.(e);
    this.put(event);
  }

  /** Resolves once the queue is empty and no event is being processed (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking events; the event in progress finishes. Queued events are dropped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.log.info('Shutting down');
    this.closed = true;
    const dropped = this.queue.splice(0, this.queue.length);
    for (const e of dropped) this.onDropped?.(e);
    await this.idle();
    this.log.info('Stopped');
    this.log.info('Shutdown completed');
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // Start on a later tick so put() never runs a handler inside the caller's stack (a watcher
    // callback or a handler that enqueues a follow-up event).
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const event = this.queue.shift() as E;
        try {
          await this.process(event);
        } catch (err) {
          // Kafka logs and carries on: one failing event must not stop the controller.
          this.log.error(`Uncaught error processing event: ${(err as Error)?.stack ?? String(err)}`);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
