// Kafka's transaction markers (KIP-98): a control batch (attributes: transactional + control)
// holding one record whose key is ControlRecordType (version int16 = 0, type int16: 0 ABORT,
// 1 COMMIT) and whose value is EndTransactionMarker (version int16 = 0, coordinator_epoch int32).
// Built by the partition leader on WriteTxnMarkers (MemoryRecords.withEndTransactionMarker:
// offset 0, CreateTime now, no sequence), read back whenever a log append or replay meets one.
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { decodeRecordBatch, encodeRecordBatch, NO_SEQUENCE } from './record-batch';

export enum ControlRecordType {
  ABORT = 0,
  COMMIT = 1,
}

const CONTROL_RECORD_KEY_VERSION = 0;
const END_TXN_MARKER_VALUE_VERSION = 0;

export interface EndTransactionMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

/** The one-batch record set a leader appends for a transaction's end. */
export function endTransactionMarkerBatch(producerId: number, producerEpoch: number, marker: EndTransactionMarker, timestamp = Date.now()): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(CONTROL_RECORD_KEY_VERSION, 0);
  key.writeInt16BE(marker.type, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(END_TXN_MARKER_VALUE_VERSION, 0);
  value.writeInt32BE(marker.coordinatorEpoch, 2);
  return encodeRecordBatch({
    baseOffset: 0,
    producerId,
    producerEpoch,
    baseSequence: NO_SEQUENCE,
    isTransactional: true,
    isControl: true,
    timestamp,
    records: [{ key, value }],
  });
}

function invalid(message: string): KafkaError {
  return new KafkaError(ErrorCode.INVALID_RECORD, message);
}

/**
 * The marker of the control batch at pos, or null for an empty control batch (the cleaner left
 * it once the whole transaction was cleaned away: it completes nothing, as in Kafka).
 * Throws INVALID_RECORD for a control record that is not a COMMIT or ABORT marker
 * (Kafka's ControlRecordType.parse / EndTransactionMarker.deserialize).
 */
export function readEndTransactionMarker(buf: Buffer, pos: number): EndTransactionMarker | null {
  const batch = decodeRecordBatch(buf, pos, { verifyCrc: false });
  if (batch.records.length === 0) return null;
  const { key, value } = batch.records[0];
  if (!key || key.length < 4) throw invalid('Invalid value size found for end control record key');
  if (key.readInt16BE(0) < 0) throw invalid(`Invalid version found for control record: ${key.readInt16BE(0)}`);
  const type = key.readInt16BE(2);
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) throw invalid(`Invalid control record type for end transaction marker: ${type}`);
  if (!value || value.length < 6) throw invalid('Invalid value size found for end transaction marker');
  if (value.readInt16BE(0) < 0) throw invalid(`Invalid version found for end transaction marker: ${value.readInt16BE(0)}`);
  return { type, coordinatorEpoch: value.readInt32BE(2) };
}
