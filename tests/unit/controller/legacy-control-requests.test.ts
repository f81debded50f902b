// The controller's grouped requests, sent at the old versions inter.broker.protocol.version
// 2.0/2.1 calls for, decode on the receiving side with every partition and broker intact.
import { decodeRequestBody, encodeRequest } from '../../../broker/protocol/codec';
import { LeaderAndIsr } from '../../../broker/protocol/messages/leader-and-isr';
import { StopReplica } from '../../../broker/protocol/messages/stop-replica';
import { UpdateMetadata } from '../../../broker/protocol/messages/update-metadata';
import type { ApiDefinition } from '../../../broker/protocol/api-definition';
import { leaderAndIsrBody, stopReplicaBody, updateMetadataBody } from '../../../controller/legacy-control-requests';

function roundTrip<Req, In>(api: ApiDefinition<Req, unknown, In, unknown>, version: number, body: In): Req {
  const frame = Buffer.concat(encodeRequest(api, version, 7, 'controller-1', body as never));
  // size(4) apiKey(2) version(2) correlationId(4) clientId(2 + 12); v0 ControlledShutdown aside, header v1.
  return decodeRequestBody(api, version, frame.subarray(4), 2 + 2 + 4 + 2 + 'controller-1'.length);
}

const state = { partitionIndex: 1, controllerEpoch: 3, leader: 2, leaderEpoch: 5, isr: [2, 1], replicas: [1, 2] };

describe('legacy control request bodies', () => {
  test('LeaderAndIsr v1 lists partition states flat, each naming its topic', () => {
    const body = { controllerId: 1, controllerEpoch: 3, brokerEpoch: 99, topicStates: [{ topicName: 't', partitionStates: [{ ...state, partitionEpoch: 4, isNew: true }] }], liveLeaders: [{ brokerId: 2, hostName: 'h', port: 9 }] };
    const decoded = roundTrip(LeaderAndIsr, 1, leaderAndIsrBody(body, 1));
    expect(decoded.ungroupedPartitionStates).toEqual([expect.objectContaining({ topicName: 't', partitionIndex: 1, leader: 2, leaderEpoch: 5, isr: [2, 1], partitionEpoch: 4, replicas: [1, 2], isNew: true })]);
    expect(decoded.liveLeaders).toEqual([{ brokerId: 2, hostName: 'h', port: 9 }]);
  });

  test('UpdateMetadata v0 gives each broker its plaintext host and port; v4 keeps endpoints and offline replicas', () => {
    const body = {
      controllerId: 1, controllerEpoch: 3, brokerEpoch: 99,
      topicStates: [{ topicName: 't', partitionStates: [{ ...state, zkVersion: 4, offlineReplicas: [1] }] }],
      liveBrokers: [{ id: 2, rack: null, endpoints: [{ port: 9093, host: 's', listener: 'SSL', securityProtocol: 1 }, { port: 9092, host: 'p', listener: 'PLAINTEXT', securityProtocol: 0 }] }],
    };
    const v0 = roundTrip(UpdateMetadata, 0, updateMetadataBody(body, 0));
    expect(v0.liveBrokers).toEqual([expect.objectContaining({ id: 2, v0Host: 'p', v0Port: 9092 })]);
    expect(v0.ungroupedPartitionStates[0]).toEqual(expect.objectContaining({ topicName: 't', partitionIndex: 1, zkVersion: 4 }));
    const v4 = roundTrip(UpdateMetadata, 4, updateMetadataBody(body, 4));
    expect(v4.liveBrokers[0].endpoints.map((e) => e.port)).toEqual([9093, 9092]);
    expect(v4.ungroupedPartitionStates[0].offlineReplicas).toEqual([1]);
  });

  test('StopReplica v0 lists partitions flat', () => {
    const body = { controllerId: 1, controllerEpoch: 3, brokerEpoch: 99, deletePartitions: true, topics: [{ name: 't', partitionIndexes: [0, 2] }] };
    const decoded = roundTrip(StopReplica, 0, stopReplicaBody(body, 0));
    expect(decoded.ungroupedPartitions).toEqual([{ topicName: 't', partitionIndex: 0 }, { topicName: 't', partitionIndex: 2 }]);
    expect(decoded.deletePartitions).toBe(true);
  });
});
