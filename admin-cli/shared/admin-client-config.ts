// --command-config of the AdminClient-based tools: a .properties file, as Kafka's Utils.loadProps
// reads it. The settings this client has a use for are applied (client.id, request.timeout.ms,
// retries, retry.backoff.ms) and so are its security settings (security.protocol, ssl.*, sasl.*:
// clientSecurityFromProperties), so the tools can reach TLS and SASL listeners as a principal.
import { readFileSync } from 'fs';
import { parseProperties } from '../../broker/config/properties';
import { clientSecurityFromProperties } from '../../broker/security/client-security-config';
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
  let security: ClusterClientOptions['security'];
  try {
    security = clientSecurityFromProperties(props);
  } catch (err) {
    throw new CommandConfigError(`${(err as Error).message} (in ${file})`);
  }
  return {
    ...defaults,
    clientId: props['client.id'] ?? defaults.clientId,
    requestTimeoutMs: intProperty(props, 'request.timeout.ms') ?? defaults.requestTimeoutMs,
    retries: intProperty(props, 'retries') ?? defaults.retries,
    retryBackoffMs: intProperty(props, 'retry.backoff.ms') ?? defaults.retryBackoffMs,
    security,
  };
}
