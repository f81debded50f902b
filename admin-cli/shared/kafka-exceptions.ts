// Kafka 2.4's Java exception for each error code (org.apache.kafka.common.protocol.Errors): the
// class name and default message. Tools built on Kafka's AdminClient print these, e.g.
// DeleteRecordsCommand's "error: <ExecutionException message>" = "<class>: <message>", and
// LogDirsCommand's "error" field = Errors.exceptionName() (null for NONE).
import { ErrorCode } from '../../broker/protocol/errors';

const EXCEPTIONS = new Map<number, [className: string, message: string]>([
  [-1, ['org.apache.kafka.common.errors.UnknownServerException', `The server experienced an unexpected error when processing the request.`]], // UNKNOWN_SERVER_ERROR
  [1, ['org.apache.kafka.common.errors.OffsetOutOfRangeException', `The requested offset is not within the range of offsets maintained by the server.`]], // OFFSET_OUT_OF_RANGE
  [2, ['org.apache.kafka.common.errors.CorruptRecordException', `This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.`]], // CORRUPT_MESSAGE
  [3, ['org.apache.kafka.common.errors.UnknownTopicOrPartitionException', `This server does not host this topic-partition.`]], // UNKNOWN_TOPIC_OR_PARTITION
  [4, ['org.apache.kafka.common.errors.InvalidFetchSizeException', `The requested fetch size is invalid.`]], // INVALID_FETCH_SIZE
  [5, ['org.apache.kafka.common.errors.LeaderNotAvailableException', `There is no leader for this topic-partition as we are in the middle of a leadership election.`]], // LEADER_NOT_AVAILABLE
  [6, ['org.apache.kafka.common.errors.NotLeaderForPartitionException', `This server is not the leader for that topic-partition.`]], // NOT_LEADER_FOR_PARTITION
  [7, ['org.apache.kafka.common.errors.TimeoutException', `The request timed out.`]], // REQUEST_TIMED_OUT
  [8, ['org.apache.kafka.common.errors.BrokerNotAvailableException', `The broker is not available.`]], // BROKER_NOT_AVAILABLE
  [9, ['org.apache.kafka.common.errors.ReplicaNotAvailableException', `The replica is not available for the requested topic-partition.`]], // REPLICA_NOT_AVAILABLE
  [10, ['org.apache.kafka.common.errors.RecordTooLargeException', `The request included a message larger than the max message size the server will accept.`]], // MESSAGE_TOO_LARGE
  [11, ['org.apache.kafka.common.errors.ControllerMovedException', `The controller moved to another broker.`]], // STALE_CONTROLLER_EPOCH
  [12, ['org.apache.kafka.common.errors.OffsetMetadataTooLarge', `The metadata field of the offset request was too large.`]], // OFFSET_METADATA_TOO_LARGE
  [13, ['org.apache.kafka.common.errors.NetworkException', `The server disconnected before a response was received.`]], // NETWORK_EXCEPTION
  [14, ['org.apache.kafka.common.errors.CoordinatorLoadInProgressException', `The coordinator is loading and hence can't process requests.`]], // COORDINATOR_LOAD_IN_PROGRESS
  [15, ['org.apache.kafka.common.errors.CoordinatorNotAvailableException', `The coordinator is not available.`]], // COORDINATOR_NOT_AVAILABLE
  [16, ['org.apache.kafka.common.errors.NotCoordinatorException', `This is not the correct coordinator.`]], // NOT_COORDINATOR
  [17, ['org.apache.kafka.common.errors.InvalidTopicException', `The request attempted to perform an operation on an invalid topic.`]], // INVALID_TOPIC_EXCEPTION
  [18, ['org.apache.kafka.common.errors.RecordBatchTooLargeException', `The request included message batch larger than the configured segment size on the server.`]], // RECORD_LIST_TOO_LARGE
  [19, ['org.apache.kafka.common.errors.NotEnoughReplicasException', `Messages are rejected since there are fewer in-sync replicas than required.`]], // NOT_ENOUGH_REPLICAS
  [20, ['org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException', `Messages are written to the log, but to fewer in-sync replicas than required.`]], // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  [21, ['org.apache.kafka.common.errors.InvalidRequiredAcksException', `Produce request specified an invalid value for required acks.`]], // INVALID_REQUIRED_ACKS
  [22, ['org.apache.kafka.common.errors.IllegalGenerationException', `Specified group generation id is not valid.`]], // ILLEGAL_GENERATION
  [23, ['org.apache.kafka.common.errors.InconsistentGroupProtocolException', `The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.`]], // INCONSISTENT_GROUP_PROTOCOL
  [24, ['org.apache.kafka.common.errors.InvalidGroupIdException', `The configured groupId is invalid.`]], // INVALID_GROUP_ID
  [25, ['org.apache.kafka.common.errors.UnknownMemberIdException', `The coordinator is not aware of this member.`]], // UNKNOWN_MEMBER_ID
  [26, ['org.apache.kafka.common.errors.InvalidSessionTimeoutException', `The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).`]], // INVALID_SESSION_TIMEOUT
  [27, ['org.apache.kafka.common.errors.RebalanceInProgressException', `The group is rebalancing, so a rejoin is needed.`]], // REBALANCE_IN_PROGRESS
  [28, ['org.apache.kafka.common.errors.InvalidCommitOffsetSizeException', `The committing offset data size is not valid.`]], // INVALID_COMMIT_OFFSET_SIZE
  [29, ['org.apache.kafka.common.errors.TopicAuthorizationException', `Topic authorization failed.`]], // TOPIC_AUTHORIZATION_FAILED
  [30, ['org.apache.kafka.common.errors.GroupAuthorizationException', `Group authorization failed.`]], // GROUP_AUTHORIZATION_FAILED
  [31, ['org.apache.kafka.common.errors.ClusterAuthorizationException', `Cluster authorization failed.`]], // CLUSTER_AUTHORIZATION_FAILED
  [32, ['org.apache.kafka.common.errors.InvalidTimestampException', `The timestamp of the message is out of acceptable range.`]], // INVALID_TIMESTAMP
  [33, ['org.apache.kafka.common.errors.UnsupportedSaslMechanismException', `The broker does not support the requested SASL mechanism.`]], // UNSUPPORTED_SASL_MECHANISM
  [34, ['org.apache.kafka.common.errors.IllegalSaslStateException', `Request is not valid given the current SASL state.`]], // ILLEGAL_SASL_STATE
  [35, ['org.apache.kafka.common.errors.UnsupportedVersionException', `The version of API is not supported.`]], // UNSUPPORTED_VERSION
  [36, ['org.apache.kafka.common.errors.TopicExistsException', `Topic with this name already exists.`]], // TOPIC_ALREADY_EXISTS
  [37, ['org.apache.kafka.common.errors.InvalidPartitionsException', `Number of partitions is below 1.`]], // INVALID_PARTITIONS
  [38, ['org.apache.kafka.common.errors.InvalidReplicationFactorException', `Replication factor is below 1 or larger than the number of available brokers.`]], // INVALID_REPLICATION_FACTOR
  [39, ['org.apache.kafka.common.errors.InvalidReplicaAssignmentException', `Replica assignment is invalid.`]], // INVALID_REPLICA_ASSIGNMENT
  [40, ['org.apache.kafka.common.errors.InvalidConfigurationException', `Configuration is invalid.`]], // INVALID_CONFIG
  [41, ['org.apache.kafka.common.errors.NotControllerException', `This is not the correct controller for this cluster.`]], // NOT_CONTROLLER
  [42, ['org.apache.kafka.common.errors.InvalidRequestException', `This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.`]], // INVALID_REQUEST
  [43, ['org.apache.kafka.common.errors.UnsupportedForMessageFormatException', `The message format version on the broker does not support the request.`]], // UNSUPPORTED_FOR_MESSAGE_FORMAT
  [44, ['org.apache.kafka.common.errors.PolicyViolationException', `Request parameters do not satisfy the configured policy.`]], // POLICY_VIOLATION
  [45, ['org.apache.kafka.common.errors.OutOfOrderSequenceException', `The broker received an out of order sequence number.`]], // OUT_OF_ORDER_SEQUENCE_NUMBER
  [46, ['org.apache.kafka.common.errors.DuplicateSequenceException', `The broker received a duplicate sequence number.`]], // DUPLICATE_SEQUENCE_NUMBER
  [47, ['org.apache.kafka.common.errors.ProducerFencedException', `Producer attempted an operation with an old epoch. Either there is a newer producer with the same transactionalId, or the producer's transaction has been expired by the broker.`]], // INVALID_PRODUCER_EPOCH
  [48, ['org.apache.kafka.common.errors.InvalidTxnStateException', `The producer attempted a transactional operation in an invalid state.`]], // INVALID_TXN_STATE
  [49, ['org.apache.kafka.common.errors.InvalidPidMappingException', `The producer attempted to use a producer id which is not currently assigned to its transactional id.`]], // INVALID_PRODUCER_ID_MAPPING
  [50, ['org.apache.kafka.common.errors.InvalidTxnTimeoutException', `The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).`]], // INVALID_TRANSACTION_TIMEOUT
  [51, ['org.apache.kafka.common.errors.ConcurrentTransactionsException', `The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.`]], // CONCURRENT_TRANSACTIONS
  [52, ['org.apache.kafka.common.errors.TransactionCoordinatorFencedException', `Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer.`]], // TRANSACTION_COORDINATOR_FENCED
  [53, ['org.apache.kafka.common.errors.TransactionalIdAuthorizationException', `Transactional Id authorization failed.`]], // TRANSACTIONAL_ID_AUTHORIZATION_FAILED
  [54, ['org.apache.kafka.common.errors.SecurityDisabledException', `Security features are disabled.`]], // SECURITY_DISABLED
  [55, ['org.apache.kafka.common.errors.OperationNotAttemptedException', `The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest.`]], // OPERATION_NOT_ATTEMPTED
  [56, ['org.apache.kafka.common.errors.KafkaStorageException', `Disk error when trying to access log file on the disk.`]], // KAFKA_STORAGE_ERROR
  [57, ['org.apache.kafka.common.errors.LogDirNotFoundException', `The user-specified log directory is not found in the broker config.`]], // LOG_DIR_NOT_FOUND
  [58, ['org.apache.kafka.common.errors.SaslAuthenticationException', `SASL Authentication failed.`]], // SASL_AUTHENTICATION_FAILED
  [59, ['org.apache.kafka.common.errors.UnknownProducerIdException', `This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception.`]], // UNKNOWN_PRODUCER_ID
  [60, ['org.apache.kafka.common.errors.ReassignmentInProgressException', `A partition reassignment is in progress.`]], // REASSIGNMENT_IN_PROGRESS
  [61, ['org.apache.kafka.common.errors.DelegationTokenDisabledException', `Delegation Token feature is not enabled.`]], // DELEGATION_TOKEN_AUTH_DISABLED
  [62, ['org.apache.kafka.common.errors.DelegationTokenNotFoundException', `Delegation Token is not found on server.`]], // DELEGATION_TOKEN_NOT_FOUND
  [63, ['org.apache.kafka.common.errors.DelegationTokenOwnerMismatchException', `Specified Principal is not valid Owner/Renewer.`]], // DELEGATION_TOKEN_OWNER_MISMATCH
  [64, ['org.apache.kafka.common.errors.UnsupportedByAuthenticationException', `Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels.`]], // DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
  [65, ['org.apache.kafka.common.errors.DelegationTokenAuthorizationException', `Delegation Token authorization failed.`]], // DELEGATION_TOKEN_AUTHORIZATION_FAILED
  [66, ['org.apache.kafka.common.errors.DelegationTokenExpiredException', `Delegation Token is expired.`]], // DELEGATION_TOKEN_EXPIRED
  [67, ['org.apache.kafka.common.errors.InvalidPrincipalTypeException', `Supplied principalType is not supported.`]], // INVALID_PRINCIPAL_TYPE
  [68, ['org.apache.kafka.common.errors.GroupNotEmptyException', `The group is not empty.`]], // NON_EMPTY_GROUP
  [69, ['org.apache.kafka.common.errors.GroupIdNotFoundException', `The group id does not exist.`]], // GROUP_ID_NOT_FOUND
  [70, ['org.apache.kafka.common.errors.FetchSessionIdNotFoundException', `The fetch session ID was not found.`]], // FETCH_SESSION_ID_NOT_FOUND
  [71, ['org.apache.kafka.common.errors.InvalidFetchSessionEpochException', `The fetch session epoch is invalid.`]], // INVALID_FETCH_SESSION_EPOCH
  [72, ['org.apache.kafka.common.errors.ListenerNotFoundException', `There is no listener on the leader broker that matches the listener on which metadata request was processed.`]], // LISTENER_NOT_FOUND
  [73, ['org.apache.kafka.common.errors.TopicDeletionDisabledException', `Topic deletion is disabled.`]], // TOPIC_DELETION_DISABLED
  [74, ['org.apache.kafka.common.errors.FencedLeaderEpochException', `The leader epoch in the request is older than the epoch on the broker`]], // FENCED_LEADER_EPOCH
  [75, ['org.apache.kafka.common.errors.UnknownLeaderEpochException', `The leader epoch in the request is newer than the epoch on the broker`]], // UNKNOWN_LEADER_EPOCH
  [76, ['org.apache.kafka.common.errors.UnsupportedCompressionTypeException', `The requesting client does not support the compression type of given partition.`]], // UNSUPPORTED_COMPRESSION_TYPE
  [77, ['org.apache.kafka.common.errors.StaleBrokerEpochException', `Broker epoch has changed`]], // STALE_BROKER_EPOCH
  [78, ['org.apache.kafka.common.errors.OffsetNotAvailableException', `The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing`]], // OFFSET_NOT_AVAILABLE
  [79, ['org.apache.kafka.common.errors.MemberIdRequiredException', `The group member needs to have a valid member id before actually entering a consumer group`]], // MEMBER_ID_REQUIRED
  [80, ['org.apache.kafka.common.errors.PreferredLeaderNotAvailableException', `The preferred leader was not available`]], // PREFERRED_LEADER_NOT_AVAILABLE
  [81, ['org.apache.kafka.common.errors.GroupMaxSizeReachedException', `The consumer group has reached its max size.`]], // GROUP_MAX_SIZE_REACHED
  [82, ['org.apache.kafka.common.errors.FencedInstanceIdException', `The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.`]], // FENCED_INSTANCE_ID
  [83, ['org.apache.kafka.common.errors.EligibleLeadersNotAvailableException', `Eligible topic partition leaders are not available`]], // ELIGIBLE_LEADERS_NOT_AVAILABLE
  [84, ['org.apache.kafka.common.errors.ElectionNotNeededException', `Leader election not needed for topic partition`]], // ELECTION_NOT_NEEDED
  [85, ['org.apache.kafka.common.errors.NoReassignmentInProgressException', `No partition reassignment is in progress.`]], // NO_REASSIGNMENT_IN_PROGRESS
  [86, ['org.apache.kafka.common.errors.GroupSubscribedToTopicException', `Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.`]], // GROUP_SUBSCRIBED_TO_TOPIC
  [87, ['org.apache.kafka.common.InvalidRecordException', `This record has failed the validation on broker and hence be rejected.`]], // INVALID_RECORD
]);

/** Errors.exceptionName(): the Java class name, null for NONE. */
export function javaExceptionName(code: number): string | null {
  if (code === ErrorCode.NONE) return null;
  return EXCEPTIONS.get(code)?.[0] ?? EXCEPTIONS.get(ErrorCode.UNKNOWN_SERVER_ERROR)![0];
}

/** Throwable.toString() of the exception Kafka's client raises for code: "<class>: <message>". */
export function javaExceptionText(code: number, message?: string | null): string {
  const known = EXCEPTIONS.get(code) ?? EXCEPTIONS.get(ErrorCode.UNKNOWN_SERVER_ERROR)!;
  return `${known[0]}: ${message ?? known[1]}`;
}
