// A debugging aid for benchmarks: with ZAFKA_LOOP_STALL_LOG_MS=<ms> set, the broker logs one WARN
// line each time its event loop was held for longer than that (a 10 ms timer that fired late), with
// the process uptime, so a CPU profile can be read at that moment, and the CPU time the process used
// meanwhile: far less than the stall means it waited (fsync, or a busy machine not scheduling it)
// rather than computed. Unset, nothing runs.
import { getLogger } from './logging';

const TICK_MS = 10;

export function startEventLoopStallLog(thresholdMs = Number(process.env.ZAFKA_LOOP_STALL_LOG_MS ?? 0)): void {
  if (!(thresholdMs > 0)) return;
  const log = getLogger('zafka.EventLoopStall');
  let expected = performance.now() + TICK_MS;
  let cpu = process.cpuUsage();
  setInterval(() => {
    const now = performance.now();
    const late = now - expected;
    const used = process.cpuUsage(cpu);
    if (late > thresholdMs) {
      const cpuMs = (used.user + used.system) / 1000;
      log.warn(`Event loop blocked for ${late.toFixed(0)} ms (process CPU meanwhile ${cpuMs.toFixed(0)} ms), until ${(now / 1000).toFixed(3)} s after start`);
    }
    cpu = process.cpuUsage();
    expected = now + TICK_MS;
  }, TICK_MS).unref();
}
