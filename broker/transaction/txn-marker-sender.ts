// The real MarkerSender: one KafkaClient per destination broker on the inter-broker listener,
// with the same TLS/SASL settings the controller and the replica fetchers use (Kafka's
// TransactionMarkerChannelManager has its own NetworkClient on that listener). A connection that
// closed is opened again on the next send; a failed send rejects and the markers are re-queued.
import { KafkaClient, type ClientSecurity } from '../network/kafka-client';
import type { BrokerEndpoint } from '../metadata-cache';
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers';
import type { MarkerSender } from './transaction-marker-channel-manager';

/** WriteTxnMarkers v0: the only version Kafka 2.4 speaks. */
const WRITE_TXN_MARKERS_VERSION = 0;

export interface TxnMarkerSender {
  send: MarkerSender;
  close(): void;
}

export function txnMarkerSender(brokerId: number, requestTimeoutMs: number, security: ClientSecurity): TxnMarkerSender {
  const clients = new Map<number, { endpoint: BrokerEndpoint; client: Promise<KafkaClient> }>();
  const clientFor = (destination: number, endpoint: BrokerEndpoint): Promise<KafkaClient> => {
    const known = clients.get(destination);
    if (known && known.endpoint.host === endpoint.host && known.endpoint.port === endpoint.port) return known.client;
    if (known) void known.client.then((c) => c.close(), () => undefined);
    const client = KafkaClient.connect(endpoint.host, endpoint.port, { clientId: `broker-${brokerId}-txn-marker-sender`, requestTimeoutMs, security });
    const entry = { endpoint, client };
    clients.set(destination, entry);
    const forget = () => {
      if (clients.get(destination) === entry) clients.delete(destination);
    };
    client.then((c) => c.onClose(forget), forget);
    return client;
  };
  return {
    async send(destination, endpoint, request) {
      const client = await clientFor(destination, endpoint);
      return client.send(WriteTxnMarkers, WRITE_TXN_MARKERS_VERSION, request);
    },
    close() {
      for (const { client } of clients.values()) void client.then((c) => c.close(), () => undefined);
      clients.clear();
    },
  };
}
