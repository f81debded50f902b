// /log_dir_event_notification/log_dir_event_<seq>: the exact bytes Kafka 2.4 writes, and every
// malformed znode decoded to a reason (the controller logs it once and skips it) instead of a throw.
import { decodeLogDirEvent } from '../../../controller/zk/log-dir-event-notifications';
import { LogDirEventNotificationSequenceZNode } from '../../../controller/zk/zk-data';

describe('log dir event notifications', () => {
  it("encodes Kafka 2.4's {\"version\":1,\"broker\":<id>,\"event\":1} and decodes it back", () => {
    const bytes = LogDirEventNotificationSequenceZNode.encode(3);
    expect(bytes.toString()).toBe('{"version":1,"broker":3,"event":1}');
    expect(decodeLogDirEvent(bytes)).toEqual({ broker: 3 });
    expect(LogDirEventNotificationSequenceZNode.path()).toBe('/log_dir_event_notification/log_dir_event_');
  });

  it.each([
    ['empty znode', null],
    ['not JSON', Buffer.from('{broker:1')],
    ['an array', Buffer.from('[1]')],
    ['JSON null', Buffer.from('null')],
    ['no version', Buffer.from('{"broker":1,"event":1}')],
    ['a string broker id', Buffer.from('{"version":1,"broker":"1","event":1}')],
    ['a negative broker id', Buffer.from('{"version":1,"broker":-1,"event":1}')],
    ['a fractional broker id', Buffer.from('{"version":1,"broker":1.5,"event":1}')],
    ['an unknown event', Buffer.from('{"version":1,"broker":1,"event":7}')],
  ])('a bad znode (%s) gets a reason, never an exception', (_what, bytes) => {
    const decoded = decodeLogDirEvent(bytes);
    expect('error' in decoded).toBe(true);
  });
});
