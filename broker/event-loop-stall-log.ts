// A debugging aid for benchmarks: with ZAFKA_LOOP_STALL_LOG_MS=<ms> set, the broker logs one WARN
// line each time its event loop was held for longer than that (a 10 ms timer that fired late), with
// the process uptime, so a CPU profile can be read at that moment. Unset, nothing runs.
import { getLogger } from './logging';

const TICK_MS = 10;

export function startEventLoopStallLog(thresholdMs = Number(process.env.ZAFKA_LOOP_STALL_LOG_MS ?? 0)): void {
  if (!(thresholdMs > 0)) return;
  const log = getLogger('zafka.EventLoopStall');
  let expected = performance.now() + TICK_MS;
  setInterval(() => {
    const now = performance.now();
    const late = now - expected;
    if (late > thresholdMs) log.warn(`Event loop blocked for ${late.toFixed(0)} ms, until ${(now / 1000).toFixed(3)} s after start`);
    expected = now + TICK_MS;
  }, TICK_MS).unref();
}
