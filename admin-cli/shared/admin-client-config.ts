// --command-config of the AdminClient-based tools: a .properties file, as Kafka's Utils.loadProps
// reads it. The settings this client has a use for are applied (client.id, request.timeout.ms,
// retries, retry.backoff.ms); a security.protocol other than PLAINTEXT is refused with a message,
// since these tools speak PLAINTEXT only and would otherwise fail with a confusing network error.
import { readFileSync } from 'fs';
import { parseProperties } from '../../broker/config/properties';
import type { ClusterClientOptions } from '../client/cluster-client';

export class CommandConfigError extends Error {}

function intProperty(props: Record<string, string>, key: string): number | undefined {
  const raw = props[key];
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 0) throw new CommandConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type INT`);
  return n;
}

/** Client options from the file (or defaults when no file), with the tool's own client.id default. */
export function adminClientOptions(file: string | undefined, defaults: ClusterClientOptions): ClusterClientOptions {
  if (file === undefined) return defaults;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandConfigError(`Cannot read --command-config file ${file}: ${(err as Error).message}`);
  }
  const props = parseProperties(text);
  const protocol = props['security.protocol']?.trim().toUpperCase();
  if (protocol !== undefined && protocol !== 'PLAINTEXT') {
    throw new CommandConfigError(`security.protocol=${props['security.protocol']} in ${file} is not supported: Zafka's tools speak PLAINTEXT only`);
  }
  return {
    ...defaults,
    clientId: props['client.id'] ?? defaults.clientId,
    requestTimeoutMs: intProperty(props, 'request.timeout.ms') ?? defaults.requestTimeoutMs,
    retries: intProperty(props, 'retries') ?? defaults.retries,
    retryBackoffMs: intProperty(props, 'retry.backoff.ms') ?? defaults.retryBackoffMs,
  };
}
