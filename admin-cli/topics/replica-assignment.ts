// Kafka's --replica-assignment syntax: partitions separated by ',', the replicas of each
// partition by ':' ("1:2,2:3" = partition 0 on brokers 1,2 and partition 1 on 2,3). Every
// partition must have the same number of replicas and no broker twice (TopicCommand's rules).
import { UsageError } from '../shared/usage-error';

export function parseReplicaAssignment(value: string): number[][] {
  const partitions = value.split(',');
  const result: number[][] = [];
  for (let i = 0; i < partitions.length; i++) {
    const brokers = partitions[i].split(':').map((s) => {
      const t = s.trim();
      if (!/^\d+$/.test(t)) throw new UsageError(`Invalid --replica-assignment '${value}': '${t}' is not a broker id`);
      return Number(t);
    });
    const dupes = brokers.filter((b, j) => brokers.indexOf(b) !== j);
    if (dupes.length > 0) throw new UsageError(`Partition replica lists may not contain duplicate entries: ${[...new Set(dupes)].join(',')}`);
    if (result.length > 0 && brokers.length !== result[0].length) {
      throw new UsageError(`Partition ${i} has different replication factor: ${brokers.join(',')}`);
    }
    result.push(brokers);
  }
  return result;
}
