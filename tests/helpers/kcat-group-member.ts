// A long-running `kcat -G` (librdkafka balanced consumer) as a child process: its stdout streams
// "partition offset value" rows as they arrive, so a test can watch a group rebalance under it.
import { ChildProcess, spawn } from 'child_process';

export interface KcatRow {
  partition: number;
  offset: number;
  value: string;
}

export class KcatGroupMember {
  readonly rows: KcatRow[] = [];
  readonly values = new Set<string>();
  stderr = '';
  private partial = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** clientId tells the member apart in DescribeGroups (librdkafka's client.id). */
  constructor(bootstrap: string, group: string, topic: string, readonly clientId: string, extra: string[] = []) {
    this.child = spawn(
      'kcat',
      [
        '-b', bootstrap,
        '-G', group,
        '-u', // unbuffered output: rows reach the test as they are consumed
        '-X', `client.id=${clientId}`,
        '-X', 'session.timeout.ms=6000',
        '-X', 'auto.offset.reset=earliest',
        ...extra,
        '-f', '%p %o %s\\n',
        topic,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        if (line === '') continue;
        const [p, o, ...v] = line.split(' ');
        const value = v.join(' ');
        this.rows.push({ partition: Number(p), offset: Number(o), value });
        this.values.add(value);
      }
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => (this.stderr += d));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }
}
