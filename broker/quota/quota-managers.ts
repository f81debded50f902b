// The broker's client quota managers (Kafka's QuotaFactory.QuotaManagers, without the request
// and replication quotas) and Kafka's QuotaConfigHandler: how a /config/clients/<client-id>,
// /config/users/<user> or /config/users/<user>/clients/<client-id> config becomes quotas.
// Znode names are sanitized (see sanitizer.ts); a config without producer_byte_rate (or
// consumer_byte_rate) removes that entity's quota of that kind.
import type { KafkaConfig } from '../config/kafka-config';
import { ClientQuotaManager, DEFAULT_ENTITY, type ClientQuotaManagerConfig, type QuotaEntity } from './client-quota-manager';
import { desanitize } from './sanitizer';

/** Kafka's DynamicConfig.Client keys. */
export const PRODUCER_BYTE_RATE = 'producer_byte_rate';
export const CONSUMER_BYTE_RATE = 'consumer_byte_rate';

/**
 * Long.MaxValue (Kafka's "no quota") is not exact as a JS number: the broker config holds it as
 * Number.MAX_SAFE_INTEGER, and anything from there up is unlimited.
 */
const UNLIMITED_FROM = Number.MAX_SAFE_INTEGER;

export class QuotaManagers {
  constructor(
    readonly produce: ClientQuotaManager,
    readonly fetch: ClientQuotaManager,
  ) {}

  /** From quota.producer.default, quota.consumer.default, quota.window.num, quota.window.size.seconds. */
  static fromConfig(config: KafkaConfig): QuotaManagers {
    const num = (key: string): number => {
      const v = config.values.get(key);
      if (typeof v !== 'number') throw new Error(`BUG: ${key} is not a number in the broker config`);
      return v;
    };
    const managerConfig = (defaultKey: string): ClientQuotaManagerConfig => {
      const bound = num(defaultKey);
      return {
        quotaBytesPerSecondDefault: bound >= UNLIMITED_FROM ? Infinity : bound,
        numQuotaSamples: num('quota.window.num'),
        quotaWindowSizeSeconds: num('quota.window.size.seconds'),
      };
    };
    return new QuotaManagers(
      new ClientQuotaManager('PRODUCE', managerConfig('quota.producer.default')),
      new ClientQuotaManager('FETCH', managerConfig('quota.consumer.default')),
    );
  }

  /** Kafka's ClientIdConfigHandler: `sanitizedClientId` is the name under /config/clients. */
  processClientConfig(sanitizedClientId: string, config: Readonly<Record<string, string>>): void {
    this.updateQuotaConfig(null, sanitizedClientId, config);
  }

  /** Kafka's UserConfigHandler: `entityPath` is "<user>" or "<user>/clients/<client-id>" (sanitized). */
  processUserConfig(entityPath: string, config: Readonly<Record<string, string>>): void {
    const parts = entityPath.split('/');
    if ((parts.length !== 1 && parts.length !== 3) || (parts.length === 3 && parts[1] !== 'clients')) {
      throw new Error(`Invalid quota entity path: ${entityPath}`);
    }
    this.updateQuotaConfig(parts[0], parts.length === 3 ? parts[2] : null, config);
  }

  /**
   * Both rates are parsed before either is applied, so a bad value changes nothing (Kafka parses
   * producer_byte_rate and applies it before it fails on a bad consumer_byte_rate).
   */
  private updateQuotaConfig(sanitizedUser: string | null, sanitizedClientId: string | null, config: Readonly<Record<string, string>>): void {
    const entity: QuotaEntity = {
      user: sanitizedUser,
      clientId: sanitizedClientId === null || sanitizedClientId === DEFAULT_ENTITY ? sanitizedClientId : desanitize(sanitizedClientId),
    };
    const producerQuota = byteRate(config, PRODUCER_BYTE_RATE);
    const consumerQuota = byteRate(config, CONSUMER_BYTE_RATE);
    this.produce.updateQuota(entity, producerQuota);
    this.fetch.updateQuota(entity, consumerQuota);
  }
}

/**
 * A byte rate as Kafka reads it (Long.parseLong), or null when the key is absent. Below 1 is
 * refused: Kafka would divide by a zero quota when computing the throttle time.
 */
function byteRate(config: Readonly<Record<string, string>>, key: string): number | null {
  const text = config[key];
  if (text === undefined) return null;
  if (!/^[+-]?\d{1,19}$/.test(text)) throw new Error(`Invalid ${key}: ${JSON.stringify(text)} is not a long`);
  const bound = Number(text);
  if (bound < 1) throw new Error(`Invalid ${key}: ${text} (a quota must be at least 1 byte per second)`);
  return bound >= UNLIMITED_FROM ? Infinity : bound;
}
