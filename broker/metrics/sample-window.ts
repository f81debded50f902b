// The last N observations of a timing, for the percentiles Kafka's request histograms report
// (TotalTimeMs 50th..999thPercentile). Kafka (Yammer) keeps an exponentially decaying reservoir
// of 1028 samples biased to the last five minutes; a ring of the most recent samples gives the
// same "recent latency" reading while recording costs one array store on the request path.
// Sorting happens only when Prometheus scrapes.

/** Kafka's percentile attributes, as the JMX exporter labels them (quantile "0.$N"). */
export const KAFKA_QUANTILES: readonly { label: string; q: number }[] = [
  { label: '0.50', q: 0.5 },
  { label: '0.75', q: 0.75 },
  { label: '0.95', q: 0.95 },
  { label: '0.98', q: 0.98 },
  { label: '0.99', q: 0.99 },
  { label: '0.999', q: 0.999 },
];

export class SampleWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  /** Every observation ever recorded (the histogram's Count). */
  count = 0;
  /** Sum of every observation ever recorded. */
  sum = 0;

  constructor(capacity = 1024) {
    this.samples = new Float64Array(capacity);
  }

  record(value: number): void {
    this.samples[this.next] = value;
    this.next = this.next + 1 === this.samples.length ? 0 : this.next + 1;
    if (this.filled < this.samples.length) this.filled++;
    this.count++;
    this.sum += value;
  }

  /**
   * The value at quantile q of the window, interpolated between neighbours as Yammer's
   * Snapshot.getValue does ((n + 1) * q, 1-based); 0 when nothing was recorded.
   */
  quantiles(qs: readonly number[]): number[] {
    if (this.filled === 0) return qs.map(() => 0);
    const sorted = this.samples.slice(0, this.filled).sort();
    return qs.map((q) => {
      const pos = q * (sorted.length + 1);
      if (pos < 1) return sorted[0];
      if (pos >= sorted.length) return sorted[sorted.length - 1];
      const lower = sorted[Math.floor(pos) - 1];
      const upper = sorted[Math.floor(pos)];
      return lower + (pos - Math.floor(pos)) * (upper - lower);
    });
  }
}
