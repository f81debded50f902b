// Kafka's checkpoint files: a version line, a count line, then one entry per line. Used for
// recovery-point-offset-checkpoint, replication-offset-checkpoint and log-start-offset-checkpoint
// ("topic partition offset") and for each partition's leader-epoch-checkpoint ("epoch offset").
// Written atomically like Kafka (atomic-file.ts: <file>.tmp, fsync, rename, fsync the directory).
import * as fs from 'fs';
import { writeFileAtomically } from './atomic-file';

export const CHECKPOINT_VERSION = 0;

export interface CheckpointFormat<T> {
  toLine(entry: T): string;
  /** The entry a line holds, or null for a malformed line. */
  fromLine(line: string): T | null;
}

export class CheckpointFile<T> {
  constructor(
    readonly file: string,
    private readonly format: CheckpointFormat<T>,
    readonly version = CHECKPOINT_VERSION,
  ) {}

  write(entries: readonly T[]): void {
    const lines = [String(this.version), String(entries.length)];
    for (const e of entries) lines.push(this.format.toLine(e));
    writeFileAtomically(this.file, lines.join('\n') + '\n');
  }

  /** The entries, [] when the file does not exist; throws on a malformed file (as Kafka does). */
  read(): T[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const malformed = (what: string) => new Error(`Malformed line in checkpoint file ${this.file}: ${what}`);
    if (lines.length < 2) throw malformed('missing version or count');
    if (Number(lines[0].trim()) !== this.version || lines[0].trim() === '') throw malformed(`unrecognized version ${lines[0]}`);
    const count = Number(lines[1].trim());
    if (!Number.isInteger(count) || count < 0) throw malformed(`bad count ${lines[1]}`);
    if (lines.length - 2 !== count) throw malformed(`expected ${count} entries but found ${lines.length - 2}`);
    const entries: T[] = [];
    for (let i = 2; i < lines.length; i++) {
      const entry = this.format.fromLine(lines[i]);
      if (entry === null) throw malformed(`'${lines[i]}'`);
      entries.push(entry);
    }
    return entries;
  }
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

function isInt(s: string): boolean {
  return /^-?\d+$/.test(s);
}

/** "topic partition offset" lines (topic names never contain spaces). */
export const OFFSET_CHECKPOINT_FORMAT: CheckpointFormat<TopicPartitionOffset> = {
  toLine: (e) => `${e.topic} ${e.partition} ${e.offset}`,
  fromLine: (line) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3 || !isInt(parts[1]) || !isInt(parts[2])) return null;
    return { topic: parts[0], partition: Number(parts[1]), offset: Number(parts[2]) };
  },
};

/** recovery-point-offset-checkpoint, replication-offset-checkpoint, log-start-offset-checkpoint. */
export class OffsetCheckpointFile extends CheckpointFile<TopicPartitionOffset> {
  constructor(file: string) {
    super(file, OFFSET_CHECKPOINT_FORMAT);
  }

  /** The entries keyed by "<topic>-<partition>" (the partition's directory name). */
  readMap(): Map<string, number> {
    const map = new Map<string, number>();
    for (const e of this.read()) map.set(`${e.topic}-${e.partition}`, e.offset);
    return map;
  }
}
