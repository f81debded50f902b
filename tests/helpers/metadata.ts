// Reads cluster metadata with Zafka's own protocol client (no client-side caching in the way).
import { KafkaClient } from '../../broker/network/kafka-client';
import { Metadata, type MetadataResponse } from '../../broker/protocol/messages/metadata';
import type { TestCluster } from './cluster';

export async function metadataFrom(port: number, topics: string[] | null = null): Promise<MetadataResponse> {
  const client = await KafkaClient.connect('127.0.0.1', port, { clientId: 'test-metadata', requestTimeoutMs: 3000, connectTimeoutMs: 3000 });
  try {
    return await client.send(Metadata, 7, { topics: topics === null ? null : topics.map((name) => ({ name })), allowAutoTopicCreation: false });
  } finally {
    client.close();
  }
}

/** Metadata from the first live broker of the cluster. */
export async function clusterMetadata(cluster: TestCluster, topics: string[] | null = null): Promise<MetadataResponse> {
  const live = cluster.brokers.filter((b) => b.process !== null);
  let lastError: unknown;
  for (const b of live) {
    try {
      return await metadataFrom(b.port, topics);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError ?? new Error('no live broker');
}

export interface PartitionView {
  partition: number;
  leader: number;
  isr: number[];
  replicas: number[];
}

export async function partitionsOf(cluster: TestCluster, topic: string): Promise<PartitionView[]> {
  const m = await clusterMetadata(cluster, [topic]);
  const t = m.topics.find((x) => x.name === topic);
  if (!t || t.errorCode !== 0) return [];
  return t.partitions
    .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, isr: [...p.isrNodes].sort(), replicas: p.replicaNodes }))
    .sort((a, b) => a.partition - b.partition);
}
