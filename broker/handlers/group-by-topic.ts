// Responses list partitions under their topic; subsystems answer per partition. One helper
// regroups them, in first-seen topic order (Map keeps insertion order).
export function groupByTopic<T extends { topic: string }>(items: Iterable<T>): Map<string, T[]> {
  const byTopic = new Map<string, T[]>();
  for (const item of items) {
    const list = byTopic.get(item.topic);
    if (list) list.push(item);
    else byTopic.set(item.topic, [item]);
  }
  return byTopic;
}
