// zafka-docker's operations on a local Docker cluster (ZooKeeper + N brokers, host networking),
// over the DockerEngine interface. Readiness is judged the way clients see it: ZooKeeper answers
// "srvr", and every broker answers Metadata listing all N brokers and a controller.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { KafkaClient } from '../../broker/network/kafka-client';
import { Metadata, type MetadataResponse } from '../../broker/protocol/messages/metadata';
import {
  BROKER_STOP_TIMEOUT_SECONDS, DEFAULT_BASE_IMAGE, DOCKERFILE, IMAGE_CONTEXT_EXCLUDE, IMAGE_CONTEXT_FILES, LABEL_BROKER_ID, LABEL_CLUSTER,
  LABEL_PORT, LABEL_ROLE, LOCAL_BASE_IMAGE, brokerContainerName, clusterLabels, zookeeperContainerName, type ClusterPlan,
} from './cluster-plan';
import type { ContainerInfo, ContainerSpec, DockerEngine } from './docker-engine';
import { describeBusyPorts, findBusyPorts, planPortProblems, portsToCheck, PortsUnavailableError } from './port-check';

export type Output = (line: string) => void;

/** The repository root (package.json), whether running from docker/cluster or dist/docker/cluster. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Ends a wait at once (the thing waited for cannot happen any more). */
class FatalWaitError extends Error {}

/** Polls until check() is truthy or timeoutMs passes; a FatalWaitError ends it early. */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      if (err instanceof FatalWaitError) throw err;
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** ZooKeeper's four-letter "srvr"; '' when nothing answers. */
export function zookeeperSrvr(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let out = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(''));
  });
}

export async function brokerMetadata(port: number, timeoutMs = 3000): Promise<MetadataResponse> {
  const client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'zafka-docker', connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
  try {
    return await client.send(Metadata, 1, { topics: null });
  } finally {
    client.close();
  }
}

/** Partitions led by each broker id, from one Metadata response. */
export function leaderCounts(metadata: MetadataResponse): Map<number, number> {
  const counts = new Map<number, number>();
  for (const t of metadata.topics) for (const p of t.partitions) if (p.leaderId >= 0) counts.set(p.leaderId, (counts.get(p.leaderId) ?? 0) + 1);
  return counts;
}

export interface PsRow {
  broker: string;
  container: string;
  state: string;
  port: string;
  leaders: string;
}

export function formatPs(rows: PsRow[]): string[] {
  const header: PsRow = { broker: 'BROKER', container: 'CONTAINER', state: 'STATE', port: 'PORT', leaders: 'LEADERS' };
  const all = [header, ...rows];
  const cols: (keyof PsRow)[] = ['broker', 'container', 'state', 'port', 'leaders'];
  const widths = cols.map((c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => cols.map((c, i) => r[c].padEnd(widths[i])).join('  ').trimEnd());
}

export class DockerCluster {
  constructor(
    private readonly engine: DockerEngine,
    private readonly cluster: string,
    private readonly out: Output,
  ) {}

  /** Builds the broker image unless it exists (or rebuild); picks a base image that is present. */
  async ensureImage(image: string, options: { baseImage?: string; rebuild?: boolean }): Promise<void> {
    if (!options.rebuild && (await this.engine.imageExists(image))) {
      this.out(`Image ${image} is present (--rebuild to build it again)`);
      return;
    }
    let base = options.baseImage;
    if (base === undefined) {
      base = (await this.engine.imageExists(DEFAULT_BASE_IMAGE)) || !(await this.engine.imageExists(LOCAL_BASE_IMAGE)) ? DEFAULT_BASE_IMAGE : LOCAL_BASE_IMAGE;
    }
    const root = repoRoot();
    if (!fs.existsSync(path.join(root, 'node_modules'))) throw new Error(`${root}/node_modules is missing: run 'npm ci' first (the image copies it)`);
    this.out(`Building ${image} from ${DOCKERFILE} (BASE_IMAGE=${base}) ...`);
    const tail: string[] = [];
    try {
      await this.engine.buildImage(
        { contextDir: root, files: IMAGE_CONTEXT_FILES, exclude: IMAGE_CONTEXT_EXCLUDE, dockerfile: DOCKERFILE, tag: image, buildArgs: { BASE_IMAGE: base } },
        (line) => {
          tail.push(line);
          if (tail.length > 15) tail.shift();
          // Steps and errors, not every line of npm/tsc output.
          if (/^Step \d+\/\d+/.test(line) || /error/i.test(line)) this.out(`  ${line}`);
        },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${tail.join('\n')}`);
    }
    this.out(`Built ${image}`);
  }

  async ensureZookeeperImage(image: string): Promise<void> {
    if (await this.engine.imageExists(image)) return;
    this.out(`Pulling ${image} ...`);
    try {
      await this.engine.pullImage(image, () => undefined);
    } catch (err) {
      throw new Error(
        `cannot pull ${image} (${(err as Error).message}); without a registry, make a local one with ` +
          "'bash scripts/docker-setup.sh --zookeeper-image' and pass --zookeeper-image zafka-zookeeper:local",
      );
    }
  }

  private async containers(): Promise<ContainerInfo[]> {
    return this.engine.listContainers(clusterLabels(this.cluster));
  }

  /** Starts a planned container: reuses a stopped one of that name, leaves a running one alone. */
  private async startContainer(spec: ContainerSpec, existing: ContainerInfo[]): Promise<void> {
    const found = existing.find((c) => c.name === spec.name);
    if (found?.state === 'running') return;
    if (found?.state === 'paused') return this.engine.unpause(spec.name);
    if (found) return this.engine.start(spec.name);
    for (const m of spec.mounts) await this.engine.ensureVolume(m.volume, clusterLabels(this.cluster));
    await this.engine.run(spec);
  }

  async up(plan: ClusterPlan, options: { baseImage?: string; rebuild?: boolean; timeoutMs?: number }): Promise<void> {
    await this.engine.ping();
    const existing = await this.containers();
    await this.checkPorts(plan, existing);
    await this.ensureImage(plan.options.image, options);
    await this.ensureZookeeperImage(plan.zookeeper.image);
    const timeoutMs = options.timeoutMs ?? 120000;

    this.out(`Starting ZooKeeper (${plan.zookeeper.name}, ${plan.zookeeperConnect}) ...`);
    await this.startContainer(plan.zookeeper, existing);
    await waitUntil(`ZooKeeper on ${plan.zookeeperConnect}`, async () => {
      await this.assertRunning(plan.zookeeper.name, 'zookeeper');
      return (await zookeeperSrvr(plan.options.zookeeperPort)).includes('Mode:');
    }, timeoutMs);

    for (const b of plan.brokers) {
      this.out(`Starting broker ${b.id} (${b.container.name}, 127.0.0.1:${b.port}) ...`);
      await this.startContainer(b.container, existing);
    }
    const n = plan.brokers.length;
    for (const b of plan.brokers) {
      await waitUntil(`broker ${b.id} to list ${n} brokers and a controller in Metadata`, async () => {
        await this.assertRunning(b.container.name, String(b.id));
        const m = await brokerMetadata(b.port);
        return m.controllerId >= 0 && m.brokers.length >= n && m.brokers.some((x) => x.nodeId === b.id);
      }, timeoutMs);
    }
    if (plan.console) {
      const { port, container } = plan.console;
      this.out(`Starting the Zafka Console (${container.name}, http://127.0.0.1:${port}) ...`);
      await this.startContainer(container, existing);
      await waitUntil(`the console to answer on port ${port}`, async () => {
        await this.assertRunning(container.name, 'console');
        return (await fetch(`http://127.0.0.1:${port}/api/cluster`).catch(() => null))?.status === 200;
      }, timeoutMs);
    }
    this.out(`Cluster '${this.cluster}' is up: ${n} broker(s), ZooKeeper ${plan.zookeeperConnect}`);
    this.out(`bootstrap servers: ${plan.bootstrapServers}`);
    if (plan.brokers[0].securePorts) {
      this.out(`SSL bootstrap servers: ${plan.brokers.map((b) => `127.0.0.1:${b.securePorts!.ssl}`).join(',')}`);
      this.out(`SASL_SSL bootstrap servers: ${plan.brokers.map((b) => `127.0.0.1:${b.securePorts!.saslSsl}`).join(',')}`);
    }
    if (plan.console) this.out(`console: http://127.0.0.1:${plan.console.port}`);
  }

  /**
   * Refuses (before any image build or container) when a port is planned twice or cannot be bound:
   * a ZooKeeper container that loses its port exits, and the brokers would join whatever
   * ZooKeeper answers there instead.
   */
  private async checkPorts(plan: ClusterPlan, existing: ContainerInfo[]): Promise<void> {
    const problems = planPortProblems(plan);
    if (problems.length > 0) throw new PortsUnavailableError(problems.join('\n'));
    const busy = await findBusyPorts(portsToCheck(plan, existing));
    if (busy.length === 0) return;
    const inContainers = busy.some((b) => b.holder?.containerId);
    const all = inContainers ? await this.engine.listContainers({}).catch(() => []) : [];
    throw new PortsUnavailableError(describeBusyPorts(busy, all));
  }

  /** A container that exited while we wait for it will not come up: say so at once. */
  private async assertRunning(name: string, logsArg: string): Promise<void> {
    const c = (await this.containers()).find((x) => x.name === name);
    if (c && (c.state === 'exited' || c.state === 'dead')) {
      throw new FatalWaitError(`${name} stopped: ${c.status}; see 'zafka-docker --cluster ${this.cluster} logs ${logsArg}'`);
    }
  }

  async down(options: { volumes: boolean }): Promise<void> {
    await this.engine.ping();
    const all = await this.containers();
    // Brokers first (controlled shutdown needs ZooKeeper), then ZooKeeper.
    const brokers = all.filter((c) => c.labels[LABEL_ROLE] === 'broker');
    await Promise.all(brokers.map(async (c) => {
      if (c.state === 'paused') await this.engine.unpause(c.name);
      if (c.state === 'running' || c.state === 'paused') {
        this.out(`Stopping ${c.name} ...`);
        await this.engine.stop(c.name, BROKER_STOP_TIMEOUT_SECONDS);
      }
      await this.engine.remove(c.name, { force: true, volumes: false });
    }));
    for (const c of all.filter((x) => x.labels[LABEL_ROLE] !== 'broker')) {
      this.out(`Removing ${c.name} ...`);
      await this.engine.remove(c.name, { force: true, volumes: false });
    }
    if (options.volumes) {
      const removed = await this.engine.removeVolumes(clusterLabels(this.cluster));
      if (removed.length > 0) this.out(`Removed volumes: ${removed.join(', ')}`);
    }
    this.out(all.length === 0 ? `No containers of cluster '${this.cluster}'` : `Cluster '${this.cluster}' is down`);
  }

  async ps(): Promise<PsRow[]> {
    await this.engine.ping();
    const all = await this.containers();
    const brokers = all.filter((c) => c.labels[LABEL_ROLE] === 'broker').sort((a, b) => Number(a.labels[LABEL_BROKER_ID]) - Number(b.labels[LABEL_BROKER_ID]));
    // A broker that just started may not have heard UpdateMetadata yet: ask every running broker
    // and believe the answer that knows the most partitions.
    const answers = await Promise.all(
      brokers.filter((x) => x.state === 'running').map((c) => brokerMetadata(Number(c.labels[LABEL_PORT]), 2000).catch(() => null)),
    );
    let leaders: Map<number, number> | null = null;
    let known = -1;
    for (const m of answers) {
      if (m === null) continue;
      const partitions = m.topics.reduce((sum, t) => sum + t.partitions.length, 0);
      if (partitions > known) {
        known = partitions;
        leaders = leaderCounts(m);
      }
    }
    const rows: PsRow[] = all
      .filter((c) => c.labels[LABEL_ROLE] === 'zookeeper')
      .map((c) => ({ broker: 'zookeeper', container: c.name, state: c.status, port: c.labels[LABEL_PORT] ?? '', leaders: '' }));
    for (const c of brokers) {
      const id = Number(c.labels[LABEL_BROKER_ID]);
      rows.push({ broker: String(id), container: c.name, state: c.status, port: c.labels[LABEL_PORT] ?? '', leaders: leaders === null ? '?' : String(leaders.get(id) ?? 0) });
    }
    return rows;
  }

  /** The container of a broker id, or of ZooKeeper for "zookeeper"/"zk". */
  async containerOf(broker: string): Promise<ContainerInfo> {
    const all = await this.containers();
    const zk = broker === 'zookeeper' || broker === 'zk';
    const found = all.find((c) => (zk ? c.labels[LABEL_ROLE] === 'zookeeper' : c.labels[LABEL_ROLE] === 'broker' && c.labels[LABEL_BROKER_ID] === broker));
    if (!found) {
      const name = zk ? zookeeperContainerName(this.cluster) : brokerContainerName(this.cluster, Number(broker));
      throw new Error(`no container ${name} in cluster '${this.cluster}' (${LABEL_CLUSTER}=${this.cluster}); see 'zafka-docker ps'`);
    }
    return found;
  }

  async logs(broker: string, options: { follow: boolean; tail?: number }): Promise<void> {
    await this.engine.ping();
    const c = await this.containerOf(broker);
    await this.engine.logs(c.name, options, process.stdout, process.stderr);
  }

  /** restart, kill (SIGKILL), stop (SIGTERM: controlled shutdown), pause, unpause. */
  async fault(action: 'restart' | 'kill' | 'stop' | 'start' | 'pause' | 'unpause', broker: string): Promise<void> {
    await this.engine.ping();
    const c = await this.containerOf(broker);
    switch (action) {
      case 'restart': await this.engine.restart(c.name, BROKER_STOP_TIMEOUT_SECONDS); break;
      case 'kill': await this.engine.kill(c.name, 'SIGKILL'); break;
      case 'stop': await this.engine.stop(c.name, BROKER_STOP_TIMEOUT_SECONDS); break;
      case 'start': await this.engine.start(c.name); break;
      case 'pause': await this.engine.pause(c.name); break;
      case 'unpause': await this.engine.unpause(c.name); break;
    }
    this.out(`${action} ${c.name}: done`);
  }
}
