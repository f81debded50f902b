// The real ConnectionFactory of the channel manager: one KafkaClient (broker/network) per broker,
// speaking the LeaderAndIsr / UpdateMetadata / StopReplica versions inter.broker.protocol.version
// allows (as Kafka's ControllerChannelManager does, so Kafka brokers of an older protocol in a
// mixed cluster understand them). Kept apart from the channel manager so unit tests can replace
// the network with an in-memory fake.

import { KafkaClient, type ClientSecurity } from '../broker/network/kafka-client';
import { LeaderAndIsr } from '../broker/protocol/messages/leader-and-isr';
import { StopReplica } from '../broker/protocol/messages/stop-replica';
import { UpdateMetadata } from '../broker/protocol/messages/update-metadata';
import { BrokerConnection, ConnectionFactory } from './controller-channel-manager';
import type { InterBrokerRequestVersions } from '../broker/config/inter-broker-protocol';
import { ControllerRequest, ControllerResponse, LEADER_AND_ISR_VERSION, STOP_REPLICA_VERSION, UPDATE_METADATA_VERSION } from './controller-requests';
import { leaderAndIsrBody, stopReplicaBody, updateMetadataBody } from './legacy-control-requests';

const DEFAULT_VERSIONS = { leaderAndIsr: LEADER_AND_ISR_VERSION, updateMetadata: UPDATE_METADATA_VERSION, stopReplica: STOP_REPLICA_VERSION };

export function kafkaClientConnectionFactory(
  controllerId: number,
  connectTimeoutMs = 10000,
  security?: ClientSecurity,
  versions: Omit<InterBrokerRequestVersions, 'controlledShutdown'> = DEFAULT_VERSIONS,
): ConnectionFactory {
  return async (endpoint) => {
    const client = await KafkaClient.connect(endpoint.host, endpoint.port, {
      clientId: `controller-${controllerId}`,
      connectTimeoutMs,
      security,
    });
    const connection: BrokerConnection = {
      async send(request: ControllerRequest, timeoutMs: number): Promise<ControllerResponse> {
        switch (request.api) {
          case 'LeaderAndIsr': {
            const res = await client.send(LeaderAndIsr, versions.leaderAndIsr, leaderAndIsrBody(request.body, versions.leaderAndIsr), { timeoutMs });
            return { errorCode: res.errorCode, partitionErrors: res.partitionErrors };
          }
          case 'UpdateMetadata': {
            const res = await client.send(UpdateMetadata, versions.updateMetadata, updateMetadataBody(request.body, versions.updateMetadata), { timeoutMs });
            return { errorCode: res.errorCode };
          }
          case 'StopReplica': {
            const res = await client.send(StopReplica, versions.stopReplica, stopReplicaBody(request.body, versions.stopReplica), { timeoutMs });
            return { errorCode: res.errorCode, partitionErrors: res.partitionErrors };
          }
        }
      },
      close: () => client.close(),
    };
    return connection;
  };
}
