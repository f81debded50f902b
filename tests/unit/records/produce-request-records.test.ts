import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { encodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { produceRecordsError } from '../../../broker/protocol/records/produce-request-records';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { craftBatch, GARBAGE } from '../../helpers/crafted-batches';

const batch = (compression = CompressionType.NONE) => encodeRecordBatch({ timestamp: 1, compression, records: [{ key: 'k', value: 'v' }] });

describe('produceRecordsError (Kafka 2.4.0 ProduceRequest.validateRecords)', () => {
  it('accepts one v2 batch at v3+, and anything at v0-v2', () => {
    for (const v of [3, 5, 7]) expect(produceRecordsError(v, batch())).toBe(ErrorCode.NONE);
    const legacy = encodeMessageSet({ magic: 1, timestamp: 1, messages: [{ value: 'v' }] });
    for (const v of [0, 1, 2]) expect(produceRecordsError(v, legacy)).toBe(ErrorCode.NONE);
    expect(produceRecordsError(2, Buffer.concat([batch(), batch()]))).toBe(ErrorCode.NONE);
  });

  it('zstd below Produce v7 gets UNSUPPORTED_COMPRESSION_TYPE; v7 is fine', () => {
    const zstd = batch(CompressionType.ZSTD);
    for (const v of [3, 4, 5, 6]) expect(produceRecordsError(v, zstd)).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    expect(produceRecordsError(7, zstd)).toBe(ErrorCode.NONE);
    // Checked before the payload is looked at: garbage zstd at v3 is refused for the version.
    expect(produceRecordsError(3, craftBatch({ codec: CompressionType.ZSTD, payload: GARBAGE, recordCount: 1 }))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    for (const codec of [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4]) expect(produceRecordsError(3, batch(codec))).toBe(ErrorCode.NONE);
  });

  it('legacy magic, several batches or no whole batch at v3+ get INVALID_RECORD', () => {
    expect(produceRecordsError(3, encodeMessageSet({ magic: 1, timestamp: 1, messages: [{ value: 'v' }] }))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceRecordsError(3, Buffer.concat([batch(), batch()]))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceRecordsError(3, Buffer.alloc(0))).toBe(ErrorCode.INVALID_RECORD);
    expect(produceRecordsError(3, batch().subarray(0, 40))).toBe(ErrorCode.INVALID_RECORD);
    // A partial batch after a whole one ends Kafka's iterator: accepted here, trimmed by the log.
    expect(produceRecordsError(3, Buffer.concat([batch(), batch().subarray(0, 30)]))).toBe(ErrorCode.NONE);
  });

  it('an impossible size field or magic gets CORRUPT_MESSAGE; null records UNKNOWN_SERVER_ERROR', () => {
    const tiny = batch();
    tiny.writeInt32BE(5, 8);
    expect(produceRecordsError(3, tiny)).toBe(ErrorCode.CORRUPT_MESSAGE);
    const magic = batch();
    magic[16] = 7;
    expect(produceRecordsError(3, magic)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(produceRecordsError(3, null)).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(produceRecordsError(0, null)).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
  });

  it('an unknown codec id below v7 gets UNKNOWN_SERVER_ERROR (CompressionType.forId)', () => {
    const b = craftBatch({ codec: 5 as CompressionType, payload: GARBAGE, recordCount: 1 });
    expect(produceRecordsError(5, b)).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(produceRecordsError(7, b)).toBe(ErrorCode.NONE); // left to the log, which answers the same
  });
});
