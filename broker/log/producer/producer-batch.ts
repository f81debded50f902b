// The producer fields of a stored v2 batch header, read in place (no record is decoded): what the
// producer state needs of every batch a leader or follower appends and of every batch replayed.
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_SEQUENCE,
  CONTROL_FLAG_MASK,
  LAST_OFFSET_DELTA,
  MAX_TIMESTAMP,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  TRANSACTIONAL_FLAG_MASK,
} from '../../protocol/records/batch-header';
import { readInt64 } from '../../protocol/primitives';
import { NO_SEQUENCE, incrementSequence } from './producer-state-entry';
import { readEndTransactionMarker, type EndTransactionMarker } from '../../protocol/records/end-transaction-marker';

export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastSequence: number;
  /** Offsets as stored (after the leader assigned them). */
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  isTransactional: boolean;
  isControl: boolean;
  /** A control batch's COMMIT/ABORT marker; null for data batches and empty (cleaned) control batches. */
  endTxnMarker: EndTransactionMarker | null;
}

/** The producer id of the v2 batch at pos (-1: none, a plain non-idempotent batch). */
export function producerIdAt(records: Buffer, pos: number): number {
  return readInt64(records, pos + PRODUCER_ID);
}

/**
 * The producer fields of the batch at pos. A control batch's one record is decoded for its marker
 * (markers are rare: one per transaction and partition); INVALID_RECORD if it is not a marker.
 */
export function producerBatchAt(records: Buffer, pos: number): ProducerBatch {
  const attributes = records.readInt16BE(pos + ATTRIBUTES);
  const isControl = (attributes & CONTROL_FLAG_MASK) !== 0;
  const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA);
  const baseSequence = records.readInt32BE(pos + BASE_SEQUENCE);
  const firstOffset = readInt64(records, pos + BASE_OFFSET);
  return {
    producerId: readInt64(records, pos + PRODUCER_ID),
    producerEpoch: records.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence,
    // DefaultRecordBatch.lastSequence: a batch without sequence has none.
    lastSequence: baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, lastOffsetDelta),
    firstOffset,
    lastOffset: firstOffset + lastOffsetDelta,
    maxTimestamp: readInt64(records, pos + MAX_TIMESTAMP),
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl,
    endTxnMarker: isControl ? readEndTransactionMarker(records, pos) : null,
  };
}
