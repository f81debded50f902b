// The container's server.properties, built from the environment the way the common Kafka images
// (confluentinc/cp-kafka, wurstmeister/kafka, bitnami) do, so a compose file written for them
// works here: KAFKA_FOO_BAR=v -> foo.bar=v, with cp-kafka's escapes for names that contain other
// characters: "__" -> "_" and "___" -> "-" (KAFKA_LISTENER_NAME_INTERNAL_SSL___CLIENT_AUTH ...).
// Variables that configure the JVM or the image itself (KAFKA_HEAP_OPTS, KAFKA_OPTS,
// KAFKA_JMX_*, KAFKA_LOG4J_*, ...) are not broker properties and are skipped, as those images do.
//   node dist/docker/server-properties-from-env.js OUTPUT_FILE
// writes the file, or prints one line naming the missing/bad setting and exits 1.
import * as fs from 'fs';
import * as path from 'path';

/** Settings without which a broker cannot start: the container stops, naming them. */
export const REQUIRED_ENV = ['KAFKA_BROKER_ID', 'KAFKA_ZOOKEEPER_CONNECT'] as const;

/** Properties the image sets unless the environment does. */
export const IMAGE_DEFAULTS: Readonly<Record<string, string>> = {
  'log.dirs': '/var/lib/zafka/data',
  listeners: 'PLAINTEXT://0.0.0.0:9092',
};

/** KAFKA_* variables that are not server.properties keys (JVM and image settings). */
const NOT_PROPERTIES = new Set([
  'KAFKA_HEAP_OPTS', 'KAFKA_OPTS', 'KAFKA_JVM_PERFORMANCE_OPTS', 'KAFKA_GC_LOG_OPTS', 'KAFKA_LOG4J_OPTS',
  'KAFKA_DEBUG', 'KAFKA_HOME', 'KAFKA_VERSION', 'KAFKA_CREATE_TOPICS', 'KAFKA_PORT_NUMBER',
]);
const NOT_PROPERTY_PREFIXES = ['KAFKA_JMX_', 'KAFKA_LOG4J_', 'KAFKA_TOOLS_LOG4J_'];

export class EnvConfigError extends Error {}

/** KAFKA_FOO_BAR -> "foo.bar"; null when the variable is not a broker property. */
export function propertyNameFromEnv(name: string): string | null {
  if (!name.startsWith('KAFKA_') || name.length === 'KAFKA_'.length) return null;
  if (NOT_PROPERTIES.has(name) || NOT_PROPERTY_PREFIXES.some((p) => name.startsWith(p))) return null;
  return name
    .slice('KAFKA_'.length)
    .toLowerCase()
    .replace(/___/g, '\u0000')
    .replace(/__/g, '\u0001')
    .replace(/_/g, '.')
    .replace(/\u0000/g, '-')
    .replace(/\u0001/g, '_');
}

/**
 * The broker's properties from env: image defaults, then every KAFKA_* variable. Throws
 * EnvConfigError naming the variable for a missing required setting or a non-integer broker id.
 */
export function serverPropertiesFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const missing = REQUIRED_ENV.filter((name) => (env[name] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new EnvConfigError(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required: set ${missing.map((m) => `-e ${m}=...`).join(' ')} (e.g. ${missing.map(example).join(', ')})`,
    );
  }
  const brokerId = env.KAFKA_BROKER_ID!.trim();
  if (!/^\d+$/.test(brokerId)) throw new EnvConfigError(`KAFKA_BROKER_ID must be a non-negative integer, got '${brokerId}'`);

  const props: Record<string, string> = { ...IMAGE_DEFAULTS };
  for (const name of Object.keys(env).sort()) {
    const key = propertyNameFromEnv(name);
    const value = env[name];
    if (key !== null && value !== undefined) props[key] = value.trim();
  }
  return props;
}

function example(name: string): string {
  return name === 'KAFKA_BROKER_ID' ? 'KAFKA_BROKER_ID=1' : 'KAFKA_ZOOKEEPER_CONNECT=zookeeper:2181';
}

/** server.properties text; values are written as given (Zafka's parser takes the rest of the line). */
export function formatServerProperties(props: Readonly<Record<string, string>>): string {
  const lines = Object.keys(props).sort().map((k) => `${k}=${props[k].replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
  return `# Generated from the environment by docker/entrypoint.sh (KAFKA_FOO_BAR -> foo.bar)\n${lines.join('\n')}\n`;
}

function main(argv: string[]): number {
  const output = argv[0];
  if (!output) {
    process.stderr.write('USAGE: server-properties-from-env.js OUTPUT_FILE\n');
    return 1;
  }
  try {
    const text = formatServerProperties(serverPropertiesFromEnv(process.env));
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(output, text);
    return 0;
  } catch (err) {
    if (!(err instanceof EnvConfigError)) throw err;
    process.stderr.write(`zafka: cannot start the broker: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
