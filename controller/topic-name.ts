// Topic name rules, as Kafka's org.apache.kafka.common.internals.Topic: a name is a directory name
// (<topic>-<partition>) and a metric name, hence the character set and the 249 limit (255 for a file
// name minus room for "-<partition>" and the ".deleted"-style suffixes). '.' and '_' collide in
// metric names, so two topics that differ only there cannot coexist.
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaError } from '../broker/protocol/kafka-error';

export const MAX_TOPIC_NAME_LENGTH = 249;
export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC_NAME = '__transaction_state';
const INTERNAL_TOPICS = new Set([GROUP_METADATA_TOPIC_NAME, TRANSACTION_STATE_TOPIC_NAME]);

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Throws KafkaError(INVALID_TOPIC_EXCEPTION) with Kafka's wording when the name is illegal. */
export function validateTopicName(topic: string): void {
  if (topic.length === 0) {
    throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be empty");
  }
  if (topic === '.' || topic === '..') {
    throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, 'Topic name cannot be "." or ".."');
  }
  if (topic.length > MAX_TOPIC_NAME_LENGTH) {
    throw new KafkaError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${topic}`,
    );
  }
  if (!LEGAL.test(topic)) {
    throw new KafkaError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic name "${topic}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    );
  }
}

/** True for Kafka's internal topics (__consumer_offsets, __transaction_state). */
export function isInternal(topic: string): boolean {
  return INTERNAL_TOPICS.has(topic);
}
export const isInternalTopic = isInternal;

/** Names with '.' or '_' may collide with another topic in metric names. */
export function hasCollisionChars(topic: string): boolean {
  return topic.includes('_') || topic.includes('.');
}

/** The metric-name form: '.' becomes '_'. */
export function unifyCollisionChars(topic: string): string {
  return topic.replace(/\./g, '_');
}

/** True when the two names are equal once '.' and '_' are unified. */
export function hasCollision(a: string, b: string): boolean {
  return unifyCollisionChars(a) === unifyCollisionChars(b);
}
