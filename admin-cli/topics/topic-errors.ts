// Messages for per-topic error codes, worded as Kafka's exceptions word them, for answers that
// carry no error message of their own (DeleteTopics, CreateTopics v0).
import { ErrorCode } from '../../broker/protocol/errors';

export function describeError(code: number, topic: string): string {
  switch (code) {
    case ErrorCode.TOPIC_ALREADY_EXISTS:
      return `Topic '${topic}' already exists.`;
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return `Topic '${topic}' does not exist as expected`;
    case ErrorCode.INVALID_PARTITIONS:
      return 'Invalid number of partitions.';
    case ErrorCode.INVALID_REPLICATION_FACTOR:
      return 'Invalid replication factor.';
    case ErrorCode.INVALID_REPLICA_ASSIGNMENT:
      return 'Invalid replica assignment.';
    case ErrorCode.INVALID_TOPIC_EXCEPTION:
      return `Topic name "${topic}" is illegal.`;
    case ErrorCode.INVALID_CONFIG:
      return 'Invalid topic config.';
    case ErrorCode.TOPIC_DELETION_DISABLED:
      return 'Topic deletion is disabled.';
    case ErrorCode.REQUEST_TIMED_OUT:
      return `Timed out waiting for the operation on topic ${topic} to complete.`;
    case ErrorCode.NOT_CONTROLLER:
      return 'This is not the correct controller for this cluster.';
    default:
      return `${ErrorCode[code] ?? 'error code ' + code}`;
  }
}
