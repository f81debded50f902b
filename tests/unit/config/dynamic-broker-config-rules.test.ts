// Kafka 2.4's dynamic broker config rules (DynamicBrokerConfig.validateConfigs, brokerConfigSynonyms).
import { ConfigError } from '../../../broker/config/config-error';
import { brokerConfigSynonyms, isDynamicBrokerConfig, validateDynamicBrokerConfigs } from '../../../broker/config/dynamic-broker-config-rules';

const refusal = (configs: Record<string, string>, perBroker: boolean): string | null => {
  try {
    validateDynamicBrokerConfigs(configs, perBroker);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
};

describe('dynamic broker config rules', () => {
  it('accepts dynamic configs at both levels, and custom names', () => {
    expect(refusal({ 'log.retention.ms': '1000', 'num.io.threads': '4', 'my.custom': 'x' }, true)).toBeNull();
    expect(refusal({ 'log.retention.ms': '1000', 'max.connections': '10' }, false)).toBeNull();
  });

  it('refuses read-only configs with Kafka\'s message', () => {
    expect(refusal({ 'broker.id': '3', 'log.dirs': '/x' }, true)).toBe('Cannot update these configs dynamically: Set(broker.id, log.dirs)');
    expect(refusal({ 'log.retention.hours': '1' }, false)).toContain('Cannot update these configs dynamically');
  });

  it('refuses per-broker configs at the cluster-wide level, unprefixed security configs, passwords and bad values', () => {
    expect(refusal({ listeners: 'PLAINTEXT://:9092' }, false)).toBe('Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)');
    expect(refusal({ listeners: 'PLAINTEXT://:9092' }, true)).toBeNull();
    expect(refusal({ 'listener.name.internal.ssl.keystore.type': 'JKS' }, false)).toContain('broker id must be specified');
    expect(refusal({ 'listener.name.internal.max.connections': '5' }, false)).toBeNull();
    expect(refusal({ 'ssl.keystore.type': 'JKS' }, true)).toContain('only per-listener using the listener prefix');
    expect(refusal({ 'listener.name.internal.ssl.key.password': 'x' }, true)).toBe('Password encoder secret not configured');
    expect(refusal({ 'log.retention.ms': 'abc' }, true)).toBe('Invalid value abc for configuration log.retention.ms: Not a number of type LONG');
  });

  it('knows which configs are dynamic and their synonyms in order of precedence', () => {
    expect(isDynamicBrokerConfig('log.retention.ms')).toBe(true);
    expect(isDynamicBrokerConfig('log.retention.hours')).toBe(false);
    expect(isDynamicBrokerConfig('broker.id')).toBe(false);
    expect(brokerConfigSynonyms('log.retention.hours')).toEqual(['log.retention.ms', 'log.retention.minutes', 'log.retention.hours']);
    expect(brokerConfigSynonyms('log.flush.interval.ms')).toEqual(['log.flush.interval.ms', 'log.flush.scheduler.interval.ms']);
    expect(brokerConfigSynonyms('listener.name.x.ssl.keystore.type')).toEqual(['listener.name.x.ssl.keystore.type', 'ssl.keystore.type']);
  });
});
