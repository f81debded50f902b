// Kafka's delayed-operation purgatory in miniature: an operation that cannot complete now
// (a fetch waiting for min_bytes, an acks=all produce waiting for the HW) watches some keys
// (partitions); whoever changes a partition calls checkAndComplete(key); the operation
// completes when its condition holds or expires after its timeout. Each completes exactly once.

export interface DelayedOperation {
  /** Complete now if the condition holds; returns true when completed. */
  tryComplete(): boolean;
  /** Called once when the timeout passes without completion. */
  onExpire(): void;
}

interface Watched {
  op: DelayedOperation;
  keys: string[];
  timer: NodeJS.Timeout;
  done: boolean;
}

export class Purgatory {
  private watchers = new Map<string, Set<Watched>>();

  /** Try once; if not complete, watch keys until completed or timeoutMs passes. */
  tryCompleteElseWatch(op: DelayedOperation, keys: string[], timeoutMs: number): void {
    if (op.tryComplete()) return;
    const watched: Watched = {
      op,
      keys,
      done: false,
      timer: setTimeout(() => {
        if (watched.done) return;
        this.finish(watched);
        op.onExpire();
      }, Math.max(0, timeoutMs)),
    };
    for (const key of keys) {
      let set = this.watchers.get(key);
      if (!set) {
        set = new Set();
        this.watchers.set(key, set);
      }
      set.add(watched);
    }
  }

  /** Re-check every operation watching key. */
  checkAndComplete(key: string): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const watched of [...set]) {
      if (watched.done) continue;
      if (watched.op.tryComplete()) this.finish(watched);
    }
  }

  /** Expire everything now (shutdown). */
  shutdown(): void {
    for (const set of this.watchers.values()) {
      for (const watched of set) {
        if (watched.done) continue;
        this.finish(watched);
        watched.op.onExpire();
      }
    }
    this.watchers.clear();
  }

  get size(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private finish(watched: Watched): void {
    watched.done = true;
    clearTimeout(watched.timer);
    for (const key of watched.keys) {
      const set = this.watchers.get(key);
      set?.delete(watched);
      if (set && set.size === 0) this.watchers.delete(key);
    }
  }
}
