// Reads a .log segment batch by batch from disk (one read per batch, so a 1 GB segment never
// sits in memory), with Kafka's FileLogInputStream rules: iteration stops at the first batch that
// does not fit in the file (a torn tail), and a size field below the v0 record overhead is
// corruption that ends the dump (CorruptRecordException in Kafka).
import * as fs from 'fs';
import { BATCH_LENGTH, LOG_OVERHEAD, MAGIC } from '../../broker/protocol/records/batch-header';

/** Kafka's LegacyRecord.RECORD_OVERHEAD_V0: no entry can be smaller. */
const RECORD_OVERHEAD_V0 = 14;
/** offset + size + partition leader epoch / crc + magic (Records.HEADER_SIZE_UP_TO_MAGIC). */
const HEADER_SIZE_UP_TO_MAGIC = 17;

export class CorruptRecordError extends Error {}

export interface RawBatch {
  /** Byte position of the batch in the file. */
  position: number;
  magic: number;
  /** The whole batch (or legacy message), LOG_OVERHEAD included. */
  bytes: Buffer;
}

export class SegmentReader {
  private readonly fd: number;
  readonly size: number;
  private readonly header = Buffer.alloc(HEADER_SIZE_UP_TO_MAGIC);

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private readAt(buf: Buffer, position: number): void {
    let done = 0;
    while (done < buf.length) {
      const n = fs.readSync(this.fd, buf, done, buf.length - done, position + done);
      if (n === 0) throw new CorruptRecordError(`Unexpected end of ${this.file} at byte ${position + done}`);
      done += n;
    }
  }

  /** The batch at `position`, or null when no complete batch starts there. */
  batchAt(position: number): RawBatch | null {
    if (position + HEADER_SIZE_UP_TO_MAGIC >= this.size) return null;
    this.readAt(this.header, position);
    const length = this.header.readInt32BE(BATCH_LENGTH);
    if (length < RECORD_OVERHEAD_V0) {
      throw new CorruptRecordError(`Found record size ${length} smaller than minimum record overhead (${RECORD_OVERHEAD_V0}) in file ${this.file}.`);
    }
    const total = length + LOG_OVERHEAD;
    if (position + total > this.size) return null;
    const bytes = Buffer.allocUnsafe(total);
    this.readAt(bytes, position);
    return { position, magic: bytes.readInt8(MAGIC), bytes };
  }

  /** Every complete batch from `start`, in file order. */
  *batches(start = 0): Generator<RawBatch> {
    let position = start;
    for (;;) {
      const batch = this.batchAt(position);
      if (!batch) return;
      yield batch;
      position += batch.bytes.length;
    }
  }
}
