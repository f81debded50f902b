// ElectLeaders (v0, preferred replica election) sent to the controller, as the AdminClient's
// electLeaders: a partition answered NOT_CONTROLLER (the controller moved) is retried after a
// metadata refresh. Shared by kafka-leader-election and kafka-preferred-replica-election.
import { ErrorCode } from '../../broker/protocol/errors';
import { ElectLeaders } from '../../broker/protocol/messages/elect-leaders';
import { ClusterClient } from '../client/cluster-client';
import { sleep } from '../client/retry';
import type { ElectionPartition } from './election-json';

export interface ElectionResult extends ElectionPartition {
  errorCode: ErrorCode;
  errorMessage: string | null;
}

/** partitions null = every partition of the cluster. */
export async function electPreferredLeaders(client: ClusterClient, partitions: ElectionPartition[] | null, timeoutMs: number): Promise<ElectionResult[]> {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions ?? []) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  const topicPartitions = partitions === null ? null : [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }));
  for (let attempt = 0; ; attempt++) {
    const { response } = await client.sendToController(ElectLeaders, { topicPartitions, timeoutMs }, { timeoutMs: timeoutMs + 5000 });
    const results = response.replicaElectionResults.flatMap((t) =>
      t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, errorCode: p.errorCode as ErrorCode, errorMessage: p.errorMessage })),
    );
    const moved = results.length > 0 && results.every((r) => r.errorCode === ErrorCode.NOT_CONTROLLER);
    if (!moved || attempt >= client.retries) return results;
    await sleep(client.retryBackoffMs * (attempt + 1));
    await client.refreshMetadata([]);
  }
}

/** Kafka's exception text for an error code ("PreferredLeaderNotAvailableException: ..."). */
export function describeError(r: ElectionResult): string {
  const name = (ErrorCode[r.errorCode] ?? `ERROR_${r.errorCode}`)
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${name}Exception: ${r.errorMessage ?? ErrorCode[r.errorCode] ?? r.errorCode}`;
}
