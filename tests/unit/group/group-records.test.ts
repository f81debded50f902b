// __consumer_offsets key/value bytes, derived by hand from the JSON schemas in
// shared/reference/kafka-messages (int16 version prefix, then the fields in order, classic
// encodings: string = int16 length + UTF-8, nullable string null = -1, bytes = int32 length).
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  readGroupMessageValue,
  readMessageKey,
  readOffsetMessageValue,
} from '../../../broker/group/group-records';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('__consumer_offsets record formats', () => {
  it('OffsetCommitKey v1 and GroupMetadataKey v2', () => {
    expect(offsetCommitKey('g', 't', 3)).toEqual(hex('0001 0001 67 0001 74 00000003'));
    expect(groupMetadataKey('g')).toEqual(hex('0002 0001 67'));
    expect(readMessageKey(hex('0000 0001 67 0001 74 00000003'))).toEqual({ kind: 'offset', version: 0, group: 'g', topic: 't', partition: 3 });
    expect(readMessageKey(hex('0002 0002 6767'))).toEqual({ kind: 'group', version: 2, group: 'gg' });
    // A version no 2.x broker writes (a newer Kafka's record type) is reported, not thrown (KIP-915).
    expect(readMessageKey(hex('0007 0001 67'))).toEqual({ kind: 'unknown', version: 7 });
  });

  it('OffsetCommitValue v3 (default) and v1 (explicit expiry)', () => {
    const v3 = offsetCommitValue({ offset: 5, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1000, expireTimestamp: null });
    expect(v3).toEqual(hex('0003 0000000000000005 ffffffff 0001 6d 00000000000003e8'));
    const v1 = offsetCommitValue({ offset: 5, leaderEpoch: 7, metadata: 'm', commitTimestamp: 1000, expireTimestamp: 2000 });
    expect(v1).toEqual(hex('0001 0000000000000005 0001 6d 00000000000003e8 00000000000007d0'));
    expect(readOffsetMessageValue(v1)).toEqual({ offset: 5, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1000, expireTimestamp: 2000 });
    expect(readOffsetMessageValue(v3)).toEqual({ offset: 5, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1000, expireTimestamp: null });
    // v2: offset, metadata, commit timestamp
    expect(readOffsetMessageValue(hex('0002 0000000000000009 0000 0000000000000001'))).toEqual({ offset: 9, leaderEpoch: -1, metadata: '', commitTimestamp: 1, expireTimestamp: null });
  });

  it('GroupMetadataValue v3 with a member, and an empty group', () => {
    const bytes = groupMetadataValue({
      protocolType: 'c',
      generation: 2,
      protocol: 'r',
      leader: 'm',
      currentStateTimestamp: 16,
      members: [{ memberId: 'm', groupInstanceId: null, clientId: 'c', clientHost: '/h', rebalanceTimeout: 300, sessionTimeout: 100, subscription: hex('aa'), assignment: hex('bbcc') }],
    });
    expect(bytes).toEqual(
      hex(
        '0003' + '0001 63' + '00000002' + '0001 72' + '0001 6d' + '0000000000000010' + '00000001' +
          '0001 6d' + 'ffff' + '0001 63' + '0002 2f68' + '0000012c' + '00000064' + '00000001 aa' + '00000002 bbcc',
      ),
    );
    expect(readGroupMessageValue(bytes).value.members[0]).toMatchObject({ memberId: 'm', groupInstanceId: null, rebalanceTimeout: 300, sessionTimeout: 100 });
    const empty = groupMetadataValue({ protocolType: 'consumer', generation: 3, protocol: null, leader: null, currentStateTimestamp: 1, members: [] });
    expect(empty).toEqual(hex('0003 0008 636f6e73756d6572 00000003 ffff ffff 0000000000000001 00000000'));
  });

  it('reads GroupMetadataValue v0 (no rebalance timeout, no state timestamp)', () => {
    const v0 = hex('0000 0001 63 00000001 0001 72 0001 6d 00000001 0001 6d 0001 63 0001 68 00000064 00000000 00000000');
    const { version, value } = readGroupMessageValue(v0);
    expect(version).toBe(0);
    expect(value).toMatchObject({ protocolType: 'c', generation: 1, protocol: 'r', leader: 'm', currentStateTimestamp: -1 });
    expect(value.members[0]).toMatchObject({ memberId: 'm', clientHost: 'h', rebalanceTimeout: -1, sessionTimeout: 100 });
  });
});
