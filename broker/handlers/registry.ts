// Every API this broker serves. ApiVersions advertises exactly these ranges (Kafka 2.3's, plus
// ApiVersions v3, IncrementalAlterConfigs v1, CreateDelegationToken v2 and
// Alter/ListPartitionReassignments v0 and OffsetDelete v0 from 2.4, InitProducerId 0-2, AddPartitionsToTxn,
// AddOffsetsToTxn and EndTxn 0-1, TxnOffsetCommit 0-2 as 2.4), so clients such as kafka-python infer a
// consistent broker version. SaslHandshake, SaslAuthenticate, the ACL and the delegation-token
// APIs are listed on PLAINTEXT listeners too and answer as Kafka 2.4 does there (no SASL, no
// authorizer), as Kafka lists every API it knows whatever the listener. APIs with a schema but
// no handler here answer UNSUPPORTED_VERSION (see unsupported-api.ts).
import type { ApiHandler } from './api-handler';
import { alterPartitionReassignmentsHandler } from './alter-partition-reassignments';
import { apiVersionsHandler } from './api-versions';
import { controlledShutdownHandler } from './controlled-shutdown';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { describeConfigsHandler } from './describe-configs';
import { alterConfigsHandler } from './alter-configs';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './acls';
import { createDelegationTokenHandler, describeDelegationTokenHandler, expireDelegationTokenHandler, renewDelegationTokenHandler } from './delegation-tokens';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs';
import { initProducerIdHandler } from './init-producer-id';
import { addOffsetsToTxnHandler } from './add-offsets-to-txn';
import { addPartitionsToTxnHandler } from './add-partitions-to-txn';
import { endTxnHandler } from './end-txn';
import { electLeadersHandler } from './elect-leaders';
import { deleteTopicsHandler } from './delete-topics';
import { deleteRecordsHandler } from './delete-records';
import { describeLogDirsHandler } from './describe-log-dirs';
import { alterReplicaLogDirsHandler } from './alter-replica-log-dirs';
import { fetchHandler } from './fetch';
import { leaderAndIsrHandler } from './leader-and-isr';
import { listOffsetsHandler } from './list-offsets';
import { listPartitionReassignmentsHandler } from './list-partition-reassignments';
import { metadataHandler } from './metadata';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch';
import { produceHandler } from './produce';
import { saslAuthenticateHandler } from './sasl-authenticate';
import { saslHandshakeHandler } from './sasl-handshake';
import { stopReplicaHandler } from './stop-replica';
import { updateMetadataHandler } from './update-metadata';
import { writeTxnMarkersHandler } from './write-txn-markers';
import { deleteGroupsHandler } from './delete-groups';
import { describeGroupsHandler } from './describe-groups';
import { findCoordinatorHandler } from './find-coordinator';
import { heartbeatHandler } from './heartbeat';
import { joinGroupHandler } from './join-group';
import { leaveGroupHandler } from './leave-group';
import { listGroupsHandler } from './list-groups';
import { offsetCommitHandler } from './offset-commit';
import { offsetDeleteHandler } from './offset-delete';
import { offsetFetchHandler } from './offset-fetch';
import { syncGroupHandler } from './sync-group';
import { txnOffsetCommitHandler } from './txn-offset-commit';

export const ALL_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  leaderAndIsrHandler,
  stopReplicaHandler,
  updateMetadataHandler,
  controlledShutdownHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  describeAclsHandler,
  createAclsHandler,
  deleteAclsHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  incrementalAlterConfigsHandler,
  alterReplicaLogDirsHandler,
  describeLogDirsHandler,
  createPartitionsHandler,
  createDelegationTokenHandler,
  renewDelegationTokenHandler,
  expireDelegationTokenHandler,
  describeDelegationTokenHandler,
  initProducerIdHandler,
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  offsetForLeaderEpochHandler,
  writeTxnMarkersHandler,
  txnOffsetCommitHandler,
  electLeadersHandler,
  alterPartitionReassignmentsHandler,
  listPartitionReassignmentsHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  offsetDeleteHandler,
  saslHandshakeHandler,
  saslAuthenticateHandler,
] as ApiHandler[];
