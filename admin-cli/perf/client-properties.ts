// Kafka client properties (--producer-props k=v ..., --producer.config / --consumer.config
// files) mapped onto Zafka's client options. Names Zafka's client has no use for are ignored,
// as Kafka's clients only warn about unknown ones.
import * as fs from 'fs';
import { parseProperties } from '../../broker/config/properties';
import { parseCompressionCodec, parseAcks } from '../shared/compression-option';
import { UsageError } from '../shared/usage-error';
import type { ProducerOptions } from '../client';

export function loadPropertiesFile(file: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  return new Map(Object.entries(parseProperties(text)));
}

function intProp(props: Map<string, string>, name: string): number | undefined {
  const v = props.get(name);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (!Number.isInteger(n)) throw new UsageError(`Invalid value ${v} for configuration ${name}: Not a number of type INT`);
  return n;
}

export function bootstrapServers(props: Map<string, string>): string {
  const servers = props.get('bootstrap.servers');
  if (servers === undefined || servers.trim() === '') throw new UsageError('Missing required configuration "bootstrap.servers" which has no default value.');
  return servers;
}

export function producerOptions(props: Map<string, string>): ProducerOptions {
  return {
    acks: props.has('acks') ? parseAcks(props.get('acks')!) : undefined,
    compression: props.has('compression.type') ? parseCompressionCodec(props.get('compression.type')!) : undefined,
    batchSize: intProp(props, 'batch.size'),
    lingerMs: intProp(props, 'linger.ms'),
    maxInFlightPerBroker: intProp(props, 'max.in.flight.requests.per.connection'),
    requestTimeoutMs: intProp(props, 'request.timeout.ms'),
    retries: intProp(props, 'retries'),
    deliveryTimeoutMs: intProp(props, 'delivery.timeout.ms'),
    bufferMemory: intProp(props, 'buffer.memory'),
    maxRequestSize: intProp(props, 'max.request.size'),
  };
}
