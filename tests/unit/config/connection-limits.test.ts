// queued.max.requests, queued.max.request.bytes, max.connections(.per.ip)(.overrides): Kafka 2.4's
// names, defaults and start-up checks (KafkaConfig.validateValues).
import { ConfigError } from '../../../broker/config/config-error';
import { parseKafkaConfig } from '../../../broker/config/kafka-config';

const parse = (extra: Record<string, string> = {}) => parseKafkaConfig({ 'broker.id': '0', 'zookeeper.connect': 'localhost:2181', ...extra }).config;

describe('connection and request-queue limits', () => {
  it("has Kafka's defaults", () => {
    const config = parse();
    expect(config.queuedMaxRequests).toBe(500);
    expect(config.queuedMaxRequestBytes).toBe(-1);
    expect(config.maxConnections).toBe(2147483647);
    expect(config.maxConnectionsPerIp).toBe(2147483647);
    expect(config.maxConnectionsPerIpOverrides.size).toBe(0);
  });

  it('parses max.connections.per.ip.overrides as host:count pairs', () => {
    const config = parse({ 'max.connections.per.ip.overrides': '127.0.0.1:5, 10.0.0.7:0,broker-host:20', 'max.connections.per.ip': '0' });
    expect([...config.maxConnectionsPerIpOverrides]).toEqual([['127.0.0.1', 5], ['10.0.0.7', 0], ['broker-host', 20]]);
    expect(config.maxConnectionsPerIp).toBe(0);
  });

  it('rejects a malformed override, max.connections.per.ip=0 without overrides, and a byte bound below socket.request.max.bytes', () => {
    expect(() => parse({ 'max.connections.per.ip.overrides': '127.0.0.1' })).toThrow(ConfigError);
    expect(() => parse({ 'max.connections.per.ip.overrides': 'host:many' })).toThrow(/max.connections.per.ip.overrides/);
    expect(() => parse({ 'max.connections.per.ip': '0' })).toThrow(/can be set to zero only if max.connections.per.ip.overrides/);
    expect(() => parse({ 'queued.max.request.bytes': '1000' })).toThrow(/queued.max.request.bytes must be larger or equal to socket.request.max.bytes/);
    expect(parse({ 'queued.max.request.bytes': '104857600' }).queuedMaxRequestBytes).toBe(104857600);
  });
});
