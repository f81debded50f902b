// Rebuilding a partition's producer state from its log (Kafka's Log.rebuildProducerState): load the
// latest snapshot at or below the target offset, then replay the batches after it. Used when a log
// is opened (restart, recovery after kill -9) and after every truncation (a follower diverging
// from a new leader), so the state always matches the log it describes.
import { LOG_OVERHEAD, MAGIC, baseOffsetOf, entrySize, lastOffsetOf } from '../../protocol/records/batch-header';
import type { LogSegment } from '../log-segment';
import { producerBatchAt, producerIdAt } from './producer-batch';
import type { ProducerStateManager } from './producer-state-manager';

/** Replay reads segments in chunks of this many bytes (whole batches; a larger batch is read whole). */
const REPLAY_CHUNK_BYTES = 8 * 1024 * 1024;

export interface RebuildOptions {
  logStartOffset: number;
  /** Rebuild up to this offset (exclusive): the log end offset. */
  lastOffset: number;
  /** No snapshot and a clean shutdown: a log that never had producer state (Kafka's upgrade path). */
  reloadFromCleanShutdown: boolean;
  nowMs: number;
}

export function rebuildProducerState(manager: ProducerStateManager, segments: readonly LogSegment[], options: RebuildOptions): void {
  const { logStartOffset, lastOffset } = options;
  // Snapshots at the bases of the last two segments and at the end: truncations within them then
  // need no long replay (Kafka's offsetsToSnapshot).
  const offsetsToSnapshot = new Set<number>([lastOffset]);
  if (segments.length > 0) offsetsToSnapshot.add(segments[segments.length - 1].baseOffset);
  if (segments.length > 1) offsetsToSnapshot.add(segments[segments.length - 2].baseOffset);

  if (manager.latestSnapshotOffset === undefined && options.reloadFromCleanShutdown) {
    // A cleanly shut-down log without snapshots had no producer state worth a scan (Kafka
    // writes one at close whenever it had any): record empty snapshots and skip the replay.
    for (const offset of [...offsetsToSnapshot].sort((a, b) => a - b)) {
      manager.updateMapEndOffset(offset);
      manager.takeSnapshot();
    }
    return;
  }
  const isEmptyBeforeTruncation = manager.isEmpty && manager.mapEndOffset >= lastOffset;
  manager.truncateAndReload(logStartOffset, lastOffset, options.nowMs);
  if (lastOffset > manager.mapEndOffset && !isEmptyBeforeTruncation) {
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const next = segments[i + 1];
      if (next && next.baseOffset <= manager.mapEndOffset) continue;
      if (segment.baseOffset >= lastOffset) break;
      const startOffset = Math.max(segment.baseOffset, manager.mapEndOffset, logStartOffset);
      manager.updateMapEndOffset(startOffset);
      if (offsetsToSnapshot.has(segment.baseOffset)) manager.takeSnapshot();
      replaySegment(manager, segment, startOffset, lastOffset);
    }
  }
  manager.updateMapEndOffset(lastOffset);
  manager.takeSnapshot();
}

function replaySegment(manager: ProducerStateManager, segment: LogSegment, startOffset: number, lastOffset: number): void {
  let from = startOffset;
  while (from < lastOffset) {
    const read = segment.read(from, REPLAY_CHUNK_BYTES, lastOffset, true);
    if (!read || read.records.length === 0) return;
    const records = read.records;
    let last = -1;
    for (let pos = 0; pos + LOG_OVERHEAD <= records.length; pos += entrySize(records, pos)) {
      // Legacy messages (a Kafka-written log's old segments) have no producer fields; their
      // offset field is their own (last) offset.
      if (records.readInt8(pos + MAGIC) !== 2) {
        last = baseOffsetOf(records, pos);
        continue;
      }
      last = lastOffsetOf(records, pos);
      if (producerIdAt(records, pos) >= 0) replayBatch(manager, records, pos);
    }
    manager.updateMapEndOffset(last + 1);
    from = last + 1;
  }
}

/** A control record that is no marker (only a foreign log could hold one) is skipped, not fatal. */
function replayBatch(manager: ProducerStateManager, records: Buffer, pos: number): void {
  let batch;
  try {
    batch = producerBatchAt(records, pos);
  } catch {
    return;
  }
  manager.replayBatch(batch);
}
