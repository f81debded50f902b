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

/**
 * Consumer options for tests: fetch long polls of 500 ms (the Java consumer's fetch.max.wait.ms
 * default) instead of kafkajs's 5000 ms. kafkajs finishes its outstanding fetch before it rejoins a
 * rebalancing group or disconnects, so each rebalance and each disconnect waited up to 5 s.
 */
export const TEST_CONSUMER_FETCH = { maxWaitTimeInMs: 500 } as const;
