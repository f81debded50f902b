// The producer-state start-up figure of bench:transactions: a partition whose log holds one
// idempotent batch for each of N distinct producer ids, crafted straight into the segment while
// the broker is down (the same bytes N producers' first Produce would leave), then the time from
// starting the broker until it serves that partition's end offset.
import * as fs from 'fs';
import * as path from 'path';
import { KafkaClient } from '../../../broker/network/kafka-client';
import { ListOffsets } from '../../../broker/protocol/messages/list-offsets';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';

export const FIRST_PRODUCER_ID = 5_000_000;

/**
 * Replaces the partition's (empty) log with `producerIds` one-record batches, producer ids
 * FIRST_PRODUCER_ID.., epoch 0, sequence 0, at offsets 0..N-1 in leader epoch 0. Indexes and
 * producer snapshots go, and so does the clean-shutdown marker: both brokers then recover the
 * segment and rebuild the producer state by replaying it, as after a kill -9 with no snapshot.
 */
export function writeProducerIdLog(logDir: string, topic: string, producerIds: number): void {
  const dir = path.join(logDir, `${topic}-0`);
  for (const f of fs.readdirSync(dir)) {
    if (/\.(log|index|timeindex|snapshot|txnindex)$/.test(f)) fs.rmSync(path.join(dir, f));
  }
  const fd = fs.openSync(path.join(dir, '00000000000000000000.log'), 'w');
  try {
    const timestamp = Date.now();
    const value = Buffer.from('x');
    const chunk: Buffer[] = [];
    for (let i = 0; i < producerIds; i++) {
      chunk.push(encodeRecordBatch({ baseOffset: i, partitionLeaderEpoch: 0, timestamp, producerId: FIRST_PRODUCER_ID + i, producerEpoch: 0, baseSequence: 0, records: [{ value }] }));
      if (chunk.length === 10_000 || i === producerIds - 1) {
        fs.writeSync(fd, Buffer.concat(chunk));
        chunk.length = 0;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(path.join(logDir, '.kafka_cleanshutdown'), { force: true });
}

/** Polls ListOffsets (latest) until the partition answers endOffset; ms since t0 (performance.now()). */
export async function msUntilServing(bootstrap: string, topic: string, endOffset: number, t0: number, timeoutMs = 600_000): Promise<number> {
  const [host, port] = bootstrap.split(',')[0].split(':');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let client: KafkaClient | undefined;
    try {
      client = await KafkaClient.connect(host, Number(port), { clientId: 'bench-transactions' });
      const r = await client.send(ListOffsets, 1, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1 }] }] });
      const p = r.topics[0]?.partitions[0];
      if (p && p.errorCode === 0 && p.offset === endOffset) return performance.now() - t0;
    } catch {
      // not listening yet
    } finally {
      client?.close();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${topic}-0 did not serve end offset ${endOffset} within ${timeoutMs} ms`);
}
