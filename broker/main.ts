// Entry point: `node dist/broker/main.js server.properties [--override key=value ...]`.
// A bad configuration prints one clear error naming the key and exits 1. SIGTERM and SIGINT shut
// down in order (clean-shutdown marker written); the process exits 0 afterwards.
import { ConfigError } from './config/config-error';
import { loadKafkaConfigFile } from './config/kafka-config';
import { startEventLoopStallLog } from './event-loop-stall-log';
import { closeLogging, getLogger } from './logging';
import { KafkaServer } from './server';

const USAGE = 'USAGE: kafka-server-start.sh [-daemon] server.properties [--override property=value]*';

function parseArgs(argv: string[]): { configFile: string; overrides: string[] } {
  const [configFile, ...rest] = argv;
  if (!configFile || configFile.startsWith('-')) {
    console.error(USAGE);
    process.exit(1);
  }
  const overrides: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--override' && rest[i + 1] !== undefined) overrides.push(rest[++i]);
    else {
      console.error(`Unrecognized argument: ${rest[i]}\n${USAGE}`);
      process.exit(1);
    }
  }
  return { configFile, overrides };
}

async function main(): Promise<void> {
  const { configFile, overrides } = parseArgs(process.argv.slice(2));
  const logger = getLogger('kafka.Kafka');
  let server: KafkaServer;
  try {
    const { config, warnings } = loadKafkaConfigFile(configFile, overrides);
    for (const w of warnings) getLogger('kafka.server.KafkaConfig').warn(w);
    server = new KafkaServer(config);
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : (err as Error).stack ?? String(err);
    console.error(`[${new Date().toISOString()}] ERROR Exiting Kafka due to fatal exception: ${message} (kafka.Kafka$)`);
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}, shutting down`);
    await server.shutdown();
    await closeLogging();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // A bug in one request must not take the broker down with every other client's work.
  process.on('uncaughtException', (err) => logger.error(`Uncaught exception: ${err.stack ?? err}`));
  process.on('unhandledRejection', (err) => logger.error(`Unhandled rejection: ${(err as Error)?.stack ?? err}`));

  try {
    startEventLoopStallLog();
    await server.startup();
  } catch (err) {
    logger.error(`Fatal error during KafkaServer startup. Prepare to shutdown: ${(err as Error).message}`);
    await server.shutdown();
    await closeLogging();
    process.exit(1);
  }
}

void main();
