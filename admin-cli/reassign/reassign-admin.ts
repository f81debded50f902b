// kafka-reassign-partitions --bootstrap-server (Kafka 2.5's ReassignPartitionsCommand over the
// AdminClient, KIP-455): --generate reads Metadata, --execute sends AlterPartitionReassignments
// and --verify ListPartitionReassignments (both to the controller) plus Metadata. Output lines
// follow the --zookeeper path (reassign-command.ts) where Kafka 2.5 and 2.4 agree in substance,
// so scripts that grep "completed successfully" keep working.
import { brokersForRackMode, RackAwareMode } from '../../controller/replica-assignment';
import { ErrorCode } from '../../broker/protocol/errors';
import { KafkaError } from '../../broker/protocol/kafka-error';
import { AlterPartitionReassignments } from '../../broker/protocol/messages/alter-partition-reassignments';
import { ListPartitionReassignments, ListPartitionReassignmentsResponse } from '../../broker/protocol/messages/list-partition-reassignments';
import { ClusterClient } from '../client/cluster-client';
import { sleep } from '../client/retry';
import { checkBrokerList, Print, printProposal, ReassignmentStatus } from './reassign-command';
import { formatReassignmentJson, parseReassignment, parseTopicsToMove, ProposedReassignment, ReassignCommandError } from './reassignment-json';

const key = (topic: string, partition: number) => `${topic}-${partition}`;

/** The current assignment of these topics from Metadata; unknown topics are left out. */
async function currentAssignment(client: ClusterClient, topics: readonly string[]): Promise<ProposedReassignment[]> {
  const md = await client.refreshMetadata([...new Set(topics)]);
  const out: ProposedReassignment[] = [];
  for (const topic of new Set(topics)) {
    const t = md.topics.get(topic);
    if (t === undefined || t.errorCode !== ErrorCode.NONE) continue;
    for (const p of t.partitions) out.push({ topic, partition: p.partition, replicas: [...p.replicas] });
  }
  return out;
}

export async function generateAssignmentAdmin(client: ClusterClient, topicsJson: string, brokerList: number[], rackAwareMode: RackAwareMode, out: Print) {
  checkBrokerList(brokerList);
  const current = await currentAssignment(client, parseTopicsToMove(topicsJson));
  const brokers = brokersForRackMode([...client.metadata.brokers.values()].map((b) => ({ id: b.nodeId, rack: b.rack })), rackAwareMode);
  return printProposal(current, brokers, brokerList, out);
}

/** ListPartitionReassignments at the controller (topics null = all), retried when the controller moved. */
async function listReassignments(client: ClusterClient, topics: { name: string; partitionIndexes: number[] }[] | null): Promise<ListPartitionReassignmentsResponse> {
  for (let attempt = 0; ; attempt++) {
    const { response } = await client.sendToController(ListPartitionReassignments, { topics, timeoutMs: 30000 });
    if (response.errorCode === ErrorCode.NONE) return response;
    if (response.errorCode !== ErrorCode.NOT_CONTROLLER || attempt >= client.retries) {
      throw new KafkaError(response.errorCode as ErrorCode, response.errorMessage ?? `ListPartitionReassignments failed: ${ErrorCode[response.errorCode]}`);
    }
    await sleep(client.retryBackoffMs * (attempt + 1));
    await client.refreshMetadata([]);
  }
}

function ongoingKeys(res: ListPartitionReassignmentsResponse): Map<string, number[]> {
  return new Map(res.topics.flatMap((t) => t.partitions.map((p) => [key(t.name, p.partitionIndex), p.replicas] as [string, number[]])));
}

/**
 * --execute: refuses while any reassignment runs (Kafka 2.5 without --additional), prints the
 * current assignment for rollback, then AlterPartitionReassignments; any partition error fails.
 */
export async function executeAssignmentAdmin(client: ClusterClient, json: string, out: Print): Promise<void> {
  const proposed = parseReassignment(json);
  const current = await currentAssignment(client, proposed.map((p) => p.topic));
  const existing = new Set(current.map((p) => key(p.topic, p.partition)));
  const missing = proposed.filter((p) => !existing.has(key(p.topic, p.partition)));
  if (missing.length > 0) {
    throw new ReassignCommandError(`The proposed assignment contains non-existent partitions: ${missing.map((p) => key(p.topic, p.partition)).join(', ')}`);
  }
  const brokers = new Set(client.metadata.brokers.keys());
  const unknown = [...new Set(proposed.flatMap((p) => p.replicas))].filter((b) => !brokers.has(b));
  if (unknown.length > 0) throw new ReassignCommandError(`The proposed assignment contains non-existent brokerIDs: ${unknown.join(',')}`);
  if (ongoingKeys(await listReassignments(client, null)).size > 0) {
    throw new ReassignCommandError(
      'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one.',
    );
  }
  const wanted = new Set(proposed.map((p) => key(p.topic, p.partition)));
  const rollback = current.filter((p) => wanted.has(key(p.topic, p.partition)));
  out(`Current partition replica assignment\n\n${formatReassignmentJson(rollback)}\n\nSave this to use as the --reassignment-json-file option during rollback`);

  const byTopic = new Map<string, { partitionIndex: number; replicas: number[] }[]>();
  for (const p of proposed) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), { partitionIndex: p.partition, replicas: p.replicas }]);
  const topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
  let errors: { tp: string; errorCode: number; errorMessage: string | null }[] = [];
  for (let attempt = 0; ; attempt++) {
    const { response } = await client.sendToController(AlterPartitionReassignments, { timeoutMs: 30000, topics }, { timeoutMs: 35000 });
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode as ErrorCode, response.errorMessage ?? ErrorCode[response.errorCode]);
    const results = response.responses.flatMap((t) => t.partitions.map((p) => ({ tp: key(t.name, p.partitionIndex), errorCode: p.errorCode, errorMessage: p.errorMessage })));
    errors = results.filter((r) => r.errorCode !== ErrorCode.NONE);
    const moved = results.length > 0 && results.every((r) => r.errorCode === ErrorCode.NOT_CONTROLLER);
    if (!moved || attempt >= client.retries) break;
    await sleep(client.retryBackoffMs * (attempt + 1));
    await client.refreshMetadata([]);
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.tp}: ${e.errorMessage ?? ErrorCode[e.errorCode] ?? e.errorCode}`);
    throw new ReassignCommandError(`Error reassigning partition(s):\n${lines.join('\n')}`);
  }
  const names = proposed.map((p) => key(p.topic, p.partition));
  out(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}`);
}

/**
 * --verify: a partition listed by ListPartitionReassignments is still in progress; otherwise it
 * completed when Metadata shows the requested replicas, and failed when it shows others.
 */
export async function verifyAssignmentAdmin(client: ClusterClient, json: string, out: Print): Promise<Map<string, ReassignmentStatus>> {
  out('Status of partition reassignment: ');
  const proposed = parseReassignment(json);
  const byTopic = new Map<string, number[]>();
  for (const p of proposed) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  const running = ongoingKeys(await listReassignments(client, [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }))));
  const now = new Map((await currentAssignment(client, proposed.map((p) => p.topic))).map((p) => [key(p.topic, p.partition), p.replicas]));
  const statuses = new Map<string, ReassignmentStatus>();
  for (const p of proposed) {
    const k = key(p.topic, p.partition);
    const replicas = now.get(k);
    const same = replicas !== undefined && replicas.length === p.replicas.length && replicas.every((r, i) => r === p.replicas[i]);
    const status: ReassignmentStatus = running.has(k) ? 'in progress' : same ? 'completed' : 'failed';
    statuses.set(k, status);
    if (status === 'completed') out(`Reassignment of partition ${k} completed successfully`);
    else if (status === 'in progress') out(`Reassignment of partition ${k} is still in progress`);
    else out(`There is no active reassignment of partition ${k}, but replica set is ${(replicas ?? []).join(',')} rather than ${p.replicas.join(',')}.`);
  }
  return statuses;
}
