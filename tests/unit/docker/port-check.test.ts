// zafka-docker up's port check: ports planned twice or out of range, ports held by a real
// listening socket (found by a test bind, and its holder found in /proc), running containers of
// the cluster not counted against it, the message, and `up` refusing before it builds an image
// or creates any container.
import * as net from 'net';
import { planCluster } from '../../../docker/cluster/cluster-plan';
import { DockerCluster } from '../../../docker/cluster/docker-cluster';
import type { ContainerInfo, DockerEngine } from '../../../docker/cluster/docker-engine';
import {
  bindProblem, containerIdFromCgroup, describeBusyPorts, findBusyPorts, findPortHolder, listeningInodes, planPortProblems, portsToCheck, PortsUnavailableError, shortCommand,
} from '../../../docker/cluster/port-check';

const OPTIONS = { cluster: 'pc', brokers: 3, image: 'zafka:local', zookeeperImage: 'zookeeper:3.8', firstPort: 19092, zookeeperPort: 12181, brokerConfig: {} };

/** A real listener on an ephemeral port of host; close() releases it. */
function listen(host: string): Promise<net.Server & { port: number }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })));
  });
}

const close = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));

function container(name: string, state: string, id = 'x'.repeat(64)): ContainerInfo {
  return { id, name, image: 'i', state, status: state, labels: { 'io.zafka.cluster': 'pc', 'io.zafka.role': 'zookeeper' } };
}

describe('the plan', () => {
  test('a port planned for ZooKeeper and a broker is refused, naming both', () => {
    const problems = planPortProblems(planCluster({ ...OPTIONS, firstPort: 12180 }));
    expect(problems).toEqual(['port 12181 is planned for both ZooKeeper and broker 2: change --port or --zookeeper-port']);
  });

  test('a broker port past 65535 is refused', () => {
    expect(planPortProblems(planCluster({ ...OPTIONS, firstPort: 65534 }))).toEqual(['port 65536 of broker 3 is not a TCP port (1-65535)']);
  });

  test('consecutive free-standing ports pass', () => {
    expect(planPortProblems(planCluster(OPTIONS))).toEqual([]);
  });

  test('containers of the cluster already running hold their own ports: only the others are checked', () => {
    const plan = planCluster(OPTIONS);
    expect(portsToCheck(plan, []).map((n) => [n.port, n.option, n.wildcard])).toEqual([
      [12181, '--zookeeper-port', true], [19092, '--port', false], [19093, '--port', false], [19094, '--port', false],
    ]);
    const existing = [container('pc-zookeeper', 'running'), container('pc-broker-1', 'paused'), container('pc-broker-2', 'exited')];
    expect(portsToCheck(plan, existing).map((n) => n.owner)).toEqual(['broker 2 (pc-broker-2)', 'broker 3 (pc-broker-3)']);
  });
});

describe('probing real sockets', () => {
  test('a listener on 127.0.0.1 makes the port busy for ZooKeeper (all interfaces) and a broker (loopback)', async () => {
    const server = await listen('127.0.0.1');
    try {
      expect(await bindProblem({ port: server.port, owner: 'zk', option: '--zookeeper-port', wildcard: true })).toBe('EADDRINUSE');
      expect(await bindProblem({ port: server.port, owner: 'b', option: '--port', wildcard: false })).toBe('EADDRINUSE');
    } finally {
      await close(server);
    }
    // Released: free again, and the probe itself leaves nothing bound.
    expect(await bindProblem({ port: server.port, owner: 'zk', option: '--zookeeper-port', wildcard: true })).toBeNull();
    expect(await bindProblem({ port: server.port, owner: 'b', option: '--port', wildcard: false })).toBeNull();
  });

  test('a listener on all interfaces makes a loopback broker port busy', async () => {
    const server = await listen('0.0.0.0');
    try {
      expect(await bindProblem({ port: server.port, owner: 'b', option: '--port', wildcard: false })).toBe('EADDRINUSE');
    } finally {
      await close(server);
    }
  });

  const linux = process.platform === 'linux' ? test : test.skip;
  linux('the holder of a busy port is found in /proc: this very process', async () => {
    const server = await listen('127.0.0.1');
    try {
      const holder = findPortHolder(server.port);
      expect(holder).not.toBeNull();
      expect(holder!.pid).toBe(process.pid);
      expect(holder!.command).toContain('node');
      const busy = await findBusyPorts([{ port: server.port, owner: 'ZooKeeper (pc-zookeeper)', option: '--zookeeper-port', wildcard: true }]);
      expect(busy).toHaveLength(1);
      expect(describeBusyPorts(busy)).toMatch(new RegExp(`^port ${server.port} for ZooKeeper \\(pc-zookeeper\\) is already in use by pid ${process.pid} \\(.*node.*\\); stop it or choose another port with --zookeeper-port$`));
    } finally {
      await close(server);
    }
  });
});

describe('parsing /proc', () => {
  test('LISTEN rows of /proc/net/tcp for a port give their socket inodes; other states and ports do not', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0885 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0',
      '   1: 0100007F:0885 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 20 4 30 10 -1',
      '   2: 00000000:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(text, 2181)).toEqual(['4242']);
    expect(listeningInodes(text, 9092)).toEqual(['4444']);
    expect(listeningInodes(text, 9093)).toEqual([]);
  });

  test('a Docker container id from cgroup v1 and v2 paths', () => {
    const id = 'ab'.repeat(32);
    expect(containerIdFromCgroup(`12:memory:/docker/${id}\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/system.slice/docker-${id}.scope\n`)).toBe(id);
    expect(containerIdFromCgroup('0::/user.slice\n')).toBeNull();
  });

  test('a holder inside a container of another zafka-docker cluster is named as such', () => {
    const id = 'cd'.repeat(32);
    const other = { ...container('old-zookeeper', 'running', id), labels: { 'io.zafka.cluster': 'old', 'io.zafka.role': 'zookeeper' } };
    const text = describeBusyPorts([{ port: 2181, owner: 'ZooKeeper (pc-zookeeper)', option: '--zookeeper-port', wildcard: true, reason: 'EADDRINUSE', holder: { pid: 77, command: 'java -cp zk.jar QuorumPeerMain', containerId: id } }], [other]);
    expect(text).toBe("port 2181 for ZooKeeper (pc-zookeeper) is already in use by pid 77 (java -cp zk.jar QuorumPeerMain) in container old-zookeeper (zafka-docker cluster 'old', zookeeper); stop it or choose another port with --zookeeper-port");
  });
});

describe('DockerCluster.up', () => {
  /** An engine that answers ping and an empty container list; anything else fails the test. */
  function fakeEngine(calls: string[]): DockerEngine {
    return new Proxy({} as DockerEngine, {
      get: (_t, name: string) => (...args: unknown[]) => {
        calls.push(name);
        if (name === 'ping') return Promise.resolve();
        if (name === 'listContainers') return Promise.resolve([]);
        return Promise.reject(new Error(`unexpected engine call ${name}(${JSON.stringify(args)})`));
      },
    });
  }

  test('with the ZooKeeper port taken, up refuses before building an image or creating a container', async () => {
    const server = await listen('127.0.0.1');
    const calls: string[] = [];
    try {
      const plan = planCluster({ ...OPTIONS, zookeeperPort: server.port });
      const up = new DockerCluster(fakeEngine(calls), 'pc', () => undefined).up(plan, {});
      await expect(up).rejects.toBeInstanceOf(PortsUnavailableError);
      await expect(up).rejects.toThrow(new RegExp(`^refusing to start: port ${server.port} for ZooKeeper \\(pc-zookeeper\\) is already in use`));
    } finally {
      await close(server);
    }
    expect(calls.every((c) => c === 'ping' || c === 'listContainers')).toBe(true);
  });

  test('a port planned twice is refused the same way, before any container', async () => {
    const calls: string[] = [];
    const up = new DockerCluster(fakeEngine(calls), 'pc', () => undefined).up(planCluster({ ...OPTIONS, firstPort: 12180 }), {});
    await expect(up).rejects.toThrow('refusing to start: port 12181 is planned for both ZooKeeper and broker 2');
    expect(calls).not.toContain('run');
  });
});

describe('shortCommand', () => {
  test('a long JVM command line keeps the program, the main class and its arguments', () => {
    const args = ['java', '-Xmx256m', '-cp', 'a.jar:'.repeat(40), 'org.apache.zookeeper.server.ZooKeeperServerMain', '2181', '/tmp/zk'];
    expect(shortCommand(args)).toBe('java ... org.apache.zookeeper.server.ZooKeeperServerMain 2181 /tmp/zk');
    expect(shortCommand(['node', 'server.js'])).toBe('node server.js');
  });
});
