// kafkajs, quiet and pointed at a test cluster.
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { registerKafkajsCodecs } from './kafkajs-codecs';

registerKafkajsCodecs();

export function kafkajs(bootstrap: string, clientId = 'zafka-test', requestTimeout = 30000): Kafka {
  return new Kafka({
    clientId,
    requestTimeout,
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
  });
}

export const DEFAULT_PARTITIONER = Partitioners.DefaultPartitioner;
