// The containers of a local Docker cluster, as data: names, labels, loopback ports, volumes and the
// broker environment (docker/server-properties-from-env.ts turns KAFKA_* into server.properties).
// Everything uses host networking, so brokers advertise 127.0.0.1:<port> and clients on this
// machine (kcat, kafkajs) reach them as they would reach bin/kafka-server-start.sh brokers.

import type { ContainerSpec } from './docker-engine';
import { secretsMount, securePorts, secureBrokerProperties, type SecureOptions, type SecurePorts } from './secure-listeners';

export const DEFAULT_CLUSTER = 'zafka';
export const DEFAULT_IMAGE = 'zafka:local';
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';
export const LOCAL_BASE_IMAGE = 'zafka-base:node20';
export const DEFAULT_ZOOKEEPER_IMAGE = 'zookeeper:3.8';
export const DEFAULT_FIRST_PORT = 9092;
export const DEFAULT_ZOOKEEPER_PORT = 2181;
export const DEFAULT_CONSOLE_PORT = 9021;
/** docker stop's grace period: a controlled shutdown moves leadership first. */
export const BROKER_STOP_TIMEOUT_SECONDS = 60;

export const LABEL_CLUSTER = 'io.zafka.cluster';
export const LABEL_ROLE = 'io.zafka.role';
export const LABEL_BROKER_ID = 'io.zafka.broker-id';
export const LABEL_PORT = 'io.zafka.port';

/** The repository files docker/Dockerfile's build needs (everything else stays out of the context). */
export const IMAGE_CONTEXT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'node_modules', 'broker', 'controller', 'admin-cli', 'console', 'docker', 'bin', 'config'];
export const IMAGE_CONTEXT_EXCLUDE = ['node_modules/.cache'];
export const DOCKERFILE = 'docker/Dockerfile';

export interface ClusterOptions {
  cluster: string;
  brokers: number;
  image: string;
  zookeeperImage: string;
  firstPort: number;
  zookeeperPort: number;
  /** Extra broker properties (key=value), passed as KAFKA_* variables. */
  brokerConfig: Record<string, string>;
  /** Also run the Zafka Console (bin/zafka-console.sh in the broker image) on this loopback port. */
  consolePort?: number;
  /** --secure: SSL and SASL_SSL listeners too (admin-cli/docker/secure-listeners.ts). */
  secure?: SecureOptions;
}

export interface BrokerPlan {
  id: number;
  port: number;
  /** The SSL and SASL_SSL ports with --secure. */
  securePorts?: SecurePorts;
  container: ContainerSpec;
}

export interface ClusterPlan {
  options: ClusterOptions;
  zookeeperConnect: string;
  zookeeper: ContainerSpec;
  brokers: BrokerPlan[];
  bootstrapServers: string;
  console: { port: number; container: ContainerSpec } | null;
}

export function clusterLabels(cluster: string): Record<string, string> {
  return { [LABEL_CLUSTER]: cluster };
}

export function brokerContainerName(cluster: string, id: number): string {
  return `${cluster}-broker-${id}`;
}

export function zookeeperContainerName(cluster: string): string {
  return `${cluster}-zookeeper`;
}

export function consoleContainerName(cluster: string): string {
  return `${cluster}-console`;
}

/** foo.bar -> KAFKA_FOO_BAR, the inverse of the image's mapping (with its "__" / "___" escapes). */
export function envNameForProperty(key: string): string {
  return `KAFKA_${key.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`;
}

export function planCluster(options: ClusterOptions): ClusterPlan {
  if (!Number.isInteger(options.brokers) || options.brokers < 1) throw new Error(`--brokers must be a positive integer, got ${options.brokers}`);
  const labels = clusterLabels(options.cluster);
  const zookeeperConnect = `127.0.0.1:${options.zookeeperPort}`;
  const replication = Math.min(3, options.brokers);
  const brokers: BrokerPlan[] = [];
  for (let i = 0; i < options.brokers; i++) {
    const id = i + 1;
    const port = options.firstPort + i;
    const env: Record<string, string> = {
      KAFKA_BROKER_ID: String(id),
      KAFKA_ZOOKEEPER_CONNECT: zookeeperConnect,
      KAFKA_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(replication),
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(replication),
      KAFKA_DEFAULT_REPLICATION_FACTOR: String(replication),
      KAFKA_MIN_INSYNC_REPLICAS: String(replication >= 3 ? 2 : 1),
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    };
    if (options.secure) for (const [k, v] of Object.entries(secureBrokerProperties(port, options.secure))) env[envNameForProperty(k)] = v;
    for (const [k, v] of Object.entries(options.brokerConfig)) env[envNameForProperty(k)] = v;
    brokers.push({
      id,
      port,
      securePorts: options.secure ? securePorts(port) : undefined,
      container: {
        name: brokerContainerName(options.cluster, id),
        image: options.image,
        env,
        labels: { ...labels, [LABEL_ROLE]: 'broker', [LABEL_BROKER_ID]: String(id), [LABEL_PORT]: String(port) },
        mounts: [{ volume: `${options.cluster}-broker-${id}-data`, target: '/var/lib/zafka' }],
        binds: options.secure ? [secretsMount(options.secure)] : undefined,
        hostNetwork: true,
        stopTimeoutSeconds: BROKER_STOP_TIMEOUT_SECONDS,
      },
    });
  }
  const zookeeper: ContainerSpec = {
    name: zookeeperContainerName(options.cluster),
    image: options.zookeeperImage,
    // The official image's settings; an image made by scripts/docker-setup.sh ignores them.
    env: {
      ZOO_ADMINSERVER_ENABLED: 'false',
      ZOO_4LW_COMMANDS_WHITELIST: 'srvr,ruok,mntr',
      ZOO_SERVERS: `server.1=localhost:2888:3888;${options.zookeeperPort}`,
    },
    labels: { ...labels, [LABEL_ROLE]: 'zookeeper', [LABEL_PORT]: String(options.zookeeperPort) },
    mounts: [{ volume: `${options.cluster}-zookeeper-data`, target: '/data' }],
    hostNetwork: true,
    stopTimeoutSeconds: 10,
  };
  const bootstrapServers = brokers.map((b) => `127.0.0.1:${b.port}`).join(',');
  // The console runs from the broker image (the entrypoint execs any other command), bound to
  // loopback like everything else here.
  const consolePlan =
    options.consolePort === undefined
      ? null
      : {
          port: options.consolePort,
          container: {
            name: consoleContainerName(options.cluster),
            image: options.image,
            env: {},
            labels: { ...labels, [LABEL_ROLE]: 'console', [LABEL_PORT]: String(options.consolePort) },
            mounts: [],
            hostNetwork: true,
            stopTimeoutSeconds: 10,
            cmd: ['bin/zafka-console.sh', '--zookeeper', zookeeperConnect, '--bootstrap-server', bootstrapServers, '--port', String(options.consolePort), '--bind', '127.0.0.1'],
          },
        };
  return { options, zookeeperConnect, zookeeper, brokers, bootstrapServers, console: consolePlan };
}
