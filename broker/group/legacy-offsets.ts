// The contract between the OffsetCommit/OffsetFetch v0 handlers and the ZooKeeper offset store
// (/consumers/<group>/offsets/<topic>/<partition>) that Kafka 0.8.1 clients expect. The store
// lives under broker/group/legacy/ and is exposed on the BrokerContext as `legacyOffsets`.
import type { BrokerContext } from '../handlers/api-handler';
import type { ErrorCode } from '../protocol/errors';

export interface LegacyOffsetStore {
  commit(group: string, topic: string, partition: number, offset: number, metadata: string): Promise<ErrorCode>;
  /** null: nothing committed for that partition. */
  fetch(group: string, topic: string, partition: number): Promise<{ offset: number; metadata: string } | null>;
}

/** The broker's legacy offset store. */
export function legacyOffsetsOf(broker: BrokerContext): LegacyOffsetStore | undefined {
  return broker.legacyOffsets;
}
