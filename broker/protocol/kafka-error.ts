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

/** The error code for anything thrown: KafkaError's own, UNKNOWN_SERVER_ERROR otherwise. */
export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof KafkaError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
}
