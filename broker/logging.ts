// Logging in Kafka's spirit: "[2026-11-22 02:27:35,123] INFO [Controller id=0] message (name)".
// Files like Kafka's log4j setup when a log directory is configured (daemon mode):
// server.log (everything), controller.log and state-change.log (their own loggers only), and
// kafka-authorizer.log, which (log4j.additivity.kafka.authorizer.logger=false) is not in server.log.
// Without a log directory (foreground) everything goes to the console.
import * as path from 'path';
import * as winston from 'winston';

export type LogFile = 'server' | 'controller' | 'state-change' | 'kafka-authorizer';

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

function timestamp(): string {
  const d = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

const kafkaFormat = winston.format.printf(
  (info) => `[${timestamp()}] ${String(info.level).toUpperCase()} ${info.message} (${info.loggerName})`,
);

let logDir: string | undefined = process.env.LOG_DIR || undefined;
let level = process.env.ZAFKA_LOG_LEVEL || 'info';
const loggers = new Map<LogFile, winston.Logger>();

function build(file: LogFile): winston.Logger {
  const transports: winston.transport[] = [];
  if (logDir) {
    if (file !== 'kafka-authorizer') transports.push(new winston.transports.File({ filename: path.join(logDir, 'server.log') }));
    if (file !== 'server') {
      transports.push(new winston.transports.File({ filename: path.join(logDir, `${file}.log`) }));
    }
  } else {
    // stderr keeps stdout free for tools (console consumer output, kafka-topics --list).
    transports.push(new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] }));
  }
  return winston.createLogger({ level, format: kafkaFormat, transports });
}

/** Send logs to files under dir (daemon mode) instead of the console. Call before first use. */
export function configureLogging(options: { dir?: string; level?: string }): void {
  if (options.dir !== undefined) logDir = options.dir;
  if (options.level !== undefined) level = options.level;
  for (const l of loggers.values()) l.close();
  loggers.clear();
}

/**
 * A named logger. `name` is what Kafka prints in parentheses (e.g. kafka.controller.KafkaController),
 * `prefix` the bracketed context (e.g. "[Controller id=0] "), `file` picks the log file.
 */
export function getLogger(name: string, prefix = '', file: LogFile = 'server'): Logger {
  const sink = () => {
    let l = loggers.get(file);
    if (!l) {
      l = build(file);
      loggers.set(file, l);
    }
    return l;
  };
  const log = (lvl: string) => (message: string) => sink().log({ level: lvl, message: prefix + message, loggerName: name });
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

/** Flush file transports before the process exits. */
export async function closeLogging(): Promise<void> {
  const all = [...loggers.values()];
  loggers.clear();
  await Promise.all(
    all.map((l) => new Promise<void>((resolve) => { l.on('finish', () => resolve()); l.end(); setTimeout(resolve, 500); })),
  );
}
