// Reads the cluster once per refresh interval, whoever is looking, and keeps the last result with
// the JSON views built from it (each built at most once per refresh, on first request). Browsers
// only ever read this cache, so ten viewers cost what one does. A refresh that fails as a whole
// (ZooKeeper unreachable) keeps the previous result and reports the error with it.
import type { KafkaZkClient } from '../../controller/zk/kafka-zk-client';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { readCluster, type ClusterState } from './cluster-reader';
import { readKafkaGroups, readZkGroups, type GroupState } from './group-reader';
import { ratesBetween, SeriesStore, type TopicCounters, type TopicRates } from './rate-history';
import type { RefreshResult } from './console-views';

/**
 * Topic configs (one znode per topic) and log start offsets are re-read every this many refreshes
 * (and after every action); the other refreshes keep the previous values.
 */
const SLOW_EVERY = 5;

export class ClusterPoller {
  private latest: RefreshResult | null = null;
  private readonly views = new Map<string, string>();
  private readonly series = new SeriesStore();
  private counters = new Map<string, TopicCounters>();
  private configs: Map<string, Record<string, string>> | undefined;
  private startOffsets: Map<string, number> | undefined;
  private refreshes = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  lastError: string | null = null;
  /** Duration of the last complete refresh (cluster and groups), ms. */
  lastRefreshMs = 0;

  constructor(
    private readonly zk: KafkaZkClient,
    private readonly client: ClusterClient,
    readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    // On a big cluster a read can take longer than the interval: wait at least as long as the last
    // read took, so the console never spends more than half its time (and the brokers' time) reading.
    this.timer = setTimeout(() => {
      this.refresh().finally(() => this.schedule());
    }, Math.max(this.intervalMs, this.lastRefreshMs));
  }

  /** Refreshes now (one at a time); an action calls it so the page shows its effect at once. */
  refresh(options: { configs?: boolean } = {}): Promise<void> {
    if (options.configs) this.configs = undefined;
    if (this.running) return this.running.then(() => this.refresh());
    this.running = this.readOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async readOnce(): Promise<void> {
    const started = Date.now();
    try {
      const readSlowParts = this.configs === undefined || this.refreshes % SLOW_EVERY === 0;
      const cluster = await readCluster(this.zk, this.client, { readSlowParts, previousConfigs: this.configs, previousStartOffsets: this.startOffsets, previousBrokerMinIsr: this.latest?.cluster.brokerMinIsr });
      this.configs = new Map([...cluster.topics].map(([name, t]) => [name, t.configs]));
      this.startOffsets = new Map();
      for (const t of cluster.topics.values()) {
        for (const p of t.partitions) if (p.logStartOffset !== undefined) this.startOffsets.set(`${t.name}\u0000${p.partition}`, p.logStartOffset);
      }
      // Publish the brokers and partitions at once: groups wait on coordinators, which may be
      // moving (a broker just died), and must not hold back the cluster page's problem lists.
      const previous = this.latest;
      this.publish({ cluster, groups: previous?.groups ?? [], groupErrors: previous?.groupErrors ?? [], rates: previous?.rates ?? new Map(), series: this.series });
      const groupsStarted = Date.now();
      const [kafka, legacy] = await Promise.all([readKafkaGroups(this.client, cluster), readZkGroups(this.zk, cluster)]);
      cluster.timings.groups = Date.now() - groupsStarted;
      const groups = [...kafka.groups, ...legacy.groups];
      const groupErrors = [kafka.error, legacy.error].filter((e): e is string => e !== null);
      const seriesStarted = Date.now();
      const rates = this.recordSeries(cluster, groups);
      cluster.timings.series = Date.now() - seriesStarted;
      this.publish({ cluster, groups, groupErrors, rates, series: this.series });
      this.refreshes++;
      this.lastError = null;
      this.lastRefreshMs = Date.now() - started;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
    }
  }

  private publish(result: RefreshResult): void {
    this.latest = result;
    this.views.clear();
  }

  private recordSeries(cluster: ClusterState, groups: GroupState[]): Map<string, TopicRates> {
    const consumed = new Map<string, number>();
    for (const g of groups) for (const p of g.partitions) if (p.committed !== null) consumed.set(p.topic, (consumed.get(p.topic) ?? 0) + p.committed);
    const rates = new Map<string, TopicRates>();
    const next = new Map<string, TopicCounters>();
    const total = { messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 };
    const at = cluster.readAt;
    for (const t of cluster.topics.values()) {
      let ends = 0;
      let starts = 0;
      let bytes = 0;
      for (const p of t.partitions) {
        ends += p.logEndOffset ?? 0;
        starts += p.logStartOffset ?? 0;
        bytes += p.leaderSize ?? 0;
      }
      const now: TopicCounters = { at, endOffsets: ends, leaderBytes: bytes, consumed: consumed.get(t.name) ?? 0 };
      const mean = ends - starts > 0 ? bytes / (ends - starts) : 0;
      const r = ratesBetween(this.counters.get(t.name), now, mean);
      next.set(t.name, now);
      rates.set(t.name, r);
      total.messagesInPerSec += r.messagesInPerSec;
      total.bytesInPerSec += r.bytesInPerSec;
      total.bytesOutPerSec += r.bytesOutPerSec;
      this.series.record(`topic:${t.name}`, at, [r.messagesInPerSec, r.bytesInPerSec, r.bytesOutPerSec]);
    }
    this.counters = next;
    this.series.record('cluster', at, [total.messagesInPerSec, total.bytesInPerSec, total.bytesOutPerSec]);
    for (const g of groups) this.series.record(`group:${g.kind}:${g.group}`, at, [g.totalLag]);
    this.series.prune(at - 60000);
    return rates;
  }

  get result(): RefreshResult | null {
    return this.latest;
  }

  /** The view's JSON for the current refresh, built once. `build` returning null means "not found". */
  view(name: string, build: (r: RefreshResult) => unknown): string | null {
    const r = this.latest;
    if (r === null) return null;
    // The map is cleared at every refresh, so a name is enough as the key.
    let json = this.views.get(name);
    if (json === undefined) {
      const v = build(r);
      json = v === null ? 'null' : JSON.stringify(v);
      this.views.set(name, json);
    }
    return json === 'null' ? null : json;
  }
}
