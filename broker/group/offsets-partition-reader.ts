// Reads one __consumer_offsets partition back into committed offsets and group metadata (the
// reading half of Kafka's GroupMetadataManager.doLoadGroupsAndOffsets), from the log start to the
// log end, later records overriding earlier ones and tombstones removing them.
//
// Robust where Kafka 2.4 is not: there, one record it cannot decode (a key version from a newer
// Kafka, a record a plain client produced into the topic, a damaged value) throws out of the load
// and the partition's groups are lost until the next leader change. Here such a record is
// skipped with a log line and the rest is loaded, as Kafka 3.5 does for unknown key versions
// (KIP-915). A skipped offset commit leaves the previous commit of that partition in place
// (consumers may re-read, never skip, records). A batch that does not decode (bad CRC, corrupt
// compression) is skipped whole; entries framed in the legacy v0/v1 formats, which brokers before
// 0.11 wrote, are read like batches.
//
// Transactional offset commits (KIP-98) stay pending per producer until that producer's marker:
// COMMIT applies them (unless a later-written commit of the same partition is already loaded),
// ABORT drops them; those still pending at the log end load as pending. A control batch whose
// marker cannot be read is skipped and decides nothing.
import type { Logger } from '../logging';
import { readInternalTopic, type InternalTopicEntry, type InternalTopicLog, type InternalTopicRecord } from '../log/internal-topic-reader';
import { tpKey, type TopicPartitionOffset } from './group-metadata';
import { readGroupMessageValue, readMessageKey, readOffsetMessageValue, type GroupMetadataValue } from './group-records';

export interface LoadedGroupValue {
  version: number;
  value: GroupMetadataValue;
}

export interface LoadedOffsetsPartition {
  /** Committed offsets by group id, then by tpKey(topic, partition). */
  offsets: Map<string, Map<string, TopicPartitionOffset>>;
  /** The latest metadata of each group whose latest metadata record is not a tombstone. */
  groups: Map<string, LoadedGroupValue>;
  /** Transactional commits without a marker yet: by group id, then producer id, then tpKey. */
  pendingTxnOffsets: Map<string, Map<number, Map<string, TopicPartitionOffset>>>;
  /** Groups whose latest metadata record is a tombstone. */
  removedGroups: Set<string>;
  /** Records and whole batches skipped because they could not be decoded. */
  skipped: number;
}

/** What the reader needs of the partition's log. */
export type OffsetsLog = InternalTopicLog;

/** Offset commits by group, then tpKey: the loaded ones, or one producer's pending ones. */
type OffsetsByGroup = Map<string, Map<string, TopicPartitionOffset>>;

/** Kafka's ControlRecordType (the key of a control record: int16 version, int16 type). */
const CONTROL_ABORT = 0;
const CONTROL_COMMIT = 1;

/** The first skips of one load are logged one line each; the rest are only counted. */
export const MAX_LOGGED_SKIPS = 10;

export function readOffsetsPartition(
  log: OffsetsLog,
  name: string,
  loadBufferSize: number,
  stillCurrent: () => boolean,
  logger: Logger,
): LoadedOffsetsPartition {
  const loaded: LoadedOffsetsPartition = { offsets: new Map(), groups: new Map(), pendingTxnOffsets: new Map(), removedGroups: new Set(), skipped: 0 };
  const pendingByProducer = new Map<number, OffsetsByGroup>();
  const skip = (offset: number, what: string) => {
    loaded.skipped++;
    if (loaded.skipped <= MAX_LOGGED_SKIPS) logger.warn(`Skipping ${what} at offset ${offset} of ${name} while loading offsets and group metadata`);
  };
  for (const decoded of readInternalTopic(log, name, loadBufferSize, stillCurrent, logger, skip)) {
    if (decoded.isControl) {
      const problem = applyMarker(loaded.offsets, pendingByProducer, decoded);
      if (problem !== null) skip(decoded.baseOffset, problem);
      continue;
    }
    let target = loaded.offsets;
    if (decoded.isTransactional) {
      target = pendingByProducer.get(decoded.producerId) ?? new Map();
      pendingByProducer.set(decoded.producerId, target);
    }
    for (const record of decoded.records) {
      const problem = applyRecord(loaded, target, record, decoded.baseOffset);
      if (problem !== null) skip(record.offset, problem);
    }
  }
  for (const [producerId, byGroup] of pendingByProducer) {
    for (const [groupId, offsets] of byGroup) {
      if (offsets.size === 0) continue;
      let producers = loaded.pendingTxnOffsets.get(groupId);
      if (!producers) loaded.pendingTxnOffsets.set(groupId, (producers = new Map()));
      producers.set(producerId, offsets);
    }
  }
  if (loaded.skipped > MAX_LOGGED_SKIPS) {
    logger.warn(`Skipped ${loaded.skipped} records or batches of ${name} that could not be decoded (only the first ${MAX_LOGGED_SKIPS} were logged)`);
  }
  return loaded;
}

/**
 * A transaction marker: COMMIT moves the producer's pending commits into the loaded offsets
 * (Kafka's loader: unless the loaded one was written later), ABORT drops them. Returns why the
 * marker was skipped, or null. An empty control batch (its marker cleaned away) decides nothing.
 */
function applyMarker(loadedOffsets: OffsetsByGroup, pendingByProducer: Map<number, OffsetsByGroup>, batch: InternalTopicEntry): string | null {
  if (batch.records.length === 0) return null;
  const key = batch.records[0].key;
  if (key === null || key.length < 4) return `a control batch of producer ${batch.producerId} whose marker key cannot be read`;
  const type = key.readInt16BE(2);
  if (type !== CONTROL_COMMIT && type !== CONTROL_ABORT) return `a control batch of producer ${batch.producerId} with unknown marker type ${type}`;
  const pending = pendingByProducer.get(batch.producerId);
  pendingByProducer.delete(batch.producerId);
  if (!pending || type === CONTROL_ABORT) return null;
  for (const [groupId, offsets] of pending) {
    let target = loadedOffsets.get(groupId);
    if (!target) loadedOffsets.set(groupId, (target = new Map()));
    for (const [k, o] of offsets) {
      const current = target.get(k);
      if (!current || current.appendedBatchOffset < o.appendedBatchOffset) target.set(k, o);
    }
  }
  return null;
}

/**
 * Applies one record to what is loaded, its offset commit to `offsetsTarget` (the loaded offsets,
 * or the pending ones of a transactional batch's producer); returns why it was skipped, or null.
 */
function applyRecord(loaded: LoadedOffsetsPartition, offsetsTarget: OffsetsByGroup, record: InternalTopicRecord, batchBaseOffset: number): string | null {
  if (record.key === null) return 'a record without key';
  let key;
  try {
    key = readMessageKey(record.key);
  } catch (err) {
    return `a record whose key cannot be decoded (${(err as Error).message})`;
  }
  if (key.kind === 'unknown') return `a record with unknown key version ${key.version} (written by a newer Kafka, or not by a group coordinator)`;
  if (key.kind === 'offset') {
    const k = tpKey(key.topic, key.partition);
    let offsets = offsetsTarget.get(key.group);
    if (record.value === null) {
      offsets?.delete(k);
      return null;
    }
    let offsetAndMetadata;
    try {
      offsetAndMetadata = readOffsetMessageValue(record.value);
    } catch (err) {
      return `the offset commit of group ${key.group} for ${key.topic}-${key.partition}, whose value cannot be decoded (${(err as Error).message})`;
    }
    if (!offsets) offsetsTarget.set(key.group, (offsets = new Map()));
    offsets.set(k, { topic: key.topic, partition: key.partition, appendedBatchOffset: batchBaseOffset, offsetAndMetadata });
    return null;
  }
  if (record.value === null) {
    loaded.groups.delete(key.group);
    loaded.removedGroups.add(key.group);
    return null;
  }
  try {
    const value = readGroupMessageValue(record.value);
    loaded.removedGroups.delete(key.group);
    loaded.groups.set(key.group, value);
    return null;
  } catch (err) {
    return `the metadata of group ${key.group}, whose value cannot be decoded (${(err as Error).message})`;
  }
}
