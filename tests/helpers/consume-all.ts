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

/**
 * Reads the topic until every expected value is readable (or timeoutMs): after a leader change
 * the new leader's high watermark can trail what was acknowledged until its followers fetch from
 * it, exactly as in Kafka, and consumers only see records below it.
 */
export async function consumeUntilAll(
  bootstrap: string,
  topic: string,
  expected: readonly string[],
  timeoutMs = 20000,
): Promise<{ partition: number; offset: number; value: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await consumeAllRows(bootstrap, topic);
    const present = new Set(rows.map((r) => r.value));
    if (expected.every((v) => present.has(v)) || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 300));
  }
}
