// The socket server's limits that need more than a single typed value: Kafka's
// max.connections.per.ip.overrides ("host:count,host:count", KafkaConfig.getMap) and the checks
// KafkaConfig.validateValues makes on these keys.
import { ConfigError } from './config-error';

/** Parses max.connections.per.ip.overrides into IP (or hostname, as written) -> limit. */
export function parseMaxConnectionsPerIpOverrides(value: string): Map<string, number> {
  const overrides = new Map<string, number>();
  for (const entry of value.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const colon = entry.lastIndexOf(':');
    const host = entry.slice(0, colon).trim();
    const count = Number(entry.slice(colon + 1).trim());
    if (colon <= 0 || !Number.isInteger(count) || count < 0 || !/^[A-Za-z0-9.:_-]+$/.test(host)) {
      throw new ConfigError(`Invalid value ${value} for configuration max.connections.per.ip.overrides: Map entry '${entry}' is not of the form 'host:count'`);
    }
    overrides.set(host, count);
  }
  return overrides;
}

/** KafkaConfig.validateValues' rules for queued.max.request.bytes and max.connections.per.ip. */
export function checkConnectionLimits(queuedMaxRequestBytes: number, socketRequestMaxBytes: number, maxConnectionsPerIp: number, overrides: ReadonlyMap<string, number>): void {
  if (queuedMaxRequestBytes > 0 && queuedMaxRequestBytes < socketRequestMaxBytes) {
    throw new ConfigError('requirement failed: queued.max.request.bytes must be larger or equal to socket.request.max.bytes');
  }
  if (maxConnectionsPerIp === 0 && overrides.size === 0) {
    throw new ConfigError('requirement failed: max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.');
  }
}
