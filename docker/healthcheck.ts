// The image's HEALTHCHECK: asks the broker in this container for ApiVersions on its first listener
// (a wildcard host is asked on 127.0.0.1) and exits 0 when it answers without error, 1 otherwise.
// The port is open before the broker serves requests; ApiVersions answering means the socket
// server and handlers are up.
//   node dist/docker/healthcheck.js [server.properties]   (default: $ZAFKA_SERVER_PROPERTIES)
import * as fs from 'fs';
import { isWildcardHost, parseListeners, parseSecurityProtocolMap } from '../broker/config/listeners';
import { parseProperties } from '../broker/config/properties';
import { KafkaClient } from '../broker/network/kafka-client';
import { ApiVersions } from '../broker/protocol/messages/api-versions';

export const DEFAULT_SERVER_PROPERTIES = '/tmp/zafka/server.properties';

/** The host and port to probe: the first listener of the broker's server.properties. */
export function probeAddress(propertiesText: string): { host: string; port: number } {
  const props = parseProperties(propertiesText);
  const protocolMap = parseSecurityProtocolMap(props['listener.security.protocol.map'] ?? 'PLAINTEXT:PLAINTEXT');
  const [first] = parseListeners(props.listeners ?? 'PLAINTEXT://:9092', protocolMap, 'listeners');
  return { host: isWildcardHost(first.host) ? '127.0.0.1' : first.host, port: first.port };
}

async function main(): Promise<number> {
  const file = process.argv[2] ?? process.env.ZAFKA_SERVER_PROPERTIES ?? DEFAULT_SERVER_PROPERTIES;
  const { host, port } = probeAddress(fs.readFileSync(file, 'utf8'));
  const client = await KafkaClient.connect(host, port, { clientId: 'zafka-healthcheck', connectTimeoutMs: 3000, requestTimeoutMs: 3000 });
  try {
    const response = await client.send(ApiVersions, 0, {});
    if (response.errorCode !== 0) throw new Error(`ApiVersions error code ${response.errorCode}`);
    process.stdout.write(`broker at ${host}:${port} answers ApiVersions (${response.apiKeys.length} APIs)\n`);
    return 0;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stdout.write(`unhealthy: ${err.message}\n`);
      process.exit(1);
    },
  );
}
