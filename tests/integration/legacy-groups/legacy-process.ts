// Long-running tool processes for the legacy-group tests (a console consumer that keeps
// consuming until signalled), with their output collected as it arrives.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/cluster';

export interface RunningTool {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startTool(tool: string, args: string[]): RunningTool {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/admin-cli', `${tool}.js`), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The printed lines ("Partition:<n>\t<value>") as [partition, value] pairs. */
export function partitionLines(stdout: string): Array<[number, string]> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('Partition:'))
    .map((l) => {
      const tab = l.indexOf('\t');
      return [Number(l.slice('Partition:'.length, tab)), l.slice(tab + 1)] as [number, string];
    });
}
