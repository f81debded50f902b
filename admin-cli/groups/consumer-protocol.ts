// The "consumer" protocol's member assignment bytes (Kafka's ConsumerProtocol, versions 0-1):
// version int16, [topic string, [partition int32]], user data bytes (v1 adds nothing we read).
// DescribeGroups hands them over opaque; --describe decodes them to show who owns what.
export interface MemberAssignment {
  topic: string;
  partitions: number[];
}

export function decodeMemberAssignment(bytes: Buffer | null | undefined): MemberAssignment[] {
  if (!bytes || bytes.length < 2) return [];
  try {
    let pos = 2; // version
    const topicCount = bytes.readInt32BE(pos);
    pos += 4;
    const out: MemberAssignment[] = [];
    for (let i = 0; i < topicCount; i++) {
      const len = bytes.readInt16BE(pos);
      pos += 2;
      const topic = bytes.toString('utf8', pos, pos + len);
      pos += len;
      const n = bytes.readInt32BE(pos);
      pos += 4;
      const partitions: number[] = [];
      for (let j = 0; j < n; j++, pos += 4) partitions.push(bytes.readInt32BE(pos));
      out.push({ topic, partitions });
    }
    return out;
  } catch {
    // Not the consumer protocol (e.g. Kafka Connect's): nothing to show.
    return [];
  }
}
