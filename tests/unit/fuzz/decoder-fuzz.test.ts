// In-process fuzzing of the decoders with the same seeded frames the broker fuzz sends: a
// malformed request may only raise ProtocolDecodeError (the connection is then closed) or
// KafkaError; a malformed record batch only KafkaError (CORRUPT_MESSAGE and friends). A
// TypeError or RangeError means a parser read past what it checked: the dispatcher would still
// close the connection, but the parser has a bug. Seeds: ZAFKA_FUZZ_SEED (default 42).
import { decodeRequestBody } from '../../../broker/protocol/codec';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { apiByKey } from '../../../broker/protocol/messages/index';
import { ProtocolDecodeError } from '../../../broker/protocol/primitives';
import { decodeRecordBatch } from '../../../broker/protocol/records/record-batch';
import { validateRecords } from '../../../broker/log/log-validator';
import { loadCorpus } from '../../fuzz/corpus';
import { describeFrame, fuzzFrame } from '../../fuzz/fuzz-frames';

const SEED = Number((process.env.ZAFKA_FUZZ_SEED ?? '42').split(',')[0]);
const FRAMES = 20000;

function unexpected(err: unknown, allowed: Array<new (...args: never[]) => Error>): boolean {
  return !allowed.some((cls) => err instanceof cls);
}

describe(`decoders under fuzzed frames (seed ${SEED})`, () => {
  const corpus = loadCorpus();

  test(`${FRAMES} mutated request frames: header and body decoding raise only ProtocolDecodeError or KafkaError`, () => {
    const failures: string[] = [];
    for (let i = 0; i < FRAMES && failures.length < 5; i++) {
      const f = fuzzFrame(SEED, i, corpus, 104857600);
      const frame = f.wire.subarray(4);
      try {
        const h = decodeRequestHeader(frame);
        const api = apiByKey(h.apiKey);
        if (api !== undefined) decodeRequestBody(api, h.apiVersion, frame, h.bodyOffset);
      } catch (err) {
        if (unexpected(err, [ProtocolDecodeError, KafkaError])) failures.push(`${describeFrame(f)}\n  ${(err as Error).stack?.split('\n').slice(0, 3).join('\n  ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test(`record batches of ${FRAMES} mutated Produce frames: validation and decoding raise only KafkaError`, () => {
    const failures: string[] = [];
    const produce = apiByKey(0)!;
    for (let i = 0; i < FRAMES && failures.length < 5; i++) {
      const f = fuzzFrame(SEED, i, corpus, 104857600);
      if (f.apiKey !== 0) continue;
      const frame = f.wire.subarray(4);
      let records: Buffer[] = [];
      try {
        const h = decodeRequestHeader(frame);
        if (h.apiKey !== 0) continue;
        const body = decodeRequestBody(produce, h.apiVersion, frame, h.bodyOffset) as { topicData: Array<{ partitionData: Array<{ records: Buffer | null }> }> };
        records = body.topicData.flatMap((t) => t.partitionData.map((p) => p.records)).filter((r): r is Buffer => r !== null);
      } catch {
        continue;
      }
      for (const r of records) {
        try {
          // The produce path's whole validation: shallow checks, then every record of compressed batches.
          validateRecords(r, 1048588, 1073741824, true);
          decodeRecordBatch(r, 0);
        } catch (err) {
          if (unexpected(err, [KafkaError])) failures.push(`${describeFrame(f)}\n  ${(err as Error).stack?.split('\n').slice(0, 3).join('\n  ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
