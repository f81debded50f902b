// Small helpers shared by the mixed Kafka 2.4 / Zafka cluster tests: metadata from whichever
// broker answers, waiting for a full ISR, forcing replicas to diverge, and comparing the bytes
// of a partition's log on two brokers (Zafka writes segments exactly as Kafka does, so two
// in-sync replicas hold the same batches byte for byte, leader epochs and CRCs included).
import * as fs from 'fs';
import * as path from 'path';
import { kcat } from '../../helpers/kcat';
import { metadataFrom, type PartitionView } from '../../helpers/metadata';
import { waitFor } from '../../helpers/wait';

/** Partition views of a topic from the first of the ports that answers Metadata. */
export async function partitionsVia(ports: number[], topic: string): Promise<PartitionView[]> {
  let lastError: unknown = new Error('no port given');
  for (const port of ports) {
    try {
      const m = await metadataFrom(port, [topic]);
      const t = m.topics.find((x) => x.name === topic);
      if (!t || t.errorCode !== 0) return [];
      return t.partitions
        .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, isr: [...p.isrNodes].sort(), replicas: p.replicaNodes }))
        .sort((a, b) => a.partition - b.partition);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function controllerVia(ports: number[]): Promise<number> {
  for (const port of ports) {
    try {
      return (await metadataFrom(port)).controllerId;
    } catch {
      /* next */
    }
  }
  return -1;
}

/** Every partition has a leader and all its replicas in the ISR, as every given port sees it. */
export async function waitForFullIsr(ports: number[], topic: string, timeoutMs = 120000): Promise<void> {
  await waitFor(`full ISR of ${topic} seen by ports ${ports.join(',')}`, async () => {
    for (const port of ports) {
      const parts = await partitionsVia([port], topic);
      if (parts.length === 0 || !parts.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)) return false;
    }
    return true;
  }, timeoutMs, 500);
}

/** acks=1 records to one partition (kcat): acknowledged by the leader alone, lost in Kafka too if it dies. */
export async function produceAcksOne(bootstrap: string, topic: string, partition: number, values: string[]): Promise<void> {
  const r = await kcat(['-P', '-b', bootstrap, '-t', topic, '-p', String(partition), '-X', 'acks=1'], { input: values.join('\n') + '\n', timeoutMs: 30000 });
  if (r.code !== 0) throw new Error(`kcat -P failed (${r.code}): ${r.stderr}`);
}

/** The concatenated segment files of one partition in one log dir. */
export function partitionLogBytes(logDir: string, topic: string, partition: number): Buffer {
  const dir = path.join(logDir, `${topic}-${partition}`);
  if (!fs.existsSync(dir)) return Buffer.alloc(0);
  const segments = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  return Buffer.concat(segments.map((f) => fs.readFileSync(path.join(dir, f))));
}

/** Waits until both replicas hold identical bytes for the partition (followers may trail briefly). */
export async function waitForIdenticalReplicas(logDirA: string, logDirB: string, topic: string, partition: number, timeoutMs = 60000): Promise<number> {
  let last = '';
  try {
    return await waitFor(`identical replicas of ${topic}-${partition}`, () => {
      const a = partitionLogBytes(logDirA, topic, partition);
      const b = partitionLogBytes(logDirB, topic, partition);
      last = `${a.length} vs ${b.length} bytes`;
      return a.length > 0 && a.equals(b) ? a.length : 0;
    }, timeoutMs, 500);
  } catch (err) {
    throw new Error(`${(err as Error).message} (${last})`);
  }
}
