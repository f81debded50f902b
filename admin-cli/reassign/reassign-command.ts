// The three actions of kafka-reassign-partitions (Kafka 2.4's ReassignPartitionsCommand, ZooKeeper
// mode): --generate proposes an assignment over a broker list, --execute writes
// /admin/reassign_partitions for the controller to act on, --verify compares the request with what
// ZooKeeper says now. Messages are Kafka's. Throttles (--throttle) are not implemented.
import { assignReplicasToBrokers, BrokerMetadata, RackAwareMode } from '../../controller/replica-assignment';
import { AdminZkClient } from '../../controller/zk/admin-zk-client';
import { KafkaZkClient, partitionKey } from '../../controller/zk/kafka-zk-client';
import { NodeExistsError } from '../../controller/zk/zk-errors';
import {
  duplicates,
  formatReassignmentJson,
  parseReassignment,
  parseTopicsToMove,
  ProposedReassignment,
  ReassignCommandError,
} from './reassignment-json';

export type Print = (line: string) => void;

export type ReassignmentStatus = 'completed' | 'in progress' | 'failed';

async function currentAssignment(zk: KafkaZkClient, topics: readonly string[]): Promise<ProposedReassignment[]> {
  const byTopic = await zk.getReplicaAssignment([...new Set(topics)]);
  const out: ProposedReassignment[] = [];
  for (const [topic, partitions] of byTopic) for (const [partition, replicas] of partitions) out.push({ topic, partition, replicas });
  return out;
}

/** --generate: the current assignment of the topics and a proposal over `brokerList`. */
export async function generateAssignment(
  zk: KafkaZkClient,
  topicsJson: string,
  brokerList: number[],
  rackAwareMode: RackAwareMode,
  out: Print,
): Promise<{ current: ProposedReassignment[]; proposed: ProposedReassignment[] }> {
  checkBrokerList(brokerList);
  const topics = parseTopicsToMove(topicsJson);
  const current = await currentAssignment(zk, topics);
  const brokers = await new AdminZkClient(zk).getBrokerMetadatas(rackAwareMode);
  return printProposal(current, brokers, brokerList, out);
}

export function checkBrokerList(brokerList: number[]): void {
  const dupBrokers = duplicates(brokerList);
  if (dupBrokers.length > 0) throw new ReassignCommandError(`Broker list contains duplicate entries: ${dupBrokers.join(',')}`);
}

/** --generate's output over the current assignment and the cluster's brokers (ZooKeeper or Metadata). */
export function printProposal(
  current: ProposedReassignment[],
  allBrokers: readonly BrokerMetadata[],
  brokerList: number[],
  out: Print,
): { current: ProposedReassignment[]; proposed: ProposedReassignment[] } {
  const brokers = allBrokers.filter((b) => brokerList.includes(b.id));
  const proposed: ProposedReassignment[] = [];
  for (const topic of new Set(current.map((p) => p.topic))) {
    const partitions = current.filter((p) => p.topic === topic);
    const rf = partitions.find((p) => p.partition === 0)?.replicas.length ?? partitions[0].replicas.length;
    for (const [partition, replicas] of assignReplicasToBrokers(brokers, partitions.length, rf)) proposed.push({ topic, partition, replicas });
  }
  out(`Current partition replica assignment\n${formatReassignmentJson(current)}\n`);
  out(`Proposed partition reassignment configuration\n${formatReassignmentJson(proposed)}`);
  return { current, proposed };
}

/** Kafka's parseAndValidate: the partitions and brokers named must exist. */
async function parseAndValidate(zk: KafkaZkClient, json: string): Promise<ProposedReassignment[]> {
  const proposed = parseReassignment(json);
  const existing = new Set((await currentAssignment(zk, proposed.map((p) => p.topic))).map((p) => partitionKey(p.topic, p.partition)));
  const missing = proposed.filter((p) => !existing.has(partitionKey(p.topic, p.partition)));
  if (missing.length > 0) {
    throw new ReassignCommandError(`The proposed assignment contains non-existent partitions: ${missing.map((p) => `${p.topic}-${p.partition}`).join(', ')}`);
  }
  const brokers = new Set(await zk.getBrokerIds());
  const unknown = [...new Set(proposed.flatMap((p) => p.replicas))].filter((b) => !brokers.has(b));
  if (unknown.length > 0) throw new ReassignCommandError(`The proposed assignment contains non-existent brokerIDs: ${unknown.join(',')}`);
  return proposed;
}

/**
 * --execute: prints the current assignment (for rollback) and creates /admin/reassign_partitions.
 * Returns false when a reassignment is already running (nothing written).
 */
export async function executeAssignment(zk: KafkaZkClient, json: string, out: Print): Promise<boolean> {
  const proposed = await parseAndValidate(zk, json);
  if ((await zk.getPartitionReassignmentList()) !== null) {
    out('There is an existing assignment running.');
    return false;
  }
  const current = await currentAssignment(zk, proposed.map((p) => p.topic));
  out(`Current partition replica assignment\n\n${formatReassignmentJson(current)}\n\nSave this to use as the --reassignment-json-file option during rollback`);
  try {
    await zk.createPartitionReassignment(proposed);
  } catch (e) {
    if (!(e instanceof NodeExistsError)) throw e;
    const running = (await zk.getPartitionReassignmentList()) ?? [];
    throw new ReassignCommandError(
      `Partition reassignment currently in progress for ${running.map((r) => `${r.topic}-${r.partition} -> [${r.replicas.join(',')}]`).join(', ')}. Aborting operation`,
    );
  }
  out('Successfully started reassignment of partitions.');
  return true;
}

/** --verify: per partition, still listed in /admin/reassign_partitions, or the assignment now equals the request. */
export async function verifyAssignment(zk: KafkaZkClient, json: string, out: Print): Promise<Map<string, ReassignmentStatus>> {
  out('Status of partition reassignment: ');
  const proposed = parseReassignment(json);
  const running = new Set(((await zk.getPartitionReassignmentList()) ?? []).map((r) => partitionKey(r.topic, r.partition)));
  const now = new Map((await currentAssignment(zk, proposed.map((p) => p.topic))).map((p) => [partitionKey(p.topic, p.partition), p.replicas]));
  const statuses = new Map<string, ReassignmentStatus>();
  for (const p of proposed) {
    const key = partitionKey(p.topic, p.partition);
    const replicas = now.get(key);
    const status: ReassignmentStatus = running.has(key)
      ? 'in progress'
      : replicas !== undefined && replicas.length === p.replicas.length && replicas.every((r, i) => r === p.replicas[i])
        ? 'completed'
        : 'failed';
    statuses.set(key, status);
    if (status === 'completed') out(`Reassignment of partition ${key} completed successfully`);
    else if (status === 'in progress') out(`Reassignment of partition ${key} is still in progress`);
    else out(`Reassignment of partition ${key} failed`);
  }
  return statuses;
}
