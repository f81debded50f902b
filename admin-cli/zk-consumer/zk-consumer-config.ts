// The old (0.8.x) consumer's configuration, with Kafka 0.8.2 ConsumerConfig's names and defaults,
// read from --consumer-property key=value pairs. Unknown keys are ignored, as Kafka's
// VerifiableProperties only warns about them.
import { hostname } from 'os';
import { randomUUID } from 'crypto';
import { UsageError } from '../shared/usage-error';

export interface ZkConsumerConfig {
  groupId: string;
  /** consumer.id; null = generated "<host>-<ms>-<8 hex>" (Kafka 0.8's consumerUuid). */
  consumerId: string | null;
  clientId: string;
  zookeeperSessionTimeoutMs: number;
  zookeeperConnectionTimeoutMs: number;
  autoCommitEnable: boolean;
  autoCommitIntervalMs: number;
  /** smallest | largest (0.8 names; earliest/latest accepted too). */
  autoOffsetReset: 'smallest' | 'largest';
  rebalanceMaxRetries: number;
  rebalanceBackoffMs: number;
  /** zookeeper (default) or kafka (0.8.2+: commit to the group coordinator). */
  offsetsStorage: 'zookeeper' | 'kafka';
  /** With offsets.storage=kafka: also commit to ZooKeeper, and fetch max(zk, kafka). Default true, as 0.8.2. */
  dualCommitEnabled: boolean;
  fetchWaitMaxMs: number;
}

function int(props: ReadonlyMap<string, string>, key: string, dflt: number, min = 0): number {
  const v = props.get(key);
  if (v === undefined) return dflt;
  const n = /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`Invalid value ${v} for configuration ${key}: expected an integer >= ${min}`);
  return n;
}

function bool(props: ReadonlyMap<string, string>, key: string, dflt: boolean): boolean {
  const v = props.get(key);
  if (v === undefined) return dflt;
  const s = v.trim().toLowerCase();
  if (s !== 'true' && s !== 'false') throw new UsageError(`Invalid value ${v} for configuration ${key}: expected true or false`);
  return s === 'true';
}

export function zkConsumerConfig(groupId: string, props: ReadonlyMap<string, string> = new Map()): ZkConsumerConfig {
  const reset = (props.get('auto.offset.reset') ?? 'largest').trim().toLowerCase();
  const autoOffsetReset = reset === 'smallest' || reset === 'earliest' ? 'smallest' : reset === 'largest' || reset === 'latest' ? 'largest' : null;
  if (autoOffsetReset === null) throw new UsageError(`Invalid value ${reset} for configuration auto.offset.reset: expected smallest or largest`);
  const storage = (props.get('offsets.storage') ?? 'zookeeper').trim().toLowerCase();
  if (storage !== 'zookeeper' && storage !== 'kafka') throw new UsageError(`Invalid value ${storage} for configuration offsets.storage: expected zookeeper or kafka`);
  const sessionTimeout = int(props, 'zookeeper.session.timeout.ms', 6000, 1);
  return {
    groupId,
    consumerId: props.get('consumer.id') ?? null,
    clientId: props.get('client.id') ?? groupId,
    zookeeperSessionTimeoutMs: sessionTimeout,
    zookeeperConnectionTimeoutMs: int(props, 'zookeeper.connection.timeout.ms', sessionTimeout, 1),
    autoCommitEnable: bool(props, 'auto.commit.enable', true),
    autoCommitIntervalMs: int(props, 'auto.commit.interval.ms', 60000, 1),
    autoOffsetReset,
    rebalanceMaxRetries: int(props, 'rebalance.max.retries', 4, 1),
    rebalanceBackoffMs: int(props, 'rebalance.backoff.ms', int(props, 'zookeeper.sync.time.ms', 2000), 0),
    offsetsStorage: storage,
    dualCommitEnabled: bool(props, 'dual.commit.enabled', true),
    fetchWaitMaxMs: int(props, 'fetch.wait.max.ms', 100, 0),
  };
}

/** Kafka 0.8's consumerIdString: "<group>_<consumer.id>" or "<group>_<host>-<ms>-<8 hex of a uuid>". */
export function consumerIdString(config: ZkConsumerConfig, now = Date.now()): string {
  const uuid = config.consumerId ?? `${hostname()}-${now}-${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  return `${config.groupId}_${uuid}`;
}
