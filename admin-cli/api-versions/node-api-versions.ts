// Kafka 2.4's NodeApiVersions.toString(lineBreaks = true), which kafka-broker-api-versions prints:
// every API the 2.4 client knows (ApiKeys 0-47) in key order, as "Name(key): min to max [usable: v]",
// where v is the highest version both the broker and a Kafka 2.4 client speak, "[unusable: node too
// old/new]" when there is none, and "UNSUPPORTED" when the broker does not list the API. Keys the
// 2.4 client does not know print as "UNKNOWN(key): ...". The "usable" column is what a Kafka 2.4
// client would use, so scripts comparing brokers against that client keep working.
import type { VersionRange } from '../client/broker-connection';

/** ApiKeys of Kafka 2.4: name and latest version (every oldest version is 0). */
export const KAFKA_24_API_KEYS: ReadonlyArray<readonly [key: number, name: string, latest: number]> = [
  [0, 'Produce', 8], [1, 'Fetch', 11], [2, 'ListOffsets', 5], [3, 'Metadata', 9], [4, 'LeaderAndIsr', 4],
  [5, 'StopReplica', 2], [6, 'UpdateMetadata', 6], [7, 'ControlledShutdown', 3], [8, 'OffsetCommit', 8],
  [9, 'OffsetFetch', 6], [10, 'FindCoordinator', 3], [11, 'JoinGroup', 6], [12, 'Heartbeat', 4],
  [13, 'LeaveGroup', 4], [14, 'SyncGroup', 4], [15, 'DescribeGroups', 5], [16, 'ListGroups', 3],
  [17, 'SaslHandshake', 1], [18, 'ApiVersions', 3], [19, 'CreateTopics', 5], [20, 'DeleteTopics', 4],
  [21, 'DeleteRecords', 1], [22, 'InitProducerId', 2], [23, 'OffsetForLeaderEpoch', 3], [24, 'AddPartitionsToTxn', 1],
  [25, 'AddOffsetsToTxn', 1], [26, 'EndTxn', 1], [27, 'WriteTxnMarkers', 0], [28, 'TxnOffsetCommit', 2],
  [29, 'DescribeAcls', 1], [30, 'CreateAcls', 1], [31, 'DeleteAcls', 1], [32, 'DescribeConfigs', 2],
  [33, 'AlterConfigs', 1], [34, 'AlterReplicaLogDirs', 1], [35, 'DescribeLogDirs', 1], [36, 'SaslAuthenticate', 1],
  [37, 'CreatePartitions', 1], [38, 'CreateDelegationToken', 2], [39, 'RenewDelegationToken', 1],
  [40, 'ExpireDelegationToken', 1], [41, 'DescribeDelegationToken', 1], [42, 'DeleteGroups', 2], [43, 'ElectLeaders', 2],
  [44, 'IncrementalAlterConfigs', 1], [45, 'AlterPartitionReassignments', 0], [46, 'ListPartitionReassignments', 0],
  [47, 'OffsetDelete', 0],
];

const KNOWN = new Map(KAFKA_24_API_KEYS.map(([key, name, latest]) => [key, { name, latest }]));

function rangeText(r: VersionRange): string {
  return r.minVersion === r.maxVersion ? String(r.minVersion) : `${r.minVersion} to ${r.maxVersion}`;
}

function apiVersionText(key: number, r: VersionRange): string {
  const known = KNOWN.get(key);
  if (!known) return `UNKNOWN(${key}): ${rangeText(r)}`;
  let usable: string;
  if (known.latest < r.minVersion) usable = '[unusable: node too new]';
  else if (r.maxVersion < 0) usable = '[unusable: node too old]';
  else usable = `[usable: ${Math.min(known.latest, r.maxVersion)}]`;
  return `${known.name}(${key}): ${rangeText(r)} ${usable}`;
}

/** The "(\n\tProduce(0): 0 to 7 [usable: 7],\n\t...\n)" block for one broker's ApiVersions. */
export function formatNodeApiVersions(versions: ReadonlyMap<number, VersionRange>): string {
  const lines = new Map<number, string>();
  for (const [key, r] of versions) lines.set(key, apiVersionText(key, r));
  for (const [key, name] of KAFKA_24_API_KEYS) if (!lines.has(key)) lines.set(key, `${name}(${key}): UNSUPPORTED`);
  const ordered = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  return `(\n\t${ordered.join(',\n\t')}\n)`;
}

/** org.apache.kafka.common.Node.toString. */
export function nodeText(node: { nodeId: number; host: string; port: number; rack: string | null }): string {
  return `${node.host}:${node.port} (id: ${node.nodeId} rack: ${node.rack})`;
}
