// Listener endpoints ("PLAINTEXT://127.0.0.1:9092,INTERNAL://:9093") and the listener-name ->
// security-protocol map, parsed as Kafka 2.x does (KIP-103 listener names). Zafka speaks
// every protocol; what SSL and SASL listeners need is built in broker/security/channel-builders.ts.
import { ConfigError } from './config-error';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
const SECURITY_PROTOCOLS: readonly string[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

export interface EndPoint {
  /** Upper-cased listener name, e.g. PLAINTEXT or INTERNAL. */
  readonly listenerName: string;
  readonly securityProtocol: SecurityProtocol;
  /** '' means every interface (for listeners); IPv6 addresses are kept without brackets. */
  readonly host: string;
  readonly port: number;
}

// The shape Kafka's EndPoint.createEndPoint accepts: name://host:port, host optionally [IPv6].
const ENDPOINT = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*?)\]?:(-?[0-9]+)$/;

/** "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT" -> { PLAINTEXT: 'PLAINTEXT', INTERNAL: 'PLAINTEXT' }. */
export function parseSecurityProtocolMap(value: string): Record<string, SecurityProtocol> {
  const map: Record<string, SecurityProtocol> = {};
  for (const entry of value.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const colon = entry.lastIndexOf(':');
    const name = entry.slice(0, colon).trim().toUpperCase();
    const protocol = entry.slice(colon + 1).trim().toUpperCase();
    if (colon <= 0 || !SECURITY_PROTOCOLS.includes(protocol)) {
      throw new ConfigError(
        `Invalid value ${value} for configuration listener.security.protocol.map: Map entry ${entry} is not of the form LISTENER_NAME:SECURITY_PROTOCOL with a known protocol`,
      );
    }
    map[name] = protocol as SecurityProtocol;
  }
  return map;
}

/** Parses a listeners / advertised.listeners value; `key` names the key in error messages. */
export function parseListeners(value: string, protocolMap: Record<string, SecurityProtocol>, key: string): EndPoint[] {
  const endpoints: EndPoint[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = ENDPOINT.exec(item);
    if (!m) throw new ConfigError(`Invalid value ${value} for configuration ${key}: Unable to parse ${item} to a broker endpoint`);
    const listenerName = m[1].toUpperCase();
    const port = Number(m[3]);
    if (port < 0 || port > 65535) {
      throw new ConfigError(`Invalid value ${value} for configuration ${key}: port ${port} of ${item} is out of range`);
    }
    const securityProtocol = protocolMap[listenerName];
    if (securityProtocol === undefined) {
      throw new ConfigError(`Invalid value ${value} for configuration ${key}: No security protocol defined for listener ${listenerName}`);
    }
    if (endpoints.some((e) => e.listenerName === listenerName)) {
      throw new ConfigError(`Each listener must have a different name, ${key}: ${value}`);
    }
    endpoints.push({ listenerName, securityProtocol, host: m[2], port });
  }
  if (endpoints.length === 0) throw new ConfigError(`Invalid value ${value} for configuration ${key}: no listener given`);
  return endpoints;
}

/** "PLAINTEXT://host:port" with IPv6 hosts in brackets, as written to /brokers/ids/<id>. */
export function endPointToString(e: EndPoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.listenerName}://${host}:${e.port}`;
}

/** True for the hosts that mean "every interface" when listening. */
export function isWildcardHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}
