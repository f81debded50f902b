import { ErrorCode } from './errors';

/**
 * An error that maps to one Kafka error code. Subsystems throw it; handlers turn it into the
 * per-partition / per-topic error field of the response instead of failing the connection.
 */
export class KafkaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ErrorCode[code]);
    this.name = `KafkaError(${ErrorCode[code]})`;
  }
}

/**
 * errno codes of a failing disk or filesystem: Kafka turns such an IOException into
 * KafkaStorageException (KAFKA_STORAGE_ERROR, retriable), never UNKNOWN_SERVER_ERROR.
 */
const STORAGE_ERRNO_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'EBADF', 'ESTALE', 'ENXIO']);

/** The errno code (ENOSPC, EIO, ...) when err is a filesystem failure of the storage kind, else null. */
export function storageErrnoOf(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && STORAGE_ERRNO_CODES.has(code) ? code : null;
}

/** The error code for anything thrown: KafkaError's own, KAFKA_STORAGE_ERROR for a disk failure, else UNKNOWN_SERVER_ERROR. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (err instanceof KafkaError) return err.code;
  return storageErrnoOf(err) ? ErrorCode.KAFKA_STORAGE_ERROR : ErrorCode.UNKNOWN_SERVER_ERROR;
}
