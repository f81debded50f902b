// The record-level half of Kafka's LogValidator for a v2 batch from a producer: decompress the
// records and walk each one, as Kafka 2.4's validateMessagesAndAssignOffsetsCompressed does, so
// that a batch no consumer could read is refused instead of stored (a stored one stops every
// consumer at its offset for good). The batch itself is never re-encoded: the decompressed copy
// only serves the check, and the log keeps the producer's bytes.
//
// Error codes are the ones Kafka 2.4.0 answers for each failure (its exception -> Errors mapping):
// - the codec cannot decode the payload: the Java stream throws an IOException, which
//   DefaultRecordBatch wraps in a plain KafkaException ("Failed to decompress record stream");
//   Errors.forException maps that to UNKNOWN_SERVER_ERROR. A gzip stream that ends early is an
//   EOFException instead, read as "premature EOF": INVALID_RECORD.
// - a negative record length or an over-long length varint (ByteBuffer.allocate /
//   ByteUtils.readVarint throw IllegalArgumentException), or a header key running past its record
//   (StringIndexOutOfBoundsException): nothing catches these, so UNKNOWN_SERVER_ERROR too.
// - everything else about the records (fewer or more records than recordCount, a record whose
//   fields do not fill its length, bad header counts, offset deltas not 0, 1, 2, ...):
//   InvalidRecordException, INVALID_RECORD (87; org.apache.kafka.common.InvalidRecordException
//   maps to it since 2.4.0, KIP-467).
// - records that would decompress past MAX_DECOMPRESSED_BATCH_BYTES: MESSAGE_TOO_LARGE (Zafka's
//   own guard, see below; Kafka has no such limit).
import * as zlib from 'zlib';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import * as H from './batch-header';
import { CompressionType } from './batch-header';
import { decompress } from './compression';
import { outputTooLarge } from './output-limit';

const invalidRecord = (message: string) => new KafkaError(ErrorCode.INVALID_RECORD, message);
const prematureEof = () => invalidRecord('Incorrect declared batch size, premature EOF reached');
const invalidStructure = () => invalidRecord('Found invalid record structure');

/**
 * Ceiling on a batch's decompressed records. Kafka decompresses as a stream, record by record;
 * Zafka decompresses a batch at once, so a few kilobytes of zstd or gzip that expand to
 * gigabytes would otherwise exhaust the broker's memory. Real batches stay far below (Kafka's
 * max.message.bytes default is 1 MB of compressed bytes); a Java producer answered
 * MESSAGE_TOO_LARGE splits its batch and retries.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 64 * 1024 * 1024;

/** The records section of a compressed batch, decompressed; failures carry Kafka 2.4's codes. */
export function decompressRecords(codec: CompressionType, payload: Buffer, maxOutputLength = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  if (codec === CompressionType.GZIP) {
    try {
      return zlib.gunzipSync(payload, { maxOutputLength });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw outputTooLarge('gzip', maxOutputLength);
      // zlib's "unexpected end of file": Java's InflaterInputStream throws EOFException there.
      if (code === 'Z_BUF_ERROR') throw prematureEof();
      throw failedToDecompress(codec, err);
    }
  }
  try {
    return decompress(codec, payload, 2, maxOutputLength);
  } catch (err) {
    if (err instanceof KafkaError && err.code === ErrorCode.MESSAGE_TOO_LARGE) throw err;
    throw failedToDecompress(codec, err);
  }
}

function failedToDecompress(codec: CompressionType, err: unknown): KafkaError {
  return new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `Failed to decompress record stream (${CompressionType[codec].toLowerCase()}): ${(err as Error).message}`);
}

/**
 * Checks the records of the compressed v2 batch buf[pos, pos + size), whose header has already
 * passed the shallow checks (CRC, counts). Throws KafkaError with Kafka 2.4's code.
 */
export function validateCompressedBatchRecords(buf: Buffer, pos: number, size: number): void {
  const codec = (buf.readInt16BE(pos + H.ATTRIBUTES) & H.COMPRESSION_CODEC_MASK) as CompressionType;
  const count = buf.readInt32BE(pos + H.RECORD_COUNT);
  if (count === 0) return; // Kafka's iterator reads nothing from an empty batch.
  const data = decompressRecords(codec, buf.subarray(pos + H.RECORDS, pos + size));
  const walker = new RecordWalker(data);
  for (let i = 0; i < count; i++) {
    const offsetDelta = walker.record();
    // LogValidator: inner offsets of a compressed batch must run 0, 1, 2, ... (baseOffset is 0).
    if (offsetDelta !== i) {
      throw invalidRecord(`Inner record ${i} inside the compressed record batch does not have incremental offsets, expected offset is ${i}`);
    }
  }
  if (walker.pos !== data.length) throw invalidRecord('Incorrect declared batch size, records still remaining in file');
}

/**
 * Walks v2 records the way Kafka's DefaultRecord.readFrom(DataInput) reads them from a
 * decompressed stream (KIP-98 layout: length varint | attributes int8 | timestampDelta varlong |
 * offsetDelta varint | key | value | headers), without copying keys or values.
 */
class RecordWalker {
  pos = 0;
  private end = 0;

  constructor(private readonly data: Buffer) {}

  /** Reads one record and returns its offsetDelta. */
  record(): number {
    const data = this.data;
    // The length is read straight from the stream: running out of bytes there is EOF.
    this.end = data.length;
    const length = this.varint(prematureEof, () => new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'Varint is too long, the most significant bit in the 5th byte is set'));
    if (length < 0) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `Negative record size ${length}`);
    const recordEnd = this.pos + length;
    if (recordEnd > data.length) throw prematureEof();
    // The body is parsed from its own buffer: any overrun inside it is "invalid record structure".
    this.end = recordEnd;
    this.skip(1); // attributes
    this.varlong(); // timestampDelta
    const offsetDelta = this.varint(invalidStructure, invalidStructure);
    this.lengthDelimited(); // key (any negative length is null)
    this.lengthDelimited(); // value
    const headerCount = this.varint(invalidStructure, invalidStructure);
    if (headerCount < 0) throw invalidRecord(`Found invalid number of record headers ${headerCount}`);
    for (let h = 0; h < headerCount; h++) {
      const keySize = this.varint(invalidStructure, invalidStructure);
      if (keySize < 0) throw invalidRecord(`Invalid negative header key size ${keySize}`);
      // Kafka decodes the key as a String from the record's array first: an overrun there is a
      // StringIndexOutOfBoundsException, which nothing catches.
      if (this.pos + keySize > this.end) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `Header key of ${keySize} bytes runs past the record`);
      this.pos += keySize;
      this.lengthDelimited(); // header value
    }
    if (this.pos !== recordEnd) {
      throw invalidRecord(`Invalid record size: expected to read ${length} bytes in record payload, but instead read ${length - (recordEnd - this.pos)}`);
    }
    return offsetDelta;
  }

  private skip(n: number): void {
    if (this.pos + n > this.end) throw invalidStructure();
    this.pos += n;
  }

  private lengthDelimited(): number {
    const len = this.varint(invalidStructure, invalidStructure);
    if (len > 0) this.skip(len);
    return len;
  }

  /** Zig-zag int32 varint (Kafka's ByteUtils.readVarint: at most 5 bytes). */
  private varint(onEnd: () => KafkaError, onTooLong: () => KafkaError): number {
    let raw = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw onTooLong();
      if (this.pos >= this.end) throw onEnd();
      const b = this.data[this.pos++];
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Zig-zag int64 varlong, skipped (at most 10 bytes). */
  private varlong(): void {
    for (let i = 0; ; i++) {
      if (i >= 10 || this.pos >= this.end) throw invalidStructure();
      if (this.data[this.pos++] < 0x80) return;
    }
  }
}
