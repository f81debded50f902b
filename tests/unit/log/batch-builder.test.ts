// The test helper must produce what a real client sends: compare with kafkajs's encoder.
import { buildBatch } from './batch-builder';

/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;
const Long = require('kafkajs/src/utils/long') as { fromInt(n: number): unknown; fromValue(n: number): unknown };

describe('batch-builder', () => {
  it('encodes the same bytes as kafkajs for an uncompressed batch', async () => {
    const ts = 1_700_000_000_000;
    const records = [0, 1, 2].map((i) =>
      Record({ offsetDelta: i, timestampDelta: i * 5, key: null, value: Buffer.alloc(10, 0x62), headers: {} }),
    );
    const encoded = await RecordBatch({
      firstOffset: Long.fromInt(0),
      firstTimestamp: ts,
      maxTimestamp: ts + 10,
      partitionLeaderEpoch: 0,
      lastOffsetDelta: 2,
      producerId: Long.fromValue(-1),
      producerEpoch: -1,
      firstSequence: -1,
      records,
    });
    const ours = buildBatch({ count: 3, valueSize: 10, baseTimestamp: ts, timestampStep: 5, fill: 0x62 });
    // kafkajs writes the batch with a length-prefixed bytes field, which is exactly batchLength.
    expect(ours.toString('hex')).toBe(Buffer.from(encoded.buffer).toString('hex'));
  });
});
