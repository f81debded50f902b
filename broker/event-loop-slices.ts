// Work over thousands of partitions at once (a LeaderAndIsr for a new topic of 10,000 partitions
// creates 10,000 logs, each with an fsync'd leader-epoch checkpoint) must not hold Node's single
// event loop for its whole length: sockets, ZooKeeper heartbeats (the session expires after
// zookeeper.session.timeout.ms without them) and timers all wait behind it. Kafka does such work on
// a request-handler thread while its network threads keep serving; here the loop is handed back
// between slices of about SLICE_MS, which bounds how long any one stretch blocks.
export const SLICE_MS = 50;

export class EventLoopSlices {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves at once while the current slice lasts; otherwise after the loop has had a turn (I/O included). */
  async next(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
