// kafka-topics' text output, byte for byte as Kafka 2.4 prints it (scripts parse it):
//   Topic: t<TAB>PartitionCount: 3<TAB>ReplicationFactor: 1<TAB>Configs: k=v,k2=v2
//   <TAB>Topic: t<TAB>Partition: 0<TAB>Leader: 0<TAB>Replicas: 0<TAB>Isr: 0
// "Leader: none" when there is no leader; "<TAB>MarkedForDeletion: true" for topics being deleted.
import type { PartitionDescription, TopicDescription } from './topic-service';

export interface DescribeFilters {
  underReplicatedPartitions: boolean;
  unavailablePartitions: boolean;
  topicsWithOverrides: boolean;
}

export function formatTopicLine(t: TopicDescription): string {
  const rf = t.partitions.length > 0 ? t.partitions[0].replicas.length : 0;
  const configs = t.configs.map(([k, v]) => `${k}=${v}`).join(',');
  return (
    `Topic: ${t.name}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs}` +
    (t.markedForDeletion ? '\tMarkedForDeletion: true' : '')
  );
}

export function formatPartitionLine(topic: TopicDescription, p: PartitionDescription): string {
  return (
    `\tTopic: ${topic.name}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}` +
    `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}` +
    (topic.markedForDeletion ? '\tMarkedForDeletion: true' : '')
  );
}

/**
 * The lines of --describe. With a partition filter only matching partition lines are printed
 * (no topic header), as Kafka does; --topics-with-overrides prints only headers of topics
 * with overrides.
 */
export function describeLines(topics: TopicDescription[], filters: DescribeFilters, liveBrokers: Set<number>): string[] {
  const lines: string[] = [];
  const partitionFilter = filters.underReplicatedPartitions || filters.unavailablePartitions;
  for (const t of topics) {
    if (filters.topicsWithOverrides) {
      if (t.configs.length > 0) lines.push(formatTopicLine(t));
      continue;
    }
    if (!partitionFilter) lines.push(formatTopicLine(t));
    for (const p of t.partitions) {
      if (filters.underReplicatedPartitions && !(p.isr.length < p.replicas.length)) continue;
      if (filters.unavailablePartitions && !(p.leader < 0 || !liveBrokers.has(p.leader))) continue;
      lines.push(formatPartitionLine(t, p));
    }
  }
  return lines;
}

/** --topic accepts a regular expression matched against whole names (Kafka's Whitelist). */
export function topicMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern.trim()})$`);
  } catch {
    return (name) => name === pattern;
  }
  return (name) => name === pattern || re.test(name);
}

/** Kafka's warning for names that collide in metric names. */
export function collisionWarning(topic: string): string | null {
  return topic.includes('.') || topic.includes('_')
    ? "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both."
    : null;
}
