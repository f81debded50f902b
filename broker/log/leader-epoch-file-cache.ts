// The partition's leader-epoch-checkpoint (KIP-101): for each leader epoch, the first offset
// written in it. Followers truncate by asking the leader for the end offset of their latest epoch
// (OffsetsForLeaderEpoch) instead of trusting the high watermark. Kept in memory, rewritten
// atomically (tmp + rename) on every change; changes are rare (one per new leader epoch).
import { CheckpointFile, type CheckpointFormat } from './checkpoint-file';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET in OffsetsForLeaderEpoch responses. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

const EPOCH_FORMAT: CheckpointFormat<EpochEntry> = {
  toLine: (e) => `${e.epoch} ${e.startOffset}`,
  fromLine: (line) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2 || !/^-?\d+$/.test(parts[0]) || !/^-?\d+$/.test(parts[1])) return null;
    return { epoch: Number(parts[0]), startOffset: Number(parts[1]) };
  },
};

export class LeaderEpochFileCache {
  private epochs: EpochEntry[];
  private readonly checkpoint: CheckpointFile<EpochEntry>;

  constructor(file: string) {
    this.checkpoint = new CheckpointFile(file, EPOCH_FORMAT);
    this.epochs = this.checkpoint.read();
  }

  get file(): string {
    return this.checkpoint.file;
  }

  entries(): readonly EpochEntry[] {
    return this.epochs;
  }

  latestEpoch(): number {
    return this.epochs.length === 0 ? UNDEFINED_EPOCH : this.epochs[this.epochs.length - 1].epoch;
  }

  earliestEntry(): EpochEntry | undefined {
    return this.epochs[0];
  }

  /**
   * Records that `epoch` starts at startOffset. Called for every appended v2 batch, so the common
   * case (same epoch as the latest) must be a compare and nothing else. A new entry drops every
   * entry that is not strictly older in both epoch and offset, as Kafka does.
   */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0) return;
    const last = this.epochs[this.epochs.length - 1];
    if (last && last.epoch === epoch && startOffset >= last.startOffset) return;
    const epochs = this.epochs.filter((e) => e.epoch < epoch && e.startOffset < startOffset);
    epochs.push({ epoch, startOffset });
    // Written before it is believed: a failed write (a full disk) leaves the cache as it was,
    // so the append that triggered it can be undone as a whole.
    this.checkpoint.write(epochs);
    this.epochs = epochs;
  }

  /**
   * Puts back entries taken from entries() before a failed append. The memory is what counts; the
   * file is rewritten if possible, and an entry it may still hold beyond the log end is dropped
   * when the log is next loaded (Log truncates the cache to its log end offset at load).
   */
  restore(entries: readonly EpochEntry[]): void {
    if (entries === this.epochs) return;
    this.epochs = [...entries];
    try {
      this.flush();
    } catch {
      // see above: harmless until the next successful write
    }
  }

  /**
   * OffsetsForLeaderEpoch: [epoch, end offset] for a requested epoch. The latest epoch ends at the
   * log end offset; an older one ends where the next larger epoch starts, reported with the largest
   * known epoch <= the requested one; an unknown larger epoch gives [-1, -1].
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    if (requestedEpoch === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (this.latestEpoch() === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const next = this.epochs.findIndex((e) => e.epoch > requestedEpoch);
    if (next < 0) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (next === 0) return { epoch: requestedEpoch, endOffset: this.epochs[0].startOffset };
    return { epoch: this.epochs[next - 1].epoch, endOffset: this.epochs[next].startOffset };
  }

  /** Drops entries starting at or after endOffset (the log was truncated to endOffset). */
  truncateFromEnd(endOffset: number): void {
    if (endOffset < 0) return;
    const kept = this.epochs.filter((e) => e.startOffset < endOffset);
    if (kept.length !== this.epochs.length) {
      this.epochs = kept;
      this.flush();
    }
  }

  /**
   * The log now starts at startOffset: entries wholly before it go, and the last of them is kept
   * with its start moved up to startOffset (its epoch still covers the new first offsets).
   */
  truncateFromStart(startOffset: number): void {
    const first = this.epochs[0];
    if (!first || startOffset <= first.startOffset) return;
    const previous = this.epochs.filter((e) => e.startOffset <= startOffset);
    const subsequent = this.epochs.filter((e) => e.startOffset > startOffset);
    const carried = previous[previous.length - 1];
    this.epochs = [{ epoch: carried.epoch, startOffset }, ...subsequent];
    this.flush();
  }

  clearAndFlush(): void {
    this.epochs = [];
    this.flush();
  }

  private flush(): void {
    this.checkpoint.write(this.epochs);
  }
}
