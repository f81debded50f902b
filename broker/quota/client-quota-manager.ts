// Byte-rate quotas of one kind (produce or fetch) per user and client id: Kafka 2.4's
// ClientQuotaManager with its DefaultQuotaCallback. Quotas are set per entity, the most specific
// entity matching a connection wins, in this order:
//   /config/users/<user>/clients/<client-id>, /config/users/<user>/clients/<default>,
//   /config/users/<user>, /config/users/<default>/clients/<client-id>,
//   /config/users/<default>/clients/<default>, /config/users/<default>,
//   /config/clients/<client-id>, /config/clients/<default>, then quota.producer/consumer.default.
// Every connection with the same (user, client-id) quota entity shares one rate sensor (so a user
// quota limits all that user's clients together). When the sensor's rate exceeds the quota, the
// throttle time is the delay that brings the rate back to the quota (Kafka's
// ClientQuotaManager.throttleTime): X = (O - T) / T * W, O the observed rate, T the quota, W the
// span of the windows.
import { getLogger } from '../logging';
import { SampledRate } from './rate';
import { sanitize } from './sanitizer';

/** Kafka's ConfigEntityName.Default: the entity name of the default quotas. */
export const DEFAULT_ENTITY = '<default>';

export type ClientQuotaType = 'PRODUCE' | 'FETCH';

export interface ClientQuotaManagerConfig {
  /** quota.producer.default / quota.consumer.default: a static client-id quota; Infinity for none. */
  readonly quotaBytesPerSecondDefault: number;
  /** quota.window.num (Kafka default 11). */
  readonly numQuotaSamples: number;
  /** quota.window.size.seconds (Kafka default 1). */
  readonly quotaWindowSizeSeconds: number;
}

/**
 * A quota entity. `user` is a sanitized user principal name, DEFAULT_ENTITY, or null (a client-id
 * only quota); `clientId` is a client id as clients send it (not sanitized), DEFAULT_ENTITY, or
 * null (a user only quota).
 */
export interface QuotaEntity {
  readonly user: string | null;
  readonly clientId: string | null;
}

/** The sensor a connection's bytes are recorded in: Kafka's quota metric tags ('' = not part of it). */
interface MetricTags {
  readonly user: string;
  readonly clientId: string;
}

interface ClientSensor {
  readonly rate: SampledRate;
  lastRecordMs: number;
}

/** Kafka purges a client's sensors after an hour without traffic (InactiveSensorExpirationTimeSeconds). */
const INACTIVE_SENSOR_EXPIRATION_MS = 3600 * 1000;
const EXPIRY_SWEEP_INTERVAL_MS = 60 * 1000;

const keyOf = (user: string | null, clientId: string | null): string => JSON.stringify([user, clientId]);

function describeEntity(e: QuotaEntity): string {
  const user = e.user === null ? '' : e.user === DEFAULT_ENTITY ? 'default user' : `user ${e.user}`;
  const client = e.clientId === null ? '' : e.clientId === DEFAULT_ENTITY ? 'default client-id' : `client-id ${e.clientId}`;
  return `${user} ${client}`.trim();
}

export class ClientQuotaManager {
  private readonly overrides = new Map<string, number>();
  private readonly sensors = new Map<string, ClientSensor>();
  private lastSweepMs = 0;
  /** Kafka records nothing until a quota of this type has been configured at least once. */
  private enabled: boolean;
  private readonly logger = getLogger('kafka.server.ClientQuotaManager');

  constructor(
    readonly quotaType: ClientQuotaType,
    private readonly config: ClientQuotaManagerConfig,
  ) {
    this.enabled = Number.isFinite(config.quotaBytesPerSecondDefault);
  }

  get quotasEnabled(): boolean {
    return this.enabled;
  }

  /** Sets (bytes per second) or, with null, removes the quota of one entity. */
  updateQuota(entity: QuotaEntity, bound: number | null): void {
    if (entity.user === null && entity.clientId === null) throw new Error('A quota entity needs a user or a client id');
    this.enabled = true;
    const key = keyOf(entity.user, entity.clientId);
    if (bound === null) {
      if (this.overrides.delete(key)) this.logger.info(`Removing ${this.quotaType} quota for ${describeEntity(entity)}`);
    } else if (this.overrides.get(key) !== bound) {
      this.overrides.set(key, bound);
      this.logger.info(`Changing ${this.quotaType} quota for ${describeEntity(entity)} to ${bound.toFixed(1)}`);
    }
  }

  /** The quota (bytes/s) that applies to a connection, or null when it is unlimited. */
  quota(userPrincipal: string, clientId: string): number | null {
    return this.quotaLimit(this.metricTags(sanitize(userPrincipal), clientId));
  }

  /**
   * Records `bytes` for the connection's sensor at `nowMs` and returns how long (ms) the client
   * must be throttled, 0 when within its quota (Kafka's maybeRecordAndGetThrottleTimeMs).
   */
  recordAndGetThrottleTimeMs(userPrincipal: string, clientId: string, bytes: number, nowMs: number): number {
    if (!this.enabled) return 0;
    const tags = this.metricTags(sanitize(userPrincipal), clientId);
    const sensor = this.sensorFor(tags, nowMs);
    sensor.rate.record(bytes, nowMs);
    const bound = this.quotaLimit(tags);
    if (bound === null) return 0;
    const observed = sensor.rate.measure(nowMs);
    if (observed <= bound) return 0;
    const throttleMs = Math.round(((observed - bound) / bound) * sensor.rate.windowSize(nowMs));
    return Math.min(throttleMs, 2147483647);
  }

  /**
   * Takes back bytes recorded for a fetch that is answered empty because it is throttled
   * (Kafka's unrecordQuotaSensor): the client did not get them.
   */
  unrecord(userPrincipal: string, clientId: string, bytes: number, nowMs: number): void {
    if (!this.enabled) return;
    const tags = this.metricTags(sanitize(userPrincipal), clientId);
    this.sensorFor(tags, nowMs).rate.record(-bytes, nowMs);
  }

  /**
   * Which sensor a connection belongs to: the level of the most specific configured entity
   * (Kafka's DefaultQuotaCallback.quotaMetricTags). Kafka special-cases brokers where only one
   * level is configured to save lookups; the resulting sensors and limits are the same.
   */
  private metricTags(user: string, clientId: string): MetricTags {
    const has = (u: string | null, c: string | null) => this.overrides.has(keyOf(u, c));
    if (has(user, clientId) || has(user, DEFAULT_ENTITY)) return { user, clientId };
    if (has(user, null)) return { user, clientId: '' };
    if (has(DEFAULT_ENTITY, clientId) || has(DEFAULT_ENTITY, DEFAULT_ENTITY)) return { user, clientId };
    if (has(DEFAULT_ENTITY, null)) return { user, clientId: '' };
    return { user: '', clientId };
  }

  /** The quota of a sensor (Kafka's DefaultQuotaCallback.quotaLimit); null = unlimited. */
  private quotaLimit(tags: MetricTags): number | null {
    const get = (u: string | null, c: string | null) => this.overrides.get(keyOf(u, c));
    const { user, clientId } = tags;
    let quota: number | undefined;
    if (user !== '' && clientId !== '') {
      quota = get(user, clientId) ?? get(user, DEFAULT_ENTITY) ?? get(DEFAULT_ENTITY, clientId) ?? get(DEFAULT_ENTITY, DEFAULT_ENTITY);
    } else if (user !== '') {
      quota = get(user, null) ?? get(DEFAULT_ENTITY, null);
    } else if (clientId !== '') {
      quota = get(null, clientId) ?? get(null, DEFAULT_ENTITY) ?? this.config.quotaBytesPerSecondDefault;
    }
    return quota === undefined || !Number.isFinite(quota) ? null : quota;
  }

  private sensorFor(tags: MetricTags, nowMs: number): ClientSensor {
    this.expireInactiveSensors(nowMs);
    const key = keyOf(tags.user, tags.clientId);
    let sensor = this.sensors.get(key);
    if (!sensor) {
      sensor = { rate: new SampledRate(this.config.numQuotaSamples, this.config.quotaWindowSizeSeconds * 1000), lastRecordMs: nowMs };
      this.sensors.set(key, sensor);
    }
    sensor.lastRecordMs = nowMs;
    return sensor;
  }

  private expireInactiveSensors(nowMs: number): void {
    if (nowMs - this.lastSweepMs < EXPIRY_SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = nowMs;
    for (const [key, sensor] of this.sensors) {
      if (nowMs - sensor.lastRecordMs > INACTIVE_SENSOR_EXPIRATION_MS) this.sensors.delete(key);
    }
  }

  /** Live sensors (for tests). */
  get sensorCount(): number {
    return this.sensors.size;
  }
}
