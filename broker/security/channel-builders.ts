// Builds each listener's ChannelBuilder from the broker config (Kafka's ChannelBuilders):
// PLAINTEXT as is; SSL with a TLS layer and the certificate's DN as principal; SASL_PLAINTEXT and
// SASL_SSL with a SaslServerAuthenticator over the listener's enabled mechanisms. A listener whose
// settings cannot work (no keystore, GSSAPI, PLAIN without a JAAS entry) fails start-up with a
// ConfigError naming the key, rather than refusing every client later.
import type { KafkaConfig } from '../config/kafka-config';
import { ConfigError } from '../config/config-error';
import type { EndPoint } from '../config/listeners';
import { PLAINTEXT_CHANNEL, type ChannelBuilder } from '../network/channel-builder';
import type { RequestHandler } from '../network/request-handler';
import { enabledMechanisms, listenerLookup, serverJaasEntry } from './listener-settings';
import { PlainSaslServer } from './plain-sasl-server';
import { SaslServerAuthenticator, type SaslServerFactory } from './sasl-server-authenticator';
import type { ScramCredentialCache } from './scram-credential-cache';
import { isScramMechanism } from './scram-credential';
import { ScramSaslServer } from './scram-sasl-server';
import { sslPrincipal } from './ssl-principal';
import { serverTlsSettings } from './tls-settings';

function saslFactory(config: KafkaConfig, listenerName: string, credentials: ScramCredentialCache): SaslServerFactory {
  const mechanisms = enabledMechanisms(listenerName, listenerLookup(config.originals, listenerName));
  let plainUsers: Readonly<Record<string, string>> = {};
  if (mechanisms.includes('PLAIN')) {
    const entry = serverJaasEntry(config.originals, listenerName, 'PLAIN');
    if (entry === null) {
      throw new ConfigError(
        `Listener ${listenerName} enables PLAIN but has no JAAS entry: set listener.name.${listenerName.toLowerCase()}.plain.sasl.jaas.config ` +
          `or give a JAAS file with a KafkaServer section in KAFKA_OPTS (-Djava.security.auth.login.config=...)`,
      );
    }
    plainUsers = entry.options;
  }
  return {
    enabledMechanisms: mechanisms,
    create: (mechanism) => {
      if (mechanism === 'PLAIN') {
        return new PlainSaslServer((user) => (Object.prototype.hasOwnProperty.call(plainUsers, `user_${user}`) ? plainUsers[`user_${user}`] : undefined));
      }
      if (isScramMechanism(mechanism)) return new ScramSaslServer(mechanism, (user, m) => credentials.get(user, m));
      throw new Error(`BUG: mechanism ${mechanism} enabled but not built`);
    },
  };
}

function channelBuilder(config: KafkaConfig, endpoint: EndPoint, credentials: ScramCredentialCache, requests: RequestHandler): ChannelBuilder {
  const { listenerName, securityProtocol } = endpoint;
  if (securityProtocol === 'PLAINTEXT') return PLAINTEXT_CHANNEL;
  const get = listenerLookup(config.originals, listenerName);
  const tls = securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL' ? serverTlsSettings(listenerName, get) : null;
  const sasl = securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL' ? saslFactory(config, listenerName, credentials) : null;
  return {
    tls,
    transportPrincipal: (socket) => {
      const fromCertificate = socket === null ? 'ANONYMOUS' : sslPrincipal(socket);
      // On SASL_SSL the certificate is checked but the SASL user is the principal.
      return sasl === null ? fromCertificate : 'ANONYMOUS';
    },
    newAuthenticator: () => (sasl === null ? null : new SaslServerAuthenticator(sasl, requests)),
  };
}

/** listener name -> its ChannelBuilder, for every configured listener. */
export function buildChannelBuilders(config: KafkaConfig, credentials: ScramCredentialCache, requests: RequestHandler): Map<string, ChannelBuilder> {
  return new Map(config.listeners.map((e) => [e.listenerName, channelBuilder(config, e, credentials, requests)]));
}
