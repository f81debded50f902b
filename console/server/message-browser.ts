// The message browser: reads records of one partition from an offset or a timestamp with the
// project's own PartitionConsumer (Fetch) and ListOffsets, and shapes each key and value for the
// page: UTF-8 text when it is text, JSON pretty-printed when it parses, and hex always (cut to a
// readable length). "Follow" is the page asking again from nextOffset with a long-poll wait.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import type { ClusterClient } from '../../admin-cli/client/cluster-client';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../../admin-cli/client/list-offsets';
import { PartitionConsumer, type ConsumerRecord } from '../../admin-cli/client/partition-consumer';

export const MAX_RECORDS = 500;
const TEXT_LIMIT = 64 * 1024;
const HEX_LIMIT = 4 * 1024;

export interface BrowseRequest {
  topic: string;
  partition: number;
  offset?: number;
  timestamp?: number;
  limit: number;
  /** How long to wait for new records when there are none (follow mode), ms. */
  waitMs: number;
}

export interface ShownBytes {
  size: number;
  text: string | null;
  json: string | null;
  hex: string;
}

export function showBytes(bytes: Buffer | null): ShownBytes | null {
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; control characters other than whitespace mean binary.
  const isText = !text.includes('\uFFFD') && !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  let json: string | null = null;
  if (isText && /^\s*[[{"\d-tfn]/.test(text) && text.length <= TEXT_LIMIT) {
    try {
      json = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      json = null;
    }
  }
  return { size: bytes.length, text: isText ? text.slice(0, TEXT_LIMIT) : null, json, hex: bytes.subarray(0, HEX_LIMIT).toString('hex') };
}

function shape(r: ConsumerRecord) {
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: r.timestampType,
    key: showBytes(r.key),
    value: showBytes(r.value),
    headers: r.headers.map((h) => ({ key: h.key, value: showBytes(h.value) })),
  };
}

const k = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export async function browse(client: ClusterClient, req: BrowseRequest) {
  const md = await client.topicMetadata(req.topic, { requireLeaders: false });
  if (!md.partitions.some((p) => p.partition === req.partition)) {
    throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${req.topic} has no partition ${req.partition} (it has ${md.partitions.length}).`);
  }
  const q = (timestamp: number) => [{ topic: req.topic, partition: req.partition, timestamp }];
  const [starts, ends] = await Promise.all([listOffsets(client, q(EARLIEST_TIMESTAMP)), listOffsets(client, q(LATEST_TIMESTAMP))]);
  const start = starts.get(k(req.topic, req.partition)) ?? 0;
  const end = ends.get(k(req.topic, req.partition)) ?? 0;
  let from: number;
  if (req.timestamp !== undefined) {
    const found = (await listOffsets(client, q(req.timestamp))).get(k(req.topic, req.partition)) ?? -1;
    from = found >= 0 ? found : end;
  } else if (req.offset !== undefined) {
    from = Math.min(Math.max(req.offset, start), end);
  } else {
    from = Math.max(start, end - req.limit);
  }
  const limit = Math.min(Math.max(1, req.limit), MAX_RECORDS);
  const records: ConsumerRecord[] = [];
  let next = from;
  if (from < end || req.waitMs > 0) {
    const consumer = new PartitionConsumer(client, { maxWaitMs: req.waitMs, autoOffsetReset: 'earliest', partitionMaxBytes: 1024 * 1024 });
    await consumer.assign([{ topic: req.topic, partition: req.partition, offset: from }]);
    // A few rounds at most: a fetch returns whole batches, which may be fewer records than asked.
    for (let round = 0; round < 5 && records.length < limit; round++) {
      const got = await consumer.poll();
      records.push(...got);
      next = consumer.position(req.topic, req.partition) ?? next;
      if (got.length === 0 && (next >= end || req.waitMs > 0)) break;
    }
  }
  const shown = records.slice(0, limit);
  if (shown.length > 0) next = shown[shown.length - 1].offset + 1;
  return { topic: req.topic, partition: req.partition, from, nextOffset: next, logStartOffset: start, logEndOffset: Math.max(end, next), records: shown.map(shape) };
}
