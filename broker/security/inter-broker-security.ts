// How this broker connects to the others (replica fetchers, the controller's channel, controlled
// shutdown): through the inter-broker listener (inter.broker.listener.name or
// security.inter.broker.protocol) with that listener's settings, as Kafka's inter-broker
// NetworkClients do. TLS trusts the listener's truststore and shows its keystore (for
// ssl.client.auth=required); SASL uses sasl.mechanism.inter.broker.protocol with the username
// and password options of that mechanism's JAAS entry on the listener.
import type { KafkaConfig } from '../config/kafka-config';
import { ConfigError } from '../config/config-error';
import type { ClientSecurity } from '../network/kafka-client';
import { enabledMechanisms, listenerLookup, serverJaasEntry, SUPPORTED_SASL_MECHANISMS } from './listener-settings';
import { clientTlsOptions } from './tls-settings';

export function interBrokerClientSecurity(config: KafkaConfig): ClientSecurity {
  const listenerName = config.interBrokerListenerName;
  const protocol = config.listenerSecurityProtocolMap[listenerName] ?? 'PLAINTEXT';
  const get = listenerLookup(config.originals, listenerName);
  const security: { tls?: ClientSecurity['tls']; sasl?: ClientSecurity['sasl'] } = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') security.tls = clientTlsOptions(get);
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (config.originals['sasl.mechanism.inter.broker.protocol'] ?? 'GSSAPI').toUpperCase();
    if (!SUPPORTED_SASL_MECHANISMS.includes(mechanism)) {
      throw new ConfigError(`sasl.mechanism.inter.broker.protocol=${mechanism} is not supported by Zafka (supported: ${SUPPORTED_SASL_MECHANISMS.join(', ')})`);
    }
    if (!enabledMechanisms(listenerName, get).includes(mechanism)) {
      throw new ConfigError(`sasl.mechanism.inter.broker.protocol ${mechanism} must be included in sasl.enabled.mechanisms when SASL is used for inter-broker communication`);
    }
    const entry = serverJaasEntry(config.originals, listenerName, mechanism);
    const username = entry?.options.username;
    const password = entry?.options.password;
    if (username === undefined || password === undefined) {
      throw new ConfigError(
        `Inter-broker listener ${listenerName} uses SASL ${mechanism}: its JAAS entry (listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config or the KafkaServer section) needs username and password`,
      );
    }
    security.sasl = { mechanism, username, password };
  }
  return security;
}
