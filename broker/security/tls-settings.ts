// A listener's Kafka ssl.* settings turned into Node TLS options, for the broker's server side and
// for its own outbound (inter-broker) connections. Each key may be given per listener as
// listener.name.<listener>.ssl.<key> (KIP-103), which wins over the plain ssl.<key>.
//  - ssl.enabled.protocols (Kafka 2.4 default TLSv1.2,TLSv1.1,TLSv1) -> the lowest and highest
//    versions Node may negotiate;
//  - ssl.cipher.suites: Java (IANA) names, translated to OpenSSL's for TLS 1.2; TLS 1.3 suites
//    keep their IANA names, OpenSSL names are taken as they are;
//  - ssl.client.auth none / requested / required;
//  - ssl.endpoint.identification.algorithm (default https): the client checks the broker's host
//    name or IP against its certificate; empty turns the check off.
import * as tls from 'tls';
import { ConfigError } from '../config/config-error';
import type { ServerTlsSettings } from '../network/channel-builder';
import { loadKeystore, loadTruststore, type KeyMaterial } from './keystores';

/** A listener's view of the config: the listener-prefixed key if present, else the plain key. */
export type SettingLookup = (key: string) => string | undefined;

const PROTOCOL_ORDER: readonly tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

// Java/IANA names of the usual suites -> OpenSSL's names.
const IANA_TO_OPENSSL: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 'DHE-RSA-AES128-GCM-SHA256',
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 'DHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 'ECDHE-RSA-AES256-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
};
const TLS13_SUITES = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']);

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function protocolRange(enabled: string | undefined): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } {
  const names = list(enabled ?? 'TLSv1.2,TLSv1.1,TLSv1');
  const known = names.map((n) => {
    const i = PROTOCOL_ORDER.indexOf(n as tls.SecureVersion);
    if (i < 0) throw new ConfigError(`Invalid value ${enabled} for configuration ssl.enabled.protocols: ${n} is not one of ${PROTOCOL_ORDER.join(', ')}`);
    return i;
  });
  if (known.length === 0) throw new ConfigError('ssl.enabled.protocols must name at least one protocol');
  return { minVersion: PROTOCOL_ORDER[Math.min(...known)], maxVersion: PROTOCOL_ORDER[Math.max(...known)] };
}

/** ssl.cipher.suites -> Node's `ciphers` string (undefined: OpenSSL's defaults, as Kafka uses the JVM's). */
export function cipherList(suites: string | undefined): string | undefined {
  const names = list(suites);
  if (names.length === 0) return undefined;
  return names
    .map((n) => {
      if (TLS13_SUITES.has(n)) return n;
      const mapped = IANA_TO_OPENSSL[n];
      if (mapped !== undefined) return mapped;
      if (n.startsWith('TLS_') || n.startsWith('SSL_')) {
        throw new ConfigError(`ssl.cipher.suites: ${n} has no known OpenSSL name; give OpenSSL's name (see openssl ciphers -stdname)`);
      }
      return n;
    })
    .join(':');
}

function keyMaterial(get: SettingLookup): KeyMaterial | null {
  const location = get('ssl.keystore.location');
  if (location === undefined || location === '') return null;
  return loadKeystore(location, get('ssl.keystore.type'), get('ssl.keystore.password'), get('ssl.key.password'));
}

function trustedCas(get: SettingLookup): string | undefined {
  const location = get('ssl.truststore.location');
  if (location === undefined || location === '') return undefined; // the system's CAs, as the JVM's cacerts
  return loadTruststore(location, get('ssl.truststore.type'), get('ssl.truststore.password'));
}

function commonOptions(get: SettingLookup): tls.SecureContextOptions {
  const protocol = get('ssl.protocol');
  if (protocol !== undefined && !['TLS', 'TLSv1.2', 'TLSv1.3', 'TLSv1.1', 'TLSv1'].includes(protocol)) {
    throw new ConfigError(`Invalid value ${protocol} for configuration ssl.protocol`);
  }
  const key = keyMaterial(get);
  return { ...protocolRange(get('ssl.enabled.protocols')), ciphers: cipherList(get('ssl.cipher.suites')), ca: trustedCas(get), ...(key ?? {}) };
}

/** The listener's server side; a keystore is required, as in Kafka. */
export function serverTlsSettings(listenerName: string, get: SettingLookup): ServerTlsSettings {
  if (!get('ssl.keystore.location')) {
    throw new ConfigError(`Listener ${listenerName} uses TLS but no ssl.keystore.location is configured (nor listener.name.${listenerName.toLowerCase()}.ssl.keystore.location)`);
  }
  const clientAuth = (get('ssl.client.auth') ?? 'none').toLowerCase();
  if (!['none', 'requested', 'required'].includes(clientAuth)) {
    throw new ConfigError(`Invalid value ${clientAuth} for configuration ssl.client.auth: String must be one of: required, requested, none`);
  }
  let secureContext: tls.SecureContext;
  try {
    secureContext = tls.createSecureContext(commonOptions(get));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Listener ${listenerName}: cannot use the configured keystore/truststore (wrong password or unreadable store?): ${(err as Error).message}`);
  }
  return { secureContext, requestCert: clientAuth !== 'none', rejectUnauthorized: clientAuth === 'required' };
}

/** Options for connecting to a TLS listener (the inter-broker client). */
export function clientTlsOptions(get: SettingLookup): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = { ...commonOptions(get), rejectUnauthorized: true };
  if ((get('ssl.endpoint.identification.algorithm') ?? 'https') === '') options.checkServerIdentity = () => undefined;
  return options;
}
