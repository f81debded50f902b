// Errors of a log's storage (Kafka's KafkaStorageException, KAFKA_STORAGE_ERROR to clients):
// - a full disk (ENOSPC, EDQUOT): the failed append was cut back off the files, the log is exactly
//   as before it and stays online; appends succeed again once space is freed.
// - any other failure (EROFS, EIO, ...), a failed fsync, or a LogRollbackError (a failed write
//   that could not be undone): the log dir goes offline (Kafka's LogDirFailureChannel).
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

/** True when err (raw or wrapped) is a full disk or quota: ENOSPC or EDQUOT. */
export function isOutOfSpace(err: unknown): boolean {
  const errno = storageErrnoOf(err instanceof KafkaStorageError && err.cause !== undefined ? err.cause : err);
  return errno === 'ENOSPC' || errno === 'EDQUOT';
}

/** True when err is a disk or filesystem failure (raw errno or already wrapped). */
export function isStorageError(err: unknown): boolean {
  return err instanceof KafkaStorageError || storageErrnoOf(err) !== null;
}
