// The small Kafka client the tools and the benchmark share (one import).
export { ClusterClient, type ClusterClientOptions } from './cluster-client';
export { BrokerConnection, UnsupportedApiError } from './broker-connection';
export { ClusterMetadata, type BrokerNode, type PartitionMetadata, type TopicMetadata } from './cluster-metadata';
export { Producer, type ProducerOptions, type ProducerRecord, type RecordMetadata, type SendCallback } from './producer';
export { PartitionConsumer, type PartitionAssignment, type PartitionConsumerOptions, type StartOffset, type ConsumerRecord } from './partition-consumer';
export { listOffsets, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './list-offsets';
export { murmur2, toPositive } from './murmur2';
export { DefaultPartitioner, partitionForKey } from './partitioner';
