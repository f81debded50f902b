// Figures of one side across rounds, the best of each kept (the machine is shared and noisy),
// and the markdown table that sets the two sides side by side.

export interface RoundFigures {
  produce?: number; // records/s, 1 broker, acks=1
  consume?: number; // records/s (fetch time)
  produceAll?: number; // records/s, 3 brokers, RF 3, acks=all
  latency?: { p50: number; p99: number; p999: number }; // ms at a fixed rate
  rssOne?: number; // MiB, the broker after the 1-broker run
  rssThree?: number; // MiB, the largest of the 3 brokers after the 3-broker run
  startupMs?: number; // ms from process start to all 1,000 partitions led
  // Broker CPU seconds (all brokers) spent in each throughput run: on 2 shared cores the client
  // competes with the broker, so these show where a throughput ratio comes from.
  produceCpu?: number;
  consumeCpu?: number;
  produceAllCpu?: number;
}

const higher = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const lower = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** Best of two rounds: higher throughput, lower latency (the run with the lower p99), RSS and start-up. */
export function best(a: RoundFigures, b: RoundFigures): RoundFigures {
  return {
    produce: higher(a.produce, b.produce),
    consume: higher(a.consume, b.consume),
    produceAll: higher(a.produceAll, b.produceAll),
    latency: !a.latency ? b.latency : !b.latency ? a.latency : a.latency.p99 <= b.latency.p99 ? a.latency : b.latency,
    rssOne: lower(a.rssOne, b.rssOne),
    rssThree: lower(a.rssThree, b.rssThree),
    startupMs: lower(a.startupMs, b.startupMs),
    produceCpu: lower(a.produceCpu, b.produceCpu),
    consumeCpu: lower(a.consumeCpu, b.consumeCpu),
    produceAllCpu: lower(a.produceAllCpu, b.produceAllCpu),
  };
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function table(kafka: RoundFigures, zafka: RoundFigures, o: { records: number; recordSize: number; latencyRate: number; startupPartitions: number; heap: string; heapMiB: number }): string {
  const rows: string[][] = [];
  const ratio = (z?: number, k?: number) => (z !== undefined && k ? z / k : undefined);
  const throughput = (name: string, k: number | undefined, z: number | undefined, target: number) => {
    const r = ratio(z, k);
    rows.push([name, fmt(k), fmt(z), r === undefined ? 'n/a' : `${r.toFixed(2)}x`, r === undefined ? 'n/a' : r >= target ? `yes (>= ${target}x)` : `NO (< ${target}x)`]);
  };
  const n = fmt(o.records);
  throughput(`produce, 1 broker, 3 partitions, ${n} x ${o.recordSize} B, acks=1 (records/s)`, kafka.produce, zafka.produce, 2);
  throughput(`consume, same topic (records/s, group join included)`, kafka.consume, zafka.consume, 1.5);
  throughput(`produce, 3 brokers, RF 3, min.insync 2, acks=all (records/s)`, kafka.produceAll, zafka.produceAll, 2);
  const kl = kafka.latency;
  const zl = zafka.latency;
  const lat = (l?: { p50: number; p99: number; p999: number }) => (l ? `${l.p50} / ${l.p99} / ${l.p999}` : 'n/a');
  rows.push([
    `latency at ${fmt(o.latencyRate)} records/s, acks=all, RF 3: p50 / p99 / p99.9 (ms)`, lat(kl), lat(zl),
    kl && zl && kl.p99 > 0 ? `p99 ${(zl.p99 / kl.p99).toFixed(2)}x` : 'n/a',
    kl && zl ? (zl.p99 < kl.p99 ? 'yes (p99 below Kafka)' : 'NO (p99 not below Kafka)') : 'n/a',
  ]);
  const rss = (name: string, k?: number, z?: number) =>
    rows.push([name, `${fmt(k)} (heap ${o.heap})`, fmt(z), ratio(z, k) === undefined ? 'n/a' : `${ratio(z, k)!.toFixed(2)}x`, z === undefined ? 'n/a' : z < o.heapMiB ? `yes (< ${o.heapMiB} MiB heap)` : 'NO (>= Kafka heap)']);
  rss('broker RSS after the 1-broker run (MiB)', kafka.rssOne, zafka.rssOne);
  rss('broker RSS after the 3-broker run, largest broker (MiB)', kafka.rssThree, zafka.rssThree);
  const s = ratio(zafka.startupMs, kafka.startupMs);
  rows.push([`start-up to serving, 1 broker, ${fmt(o.startupPartitions)} partitions (ms)`, fmt(kafka.startupMs), fmt(zafka.startupMs), s === undefined ? 'n/a' : `${s.toFixed(2)}x`, '(no target)']);
  const cpu = (name: string, k?: number, z?: number) =>
    rows.push([name, fmt(k, 1), fmt(z, 1), ratio(z, k) === undefined ? 'n/a' : `${ratio(z, k)!.toFixed(2)}x`, '(diagnostic)']);
  cpu('broker CPU s for the acks=1 produce (lowest)', kafka.produceCpu, zafka.produceCpu);
  cpu('broker CPU s for the consume (lowest)', kafka.consumeCpu, zafka.consumeCpu);
  cpu('broker CPU s for the acks=all produce, 3 brokers summed (lowest)', kafka.produceAllCpu, zafka.produceAllCpu);
  const header = ['scenario', 'Kafka 2.4', 'Zafka', 'ratio (Zafka/Kafka)', 'target met?'];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
