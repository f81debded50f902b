import { parseKafkaConfig } from '../../../broker/config/kafka-config';
import { ConfigError } from '../../../broker/config/config-error';
import { parsePrometheusListener } from '../../../broker/metrics/prometheus-listener';

describe('metrics.prometheus.listener', () => {
  it('parses http://host:port, port 0 and IPv6 hosts', () => {
    expect(parsePrometheusListener('http://127.0.0.1:9404')).toEqual({ host: '127.0.0.1', port: 9404 });
    expect(parsePrometheusListener('http://0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parsePrometheusListener('http://[::1]:9404/')).toEqual({ host: '::1', port: 9404 });
  });

  it.each([
    ['127.0.0.1:9404', 'expected http://host:port'],
    ['https://127.0.0.1:9404', 'only http is supported, not https'],
    ['http://127.0.0.1:9404/metrics', 'expected http://host:port with no path, query or credentials'],
    ['http://127.0.0.1', 'a port is required'],
  ])('rejects %s: %s', (value, why) => {
    expect(parsePrometheusListener(value)).toBe(why);
  });

  it('is off unless configured, and a bad value is a config error naming the key', () => {
    const base = { 'broker.id': '0', 'zookeeper.connect': 'localhost:2181' };
    expect(parseKafkaConfig(base).config.metricsPrometheusListener).toBeNull();
    expect(parseKafkaConfig({ ...base, 'metrics.prometheus.listener': 'http://127.0.0.1:9404' }).config.metricsPrometheusListener).toBe('http://127.0.0.1:9404');
    expect(() => parseKafkaConfig({ ...base, 'metrics.prometheus.listener': 'https://x:1' })).toThrow(ConfigError);
    expect(() => parseKafkaConfig({ ...base, 'metrics.prometheus.listener': 'https://x:1' })).toThrow(/metrics\.prometheus\.listener/);
  });
});
