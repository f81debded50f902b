// Scrapes a broker's Prometheus endpoint over HTTP and reads samples out of the text format,
// for tests that compare the exported numbers with what clients sent.
import * as fs from 'fs';
import * as http from 'http';
import type { TestCluster } from './cluster';
import { freePort } from './ports';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function httpGet(port: number, path: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 10000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out')));
    req.on('error', reject);
  });
}

/** Parses the Prometheus text exposition format (no escapes inside label values are needed here). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export class Scrape {
  constructor(readonly samples: Sample[]) {}

  static async of(port: number): Promise<Scrape> {
    const answer = await httpGet(port, '/metrics');
    if (answer.status !== 200) throw new Error(`scrape answered ${answer.status}`);
    return new Scrape(parseSamples(answer.body));
  }

  /** Samples of `name` whose labels include `labels` exactly (a label given as '' must be absent). */
  find(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => (v === '' ? s.labels[k] === undefined : s.labels[k] === v)),
    );
  }

  /** The one sample of `name` with these labels (throws when there is not exactly one). */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.find(name, labels);
    if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
    return found[0].value;
  }

  sum(name: string, labels: Record<string, string> = {}): number {
    return this.find(name, labels).reduce((n, s) => n + s.value, 0);
  }
}

/** Gives each broker of a created (not started) cluster its own metrics.prometheus.listener port. */
export async function configureMetricsPorts(cluster: TestCluster, ids: readonly number[]): Promise<Map<number, number>> {
  const ports = new Map<number, number>();
  for (const id of ids) {
    const port = await freePort();
    fs.appendFileSync(cluster.broker(id).configFile, `metrics.prometheus.listener=http://127.0.0.1:${port}\n`);
    ports.set(id, port);
  }
  return ports;
}
