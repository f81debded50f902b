// WriteTxnMarkers (key 27), version 0 (Kafka 2.4; v1, flexible, came with 2.8): a transaction
// coordinator tells the leaders of a transaction's partitions to append its COMMIT or ABORT
// marker (KIP-98). Broker to broker only: the sender must hold CLUSTER_ACTION.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int64, string, struct } from '../schema';

const WritableTxnMarkerTopic = struct({
  name: string(),
  partitionIndexes: array('0+', int32()),
});

const WritableTxnMarker = struct({
  producerId: int64(),
  producerEpoch: int16(),
  /** false = ABORT, true = COMMIT. */
  transactionResult: bool(),
  topics: array('0+', WritableTxnMarkerTopic),
  /** The epoch of the transaction state partition hosted by the sending coordinator. */
  coordinatorEpoch: int32(),
});

export const WriteTxnMarkersRequestSchema = struct({
  markers: array('0+', WritableTxnMarker),
});

const WritableTxnMarkerPartitionResult = struct({
  partitionIndex: int32(),
  errorCode: int16(),
});

const WritableTxnMarkerTopicResult = struct({
  name: string(),
  partitions: array('0+', WritableTxnMarkerPartitionResult),
});

const WritableTxnMarkerResult = struct({
  producerId: int64(),
  topics: array('0+', WritableTxnMarkerTopicResult),
});

export const WriteTxnMarkersResponseSchema = struct({
  markers: array('0+', WritableTxnMarkerResult),
});

export type WriteTxnMarkersRequest = Infer<typeof WriteTxnMarkersRequestSchema>;
export type WriteTxnMarkersRequestInput = InferInput<typeof WriteTxnMarkersRequestSchema>;
export type WriteTxnMarkersResponse = Infer<typeof WriteTxnMarkersResponseSchema>;
export type WriteTxnMarkersResponseInput = InferInput<typeof WriteTxnMarkersResponseSchema>;

export const WriteTxnMarkers = defineApi({
  apiKey: 27,
  name: 'WriteTxnMarkers',
  maxVersion: 0,
  flexibleVersionsFrom: 1,
  request: WriteTxnMarkersRequestSchema,
  response: WriteTxnMarkersResponseSchema,
});
