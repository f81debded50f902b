// Kafka's ThroughputThrottler: keeps a sender at about `target` records/sec by sleeping once the
// running average is ahead, in steps of at least 2 ms of accumulated deficit. -1 = no limit;
// 0 = never send (Kafka waits forever there; so does this, until the process is stopped).
const NS_PER_MS = 1_000_000;
const NS_PER_SEC = 1000 * NS_PER_MS;
const MIN_SLEEP_NS = 2 * NS_PER_MS;

export class ThroughputThrottler {
  private readonly sleepTimeNs: number;
  private sleepDeficitNs = 0;

  constructor(
    private readonly target: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeNs = target > 0 ? NS_PER_SEC / target : Number.MAX_SAFE_INTEGER;
  }

  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.target < 0) return false;
    const elapsedSec = (sendStartMs - this.startMs) / 1000;
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.target;
  }

  async throttle(): Promise<void> {
    if (this.target === 0) return new Promise<void>(() => undefined);
    this.sleepDeficitNs += this.sleepTimeNs;
    if (this.sleepDeficitNs < MIN_SLEEP_NS) return;
    const sleepStart = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, Math.floor(this.sleepDeficitNs / NS_PER_MS)));
    const slept = Number(process.hrtime.bigint() - sleepStart);
    this.sleepDeficitNs = Math.max(0, this.sleepDeficitNs - slept);
  }
}
