// The key/value formats of __consumer_offsets records, as Kafka 2.4 writes and reads them
// (GroupMetadataManager; shared/reference/kafka-messages/{GroupMetadata,OffsetCommit}{Key,Value}.json).
// Every key and value starts with an int16 schema version; the key's version tells the record
// kind: 0 and 1 are offset commits, 2 is group metadata. A null value is a tombstone.
//
// What 2.4 writes: offset keys v1, group keys v2; offset values v3 (v1 when the commit carried an
// explicit retention time, whose expireTimestamp only v1 can hold); group values v3. Older and
// newer-but-non-flexible versions are read too, so logs written by older brokers load.
import { Reader, Writer } from '../protocol/primitives';
import { array, bytes, int32, int64, string, struct, type Infer, type InferInput } from '../protocol/schema';
import { decodeStruct, encodeStruct } from '../protocol/schema-codec';

const OffsetCommitKeySchema = struct({
  group: string(),
  topic: string(),
  partition: int32(),
});

const GroupMetadataKeySchema = struct({
  group: string(),
});

const OffsetCommitValueSchema = struct({
  offset: int64(),
  leaderEpoch: int32('3+', { default: -1 }),
  metadata: string(),
  commitTimestamp: int64(),
  expireTimestamp: int64('1', { default: -1 }),
});

const MemberMetadataSchema = struct({
  memberId: string(),
  groupInstanceId: string('3+', { nullable: '3+', default: null }),
  clientId: string(),
  clientHost: string(),
  rebalanceTimeout: int32('1+', { default: -1 }),
  sessionTimeout: int32(),
  subscription: bytes(),
  assignment: bytes(),
});

const GroupMetadataValueSchema = struct({
  protocolType: string(),
  generation: int32(),
  protocol: string('0+', { nullable: '0+' }),
  leader: string('0+', { nullable: '0+' }),
  currentStateTimestamp: int64('2+', { default: -1 }),
  members: array('0+', MemberMetadataSchema),
});

export type OffsetCommitValue = Infer<typeof OffsetCommitValueSchema>;
export type GroupMetadataValue = Infer<typeof GroupMetadataValueSchema>;
export type GroupMetadataValueInput = InferInput<typeof GroupMetadataValueSchema>;
export type MemberMetadataValue = Infer<typeof MemberMetadataSchema>;

export const CURRENT_OFFSET_KEY_SCHEMA_VERSION = 1;
export const CURRENT_GROUP_KEY_SCHEMA_VERSION = 2;
export const CURRENT_GROUP_VALUE_SCHEMA_VERSION = 3;

export type GroupRecordKey =
  | { kind: 'offset'; version: number; group: string; topic: string; partition: number }
  | { kind: 'group'; version: number; group: string }
  | { kind: 'unknown'; version: number };

function versioned(version: number, write: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  w.int16(version);
  write(w);
  return w.toBuffer();
}

export function offsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return versioned(CURRENT_OFFSET_KEY_SCHEMA_VERSION, (w) =>
    encodeStruct(OffsetCommitKeySchema, w, CURRENT_OFFSET_KEY_SCHEMA_VERSION, false, { group, topic, partition }),
  );
}

export function groupMetadataKey(group: string): Buffer {
  return versioned(CURRENT_GROUP_KEY_SCHEMA_VERSION, (w) =>
    encodeStruct(GroupMetadataKeySchema, w, CURRENT_GROUP_KEY_SCHEMA_VERSION, false, { group }),
  );
}

/**
 * Reads a record key. A version no Kafka 2.x broker writes is 'unknown', not an error: newer
 * Kafka writes record types this one cannot know, and its loader skips them (KIP-915, Kafka 3.5;
 * Kafka 2.4 threw here and lost the whole partition). A known version that does not parse throws.
 */
export function readMessageKey(buf: Buffer): GroupRecordKey {
  const r = new Reader(buf);
  const version = r.int16();
  if (version === 0 || version === 1) {
    const k = decodeStruct(OffsetCommitKeySchema, r, version, false) as Infer<typeof OffsetCommitKeySchema>;
    return { kind: 'offset', version, group: k.group, topic: k.topic, partition: k.partition };
  }
  if (version === 2) {
    const k = decodeStruct(GroupMetadataKeySchema, r, version, false) as Infer<typeof GroupMetadataKeySchema>;
    return { kind: 'group', version, group: k.group };
  }
  return { kind: 'unknown', version };
}

export interface OffsetAndMetadata {
  offset: number;
  /** -1 when unknown (commits before OffsetCommit v6). */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only set by commits with an explicit retention time (OffsetCommit v2-v4); else null. */
  expireTimestamp: number | null;
}

export function offsetCommitValue(o: OffsetAndMetadata): Buffer {
  const version = o.expireTimestamp !== null ? 1 : 3;
  return versioned(version, (w) =>
    encodeStruct(OffsetCommitValueSchema, w, version, false, {
      offset: o.offset,
      leaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      commitTimestamp: o.commitTimestamp,
      expireTimestamp: o.expireTimestamp ?? -1,
    }),
  );
}

export function readOffsetMessageValue(buf: Buffer): OffsetAndMetadata {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new Error(`Unknown offset commit value version ${version}`);
  const v = decodeStruct(OffsetCommitValueSchema, r, version, false) as OffsetCommitValue;
  return {
    offset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: v.commitTimestamp,
    expireTimestamp: version === 1 && v.expireTimestamp !== -1 ? v.expireTimestamp : null,
  };
}

export function groupMetadataValue(value: GroupMetadataValueInput, version = CURRENT_GROUP_VALUE_SCHEMA_VERSION): Buffer {
  return versioned(version, (w) => encodeStruct(GroupMetadataValueSchema, w, version, false, value));
}

export function readGroupMessageValue(buf: Buffer): { version: number; value: GroupMetadataValue } {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new Error(`Unknown group metadata value version ${version}`);
  return { version, value: decodeStruct(GroupMetadataValueSchema, r, version, false) as GroupMetadataValue };
}
