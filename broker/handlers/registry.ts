// Every API this broker serves. ApiVersions advertises exactly these ranges (Kafka 2.3's, plus
// ApiVersions v3 from 2.4), so clients such as kafka-python infer a consistent broker version.
import type { ApiHandler } from './api-handler';
import { apiVersionsHandler } from './api-versions';
import { controlledShutdownHandler } from './controlled-shutdown';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { describeConfigsHandler } from './describe-configs';
import { deleteTopicsHandler } from './delete-topics';
import { fetchHandler } from './fetch';
import { leaderAndIsrHandler } from './leader-and-isr';
import { listOffsetsHandler } from './list-offsets';
import { metadataHandler } from './metadata';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch';
import { produceHandler } from './produce';
import { stopReplicaHandler } from './stop-replica';
import { updateMetadataHandler } from './update-metadata';

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
  describeConfigsHandler,
  createPartitionsHandler,
  offsetForLeaderEpochHandler,
] as ApiHandler[];
