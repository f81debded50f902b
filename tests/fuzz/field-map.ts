// Where the fields of a captured request frame are, so mutations hit real field boundaries
// (an int32 count, a string length, a record varint) instead of only random bytes. The frame is
// decoded once with Zafka's own schema codec through a Reader that notes the offset and width of
// every primitive it reads; v2 record batches inside a Produce body are mapped by hand (batch
// header fields, then each record's varints), and their spans are kept so a mutation can
// recompute the batch CRC and get past the CRC check into record validation.
import { isFlexible } from '../../broker/protocol/api-definition';
import { decodeRequestHeader } from '../../broker/protocol/header';
import { apiByKey } from '../../broker/protocol/messages/index';
import { Reader } from '../../broker/protocol/primitives';
import * as H from '../../broker/protocol/records/batch-header';
import { decodeStruct } from '../../broker/protocol/schema-codec';

export type FieldKind = 'int8' | 'int16' | 'int32' | 'int64' | 'varint';

export interface Field {
  /** Offset in the frame (size prefix excluded). */
  offset: number;
  /** Bytes the field takes (a varint: its encoded length). */
  width: number;
  kind: FieldKind;
  /** A length or count (string, bytes, array, record count, batch length). */
  isLength: boolean;
}

/** A v2 record batch inside the frame: [start, end) including its 12-byte log overhead. */
export interface BatchSpan {
  start: number;
  end: number;
}

export interface FieldMap {
  fields: Field[];
  batches: BatchSpan[];
}

class TracingReader extends Reader {
  readonly fields: Field[] = [];
  readonly blobs: Array<{ start: number; end: number }> = [];
  private lengthDepth = 0;

  private note(kind: FieldKind, width: number, offset = this.pos): void {
    this.fields.push({ offset, width, kind, isLength: this.lengthDepth > 0 });
  }

  override int8(): number { this.note('int8', 1); return super.int8(); }
  override int16(): number { this.note('int16', 2); return super.int16(); }
  override int32(): number { this.note('int32', 4); return super.int32(); }
  override int64(): number { this.note('int64', 8); return super.int64(); }
  override unsignedVarint(): number {
    const start = this.pos;
    const v = super.unsignedVarint();
    this.note('varint', this.pos - start, start);
    return v;
  }

  private asLength<T>(read: () => T): T {
    this.lengthDepth++;
    try {
      return read();
    } finally {
      this.lengthDepth--;
    }
  }

  override nullableString(): string | null {
    return this.asLength(() => super.nullableString());
  }
  override nullableBytes(): Buffer | null {
    const b = this.asLength(() => super.nullableBytes());
    if (b !== null) this.blobs.push({ start: this.pos - b.length, end: this.pos });
    return b;
  }
  override compactNullableString(): string | null {
    return this.asLength(() => super.compactNullableString());
  }
  override compactNullableBytes(): Buffer | null {
    const b = this.asLength(() => super.compactNullableBytes());
    if (b !== null) this.blobs.push({ start: this.pos - b.length, end: this.pos });
    return b;
  }
  override arrayLength(): number | null {
    return this.asLength(() => super.arrayLength());
  }
  override compactArrayLength(): number | null {
    return this.asLength(() => super.compactArrayLength());
  }
}

/** The fields of every v2 batch found in blob (a records field), and the batch spans. */
function mapBatches(frame: Buffer, start: number, end: number, out: FieldMap): void {
  let pos = start;
  while (pos + H.BATCH_HEADER_SIZE <= end && frame.readInt8(pos + H.MAGIC) === 2) {
    const batchEnd = pos + H.LOG_OVERHEAD + frame.readInt32BE(pos + H.BATCH_LENGTH);
    if (batchEnd > end || batchEnd < pos + H.BATCH_HEADER_SIZE) break;
    const f = (offset: number, kind: FieldKind, width: number, isLength = false) => out.fields.push({ offset: pos + offset, width, kind, isLength });
    f(H.BASE_OFFSET, 'int64', 8);
    f(H.BATCH_LENGTH, 'int32', 4, true);
    f(H.PARTITION_LEADER_EPOCH, 'int32', 4);
    f(H.MAGIC, 'int8', 1);
    f(H.CRC, 'int32', 4);
    f(H.ATTRIBUTES, 'int16', 2);
    f(H.LAST_OFFSET_DELTA, 'int32', 4);
    f(H.BASE_TIMESTAMP, 'int64', 8);
    f(H.MAX_TIMESTAMP, 'int64', 8);
    f(H.PRODUCER_ID, 'int64', 8);
    f(H.PRODUCER_EPOCH, 'int16', 2);
    f(H.BASE_SEQUENCE, 'int32', 4);
    f(H.RECORD_COUNT, 'int32', 4, true);
    out.batches.push({ start: pos, end: batchEnd });
    if ((frame.readInt16BE(pos + H.ATTRIBUTES) & H.COMPRESSION_CODEC_MASK) === 0) mapRecords(frame, pos + H.RECORDS, batchEnd, out);
    pos = batchEnd;
  }
}

/** Record fields of an uncompressed batch: length, attributes, deltas, key/value lengths, headers. */
function mapRecords(frame: Buffer, pos: number, end: number, out: FieldMap): void {
  const varint = (isLength: boolean): number => {
    const start = pos;
    let v = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 63) throw new Error('end');
      const b = frame[pos++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    out.fields.push({ offset: start, width: pos - start, kind: 'varint', isLength });
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  };
  try {
    while (pos < end) {
      const length = varint(true);
      const recordEnd = pos + length;
      out.fields.push({ offset: pos, width: 1, kind: 'int8', isLength: false });
      pos += 1;
      varint(false); // timestampDelta
      varint(false); // offsetDelta
      const keyLen = varint(true);
      pos += Math.max(keyLen, 0);
      const valueLen = varint(true);
      pos += Math.max(valueLen, 0);
      const headers = varint(true);
      for (let i = 0; i < headers; i++) {
        pos += Math.max(varint(true), 0);
        pos += Math.max(varint(true), 0);
      }
      pos = recordEnd;
    }
  } catch {
    // A record that does not parse simply ends the map: the fields found so far are kept.
  }
}

/** Maps a request frame (size prefix excluded) that Zafka's codec can decode. */
export function mapRequestFields(frame: Buffer): FieldMap {
  const out: FieldMap = { fields: [], batches: [] };
  const header = decodeRequestHeader(frame);
  out.fields.push({ offset: 0, width: 2, kind: 'int16', isLength: false });
  out.fields.push({ offset: 2, width: 2, kind: 'int16', isLength: false });
  if (header.bodyOffset >= 10) out.fields.push({ offset: 8, width: 2, kind: 'int16', isLength: true });
  const api = apiByKey(header.apiKey);
  if (api === undefined) return out;
  const r = new TracingReader(frame, header.bodyOffset);
  decodeStruct(api.request, r, header.apiVersion, isFlexible(api, header.apiVersion));
  out.fields.push(...r.fields);
  for (const blob of r.blobs) mapBatches(frame, blob.start, blob.end, out);
  out.fields.sort((a, b) => a.offset - b.offset);
  return out;
}
