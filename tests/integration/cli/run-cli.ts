// Runs a built tool (dist/admin-cli/<tool>.js) as a child process, as bin/*.sh would.
import { spawn } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../../helpers/cluster';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(tool: string, args: string[], options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCommand(process.execPath, [path.join(REPO_ROOT, 'dist/admin-cli', `${tool}.js`), ...args], options);
}

export function runCommand(command: string, args: string[], options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Retries fn until it stops throwing (metadata propagates asynchronously). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
