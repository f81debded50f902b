// A Kafka client's security settings (what --command-config / --producer.config files and
// kafka-clients' properties carry) turned into Zafka's ClientSecurity: security.protocol,
// ssl.truststore.* / ssl.keystore.* (PKCS12 or PEM), ssl.endpoint.identification.algorithm,
// sasl.mechanism and sasl.jaas.config's username/password (PlainLoginModule or ScramLoginModule).
// For the tools (admin-cli) to connect to TLS and SASL listeners.
import { ConfigError } from '../config/config-error';
import type { ClientSecurity } from '../network/kafka-client';
import { parseJaasConfigValue } from './jaas-config';
import { SUPPORTED_SASL_MECHANISMS } from './listener-settings';
import { clientTlsOptions } from './tls-settings';

export function clientSecurityFromProperties(props: Readonly<Record<string, string>>): ClientSecurity {
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new ConfigError(`Invalid value ${protocol} for configuration security.protocol`);
  }
  const security: { tls?: ClientSecurity['tls']; sasl?: ClientSecurity['sasl'] } = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') security.tls = clientTlsOptions((key) => props[key]);
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').toUpperCase();
    if (!SUPPORTED_SASL_MECHANISMS.includes(mechanism)) {
      throw new ConfigError(`sasl.mechanism ${mechanism} is not supported (supported: ${SUPPORTED_SASL_MECHANISMS.join(', ')})`);
    }
    const jaas = props['sasl.jaas.config'];
    if (jaas === undefined) throw new ConfigError('sasl.jaas.config is needed for SASL (a PlainLoginModule or ScramLoginModule with username and password)');
    const options = parseJaasConfigValue(jaas)[0].options;
    if (options.username === undefined || options.password === undefined) throw new ConfigError('sasl.jaas.config needs username and password');
    security.sasl = { mechanism, username: options.username, password: options.password };
  }
  return security;
}
