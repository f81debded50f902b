// Reads a whole topic with kcat (librdkafka) from the given broker list: rows of partition,
// offset and value.
import { kcat } from './kcat';

export async function consumeAllRows(bootstrap: string, topic: string): Promise<{ partition: number; offset: number; value: string }[]> {
  const r = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n'], { timeoutMs: 60000 });
  if (r.code !== 0) throw new Error(`kcat -C failed (${r.code}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [p, o, v] = l.split(' ');
      return { partition: Number(p), offset: Number(o), value: v };
    });
}
