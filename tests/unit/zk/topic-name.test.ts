import { ErrorCode } from '../../../broker/protocol/errors';
import { KafkaError } from '../../../broker/protocol/kafka-error';
import { hasCollision, hasCollisionChars, isInternal, validateTopicName } from '../../../controller/topic-name';

function rejection(name: string): KafkaError | undefined {
  try {
    validateTopicName(name);
  } catch (e) {
    return e as KafkaError;
  }
  return undefined;
}

describe('validateTopicName', () => {
  it.each(['t', 'my-topic_1.x', 'A'.repeat(249), '__consumer_offsets', '...'])('accepts %s', (name) => {
    expect(rejection(name)).toBeUndefined();
  });

  it.each([
    ['', "can't be empty"],
    ['.', 'cannot be "." or ".."'],
    ['..', 'cannot be "." or ".."'],
    ['a'.repeat(250), "can't be longer than 249 characters"],
    ['with space', 'contains a character other than ASCII alphanumerics'],
    ['slash/topic', 'contains a character other than ASCII alphanumerics'],
    ['ünïcode', 'contains a character other than ASCII alphanumerics'],
  ])('rejects %j with INVALID_TOPIC_EXCEPTION', (name, message) => {
    const e = rejection(name);
    expect(e).toBeInstanceOf(KafkaError);
    expect(e!.code).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(e!.message).toContain(message);
  });
});

describe('collisions and internal topics', () => {
  it('treats . and _ as the same character', () => {
    expect(hasCollisionChars('a.b')).toBe(true);
    expect(hasCollisionChars('ab')).toBe(false);
    expect(hasCollision('a.b', 'a_b')).toBe(true);
    expect(hasCollision('a.b', 'a-b')).toBe(false);
  });

  it('knows the internal topics', () => {
    expect(isInternal('__consumer_offsets')).toBe(true);
    expect(isInternal('__transaction_state')).toBe(true);
    expect(isInternal('consumer_offsets')).toBe(false);
  });
});
