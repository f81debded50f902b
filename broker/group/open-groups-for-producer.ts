// Which groups hold transactional offset commits of which producer (Kafka's
// GroupMetadataManager.openGroupsForProducer). A transaction marker names a producer and one
// __consumer_offsets partition, not groups: this index finds the groups the marker decides.
export class OpenGroupsForProducer {
  private readonly groupsByProducer = new Map<number, Set<string>>();

  add(producerId: number, groupId: string): void {
    let groups = this.groupsByProducer.get(producerId);
    if (!groups) this.groupsByProducer.set(producerId, (groups = new Set()));
    groups.add(groupId);
  }

  remove(producerId: number, groupId: string): void {
    const groups = this.groupsByProducer.get(producerId);
    if (!groups) return;
    groups.delete(groupId);
    if (groups.size === 0) this.groupsByProducer.delete(producerId);
  }

  /** The producer's groups that live in one of these offsets partitions. */
  groupsIn(producerId: number, partitions: ReadonlySet<number>, partitionFor: (groupId: string) => number): string[] {
    return [...(this.groupsByProducer.get(producerId) ?? [])].filter((g) => partitions.has(partitionFor(g)));
  }

  /** A group that left the cache (deleted, expired, or its partition unloaded). */
  removeGroup(groupId: string): void {
    for (const producerId of [...this.groupsByProducer.keys()]) this.remove(producerId, groupId);
  }
}
