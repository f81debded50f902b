// Progress on stderr while a person waits for a big file: only when stderr is a terminal (so
// scripts and pipes see exactly Kafka's output), at most a few times a second, erased at the end.
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const MIN_TOTAL_BYTES = 32 * 1024 * 1024;
const INTERVAL_MS = 250;

export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!stream.isTTY || total < MIN_TOTAL_BYTES) return;
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      shown = true;
      const pct = ((done / total) * 100).toFixed(1);
      stream.write(`\r${label}: ${(done / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MB (${pct}%)`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
