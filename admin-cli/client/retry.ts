// Which errors are worth a metadata refresh and another try, and the backoff between tries.
// The set follows Kafka's RetriableException subclasses that a plain client meets.
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';

const RETRIABLE = new Set<ErrorCode>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.NOT_CONTROLLER,
  ErrorCode.BROKER_NOT_AVAILABLE,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_COORDINATOR,
]);

/** Errors after which the leader (or controller) may have moved: refresh metadata first. */
const NEEDS_METADATA = new Set<ErrorCode>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.NOT_CONTROLLER,
  ErrorCode.BROKER_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
]);

export function isRetriable(code: ErrorCode): boolean {
  return RETRIABLE.has(code);
}

export function needsMetadataRefresh(code: ErrorCode): boolean {
  return NEEDS_METADATA.has(code);
}

/** The error code of anything thrown; connection-level failures count as NETWORK_EXCEPTION. */
export function codeOfError(err: unknown): ErrorCode {
  if (err instanceof KafkaError) return err.code;
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

export function errorName(code: ErrorCode): string {
  return ErrorCode[code] ?? `error code ${code}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff with jitter, capped: attempt 0 waits about baseMs. */
export function backoffMs(attempt: number, baseMs: number, maxMs = 1000): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 10));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}
