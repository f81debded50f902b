// Sends fuzzed frames to real broker processes over raw sockets and checks the brokers after each
// batch. A batch runs a few lanes in parallel; a lane writes its frames one after another on one
// connection, waiting for an answer, a close or a short silence before the next, and reconnects
// when the broker closed on it (so valid frames share connections with the bad ones, and a frame
// whose size prefix lies swallows the next). After every batch, for every broker: the process is
// alive, a fresh connection gets an ApiVersions answer within stallMs, and its RSS is read from
// /proc/<pid>/status. Broker log lines at ERROR, and the lines that reveal a bug (an exception
// that escaped a handler), are counted and traced back to frames through the connection id Kafka
// puts in them (localHost:localPort-remoteHost:remotePort-n: the remote port is ours).
import type { CorpusFrame } from './corpus';
import { describeFrame, fuzzFrame, FuzzFrame } from './fuzz-frames';
import { LaneConnection, probeApiVersions, rssKb } from './fuzz-sockets';
import { Prng } from './prng';

/** A quarter of the lanes pipeline their frames (see runBurstLane). */
const BURST_RATE = 0.25;
const BURST_SALT = 0xb0b5;

export interface FuzzBroker {
  id: number;
  port: number;
  pid: () => number | null;
  alive: () => boolean;
  /** The broker's log so far. */
  output: () => string;
}

export interface FuzzOptions {
  seed: number;
  corpus: readonly CorpusFrame[];
  brokers: readonly FuzzBroker[];
  /** Stop starting batches after this time (Date.now() value). */
  deadline: number;
  /** First frame index (to resume or replay). */
  firstIndex?: number;
  /** Stop after this many frames (default: unlimited). */
  maxFrames?: number;
  /** Send exactly these frames, in order, on one lane (reproducing an incident), then check once. */
  replay?: number[];
  framesPerBatch?: number;
  lanes?: number;
  /** Silence after which a lane sends its next frame. */
  idleMs?: number;
  /** An ApiVersions probe not answered within this bound is a stall. */
  stallMs?: number;
  maxRequestBytes: number;
  /** Called after every batch (progress printing). */
  onBatch?: (stats: FuzzStats) => void;
  /** Called when a broker has exited; may restart it (the long command) or not (the test). */
  onCrash?: (broker: FuzzBroker, incident: FuzzIncident) => Promise<void>;
}

export interface FuzzIncident {
  kind: 'crash' | 'stall' | 'bug-log';
  brokerId: number;
  seed: number;
  /** Frames that may have caused it: the batch in flight, or the frames of the logged connection. */
  frames: number[];
  detail: string;
}

export interface FuzzStats {
  seed: number;
  framesSent: number;
  validFramesSent: number;
  bytesSent: number;
  byApiKey: Record<number, number>;
  connections: number;
  responses: number;
  closedByBroker: number;
  batches: number;
  nextIndex: number;
  crashes: FuzzIncident[];
  stalls: FuzzIncident[];
  /** ERROR lines that reveal an escaped exception (always a bug). */
  bugLogs: FuzzIncident[];
  errorLogLines: number;
  /** The first distinct ERROR lines (numbers masked to tell them apart), for the summary. */
  errorSamples: string[];
  rssMinKb: number;
  rssMaxKb: number;
  /** The slowest ApiVersions probe answer. */
  maxProbeMs: number;
  startedAt: number;
}

/** Log lines that mean an exception escaped where a Kafka error or a closed connection was due. */
export const BUG_LOG_PATTERN = /Uncaught exception|Unhandled rejection|Unexpected error handling a request/;
const ERROR_LINE = /^\[[^\]]+\] ERROR /;
const CONNECTION_ID = /127\.0\.0\.1:\d+-127\.0\.0\.1:(\d+)-\d+/;

export function newStats(seed: number): FuzzStats {
  return {
    seed, framesSent: 0, validFramesSent: 0, bytesSent: 0, byApiKey: {}, connections: 0, responses: 0, closedByBroker: 0,
    batches: 0, nextIndex: 0, crashes: [], stalls: [], bugLogs: [], errorLogLines: 0, errorSamples: [], rssMinKb: Infinity, rssMaxKb: 0,
    maxProbeMs: 0, startedAt: Date.now(),
  };
}

/** Which frames went over which local port, to trace log lines back to frames. */
type PortLog = Map<number, number[]>;

function countSent(stats: FuzzStats, frame: FuzzFrame): void {
  stats.framesSent++;
  stats.bytesSent += frame.wire.length;
  if (frame.valid) stats.validFramesSent++;
  stats.byApiKey[frame.apiKey] = (stats.byApiKey[frame.apiKey] ?? 0) + 1;
}

/**
 * Burst lanes write all their frames at once, pipelined as clients do: the broker reads
 * requests while earlier ones are in flight, and drops the rest once one of them ends the
 * connection.
 */
async function runBurstLane(broker: FuzzBroker, frames: FuzzFrame[], idleMs: number, stats: FuzzStats, ports: PortLog): Promise<void> {
  const conn = new LaneConnection(broker.port);
  stats.connections++;
  if (!(await conn.ready)) return;
  ports.set(conn.localPort, frames.map((f) => f.index));
  await conn.send(Buffer.concat(frames.map((f) => f.wire)), idleMs, frames.length);
  for (const f of frames) countSent(stats, f);
  stats.responses += conn.responses;
  if (conn.closed) stats.closedByBroker++;
  conn.close();
}

async function runLane(broker: FuzzBroker, frames: FuzzFrame[], idleMs: number, stats: FuzzStats, ports: PortLog): Promise<void> {
  let conn: LaneConnection | null = null;
  for (const frame of frames) {
    if (conn === null || conn.closed) {
      conn?.close();
      conn = new LaneConnection(broker.port);
      stats.connections++;
      if (!(await conn.ready)) {
        conn = null;
        continue;
      }
      ports.set(conn.localPort, []);
    }
    ports.get(conn.localPort)!.push(frame.index);
    const before = conn.responses;
    await conn.send(frame.wire, idleMs);
    countSent(stats, frame);
    stats.responses += conn.responses - before;
    if (conn.closed) stats.closedByBroker++;
  }
  if (conn !== null) {
    // Let the last answer arrive before hanging up (a long-poll Fetch may hold it; no matter).
    conn.close();
  }
}

/** New ERROR lines of a broker since `seen` lines; bug lines become incidents with their frames. */
function scanLog(broker: FuzzBroker, seen: number, stats: FuzzStats, ports: PortLog, batchFrames: number[]): number {
  const lines = broker.output().split('\n');
  for (let i = seen; i < lines.length - 1; i++) {
    const line = lines[i];
    if (!ERROR_LINE.test(line)) continue;
    stats.errorLogLines++;
    const shape = line.replace(/^\[[^\]]+\] /, '').replace(/\d+/g, 'N').slice(0, 160);
    if (stats.errorSamples.length < 20 && !stats.errorSamples.some((x) => x.startsWith(shape))) stats.errorSamples.push(`${shape}  (first: ${line.slice(0, 400)})`);
    if (BUG_LOG_PATTERN.test(line)) {
      const port = CONNECTION_ID.exec(line)?.[1];
      const frames = port !== undefined && ports.has(Number(port)) ? ports.get(Number(port))! : batchFrames;
      const detail = [line, ...lines.slice(i + 1, i + 4).filter((l) => !ERROR_LINE.test(l) && !/^\[/.test(l))].join('\n');
      stats.bugLogs.push({ kind: 'bug-log', brokerId: broker.id, seed: stats.seed, frames, detail: detail.slice(0, 1500) });
    }
  }
  return Math.max(seen, lines.length - 1);
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const framesPerBatch = options.framesPerBatch ?? 64;
  const laneCount = options.lanes ?? 4;
  const idleMs = options.idleMs ?? 150;
  const stallMs = options.stallMs ?? 2000;
  const stats = newStats(options.seed);
  let next = options.firstIndex ?? 0;
  const last = options.maxFrames === undefined ? Infinity : next + options.maxFrames;
  const logSeen = new Map(options.brokers.map((b) => [b.id, b.output().split('\n').length - 1]));
  const replay = options.replay;
  while ((Date.now() < options.deadline && next < last) || replay !== undefined) {
    const indices = replay ?? Array.from({ length: Math.min(framesPerBatch, last - next) }, (_, i) => next + i);
    const lanes = replay !== undefined ? 1 : laneCount;
    const frames = indices.map((i) => fuzzFrame(options.seed, i, options.corpus, options.maxRequestBytes));
    const batchFrames = frames.map((f) => f.index);
    const count = frames.length;
    if (replay === undefined) next += count;
    const ports: PortLog = new Map();
    const perLane = Math.ceil(count / lanes);
    await Promise.all(
      Array.from({ length: lanes }, (_, j) => {
        const broker = options.brokers[j % options.brokers.length];
        const laneFrames = frames.slice(j * perLane, (j + 1) * perLane);
        if (laneFrames.length === 0) return Promise.resolve();
        const burst = replay === undefined && new Prng(options.seed, laneFrames[0].index, BURST_SALT).chance(BURST_RATE);
        return (burst ? runBurstLane : runLane)(broker, laneFrames, idleMs, stats, ports);
      }),
    );
    stats.batches++;
    stats.nextIndex = next;
    for (const broker of options.brokers) {
      if (!broker.alive()) {
        const incident: FuzzIncident = { kind: 'crash', brokerId: broker.id, seed: options.seed, frames: batchFrames, detail: broker.output().split('\n').slice(-30).join('\n') };
        stats.crashes.push(incident);
        if (options.onCrash === undefined) return stats;
        await options.onCrash(broker, incident);
        logSeen.set(broker.id, broker.output().split('\n').length - 1);
        continue;
      }
      const ms = await probeApiVersions(broker.port, stallMs);
      if (ms === null) {
        stats.stalls.push({ kind: 'stall', brokerId: broker.id, seed: options.seed, frames: batchFrames, detail: `no ApiVersions answer within ${stallMs} ms` });
      } else {
        stats.maxProbeMs = Math.max(stats.maxProbeMs, ms);
      }
      const pid = broker.pid();
      const rss = pid === null ? null : rssKb(pid);
      if (rss !== null) {
        stats.rssMinKb = Math.min(stats.rssMinKb, rss);
        stats.rssMaxKb = Math.max(stats.rssMaxKb, rss);
      }
      logSeen.set(broker.id, scanLog(broker, logSeen.get(broker.id) ?? 0, stats, ports, batchFrames));
    }
    options.onBatch?.(stats);
    if (replay !== undefined) break;
  }
  return stats;
}

/** The frames of an incident, described (mutations included), for a failure message. */
export function describeIncident(incident: FuzzIncident, corpus: readonly CorpusFrame[], maxRequestBytes: number, extraArgs = ''): string {
  const frames = incident.frames.slice(-8).map((i) => '  ' + describeFrame(fuzzFrame(incident.seed, i, corpus, maxRequestBytes)));
  const range = incident.frames.length > 0 ? `${incident.frames[0]}..${incident.frames[incident.frames.length - 1]}` : '-';
  return [
    `${incident.kind} on broker ${incident.brokerId}, seed ${incident.seed}, frames ${range}`,
    `reproduce: ${reproduceCommand(incident)}${extraArgs}`,
    ...frames,
    incident.detail,
  ].join('\n');
}

/** One command that sends the same frames again: the same batch (same lanes), or one connection's frames. */
export function reproduceCommand(incident: FuzzIncident): string {
  const f = incident.frames;
  const contiguous = f.every((x, i) => i === 0 || x === f[i - 1] + 1);
  return contiguous && f.length > 1
    ? `npm run fuzz -- --seed ${incident.seed} --first ${f[0]} --frames ${f.length} --batch ${f.length}`
    : `npm run fuzz -- --seed ${incident.seed} --replay ${f.join(',')}`;
}
