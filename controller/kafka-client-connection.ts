// The real ConnectionFactory of the channel manager: one KafkaClient (broker/network) per broker,
// speaking LeaderAndIsr v2, UpdateMetadata v5 and StopReplica v1. Kept apart from the channel
// manager so unit tests can replace the network with an in-memory fake.

import { KafkaClient, type ClientSecurity } from '../broker/network/kafka-client';
import { LeaderAndIsr } from '../broker/protocol/messages/leader-and-isr';
import { StopReplica } from '../broker/protocol/messages/stop-replica';
import { UpdateMetadata } from '../broker/protocol/messages/update-metadata';
import { BrokerConnection, ConnectionFactory } from './controller-channel-manager';
import {
  ControllerRequest,
  ControllerResponse,
  LEADER_AND_ISR_VERSION,
  STOP_REPLICA_VERSION,
  UPDATE_METADATA_VERSION,
} from './controller-requests';

export function kafkaClientConnectionFactory(controllerId: number, connectTimeoutMs = 10000, security?: ClientSecurity): ConnectionFactory {
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
            const res = await client.send(LeaderAndIsr, LEADER_AND_ISR_VERSION, request.body, { timeoutMs });
            return { errorCode: res.errorCode, partitionErrors: res.partitionErrors };
          }
          case 'UpdateMetadata': {
            const res = await client.send(UpdateMetadata, UPDATE_METADATA_VERSION, request.body, { timeoutMs });
            return { errorCode: res.errorCode };
          }
          case 'StopReplica': {
            const res = await client.send(StopReplica, STOP_REPLICA_VERSION, request.body, { timeoutMs });
            return { errorCode: res.errorCode, partitionErrors: res.partitionErrors };
          }
        }
      },
      close: () => client.close(),
    };
    return connection;
  };
}
