// zafka-docker's cluster plan (names, ports, labels, broker environment) and the healthcheck's
// probe address: pure functions, no Docker engine.
import { brokerContainerName, LABEL_BROKER_ID, LABEL_CLUSTER, LABEL_ROLE, planCluster } from '../../../docker/cluster/cluster-plan';
import { formatPs, leaderCounts } from '../../../docker/cluster/docker-cluster';
import { dockerEndpoint, DockerUnavailableError } from '../../../docker/cluster/docker-engine';
import { probeAddress } from '../../../docker/healthcheck';
import { serverPropertiesFromEnv } from '../../../docker/server-properties-from-env';
import type { MetadataResponse } from '../../../broker/protocol/messages/metadata';

const OPTIONS = { cluster: 'zafka', brokers: 3, image: 'zafka:local', zookeeperImage: 'zookeeper:3.8', firstPort: 9092, zookeeperPort: 2181, brokerConfig: {} };

describe('planCluster', () => {
  test('three brokers on consecutive loopback ports, host networking, one volume each', () => {
    const plan = planCluster(OPTIONS);
    expect(plan.bootstrapServers).toBe('127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094');
    expect(plan.brokers.map((b) => [b.id, b.port, b.container.name])).toEqual([
      [1, 9092, 'zafka-broker-1'], [2, 9093, 'zafka-broker-2'], [3, 9094, 'zafka-broker-3'],
    ]);
    for (const b of plan.brokers) {
      expect(b.container.hostNetwork).toBe(true);
      expect(b.container.mounts).toEqual([{ volume: `zafka-broker-${b.id}-data`, target: '/var/lib/zafka' }]);
      expect(b.container.labels).toMatchObject({ [LABEL_CLUSTER]: 'zafka', [LABEL_ROLE]: 'broker', [LABEL_BROKER_ID]: String(b.id) });
    }
    expect(plan.zookeeper).toMatchObject({ name: 'zafka-zookeeper', image: 'zookeeper:3.8', hostNetwork: true });
    expect(plan.zookeeper.env.ZOO_SERVERS).toBe('server.1=localhost:2888:3888;2181');
  });

  test('the broker environment becomes the server.properties a 3-broker cluster needs', () => {
    const plan = planCluster({ ...OPTIONS, brokerConfig: { 'log.retention.ms': '60000' } });
    const props = serverPropertiesFromEnv(plan.brokers[1].container.env);
    expect(props).toMatchObject({
      'broker.id': '2',
      'zookeeper.connect': '127.0.0.1:2181',
      listeners: 'PLAINTEXT://127.0.0.1:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9093',
      'offsets.topic.replication.factor': '3',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'log.retention.ms': '60000',
      'log.dirs': '/var/lib/zafka/data',
    });
  });

  test('one broker: replication factors of 1', () => {
    const props = serverPropertiesFromEnv(planCluster({ ...OPTIONS, brokers: 1 }).brokers[0].container.env);
    expect(props['offsets.topic.replication.factor']).toBe('1');
    expect(props['min.insync.replicas']).toBe('1');
  });

  test('a bad broker count is refused', () => {
    expect(() => planCluster({ ...OPTIONS, brokers: 0 })).toThrow(/--brokers/);
  });

  test('container names carry the cluster name', () => {
    expect(brokerContainerName('it-1', 3)).toBe('it-1-broker-3');
  });
});

describe('ps helpers', () => {
  test('leader counts per broker from Metadata', () => {
    const partition = (leaderId: number) => ({ leaderId }) as MetadataResponse['topics'][number]['partitions'][number];
    const metadata = { topics: [{ partitions: [partition(1), partition(2), partition(1)] }, { partitions: [partition(-1)] }] } as unknown as MetadataResponse;
    expect([...leaderCounts(metadata)].sort()).toEqual([[1, 2], [2, 1]]);
  });

  test('aligned columns', () => {
    expect(formatPs([{ broker: '1', container: 'zafka-broker-1', state: 'Up 3 seconds (healthy)', port: '9092', leaders: '4' }])).toEqual([
      'BROKER  CONTAINER       STATE                   PORT  LEADERS',
      '1       zafka-broker-1  Up 3 seconds (healthy)  9092  4',
    ]);
  });
});

describe('no engine', () => {
  test('one sentence saying where and how to point at one', () => {
    const err = new DockerUnavailableError(dockerEndpoint({}), 'connect ENOENT /var/run/docker.sock');
    expect(err.message).toMatch(/^No Docker engine is reachable at unix:\/\/\/var\/run\/docker.sock \(connect ENOENT/);
    expect(err.message).toMatch(/DOCKER_HOST=/);
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://h:2375' })).toBe('DOCKER_HOST=tcp://h:2375');
  });
});

describe('healthcheck probe address', () => {
  test('a wildcard listener is probed on 127.0.0.1', () => {
    expect(probeAddress('listeners=PLAINTEXT://0.0.0.0:19092\n')).toEqual({ host: '127.0.0.1', port: 19092 });
    expect(probeAddress('listeners=PLAINTEXT://:9092\n')).toEqual({ host: '127.0.0.1', port: 9092 });
  });

  test('a specific host is probed there', () => {
    expect(probeAddress('listeners=PLAINTEXT://127.0.0.1:9093,EXTERNAL://0.0.0.0:9094\nlistener.security.protocol.map=PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT\n'))
      .toEqual({ host: '127.0.0.1', port: 9093 });
  });
});

describe('planCluster with --console', () => {
  test('no console container unless asked', () => {
    expect(planCluster(OPTIONS).console).toBeNull();
  });

  test('the console runs from the broker image on a loopback port, pointed at the cluster', () => {
    const plan = planCluster({ ...OPTIONS, consolePort: 9021 });
    expect(plan.console).not.toBeNull();
    const c = plan.console!.container;
    expect(c).toMatchObject({ name: 'zafka-console', image: 'zafka:local', hostNetwork: true, mounts: [] });
    expect(c.labels).toMatchObject({ [LABEL_CLUSTER]: 'zafka', [LABEL_ROLE]: 'console' });
    expect(c.cmd).toEqual([
      'bin/zafka-console.sh', '--zookeeper', '127.0.0.1:2181', '--bootstrap-server', '127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094', '--port', '9021', '--bind', '127.0.0.1',
    ]);
  });
});
