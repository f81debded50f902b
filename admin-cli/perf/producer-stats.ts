// ProducerPerformance.Stats of Kafka 2.4: per-record latency from send to acknowledgement, a
// window line every reportingInterval ms, and the total line with percentiles taken from a
// sample of at most 500,000 latencies. Lines as Kafka prints them, so scripts parse them alike:
//   "N records sent, X.X records/sec (Y.YY MB/sec), A.A ms avg latency, M.M ms max latency."
//   "N records sent, X.XXXXXX records/sec (Y.YY MB/sec), A.AA ms avg latency, M.MM ms max latency,
//    P ms 50th, P ms 95th, P ms 99th, P ms 99.9th."
import { javaFixed } from './java-format';

const MB = 1024 * 1024;

export class ProducerStats {
  private readonly start = Date.now();
  private windowStart = this.start;
  private readonly sampling: number;
  private readonly latencies: Int32Array;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;

  constructor(
    numRecords: number,
    private readonly reportingIntervalMs: number,
    private readonly out: (line: string) => void,
  ) {
    this.sampling = Math.max(1, Math.floor(numRecords / Math.max(1, Math.min(numRecords, 500000))));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  record(iteration: number, latency: number, bytes: number, now: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    if (iteration % this.sampling === 0 && this.index < this.latencies.length) this.latencies[this.index++] = latency;
    if (now - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
  }

  private printWindow(): void {
    const elapsed = Date.now() - this.windowStart;
    this.out(
      `${this.windowCount} records sent, ${javaFixed((1000 * this.windowCount) / elapsed, 1)} records/sec ` +
        `(${javaFixed((1000 * this.windowBytes) / elapsed / MB, 2)} MB/sec), ${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ` +
        `${javaFixed(this.windowMaxLatency, 1)} ms max latency.`,
    );
  }

  private newWindow(): void {
    this.windowStart = Date.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  printTotal(): void {
    const elapsed = Date.now() - this.start;
    const sorted = this.latencies.slice(0, this.index).sort();
    const pct = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.floor(p * sorted.length)]);
    this.out(
      `${this.count} records sent, ${javaFixed((1000 * this.count) / elapsed, 6)} records/sec (${javaFixed((1000 * this.bytes) / elapsed / MB, 2)} MB/sec), ` +
        `${javaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${pct(0.5)} ms 50th, ${pct(0.95)} ms 95th, ${pct(0.99)} ms 99th, ${pct(0.999)} ms 99.9th.`,
    );
  }
}
