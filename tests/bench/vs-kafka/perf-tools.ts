// Kafka 2.4's own perf tools (bin/kafka-producer-perf-test.sh, bin/kafka-consumer-perf-test.sh)
// as the one client for both brokers, so a ratio compares brokers and not clients.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ProduceResult {
  recordsPerSec: number;
  mbPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
}

export interface ConsumeResult {
  /**
   * nMsg.sec: records/s from the tool's start to its end, group join included. The fetch.* columns
   * would exclude the join, but Kafka 2.4's ConsumerPerformance starts its join clock at 0 (its
   * rebalance listener's joinStart), so they come out negative or zero and are not used.
   */
  recordsPerSec: number;
  mbPerSec: number;
}

const TOOL_LOG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'vs-kafka-tools-'));

/** Runs a bin/ tool of the distribution; resolves with its stdout, rejects with its tail on failure. */
export function runTool(dist: string, tool: string, args: string[], timeoutMs = 15 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    // LOG_DIR: the tools' log4j writes there instead of into the distribution.
    const child = spawn(path.join(dist, 'bin', tool), args, { env: { ...process.env, LOG_DIR: TOOL_LOG_DIR }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${tool} ${args.join(' ')} exited with ${code ?? signal}:\n${(out + err).slice(-2000)}`));
    });
  });
}

/**
 * Parses the producer's summary line: "N records sent, X records/sec (Y MB/sec), A ms avg latency,
 * M ms max latency, p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th."
 */
export function parseProducerSummary(output: string): ProduceResult {
  const m = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th/.exec(output);
  if (!m) throw new Error(`no producer summary line in:\n${output.slice(-1500)}`);
  return { recordsPerSec: Number(m[2]), mbPerSec: Number(m[3]), p50Ms: Number(m[4]), p99Ms: Number(m[5]), p999Ms: Number(m[6]) };
}

/**
 * Parses the consumer's CSV line: start.time, end.time, data.consumed.in.MB, MB.sec,
 * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
 */
export function parseConsumerSummary(output: string, expectedRecords: number): ConsumeResult {
  const line = output.split('\n').find((l) => /^\d{4}-\d\d-\d\d /.test(l));
  if (!line) throw new Error(`no consumer CSV line in:\n${output.slice(-1500)}`);
  const f = line.split(',').map((s) => s.trim());
  const consumed = Number(f[4]);
  if (consumed < expectedRecords) throw new Error(`consumer read ${consumed} of ${expectedRecords} records:\n${output}`);
  return { recordsPerSec: Number(f[5]), mbPerSec: Number(f[3]) };
}

/** Client properties (e.g. security.protocol=SSL and the truststore, enable.idempotence) for both perf tools. */
export type ClientProps = Record<string, string>;

/** args: more tool options (e.g. --transaction-duration-ms). */
export async function producerPerfTest(dist: string, o: { bootstrap: string; topic: string; records: number; recordSize: number; acks: string; throughput?: number; props?: ClientProps; args?: string[] }): Promise<ProduceResult> {
  const out = await runTool(dist, 'kafka-producer-perf-test.sh', [
    '--topic', o.topic, '--num-records', String(o.records), '--record-size', String(o.recordSize),
    '--throughput', String(o.throughput ?? -1), ...(o.args ?? []),
    '--producer-props', `bootstrap.servers=${o.bootstrap}`, `acks=${o.acks}`, ...Object.entries(o.props ?? {}).map(([k, v]) => `${k}=${v}`),
  ]);
  return parseProducerSummary(out);
}

export async function consumerPerfTest(dist: string, o: { bootstrap: string; topic: string; records: number; group: string; props?: ClientProps }): Promise<ConsumeResult> {
  // The consumer tool takes client properties from a file only (--consumer.config).
  const config = path.join(TOOL_LOG_DIR, `consumer-${o.group}.properties`);
  fs.writeFileSync(config, Object.entries(o.props ?? {}).map(([k, v]) => `${k}=${v}\n`).join(''));
  const out = await runTool(dist, 'kafka-consumer-perf-test.sh', [
    '--broker-list', o.bootstrap, '--topic', o.topic, '--messages', String(o.records), '--group', o.group, '--timeout', '60000',
    '--consumer.config', config,
  ]);
  return parseConsumerSummary(out, o.records);
}
