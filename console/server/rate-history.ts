// Time series kept in memory for the charts: per topic (messages in/s, bytes in/s, bytes out/s),
// per group (total lag) and for the whole cluster. Rates are differences between two refreshes:
// messages in from the sum of log end offsets, bytes in from the growth of the leaders' log sizes
// (DescribeLogDirs; clamped at 0 when retention deletes segments), bytes out estimated from the
// groups' committed offsets times the topic's mean record size. No broker change is needed.
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;

export interface Series {
  t: number[];
  values: number[][];
}

export class SeriesStore {
  private readonly series = new Map<string, Series>();

  constructor(private readonly windowMs = HISTORY_WINDOW_MS) {}

  record(name: string, t: number, values: number[]): void {
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = { t: [], values: values.map(() => []) }));
    s.t.push(t);
    values.forEach((v, i) => s!.values[i].push(v));
    let drop = 0;
    while (drop < s.t.length && s.t[drop] < t - this.windowMs) drop++;
    if (drop > 0) {
      s.t.splice(0, drop);
      for (const v of s.values) v.splice(0, drop);
    }
  }

  get(name: string): Series | undefined {
    return this.series.get(name);
  }

  /** Forgets series not recorded into since `before` (deleted topics and groups). */
  prune(before: number): void {
    for (const [name, s] of this.series) if (s.t.length === 0 || s.t[s.t.length - 1] < before) this.series.delete(name);
  }
}

/** Counters of one topic at one refresh, from which the next refresh derives rates. */
export interface TopicCounters {
  at: number;
  /** Sum of log end offsets. */
  endOffsets: number;
  /** Sum of the leaders' log sizes. */
  leaderBytes: number;
  /** Sum over groups and partitions of committed offsets. */
  consumed: number;
}

export interface TopicRates {
  messagesInPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
}

export function ratesBetween(prev: TopicCounters | undefined, now: TopicCounters, meanRecordBytes: number): TopicRates {
  if (!prev || now.at <= prev.at) return { messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 };
  const secs = (now.at - prev.at) / 1000;
  const perSec = (d: number) => Math.max(0, d) / secs;
  return {
    messagesInPerSec: perSec(now.endOffsets - prev.endOffsets),
    bytesInPerSec: perSec(now.leaderBytes - prev.leaderBytes),
    bytesOutPerSec: perSec(now.consumed - prev.consumed) * meanRecordBytes,
  };
}
