// Bytes from a real peer: kafkajs's own encoders (record batch v2, message sets v0/v1 as its
// Produce v0-v2 writes them) are read by our decoders, and kafkajs's decoder reads our batches.
import { ErrorCode } from '../../../broker/protocol/errors';
import { CompressionType } from '../../../broker/protocol/records/batch-header';
import { validateRecords } from '../../../broker/log/log-validator';
import { upConvertToV2 } from '../../../broker/protocol/records/conversion';
import { decodeMessageSet } from '../../../broker/protocol/records/legacy-message-set';
import { decodeRecordBatch, encodeRecordBatch } from '../../../broker/protocol/records/record-batch';

interface KafkajsEncoder {
  buffer: Buffer;
}
type KafkajsRecordInput = { key: Buffer | string | null; value: Buffer | string | null; headers?: object; offsetDelta?: number; timestampDelta?: number };

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (o: object) => Promise<KafkajsEncoder>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: KafkajsRecordInput) => KafkajsEncoder;
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<{
  firstOffset: string;
  records: { offset: string; timestamp: string; key: Buffer; value: Buffer; headers: Record<string, Buffer> }[];
}>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const MessageSet = require('kafkajs/src/protocol/messageSet') as (o: object) => KafkajsEncoder;
const gzipCodec = require('kafkajs/src/protocol/message/compression/gzip') as { compress: (e: KafkajsEncoder) => Promise<Buffer> };

const T0 = 1700000000000;

describe('kafkajs as a peer', () => {
  it.each([CompressionType.NONE, CompressionType.GZIP])('we decode kafkajs record batches (codec %d)', async (compression) => {
    const records = [
      Record({ key: 'key-0', value: 'value-0', headers: { trace: 'abc' }, offsetDelta: 0, timestampDelta: 0 }),
      Record({ key: null, value: 'value-1', offsetDelta: 1, timestampDelta: 25 }),
    ];
    const encoded = await RecordBatch({
      compression,
      firstOffset: 0,
      firstTimestamp: T0,
      maxTimestamp: T0 + 25,
      lastOffsetDelta: 1,
      records,
    });
    const buf = encoded.buffer;
    expect(() => validateRecords(buf, Infinity, Infinity, true)).not.toThrow();
    const batch = decodeRecordBatch(buf);
    expect(batch.compression).toBe(compression);
    expect(batch.records.map((r) => [r.offsetDelta, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      [0, T0, 'key-0', 'value-0'],
      [1, T0 + 25, null, 'value-1'],
    ]);
    expect(batch.records[0].headers).toEqual([{ key: 'trace', value: Buffer.from('abc') }]);
  });

  it('kafkajs decodes our batches', async () => {
    const buf = encodeRecordBatch({
      baseOffset: 77,
      compression: CompressionType.GZIP,
      records: [
        { key: 'a', value: 'alpha', timestamp: T0, headers: [{ key: 'h', value: 'x' }] },
        { key: 'b', value: 'beta', timestamp: T0 + 1 },
      ],
    });
    const decoded = await RecordBatchDecoder(new Decoder(buf));
    expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key.toString(), r.value.toString()])).toEqual([
      ['77', String(T0), 'a', 'alpha'],
      ['78', String(T0 + 1), 'b', 'beta'],
    ]);
    expect(decoded.records[0].headers.h.toString()).toBe('x');
  });

  it('we decode kafkajs message sets v0/v1, plain and gzip-wrapped as its Produce v2 sends them', async () => {
    const entries = [
      { key: 'k1', value: 'v1', timestamp: T0 },
      { key: null, value: 'v2', timestamp: T0 + 7 },
    ];
    const v0 = MessageSet({ messageVersion: 0, compression: 0, entries }).buffer;
    expect(decodeMessageSet(v0).map((m) => [m.magic, m.timestamp, m.key?.toString() ?? null, m.value?.toString()])).toEqual([
      [0, -1, 'k1', 'v1'],
      [0, -1, null, 'v2'],
    ]);

    const inner = MessageSet({ messageVersion: 1, compression: 1, entries });
    const wrapped = MessageSet({
      messageVersion: 1,
      entries: [{ compression: 1, timestamp: T0, value: await gzipCodec.compress(inner) }],
    }).buffer;
    const messages = decodeMessageSet(wrapped);
    expect(messages.map((m) => [m.magic, m.compression, m.timestamp, m.key?.toString() ?? null, m.value?.toString()])).toEqual([
      [1, CompressionType.GZIP, T0, 'k1', 'v1'],
      [1, CompressionType.GZIP, T0 + 7, null, 'v2'],
    ]);
    // The broker's up-conversion of what kafkajs produces with Produce v2.
    const batch = decodeRecordBatch(upConvertToV2(wrapped));
    expect(batch.compression).toBe(CompressionType.GZIP);
    expect(batch.records.map((r) => [r.offsetDelta, r.timestamp, r.value?.toString()])).toEqual([
      [0, T0, 'v1'],
      [1, T0 + 7, 'v2'],
    ]);
  });
});
