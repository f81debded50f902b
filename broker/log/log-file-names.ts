// Kafka's on-disk names (ARCHITECTURE §4): segment files are named by their base offset, 20 digits
// zero-padded; partition directories are <topic>-<partition>; a directory being deleted is renamed
// <topic>-<partition>.<uuid>-delete first so a crash mid-delete never leaves a half log behind.
import { randomUUID } from 'crypto';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const TXN_INDEX_FILE_SUFFIX = '.txnindex';
/** Kafka renames a segment's files with these suffixes while deleting / compacting them. */
export const DELETED_FILE_SUFFIX = '.deleted';
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';
export const DELETE_DIR_SUFFIX = '-delete';
export const FUTURE_DIR_SUFFIX = '-future';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

/** "00000000000000000042" for 42. */
export function filenamePrefixFromOffset(offset: number): string {
  return String(offset).padStart(20, '0');
}

/** Base offset of a segment file name such as 00000000000000000042.log, or null. */
export function offsetFromFileName(name: string): number | null {
  const m = /^(\d{20})\./.exec(name);
  return m ? Number(m[1]) : null;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The directory name of a partition's log. */
export function topicPartitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * Parses <topic>-<partition>. Topic names may contain '-', so the partition is after the last one.
 * Returns null for names that are not partition directories.
 */
export function parseTopicPartitionDirName(name: string): TopicPartition | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const partStr = name.slice(dash + 1);
  if (!/^\d+$/.test(partStr)) return null;
  return { topic: name.slice(0, dash), partition: Number(partStr) };
}

/** Longest file name most file systems take (ext4, xfs, tmpfs: 255 bytes). */
const MAX_FILE_NAME_LENGTH = 255;

/**
 * <topic>-<partition>.<uuid without dashes>-delete, as Kafka names a log dir scheduled for
 * deletion; the topic is cut so the name stays within 255 characters (a legal 249-character
 * topic would otherwise fail the rename with ENAMETOOLONG and never be deleted: KAFKA-4893,
 * Kafka 2.4's Log.logDeleteDirName). Topic names are ASCII, so characters are bytes.
 */
export function deleteDirName(topic: string, partition: number): string {
  const suffix = `-${partition}.${randomUUID().replace(/-/g, '')}${DELETE_DIR_SUFFIX}`;
  return `${topic.slice(0, Math.min(topic.length, MAX_FILE_NAME_LENGTH - suffix.length))}${suffix}`;
}
