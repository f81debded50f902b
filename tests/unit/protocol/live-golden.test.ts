// Frames captured from real kcat (librdkafka) and kafkajs traffic by tests/tools/capture-golden.ts.
// golden-fixtures.test.ts already checks that every fixture decodes completely and re-encodes to
// the same bytes; this file checks what the clients actually said (field values, record batches
// whose CRC32C must verify) and that the capture set is complete. Requests come from the real
// clients and are authoritative; responses were written by Zafka itself, so checks on them only
// confirm they decode and carry what the clients were then happy with.

import * as fs from 'fs';
import * as path from 'path';
import { validateRecords } from '../../../broker/log/log-validator';
import { ApiDefinition } from '../../../broker/protocol/api-definition';
import { decodeRequestBody, decodeResponse } from '../../../broker/protocol/codec';
import { ErrorCode } from '../../../broker/protocol/errors';
import { decodeRequestHeader } from '../../../broker/protocol/header';
import { ApiVersions, CreateTopics, Fetch, ListOffsets, Metadata, Produce } from '../../../broker/protocol/messages/index';
import {
  ATTRIBUTES,
  CRC,
  CompressionType,
  MAGIC,
  crc32c,
  decodeRecordBatch,
  iterateEntries,
  readBatchHeader,
} from '../../../broker/protocol/records/index';
import { CAPTURE_MARKER } from '../../tools/capture-proxy';
import { FIXTURE_DIR, GoldenFixture, loadFixtures } from './golden';

interface LiveFixture extends GoldenFixture {
  /** 'kcat' or 'kafkajs', from the header comment. */
  client: 'kcat' | 'kafkajs';
  /** Header comment lines as key: value (client, command, date, codec). */
  notes: Record<string, string>;
  seq: string;
  frame: Buffer;
}

function parseNotes(text: string): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^# ([a-z]+): (.*)$/.exec(line);
    if (m !== null) notes[m[1]] = m[2];
  }
  return notes;
}

const live: LiveFixture[] = loadFixtures()
  .map((fx) => ({ fx, text: fs.readFileSync(path.join(FIXTURE_DIR, fx.file), 'utf8') }))
  .filter(({ text }) => text.startsWith(CAPTURE_MARKER))
  .map(({ fx, text }) => {
    const notes = parseNotes(text);
    return {
      ...fx,
      notes,
      client: notes.client.startsWith('kcat') ? ('kcat' as const) : ('kafkajs' as const),
      seq: /_(\d+)\.hex$/.exec(fx.file)![1],
      frame: fx.bytes.subarray(4),
    };
  });

function find(api: string, direction: 'request' | 'response', client?: 'kcat' | 'kafkajs'): LiveFixture[] {
  return live.filter((f) => f.api.name === api && f.direction === direction && (client === undefined || f.client === client));
}

function requestBody<Req>(fx: LiveFixture, api: ApiDefinition<Req, unknown, unknown, unknown>): Req {
  const h = decodeRequestHeader(fx.frame);
  return decodeRequestBody(api, fx.version, fx.frame, h.bodyOffset);
}

/** The response fixture answering a request fixture (same api, version and seq). */
function responseOf(fx: LiveFixture): LiveFixture {
  const r = live.find((f) => f.direction === 'response' && f.api === fx.api && f.version === fx.version && f.seq === fx.seq);
  if (r === undefined) throw new Error(`no response captured for ${fx.file}`);
  return r;
}

/** Every v2 batch of a records field, checked as the broker checks a producer's batch. */
function batchesOf(records: Buffer | null, options: { fromClient: boolean }) {
  expect(records).not.toBeNull();
  const out = [];
  for (const e of iterateEntries(records!)) {
    if (e.partial) continue; // legal at the end of a fetch response (KIP-74)
    expect(e.magic).toBe(2);
    expect(records!.readUInt32BE(e.pos + CRC)).toBe(crc32c(records!, e.pos + ATTRIBUTES, e.pos + e.size));
    expect(() => validateRecords(records!.subarray(e.pos, e.pos + e.size), Infinity, Infinity, options.fromClient)).not.toThrow();
    out.push({ bytes: records!.subarray(e.pos, e.pos + e.size), batch: decodeRecordBatch(records!, e.pos) });
  }
  return out;
}

const CODECS: Record<string, CompressionType> = {
  none: CompressionType.NONE,
  gzip: CompressionType.GZIP,
  snappy: CompressionType.SNAPPY,
  lz4: CompressionType.LZ4,
  zstd: CompressionType.ZSTD,
};

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('the live capture set', () => {
  test('is there and covers what capture-golden.ts keeps', () => {
    const have = new Set(live.map((f) => `${f.client} ${f.api.name} ${f.direction}`));
    for (const client of ['kcat', 'kafkajs']) {
      for (const api of ['Metadata', 'Produce']) {
        for (const dir of ['request', 'response']) expect(have).toContain(`${client} ${api} ${dir}`);
      }
    }
    for (const api of ['ApiVersions', 'Fetch', 'ListOffsets']) {
      expect(have).toContain(`kcat ${api} request`);
      expect(have).toContain(`kcat ${api} response`);
    }
    expect(have).toContain('kafkajs CreateTopics request');
    expect(have).toContain('kafkajs CreateTopics response');
    // lz4 is absent until Zafka advertises FindCoordinator: librdkafka's feature table only
    // enables LZ4 then, and sends the batch uncompressed otherwise.
    const kcatCodecs = find('Produce', 'request', 'kcat').map((f) => f.notes.codec);
    expect(kcatCodecs).toEqual(expect.arrayContaining(['none', 'gzip', 'snappy', 'zstd']));
    const total = live.reduce((n, f) => n + fs.statSync(path.join(FIXTURE_DIR, f.file)).size, 0);
    expect(total).toBeLessThan(200 * 1024);
  });

  test.each(live.map((f) => [f.file, f] as const))('%s says where it came from', (_file, fx) => {
    expect(fx.notes.client).toMatch(/^(kcat [\d.]+ \(librdkafka [\d.]+\)|kafkajs [\d.]+) \(clientId "[^"]+"\)$/);
    expect(fx.notes.command).toBeTruthy();
    expect(fx.notes.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    if (fx.direction === 'response') {
      expect(fs.readFileSync(path.join(FIXTURE_DIR, fx.file), 'utf8')).toContain('written by Zafka itself');
    }
  });

  test.each(live.filter((f) => f.direction === 'response').map((f) => [f.file, f] as const))(
    '%s answers its request (same correlation id)',
    (_file, fx) => {
      const request = live.find((f) => f.direction === 'request' && f.api === fx.api && f.version === fx.version && f.seq === fx.seq);
      expect(request).toBeDefined();
      expect(fx.frame.readInt32BE(0)).toBe(decodeRequestHeader(request!.frame).correlationId);
    },
  );
});

describe('ApiVersions v3 from librdkafka', () => {
  const [req] = find('ApiVersions', 'request', 'kcat');

  test('request: header v2 and the KIP-511 client software fields', () => {
    expect(req.version).toBe(3);
    const h = decodeRequestHeader(req.frame);
    expect(h.clientId).toBe('rdkafka');
    const body = requestBody(req, ApiVersions);
    expect(body.clientSoftwareName).toBe('librdkafka');
    const librdkafka = /librdkafka ([\d.]+)/.exec(req.notes.client)![1];
    expect(body.clientSoftwareVersion).toBe(librdkafka);
  });

  test('response: header v0 (no tagged fields), error NONE, ranges from 0', () => {
    const res = responseOf(req);
    // correlationId, then the body's errorCode right away: no header tagged-fields byte.
    expect(res.frame.readInt16BE(4)).toBe(ErrorCode.NONE);
    const { body } = decodeResponse(ApiVersions, 3, res.frame);
    expect(body.errorCode).toBe(ErrorCode.NONE);
    const byKey = new Map(body.apiKeys.map((k) => [k.apiKey, k]));
    expect(byKey.get(ApiVersions.apiKey)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 3 });
    // librdkafka needs Produce v3+ and Fetch v4+ for message format v2.
    expect(byKey.get(Produce.apiKey)!.maxVersion).toBeGreaterThanOrEqual(3);
    expect(byKey.get(Fetch.apiKey)!.maxVersion).toBeGreaterThanOrEqual(4);
    for (const k of body.apiKeys) expect(k.minVersion).toBe(0);
  });
});

describe('Metadata', () => {
  test('kcat -L asks for brokers only ([]) and all topics (null), the producer for its topic', () => {
    const reqs = find('Metadata', 'request', 'kcat');
    const lists = reqs.map((f) => ({ command: f.notes.command, topics: requestBody(f, Metadata).topics }));
    expect(lists.some((l) => l.command.includes(' -L') && l.topics === null)).toBe(true);
    expect(lists.some((l) => l.command.includes(' -L') && l.topics?.length === 0)).toBe(true);
    expect(lists.some((l) => l.command.includes(' -P') && l.topics?.[0]?.name === 'golden')).toBe(true);
  });

  test('kafkajs asks for all topics (null) when the admin connects, then for its topic', () => {
    const topics = find('Metadata', 'request', 'kafkajs').map((f) => requestBody(f, Metadata).topics);
    expect(topics).toContainEqual(null);
    expect(topics).toContainEqual([{ name: 'golden' }]);
  });

  test.each(find('Metadata', 'response').map((f) => [f.file, f] as const))('%s lists broker 0 at the advertised proxy address', (_file, fx) => {
    const { body } = decodeResponse(Metadata, fx.version, fx.frame);
    expect(body.brokers).toHaveLength(1);
    expect(body.brokers[0]).toMatchObject({ nodeId: 0, host: '127.0.0.1' });
    const port = /-b 127\.0\.0\.1:(\d+)/.exec(fx.notes.command)?.[1];
    if (port !== undefined) expect(body.brokers[0].port).toBe(Number(port));
    expect(body.controllerId).toBe(0);
    for (const t of body.topics.filter((x) => x.name === 'golden')) {
      expect(t.errorCode).toBe(ErrorCode.NONE);
      expect(t.partitions).toEqual([expect.objectContaining({ errorCode: 0, partitionIndex: 0, leaderId: 0, replicaNodes: [0], isrNodes: [0] })]);
    }
  });
});

describe('Produce', () => {
  const requests = find('Produce', 'request');

  test.each(requests.map((f) => [f.file, f] as const))('%s: acks=all to golden[0], valid v2 batches', (_file, fx) => {
    const body = requestBody(fx, Produce);
    expect(body.transactionalId).toBeNull();
    expect(body.acks).toBe(-1);
    expect(body.timeoutMs).toBeGreaterThan(0);
    expect(body.topicData).toHaveLength(1);
    expect(body.topicData[0].name).toBe('golden');
    expect(body.topicData[0].partitionData.map((p) => p.index)).toEqual([0]);
    const batches = batchesOf(body.topicData[0].partitionData[0].records, { fromClient: true });
    expect(batches).toHaveLength(1);
    const { batch } = batches[0];
    const codec = fx.notes.codec;
    expect(batch.compression).toBe(CODECS[codec]);
    expect(batch.baseOffset).toBe(0);
    expect(batch.producerId).toBe(-1); // neither client is idempotent here
    if (fx.client === 'kcat') {
      expect(fx.notes.command).toContain(`-z ${codec}`);
      expect(batch.records.map((r) => text(r.key))).toEqual([1, 2, 3].map((i) => `${codec}-key-${i}`));
      batch.records.forEach((r, i) => expect(text(r.value)).toMatch(new RegExp(`^${codec} value ${i + 1} (abcd){16}$`)));
      const headers = codec === 'none' ? [{ key: 'source', value: Buffer.from('kcat') }] : [];
      for (const r of batch.records) expect(r.headers).toEqual(headers);
    } else {
      expect(batch.records.map((r) => text(r.key))).toEqual([1, 2].map((i) => `kafkajs-${codec}-key-${i}`));
      batch.records.forEach((r, i) => {
        expect(text(r.value)).toBe(`kafkajs ${codec} value ${i + 1}`);
        expect(r.headers).toEqual([
          { key: 'source', value: Buffer.from('kafkajs') },
          { key: 'seq', value: Buffer.from(String(i + 1)) },
        ]);
      });
    }
    batch.records.forEach((r, i) => expect(r.offsetDelta).toBe(i));
  });

  test.each(requests.map((f) => [f.file, f] as const))('%s was acknowledged', (_file, fx) => {
    const { body } = decodeResponse(Produce, fx.version, responseOf(fx).frame);
    expect(body.responses).toEqual([{ name: 'golden', partitionResponses: [expect.objectContaining({ index: 0, errorCode: 0 })] }]);
    expect(body.responses[0].partitionResponses[0].baseOffset).toBeGreaterThanOrEqual(0);
  });
});

describe('ListOffsets and Fetch from kcat -C -o beginning -e', () => {
  test('ListOffsets asks for the earliest offset of golden[0] and gets 0', () => {
    const [req] = find('ListOffsets', 'request', 'kcat');
    const body = requestBody(req, ListOffsets);
    expect(body.replicaId).toBe(-1);
    expect(body.topics).toEqual([{ name: 'golden', partitions: [expect.objectContaining({ partitionIndex: 0, timestamp: -2 })] }]);
    const res = decodeResponse(ListOffsets, req.version, responseOf(req).frame).body;
    expect(res.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, errorCode: 0, offset: 0 });
  });

  const [fetchReq] = find('Fetch', 'request', 'kcat');

  test('Fetch request: a consumer (replicaId -1) fetching golden[0] from 0', () => {
    const body = requestBody(fetchReq, Fetch);
    expect(body.replicaId).toBe(-1);
    expect(body.maxWaitMs).toBeGreaterThan(0);
    expect(body.isolationLevel).toBe(1); // librdkafka's default isolation.level=read_committed
    expect(body.sessionEpoch).toBe(-1); // librdkafka 2.0 does not use fetch sessions (KIP-227)
    expect(body.topics).toEqual([{ topic: 'golden', partitions: [expect.objectContaining({ partition: 0, fetchOffset: 0 })] }]);
  });

  test('Fetch response returns the produced batches as stored: only baseOffset and leader epoch differ', () => {
    const { body } = decodeResponse(Fetch, fetchReq.version, responseOf(fetchReq).frame);
    expect(body.errorCode).toBe(ErrorCode.NONE);
    const p = body.responses[0].partitions[0];
    expect(p).toMatchObject({ partitionIndex: 0, errorCode: 0 });
    const fetched = batchesOf(p.records, { fromClient: false });
    // Consecutive offsets from 0, up to the high watermark.
    let next = 0;
    for (const { batch } of fetched) {
      expect(batch.baseOffset).toBe(next);
      next += batch.lastOffsetDelta + 1;
    }
    expect(p.highWatermark).toBe(next);
    // Every produced batch comes back byte for byte from the magic byte on (CRC unchanged).
    for (const fx of find('Produce', 'request')) {
      const produced = requestBody(fx, Produce).topicData[0].partitionData[0].records!;
      const crc = readBatchHeader(produced).crc;
      const match = fetched.find((f) => f.batch.crc === crc);
      expect(match).toBeDefined();
      expect(match!.bytes.subarray(MAGIC).equals(produced.subarray(MAGIC))).toBe(true);
    }
  });
});

describe('CreateTopics from kafkajs admin', () => {
  test('request and response', () => {
    const [req] = find('CreateTopics', 'request', 'kafkajs');
    const body = requestBody(req, CreateTopics);
    expect(body.topics).toEqual([{ name: 'golden', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }]);
    expect(body.timeoutMs).toBeGreaterThan(0);
    expect(body.validateOnly).toBe(false);
    const res = decodeResponse(CreateTopics, req.version, responseOf(req).frame).body;
    expect(res.topics).toEqual([expect.objectContaining({ name: 'golden', errorCode: 0 })]);
  });
});
