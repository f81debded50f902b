// A kafkajs producer (acks=all, one request in flight so per-partition order is the send order)
// that keeps sending small keyed batches until stopped, remembering every record the cluster
// acknowledged. Fault tests kill things under it and then check that every acknowledged record
// is still there, in order within its partition.
//
// A record counts as acknowledged only if its partition is in the response: kafkajs 2.2.4's
// send() can resolve without a partition whose leader moved to a broker that had already
// answered for another partition of the same send (sendMessages.js keeps responses per broker
// and never re-sends to a broker that has one) — those records were never written, and the
// promise still resolves. Each record therefore carries an explicit partition.
import type { Kafka, Producer } from 'kafkajs';
import { DEFAULT_PARTITIONER } from './kafkajs-client';

export class AckedStream {
  readonly acked: string[] = [];
  readonly errors: string[] = [];
  /** Records whose send resolved without their partition in the response (see above). */
  unanswered = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private producer: Producer;
  private seq = 0;

  constructor(
    client: Kafka,
    private readonly topic: string,
    private readonly partitions: number,
    private readonly batchSize = 10,
    /** Reconnect (and so re-read metadata) after a failed send: kafkajs does not after a timeout. */
    private readonly reconnectOnError = false,
  ) {
    this.producer = client.producer({
      createPartitioner: DEFAULT_PARTITIONER,
      metadataMaxAge: reconnectOnError ? 1000 : 300000,
      maxInFlightRequests: 1,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.loop = (async () => {
      while (!this.stopped) {
        const batch = Array.from({ length: this.batchSize }, () => {
          const n = this.seq++;
          return { key: `k${n % 12}`, value: `m-${n}`, partition: n % this.partitions };
        });
        try {
          const result = await this.producer.send({ topic: this.topic, acks: -1, timeout: 10000, messages: batch });
          const answered = new Set(result.filter((r) => r.errorCode === 0).map((r) => r.partition));
          this.acked.push(...batch.filter((m) => answered.has(m.partition)).map((m) => m.value));
          this.unanswered += batch.filter((m) => !answered.has(m.partition)).length;
        } catch (err) {
          this.errors.push((err as Error).message);
          await new Promise((r) => setTimeout(r, 200));
          if (this.reconnectOnError) {
            await this.producer.disconnect().catch(() => undefined);
            await this.producer.connect().catch(() => undefined);
          }
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.producer.disconnect().catch(() => undefined);
  }
}

/**
 * Checks kcat-style rows "partition offset value": every acknowledged value is present, no
 * offset appears twice, and within each partition the acknowledged values first appear in the
 * order they were acknowledged.
 */
export function checkAcknowledged(rows: { partition: number; offset: number; value: string }[], acked: string[]): void {
  const present = new Set(rows.map((r) => r.value));
  const missing = acked.filter((v) => !present.has(v));
  if (missing.length > 0) throw new Error(`${missing.length} acknowledged records missing, e.g. ${missing.slice(0, 5).join(', ')}`);
  const ackIndex = new Map(acked.map((v, i) => [v, i]));
  const byPartition = new Map<number, { offset: number; value: string }[]>();
  for (const r of rows) {
    // push, not spread: copying the list per row was quadratic (minutes for 80k rows).
    const list = byPartition.get(r.partition);
    if (list) list.push(r);
    else byPartition.set(r.partition, [r]);
  }
  for (const [partition, list] of byPartition) {
    list.sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < list.length; i++) {
      if (list[i].offset === list[i - 1].offset) throw new Error(`partition ${partition}: offset ${list[i].offset} appears twice`);
    }
    // Without an idempotent producer a batch whose acknowledgement was lost in a failover is
    // sent again and lands twice, as in Kafka; order is checked on first occurrences.
    let last = -1;
    const seen = new Set<string>();
    for (const r of list) {
      const idx = ackIndex.get(r.value);
      if (idx === undefined || seen.has(r.value)) continue;
      seen.add(r.value);
      if (idx < last) throw new Error(`partition ${partition}: ${r.value} at offset ${r.offset} is out of acknowledgement order`);
      last = idx;
    }
  }
}
