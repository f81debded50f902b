// Runs the Zafka Console as bin/zafka-console.sh does (the built dist/), on a free port, for the
// browser tests and the benchmark; resolves once it answers /api/cluster.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from './cluster';
import { freePort } from './ports';
import { waitFor } from './wait';

export interface ConsoleProcess {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startConsoleProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ConsoleProcess> {
  const port = await freePort();
  const child = spawn(path.join(REPO_ROOT, 'bin/zafka-console.sh'), [...args, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = env.ZAFKA_CONSOLE_BASIC_AUTH ? { authorization: `Basic ${Buffer.from(env.ZAFKA_CONSOLE_BASIC_AUTH).toString('base64')}` } : {};
  await waitFor(`the console on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}: ${out}`);
    const res = await fetch(`${url}/api/cluster`, { headers });
    return res.status === 200;
  }, 60000, 200);
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10000).unref();
      }),
  };
}
