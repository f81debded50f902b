// How every tool starts and ends: commander configured to print "message + usage" on bad
// arguments and exit 1, a fail() for the tool's own validation, and exit codes that wait for
// stdout/stderr to drain (a piped `kafka-console-consumer | head` must not lose the tail).
import { Command, CommanderError } from 'commander';
import { configureLogging } from '../../broker/logging';
import { UsageError } from './usage-error';

let currentProgram: Command | null = null;

/** Commander defaults for Kafka-style tools (long options only, no positional arguments). */
export function newProgram(name: string, description: string): Command {
  const program = new Command(name)
    .description(description)
    .allowExcessArguments(false)
    .showHelpAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  currentProgram = program;
  return program;
}

/** Prints message and the usage to stderr and exits 1. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  if (currentProgram) process.stderr.write(currentProgram.helpInformation());
  return exitAfterFlush(1);
}

/** Prints an operation's error (no usage: the command line was fine) and exits 1. */
export function die(message: string): never {
  process.stderr.write(`${message}\n`);
  return exitAfterFlush(1);
}

/** Sets the exit code and exits once stdout and stderr are flushed. */
export function exitAfterFlush(code: number): never {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
  // Nothing after a call to this function may run: park the caller forever.
  throw new ExitSignal(code);
}

/** Thrown by exitAfterFlush to unwind the caller; runTool swallows it. */
export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Parses argv with program and runs main. UsageError -> message + usage, exit 1; commander's own
 * errors (unknown option, missing value) -> its message + usage, exit 1 (help/version exit 0);
 * anything else main throws -> its message, exit 1.
 */
export async function runTool(program: Command, argv: string[], main: (opts: Record<string, unknown>) => Promise<number | void>): Promise<void> {
  // Tools log at WARN like Kafka's tools-log4j.properties; stdout stays for the tool's output.
  configureLogging({ level: process.env.ZAFKA_LOG_LEVEL ?? 'warn' });
  // fail()/die() from a callback outside main's promise chain unwind through here.
  process.on('uncaughtException', (err) => {
    if (err instanceof ExitSignal) return;
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  });
  try {
    try {
      program.parse(argv, { from: 'user' });
    } catch (err) {
      if (err instanceof CommanderError) {
        // Commander already printed its message and (showHelpAfterError) the usage.
        const helpOrVersion = err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version';
        exitAfterFlush(helpOrVersion ? 0 : 1);
      }
      // Errors thrown by argument parsers arrive wrapped or bare depending on commander's path.
      if (err instanceof UsageError) fail(err.message);
      throw err;
    }
    const code = await main(program.opts());
    exitAfterFlush(code ?? 0);
  } catch (err) {
    if (err instanceof ExitSignal) return;
    if (err instanceof UsageError) {
      try {
        fail(err.message);
      } catch {
        return;
      }
    }
    try {
      die(`${(err as Error).message ?? String(err)}`);
    } catch {
      return;
    }
  }
}

/**
 * runTool for tools that, like Kafka's (CommandLineUtils.printHelpAndExitIfNeeded), answer no
 * arguments at all with their description and usage on stderr and exit 1.
 */
export function runToolOrUsage(program: Command, argv: string[], main: (opts: Record<string, unknown>) => Promise<number | void>, description = program.description()): void {
  if (argv.length === 0) {
    process.stderr.write(`${description}\n`);
    process.stderr.write(program.helpInformation());
    process.exit(1);
  }
  void runTool(program, argv, main);
}
