// Errors of a log's storage (Kafka's KafkaStorageException). Two kinds matter:
// - KafkaStorageError: an operation failed (ENOSPC, EROFS, EIO, ...) but the log is exactly as it
//   was before it (a failed append was cut back off the files): retrying later is safe.
// - LogRollbackError: a failed write could not be undone, so the files no longer match what the
//   log believes; the log dir cannot be trusted and goes offline (Kafka's LogDirFailureChannel).
import { ErrorCode } from '../protocol/errors';
import { KafkaError, storageErrnoOf } from '../protocol/kafka-error';

export class KafkaStorageError extends KafkaError {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(ErrorCode.KAFKA_STORAGE_ERROR, message);
  }
}

export class LogRollbackError extends KafkaStorageError {}

/** "ENOSPC: no space left on device, write" style text for any error. */
export function describeStorageError(err: unknown): string {
  if (err instanceof KafkaStorageError && err.cause !== undefined) return describeStorageError(err.cause);
  return (err as Error)?.message ?? String(err);
}

/** True when err is a disk or filesystem failure (raw errno or already wrapped). */
export function isStorageError(err: unknown): boolean {
  return err instanceof KafkaStorageError || storageErrnoOf(err) !== null;
}
