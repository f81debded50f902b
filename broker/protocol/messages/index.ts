// Every API Zafka's codec knows, by key. What a broker advertises in ApiVersions is decided by
// the handlers that serve each API, not by this table: a schema here only means the bytes can
// be read and written.

import { AnyApiDefinition } from '../api-definition';
import { CreateAcls, DeleteAcls, DescribeAcls } from './acls';
import { AddOffsetsToTxn } from './add-offsets-to-txn';
import { AddPartitionsToTxn } from './add-partitions-to-txn';
import { AlterConfigs } from './alter-configs';
import { CreateDelegationToken, DescribeDelegationToken, ExpireDelegationToken, RenewDelegationToken } from './delegation-tokens';
import { AlterPartitionReassignments } from './alter-partition-reassignments';
import { AlterReplicaLogDirs } from './alter-replica-log-dirs';
import { ApiVersions } from './api-versions';
import { ControlledShutdown } from './controlled-shutdown';
import { CreatePartitions } from './create-partitions';
import { CreateTopics } from './create-topics';
import { DeleteGroups } from './delete-groups';
import { DeleteRecords } from './delete-records';
import { DeleteTopics } from './delete-topics';
import { DescribeConfigs } from './describe-configs';
import { DescribeGroups } from './describe-groups';
import { DescribeLogDirs } from './describe-log-dirs';
import { ElectLeaders } from './elect-leaders';
import { EndTxn } from './end-txn';
import { Fetch } from './fetch';
import { FindCoordinator } from './find-coordinator';
import { Heartbeat } from './heartbeat';
import { IncrementalAlterConfigs } from './incremental-alter-configs';
import { InitProducerId } from './init-producer-id';
import { JoinGroup } from './join-group';
import { LeaderAndIsr } from './leader-and-isr';
import { LeaveGroup } from './leave-group';
import { ListGroups } from './list-groups';
import { ListOffsets } from './list-offsets';
import { ListPartitionReassignments } from './list-partition-reassignments';
import { Metadata } from './metadata';
import { OffsetCommit } from './offset-commit';
import { OffsetDelete } from './offset-delete';
import { OffsetFetch } from './offset-fetch';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch';
import { Produce } from './produce';
import { SaslAuthenticate } from './sasl-authenticate';
import { SaslHandshake } from './sasl-handshake';
import { StopReplica } from './stop-replica';
import { SyncGroup } from './sync-group';
import { TxnOffsetCommit } from './txn-offset-commit';
import { UpdateMetadata } from './update-metadata';
import { WriteTxnMarkers } from './write-txn-markers';

export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  EndTxn,
  CreateDelegationToken,
  DescribeDelegationToken,
  ExpireDelegationToken,
  RenewDelegationToken,
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  AlterConfigs,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  ApiVersions,
  ControlledShutdown,
  CreatePartitions,
  CreateTopics,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeConfigs,
  DescribeGroups,
  DescribeLogDirs,
  ElectLeaders,
  Fetch,
  FindCoordinator,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  LeaderAndIsr,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  ListPartitionReassignments,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  SaslAuthenticate,
  SaslHandshake,
  StopReplica,
  SyncGroup,
  TxnOffsetCommit,
  UpdateMetadata,
  WriteTxnMarkers,
};

/** All APIs, ascending by key. */
export const allApis: readonly AnyApiDefinition[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  LeaderAndIsr,
  StopReplica,
  UpdateMetadata,
  ControlledShutdown,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  AlterReplicaLogDirs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  CreateDelegationToken,
  RenewDelegationToken,
  ExpireDelegationToken,
  DescribeDelegationToken,
  DeleteGroups,
  ElectLeaders,
  IncrementalAlterConfigs,
  AlterPartitionReassignments,
  ListPartitionReassignments,
  OffsetDelete,
] as readonly AnyApiDefinition[];

const byKey: Array<AnyApiDefinition | undefined> = [];
for (const api of allApis) byKey[api.apiKey] = api;

export function apiByKey(key: number): AnyApiDefinition | undefined {
  return key >= 0 ? byKey[key] : undefined;
}
