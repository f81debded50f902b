// How --print-data-log shows keys and values, as DumpLogSegments' MessageParsers: UTF-8 strings
// by default (kafka.serializer.StringDecoder), or --offsets-decoder for __consumer_offsets
// records ("offset::group:topic:partition" -> "offset[:metadata]", group metadata as JSON).
import { readGroupMessageValue, readMessageKey, readOffsetMessageValue } from '../../broker/group/group-records';
import { decodeMemberAssignment } from '../groups/consumer-protocol';

export interface ParsedRecord {
  key?: string;
  payload?: string;
}

export type MessageParser = (key: Buffer | null, value: Buffer | null) => ParsedRecord;

export const stringParser: MessageParser = (key, value) => ({
  key: key === null ? undefined : key.toString('utf8'),
  payload: value === null ? undefined : value.toString('utf8'),
});

/** java.util.List<TopicPartition>.toString: "[t-0, t-1]". */
function partitionsText(assignment: ReturnType<typeof decodeMemberAssignment>): string {
  return `[${assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}-${p}`)).join(', ')}]`;
}

export const offsetsParser: MessageParser = (key, value) => {
  if (value === null) return {};
  if (key === null) throw new Error('Failed to decode message using offset topic decoder (message had a missing key)');
  const k = readMessageKey(key);
  if (k.kind === 'offset') {
    const o = readOffsetMessageValue(value);
    return { key: `offset::${k.group}:${k.topic}:${k.partition}`, payload: o.metadata === '' ? String(o.offset) : `${o.offset}:${o.metadata}` };
  }
  if (k.kind === 'group') {
    const g = readGroupMessageValue(value).value;
    const assignment = g.members.map((m) =>
      g.protocolType === 'consumer' ? `${m.memberId}=${partitionsText(decodeMemberAssignment(m.assignment))}` : `${m.memberId}=${m.assignment.toString('hex').toUpperCase().replace(/^0+(?=.)/, '')}`,
    );
    return {
      key: JSON.stringify({ metadata: k.group }),
      payload: JSON.stringify({ protocolType: g.protocolType, protocol: g.protocol, generationId: g.generation, assignment: `{${assignment.join(',')}}` }),
    };
  }
  throw new Error('Failed to decode message using offset topic decoder (message had an invalid key)');
};
