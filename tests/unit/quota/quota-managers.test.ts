// QuotaManagers: Kafka's ClientIdConfigHandler / UserConfigHandler reading of entity configs.
import { parseKafkaConfig } from '../../../broker/config/kafka-config';
import { QuotaManagers } from '../../../broker/quota/quota-managers';

function managers(extra: Record<string, string> = {}): QuotaManagers {
  return QuotaManagers.fromConfig(parseKafkaConfig({ 'broker.id': '0', 'zookeeper.connect': 'localhost:2181', 'log.dirs': '/tmp/x', ...extra }).config);
}

describe('QuotaManagers', () => {
  it('has no quotas with Kafka defaults', () => {
    const q = managers();
    expect(q.produce.quotasEnabled).toBe(false);
    expect(q.fetch.quotasEnabled).toBe(false);
    expect(q.produce.quota('ANONYMOUS', 'c')).toBeNull();
  });

  it('takes quota.producer.default and quota.consumer.default as client-id quotas', () => {
    const q = managers({ 'quota.producer.default': '1000', 'quota.consumer.default': '2000' });
    expect(q.produce.quota('ANONYMOUS', 'c')).toBe(1000);
    expect(q.fetch.quota('ANONYMOUS', 'c')).toBe(2000);
  });

  it('applies /config/clients/<sanitized client-id> with both rates, and removes what a later config lacks', () => {
    const q = managers();
    q.processClientConfig('my%20client', { producer_byte_rate: '1024', consumer_byte_rate: '2048' });
    expect(q.produce.quota('ANONYMOUS', 'my client')).toBe(1024);
    expect(q.fetch.quota('ANONYMOUS', 'my client')).toBe(2048);
    q.processClientConfig('my%20client', { consumer_byte_rate: '4096' });
    expect(q.produce.quota('ANONYMOUS', 'my client')).toBeNull();
    expect(q.fetch.quota('ANONYMOUS', 'my client')).toBe(4096);
  });

  it('applies /config/users/<user> and /config/users/<user>/clients/<client-id>', () => {
    const q = managers();
    q.processUserConfig('<default>', { producer_byte_rate: '500' });
    q.processUserConfig('ANONYMOUS/clients/<default>', { producer_byte_rate: '300' });
    q.processUserConfig('ANONYMOUS/clients/special', { producer_byte_rate: '100' });
    expect(q.produce.quota('ANONYMOUS', 'special')).toBe(100);
    expect(q.produce.quota('ANONYMOUS', 'other')).toBe(300);
    expect(q.produce.quota('alice', 'other')).toBe(500);
  });

  it('refuses a bad value or path and changes nothing', () => {
    const q = managers();
    q.processClientConfig('c', { producer_byte_rate: '1000' });
    expect(() => q.processClientConfig('c', { producer_byte_rate: '2000', consumer_byte_rate: 'fast' })).toThrow('Invalid consumer_byte_rate');
    expect(() => q.processClientConfig('c', { producer_byte_rate: '0' })).toThrow('at least 1 byte per second');
    expect(() => q.processUserConfig('u/groups/g', {})).toThrow('Invalid quota entity path');
    expect(q.produce.quota('ANONYMOUS', 'c')).toBe(1000);
  });
});
