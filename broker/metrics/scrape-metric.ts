// A Prometheus metric whose samples are read from broker state when Prometheus scrapes (the
// "collect" hook prom-client offers), so nothing on the request path touches prom-client.
import { Counter, Gauge, type Registry } from 'prom-client';

export type Labels = Record<string, string | number>;
export type Emit = (labels: Labels, value: number) => void;

export interface ScrapeMetricSpec {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Called on every scrape: emit one sample per label set (labels {} for an unlabelled one). */
  read(emit: Emit): void;
}

/** A counter whose value is owned elsewhere (monotonic numbers kept by the broker). */
export function scrapeCounter(registry: Registry, spec: ScrapeMetricSpec): void {
  new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
    collect() {
      this.reset();
      spec.read((labels, value) => this.inc(labels, value));
    },
  });
}

/** A gauge computed from broker state at scrape time. */
export function scrapeGauge(registry: Registry, spec: ScrapeMetricSpec): void {
  new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
    collect() {
      this.reset();
      spec.read((labels, value) => this.set(labels, value));
    },
  });
}
