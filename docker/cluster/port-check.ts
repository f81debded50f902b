// `zafka-docker up` checks every loopback port its containers will bind before it creates any of
// them. With host networking a container whose port is taken does not fail loudly: ZooKeeper's
// container exits, and the brokers then register in whatever ZooKeeper answers on that port (an
// old one, another cluster's). So: each port is planned once, each is free now (a test bind the
// way the container will bind it), and when one is not, the message names the port, what needs
// it, and, when /proc tells, the process (and container) holding it.
import * as fs from 'fs';
import * as net from 'net';
import { LABEL_ROLE, type ClusterPlan } from './cluster-plan';
import type { ContainerInfo, ContainerSpec } from './docker-engine';

export interface PortNeed {
  port: number;
  /** Who will bind it, for messages: "ZooKeeper (zafka-zookeeper)". */
  owner: string;
  /** The option that moves it. */
  option: '--zookeeper-port' | '--port';
  /** ZooKeeper binds every interface (clientPort without clientPortAddress); brokers 127.0.0.1. */
  wildcard: boolean;
}

export interface PortHolder {
  pid: number;
  command: string;
  /** Docker container id when the process runs in one (host networking). */
  containerId: string | null;
}

export interface BusyPort extends PortNeed {
  /** The bind error code (EADDRINUSE, EACCES). */
  reason: string;
  holder: PortHolder | null;
}

/** A container of this cluster that is running (or paused) already holds its port: no check. */
function alreadyUp(spec: ContainerSpec, existing: ContainerInfo[]): boolean {
  const c = existing.find((x) => x.name === spec.name);
  return c !== undefined && (c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
}

/** The ports `up` will need bound, for the containers it is going to create or start. */
export function portsToCheck(plan: ClusterPlan, existing: ContainerInfo[]): PortNeed[] {
  const needs: PortNeed[] = [];
  if (!alreadyUp(plan.zookeeper, existing)) {
    needs.push({ port: plan.options.zookeeperPort, owner: `ZooKeeper (${plan.zookeeper.name})`, option: '--zookeeper-port', wildcard: true });
  }
  for (const b of plan.brokers) {
    if (alreadyUp(b.container, existing)) continue;
    needs.push({ port: b.port, owner: `broker ${b.id} (${b.container.name})`, option: '--port', wildcard: false });
    if (b.securePorts) {
      needs.push({ port: b.securePorts.ssl, owner: `broker ${b.id} SSL (${b.container.name})`, option: '--port', wildcard: false });
      needs.push({ port: b.securePorts.saslSsl, owner: `broker ${b.id} SASL_SSL (${b.container.name})`, option: '--port', wildcard: false });
    }
  }
  return needs;
}

/** Problems with the plan itself: a port out of range, or one port planned twice. */
export function planPortProblems(plan: ClusterPlan): string[] {
  const all: { port: number; owner: string }[] = [
    { port: plan.options.zookeeperPort, owner: 'ZooKeeper' },
    ...plan.brokers.flatMap((b) => [
      { port: b.port, owner: `broker ${b.id}` },
      ...(b.securePorts ? [{ port: b.securePorts.ssl, owner: `broker ${b.id} SSL` }, { port: b.securePorts.saslSsl, owner: `broker ${b.id} SASL_SSL` }] : []),
    ]),
  ];
  const problems: string[] = [];
  for (const p of all) if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) problems.push(`port ${p.port} of ${p.owner} is not a TCP port (1-65535)`);
  const byPort = new Map<number, string[]>();
  for (const p of all) byPort.set(p.port, [...(byPort.get(p.port) ?? []), p.owner]);
  for (const [port, owners] of byPort) if (owners.length > 1) problems.push(`port ${port} is planned for both ${owners.join(' and ')}: change --port or --zookeeper-port`);
  return problems;
}

/** Resolves null when host:port can be bound now (then released), else the error code. */
export function tryBind(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => server.close(() => resolve(null)));
  });
}

/** As the container will bind: 127.0.0.1 for a broker; 0.0.0.0 and [::] (Java's default) for ZooKeeper. */
export async function bindProblem(need: PortNeed): Promise<string | null> {
  if (!need.wildcard) return tryBind(need.port, '127.0.0.1');
  const v4 = await tryBind(need.port, '0.0.0.0');
  if (v4 !== null) return v4;
  const v6 = await tryBind(need.port, '::');
  // No IPv6 on this machine: Java falls back to IPv4, which was free.
  return v6 === 'EAFNOSUPPORT' || v6 === 'EADDRNOTAVAIL' ? null : v6;
}

/** Socket inodes LISTENing on port in /proc/net/tcp or tcp6 text (hex "addr:PORT", state 0A). */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A') continue;
    const local = f[1];
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.push(f[9]);
  }
  return inodes;
}

/** A Docker container id from /proc/<pid>/cgroup ("/docker/<id>" or "docker-<id>.scope"). */
export function containerIdFromCgroup(cgroup: string): string | null {
  const m = /docker[/-]([0-9a-f]{64})/.exec(cgroup);
  return m ? m[1] : null;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * A command line short enough for one message line: the program and the tail, where a JVM keeps
 * its main class and arguments ("java ... org.apache.zookeeper.server.ZooKeeperServerMain 2181 /data").
 */
export function shortCommand(args: string[], whole = args.join(' ')): string {
  if (whole.length <= 120 || args.length < 2) return whole.length <= 160 ? whole : `${whole.slice(0, 157)}...`;
  const tail = whole.slice(-100);
  return `${args[0]} ... ${tail.slice(tail.indexOf(' ') + 1)}`;
}

/** The process listening on port, when /proc shows it (Linux; other users' processes need root). */
export function findPortHolder(port: number, proc = '/proc'): PortHolder | null {
  const inodes = new Set([...listeningInodes(readOr(`${proc}/net/tcp`, ''), port), ...listeningInodes(readOr(`${proc}/net/tcp6`, ''), port)]);
  inodes.delete('0');
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = fs.readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`${proc}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`${proc}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        const args = readOr(`${proc}/${pid}/cmdline`, '').split('\0').filter((a) => a !== '');
        const command = args.join(' ') || readOr(`${proc}/${pid}/comm`, '?').trim();
        return { pid: Number(pid), command: shortCommand(args, command), containerId: containerIdFromCgroup(readOr(`${proc}/${pid}/cgroup`, '')) };
      }
    }
  }
  return null;
}

/** The needs whose port cannot be bound now, each with what holds it when knowable. */
export async function findBusyPorts(needs: PortNeed[], probe: (need: PortNeed) => Promise<string | null> = bindProblem, holderOf: (port: number) => PortHolder | null = findPortHolder): Promise<BusyPort[]> {
  const busy: BusyPort[] = [];
  for (const need of needs) {
    const reason = await probe(need);
    if (reason !== null) busy.push({ ...need, reason, holder: reason === 'EADDRINUSE' ? holderOf(need.port) : null });
  }
  return busy;
}

/** One line per busy port; containers (by id) are named from the engine's list when it has them. */
export function describeBusyPorts(busy: BusyPort[], containers: ContainerInfo[] = []): string {
  return busy
    .map((b) => {
      const what = b.reason === 'EADDRINUSE' ? 'is already in use' : b.reason === 'EACCES' ? 'cannot be bound (EACCES: a port below 1024 needs root)' : `cannot be bound (${b.reason})`;
      let by = '';
      if (b.holder !== null) {
        const c = b.holder.containerId === null ? undefined : containers.find((x) => x.id === b.holder!.containerId);
        const cluster = c?.labels['io.zafka.cluster'];
        const inContainer = b.holder.containerId === null ? '' : c ? ` in container ${c.name}${cluster ? ` (zafka-docker cluster '${cluster}', ${c.labels[LABEL_ROLE] ?? '?'})` : ''}` : ` in container ${b.holder.containerId.slice(0, 12)}`;
        by = ` by pid ${b.holder.pid} (${b.holder.command})${inContainer}`;
      } else if (b.reason === 'EADDRINUSE') {
        by = ' (the holding process is not visible in /proc)';
      }
      return `port ${b.port} for ${b.owner} ${what}${by}; stop it or choose another port with ${b.option}`;
    })
    .join('\n');
}

/** Thrown by `up` before any container is created. */
export class PortsUnavailableError extends Error {
  constructor(message: string) {
    super(`refusing to start: ${message}`);
    this.name = 'PortsUnavailableError';
  }
}
