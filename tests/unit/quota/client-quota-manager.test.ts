// ClientQuotaManager: Kafka 2.4's precedence of quota entities, shared sensors per entity, and the
// throttle time X = (O - T) / T * W.
import { ClientQuotaManager, DEFAULT_ENTITY } from '../../../broker/quota/client-quota-manager';

const config = { quotaBytesPerSecondDefault: Infinity, numQuotaSamples: 11, quotaWindowSizeSeconds: 1 };
const U = 'ANONYMOUS';

function manager(overrides: Partial<typeof config> = {}): ClientQuotaManager {
  return new ClientQuotaManager('PRODUCE', { ...config, ...overrides });
}

describe('ClientQuotaManager', () => {
  it('records nothing and never throttles until a quota is configured', () => {
    const m = manager();
    expect(m.quotasEnabled).toBe(false);
    expect(m.recordAndGetThrottleTimeMs(U, 'c', 1e12, 0)).toBe(0);
    expect(m.sensorCount).toBe(0);
  });

  it('throttles by (O - T) / T * W once the rate exceeds the quota', () => {
    const m = manager();
    m.updateQuota({ user: null, clientId: 'slow' }, 1000);
    // The window span is 10 s at first, so 10 s of quota pass unthrottled.
    expect(m.recordAndGetThrottleTimeMs(U, 'slow', 10000, 0)).toBe(0);
    // 15000 bytes over 10 s = 1500/s: (1500 - 1000) / 1000 * 10000 ms.
    expect(m.recordAndGetThrottleTimeMs(U, 'slow', 5000, 0)).toBe(5000);
    // Another client id has no quota.
    expect(m.recordAndGetThrottleTimeMs(U, 'fast', 1e9, 0)).toBe(0);
  });

  it('applies the most specific entity, in Kafka order', () => {
    const m = manager({ quotaBytesPerSecondDefault: 9 });
    expect(m.quota(U, 'c')).toBe(9); // quota.producer.default
    m.updateQuota({ user: null, clientId: DEFAULT_ENTITY }, 8);
    expect(m.quota(U, 'c')).toBe(8);
    m.updateQuota({ user: null, clientId: 'c' }, 7);
    expect(m.quota(U, 'c')).toBe(7);
    m.updateQuota({ user: DEFAULT_ENTITY, clientId: null }, 6);
    expect(m.quota(U, 'c')).toBe(6);
    m.updateQuota({ user: DEFAULT_ENTITY, clientId: DEFAULT_ENTITY }, 5);
    expect(m.quota(U, 'c')).toBe(5);
    m.updateQuota({ user: DEFAULT_ENTITY, clientId: 'c' }, 4);
    expect(m.quota(U, 'c')).toBe(4);
    m.updateQuota({ user: U, clientId: null }, 3);
    expect(m.quota(U, 'c')).toBe(3);
    m.updateQuota({ user: U, clientId: DEFAULT_ENTITY }, 2);
    expect(m.quota(U, 'c')).toBe(2);
    m.updateQuota({ user: U, clientId: 'c' }, 1);
    expect(m.quota(U, 'c')).toBe(1);
    // Removing them walks back up the list.
    m.updateQuota({ user: U, clientId: 'c' }, null);
    m.updateQuota({ user: U, clientId: DEFAULT_ENTITY }, null);
    expect(m.quota(U, 'c')).toBe(3);
    expect(m.quota('bob', 'c')).toBe(4);
    expect(m.quota('bob', 'other')).toBe(5);
  });

  it('user quota: every client id of the user shares one rate', () => {
    const m = manager();
    m.updateQuota({ user: DEFAULT_ENTITY, clientId: null }, 1000);
    expect(m.recordAndGetThrottleTimeMs(U, 'a', 10000, 0)).toBe(0);
    expect(m.recordAndGetThrottleTimeMs(U, 'b', 10000, 0)).toBe(10000);
    expect(m.recordAndGetThrottleTimeMs('other-user', 'c', 10000, 0)).toBe(0);
  });

  it('client-id quota: each client id has its own rate', () => {
    const m = manager();
    m.updateQuota({ user: null, clientId: DEFAULT_ENTITY }, 1000);
    expect(m.recordAndGetThrottleTimeMs(U, 'a', 10000, 0)).toBe(0);
    expect(m.recordAndGetThrottleTimeMs(U, 'b', 10000, 0)).toBe(0);
    expect(m.recordAndGetThrottleTimeMs(U, 'a', 10000, 0)).toBe(10000);
  });

  it('a raised quota applies to the running sensor at once', () => {
    const m = manager();
    m.updateQuota({ user: null, clientId: 'slow' }, 1000);
    expect(m.recordAndGetThrottleTimeMs(U, 'slow', 20000, 0)).toBe(10000);
    m.updateQuota({ user: null, clientId: 'slow' }, 100000);
    expect(m.recordAndGetThrottleTimeMs(U, 'slow', 1, 1)).toBe(0);
  });

  it('unrecord takes back the bytes of a throttled fetch', () => {
    const m = manager();
    m.updateQuota({ user: null, clientId: 'c' }, 1000);
    expect(m.recordAndGetThrottleTimeMs(U, 'c', 20000, 0)).toBeGreaterThan(0);
    m.unrecord(U, 'c', 20000, 0);
    expect(m.recordAndGetThrottleTimeMs(U, 'c', 10000, 0)).toBe(0);
  });

  it('keeps a throttled client at its quota over time', () => {
    // A client that sends as soon as it is allowed: 5000-byte requests, 3 windows of 1 s.
    const m = manager({ numQuotaSamples: 3 });
    m.updateQuota({ user: null, clientId: 'c' }, 10000);
    let now = 0;
    let sent = 0;
    let sentAfterWarmUp = 0;
    while (now < 30000) {
      const throttle = m.recordAndGetThrottleTimeMs(U, 'c', 5000, now);
      sent += 5000;
      if (now >= 5000) sentAfterWarmUp += 5000;
      now += Math.max(throttle, 1);
    }
    expect(sent).toBeGreaterThan(0);
    const rate = sentAfterWarmUp / 25;
    expect(rate).toBeGreaterThan(9000);
    expect(rate).toBeLessThan(11000);
  });
});
