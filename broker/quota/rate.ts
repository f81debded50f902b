// A byte rate measured over sliding time windows, as Kafka's quota sensors measure it
// (org.apache.kafka.common.metrics.stats.Rate over a WindowedSum, i.e. SampledStat): `samples`
// windows of `windowMs` each (quota.window.num, quota.window.size.seconds), the oldest one reused
// when a new window starts. The rate is the sum of the retained windows divided by the time they
// span, where that span is never taken as shorter than (samples - 1) whole windows: a new client
// may therefore send (samples - 1) windows' worth of quota before it is throttled, as in Kafka.

interface Sample {
  /** Start of this window, ms. */
  lastWindowMs: number;
  value: number;
}

export class SampledRate {
  private readonly list: Sample[] = [];
  private current = 0;

  constructor(
    readonly samples: number,
    readonly windowMs: number,
  ) {
    if (samples < 1 || windowMs < 1) throw new Error(`invalid rate windows: ${samples} x ${windowMs} ms`);
  }

  /** Adds `value` (may be negative: Kafka "unrecords" a throttled fetch) at `nowMs`. */
  record(value: number, nowMs: number): void {
    let sample = this.currentSample(nowMs);
    if (nowMs - sample.lastWindowMs >= this.windowMs) sample = this.advance(nowMs);
    sample.value += value;
  }

  /** Units per second. */
  measure(nowMs: number): number {
    this.purgeObsolete(nowMs);
    let total = 0;
    for (const s of this.list) total += s.value;
    return total / (this.windowSize(nowMs) / 1000);
  }

  /** The time span the rate is computed over, ms (Kafka's Rate.windowSize). */
  windowSize(nowMs: number): number {
    this.purgeObsolete(nowMs);
    let elapsed = nowMs - this.oldest(nowMs).lastWindowMs;
    const fullWindows = Math.floor(elapsed / this.windowMs);
    const minFullWindows = this.samples - 1;
    if (fullWindows < minFullWindows) elapsed += (minFullWindows - fullWindows) * this.windowMs;
    return elapsed;
  }

  private currentSample(nowMs: number): Sample {
    if (this.list.length === 0) this.list.push({ lastWindowMs: nowMs, value: 0 });
    return this.list[this.current];
  }

  private advance(nowMs: number): Sample {
    this.current = (this.current + 1) % this.samples;
    if (this.current >= this.list.length) {
      const sample = { lastWindowMs: nowMs, value: 0 };
      this.list.push(sample);
      return sample;
    }
    const sample = this.list[this.current];
    sample.lastWindowMs = nowMs;
    sample.value = 0;
    return sample;
  }

  private oldest(nowMs: number): Sample {
    if (this.list.length === 0) this.list.push({ lastWindowMs: nowMs, value: 0 });
    let oldest = this.list[0];
    for (const s of this.list) if (s.lastWindowMs < oldest.lastWindowMs) oldest = s;
    return oldest;
  }

  /** Windows older than the whole span are reset to now: an idle client starts afresh. */
  private purgeObsolete(nowMs: number): void {
    const expireAge = this.samples * this.windowMs;
    for (const s of this.list) {
      if (nowMs - s.lastWindowMs >= expireAge) {
        s.lastWindowMs = nowMs;
        s.value = 0;
      }
    }
  }
}
