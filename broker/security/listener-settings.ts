// Where a listener's security settings come from: server.properties keys, each overridable per
// listener as listener.name.<listener lower-case>.<key> (KIP-103), and for SASL the JAAS entry of
// each mechanism: listener.name.<listener>.<mechanism lower-case>.sasl.jaas.config, else the
// JAAS file given to the JVM in KAFKA_OPTS (-Djava.security.auth.login.config=...), section
// "<listener>.KafkaServer" then "KafkaServer" (Kafka's JaasContext.loadServerContext).
import * as fs from 'fs';
import { ConfigError } from '../config/config-error';
import { jaasFileFromKafkaOpts, parseJaasConfigValue, parseJaasFile, type JaasLoginModule } from './jaas-config';
import type { SettingLookup } from './tls-settings';

export const SUPPORTED_SASL_MECHANISMS: readonly string[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export function listenerLookup(originals: Readonly<Record<string, string>>, listenerName: string): SettingLookup {
  const prefix = `listener.name.${listenerName.toLowerCase()}.`;
  return (key) => originals[prefix + key] ?? originals[key];
}

/** The listener's sasl.enabled.mechanisms (Kafka's default GSSAPI is refused: no Kerberos here). */
export function enabledMechanisms(listenerName: string, get: SettingLookup): string[] {
  const value = get('sasl.enabled.mechanisms') ?? 'GSSAPI';
  const mechanisms = value.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '');
  for (const m of mechanisms) {
    if (!SUPPORTED_SASL_MECHANISMS.includes(m)) {
      throw new ConfigError(
        `Listener ${listenerName}: SASL mechanism ${m} is not supported by Zafka (supported: ${SUPPORTED_SASL_MECHANISMS.join(', ')}); set sasl.enabled.mechanisms`,
      );
    }
  }
  if (mechanisms.length === 0) throw new ConfigError(`Listener ${listenerName}: sasl.enabled.mechanisms is empty`);
  return mechanisms;
}

const MODULE_OF: Readonly<Record<string, string>> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

let cachedJaasFile: { path: string; sections: Map<string, JaasLoginModule[]> } | null = null;

function jaasFileSections(): Map<string, JaasLoginModule[]> | null {
  const path = jaasFileFromKafkaOpts(process.env.KAFKA_OPTS);
  if (path === null) return null;
  if (cachedJaasFile?.path !== path) {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`Cannot read the JAAS file ${path} (java.security.auth.login.config): ${(err as Error).message}`);
    }
    try {
      cachedJaasFile = { path, sections: parseJaasFile(text) };
    } catch (err) {
      throw new ConfigError(`JAAS file ${path}: ${(err as Error).message}`);
    }
  }
  return cachedJaasFile.sections;
}

/** The login module configured for `mechanism` on the listener, or null when none is. */
export function serverJaasEntry(originals: Readonly<Record<string, string>>, listenerName: string, mechanism: string): JaasLoginModule | null {
  const key = `listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`;
  let modules: JaasLoginModule[] | undefined;
  if (originals[key] !== undefined) {
    try {
      modules = parseJaasConfigValue(originals[key]);
    } catch (err) {
      throw new ConfigError(`Invalid value for configuration ${key}: ${(err as Error).message}`);
    }
  } else {
    const sections = jaasFileSections();
    modules = sections?.get(`${listenerName.toLowerCase()}.KafkaServer`) ?? sections?.get('KafkaServer');
  }
  if (modules === undefined) return null;
  return modules.find((m) => m.className === MODULE_OF[mechanism]) ?? (modules.length === 1 ? modules[0] : null);
}
