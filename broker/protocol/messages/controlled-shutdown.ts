// ControlledShutdown (key 7), versions 0-3 (flexible from 3): broker -> controller on SIGTERM.
// Version notes: v0 is sent with request header v0 (no clientId), a Kafka 0.8 leftover that
// header.ts handles; v2 adds brokerEpoch (KIP-380); v3 is v2 made flexible (KIP-482), what a
// Kafka 2.4 broker sends with inter.broker.protocol.version 2.4. The response lists the partitions the broker
// still leads; the broker retries until the list is empty.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, int64, string, struct } from '../schema';

export const ControlledShutdownRequestSchema = struct({
  brokerId: int32(),
  brokerEpoch: int64('2+', { default: -1 }),
});

const RemainingPartition = struct({
  topicName: string(),
  partitionIndex: int32(),
});

export const ControlledShutdownResponseSchema = struct({
  errorCode: int16(),
  remainingPartitions: array('0+', RemainingPartition),
});

export type ControlledShutdownRequest = Infer<typeof ControlledShutdownRequestSchema>;
export type ControlledShutdownResponse = Infer<typeof ControlledShutdownResponseSchema>;
export type ControlledShutdownResponseInput = InferInput<typeof ControlledShutdownResponseSchema>;

export const ControlledShutdown = defineApi({
  apiKey: 7,
  name: 'ControlledShutdown',
  maxVersion: 3,
  flexibleVersionsFrom: 3,
  request: ControlledShutdownRequestSchema,
  response: ControlledShutdownResponseSchema,
});
