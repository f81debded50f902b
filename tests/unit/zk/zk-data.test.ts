// Codecs against what Kafka 2.4 wrote (shared/reference/kafka-2.4-zookeeper/znodes-*.txt and the
// decoded txn log): byte-identical JSON, including the key order of Kafka's JVM maps.
import {
  BrokerIdZNode,
  ClusterIdZNode,
  ConfigEntityChangeNotificationSequenceZNode,
  ConfigEntityZNode,
  ConsumerOffset,
  ControllerEpochZNode,
  ControllerZNode,
  DeleteTopicsTopicZNode,
  IsrChangeNotificationSequenceZNode,
  PERSISTENT_ZK_PATHS,
  PreferredReplicaElectionZNode,
  ProducerIdBlockZNode,
  ReassignPartitionsZNode,
  TopicPartitionStateZNode,
  TopicZNode,
} from '../../../controller/zk/zk-data';
import type { ZkStat } from '../../../controller/zk/zookeeper-client';

const text = (b: Buffer) => b.toString('utf8');
const stat = (over: Partial<ZkStat> = {}): ZkStat => ({
  czxid: 0x18, mzxid: 0x18, pzxid: 0x18, ctime: 0, mtime: 0, version: 1, cversion: 0, aversion: 0,
  ephemeralOwner: '010000059b6d0000', dataLength: 0, numChildren: 0, ...over,
});
const single = (partitions: number, replicas: number[]) => new Map(Array.from({ length: partitions }, (_, p) => [p, replicas]));

// From znodes-single-broker.txt.
const CONSUMER_OFFSETS_TOPIC = '{"version":2,"partitions":{"30":[0],"39":[0],"45":[0],"2":[0],"5":[0],"48":[0],"33":[0],"27":[0],"12":[0],"8":[0],"15":[0],"42":[0],"36":[0],"21":[0],"18":[0],"24":[0],"35":[0],"41":[0],"7":[0],"17":[0],"1":[0],"44":[0],"23":[0],"38":[0],"47":[0],"4":[0],"26":[0],"11":[0],"32":[0],"14":[0],"20":[0],"29":[0],"46":[0],"34":[0],"28":[0],"6":[0],"40":[0],"49":[0],"9":[0],"43":[0],"0":[0],"22":[0],"16":[0],"37":[0],"19":[0],"3":[0],"10":[0],"31":[0],"25":[0],"13":[0]},"adding_replicas":{},"removing_replicas":{}}';

describe('BrokerIdZNode', () => {
  const info = {
    id: 0,
    host: '127.0.0.1',
    port: 19092,
    rack: null,
    endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 19092 }],
    jmxPort: -1,
    timestamp: 1795312108116,
  };

  it('encodes version 4 exactly as Kafka 2.4 (key order of its mutable.HashMap)', () => {
    expect(text(BrokerIdZNode.encode(info))).toBe(
      '{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://127.0.0.1:19092"],' +
        '"jmx_port":-1,"host":"127.0.0.1","timestamp":"1795312108116","port":19092,"version":4}',
    );
  });

  it('puts rack where Kafka\'s hash order puts it', () => {
    expect(text(BrokerIdZNode.encode({ ...info, rack: 'r1' }))).toBe(
      '{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://127.0.0.1:19092"],"rack":"r1",' +
        '"jmx_port":-1,"host":"127.0.0.1","timestamp":"1795312108116","port":19092,"version":4}',
    );
  });

  it('writes host null and port -1 without a PLAINTEXT listener', () => {
    const o = JSON.parse(text(BrokerIdZNode.encode({ ...info, endpoints: [{ listenerName: 'INTERNAL', securityProtocol: 'SSL', host: 'h', port: 1 }] })));
    expect(o.host).toBeNull();
    expect(o.port).toBe(-1);
    expect(o.listener_security_protocol_map).toEqual({ INTERNAL: 'SSL' });
  });

  it('decodes the JSON Kafka wrote, taking the broker epoch from czxid', () => {
    const bytes = Buffer.from('{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://127.0.0.1:19093"],"jmx_port":-1,"host":"127.0.0.1","timestamp":"1795312253923","port":19093,"version":4}');
    expect(BrokerIdZNode.decode(1, bytes, stat({ czxid: 0xfd }))).toEqual({
      id: 1, host: '127.0.0.1', port: 19093, rack: null, jmxPort: -1, timestamp: 1795312253923, epoch: 0xfd,
      endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 19093 }],
    });
  });

  it('decodes IPv6 endpoints and custom listener names', () => {
    const bytes = Buffer.from('{"listener_security_protocol_map":{"INT":"SASL_PLAINTEXT"},"endpoints":["INT://[::1]:9093"],"jmx_port":9999,"host":null,"timestamp":"1","port":-1,"version":4,"rack":"a"}');
    const b = BrokerIdZNode.decode(7, bytes);
    expect(b.endpoints).toEqual([{ listenerName: 'INT', securityProtocol: 'SASL_PLAINTEXT', host: '::1', port: 9093 }]);
    expect(b.rack).toBe('a');
    expect(b.jmxPort).toBe(9999);
  });
});

describe('TopicZNode', () => {
  it('orders partitions as Kafka 2.4 for small topics', () => {
    expect(text(TopicZNode.encode('t', single(3, [0])))).toBe(
      '{"version":2,"partitions":{"2":[0],"1":[0],"0":[0]},"adding_replicas":{},"removing_replicas":{}}',
    );
    const r3 = new Map([[0, [0, 2, 1]], [1, [2, 1, 0]], [2, [1, 0, 2]]]);
    expect(text(TopicZNode.encode('r3', r3))).toBe(
      '{"version":2,"partitions":{"2":[1,0,2],"1":[2,1,0],"0":[0,2,1]},"adding_replicas":{},"removing_replicas":{}}',
    );
    expect(text(TopicZNode.encode('d', new Map([[0, [2, 1]], [1, [1, 0]]])))).toBe(
      '{"version":2,"partitions":{"1":[1,0],"0":[2,1]},"adding_replicas":{},"removing_replicas":{}}',
    );
  });

  it('orders 50 partitions of __consumer_offsets byte for byte as Kafka 2.4', () => {
    expect(text(TopicZNode.encode('__consumer_offsets', single(50, [0])))).toBe(CONSUMER_OFFSETS_TOPIC);
  });

  it('decodes version 2 and version 1 (no adding/removing replicas)', () => {
    const a = TopicZNode.decode('r3', Buffer.from('{"version":2,"partitions":{"2":[1,0,2],"1":[2,1,0],"0":[0,2,1]},"adding_replicas":{"1":[3]},"removing_replicas":{}}'));
    expect(a.partitions).toEqual(new Map([[2, [1, 0, 2]], [1, [2, 1, 0]], [0, [0, 2, 1]]]));
    expect(a.addingReplicas).toEqual(new Map([[1, [3]]]));
    expect(TopicZNode.decode('x', Buffer.from('{"version":1,"partitions":{"0":[1]}}')).removingReplicas.size).toBe(0);
  });

  it('builds paths from their parents', () => {
    expect(TopicZNode.path('t')).toBe('/brokers/topics/t');
    expect(TopicPartitionStateZNode.path('t', 2)).toBe('/brokers/topics/t/partitions/2/state');
    expect(DeleteTopicsTopicZNode.path('d')).toBe('/admin/delete_topics/d');
    expect(ConsumerOffset.path('g', 't', 3)).toBe('/consumers/g/offsets/t/3');
  });
});

describe('TopicPartitionStateZNode', () => {
  it('encodes like Kafka (controller_epoch, leader, version, leader_epoch, isr)', () => {
    expect(text(TopicPartitionStateZNode.encode({ leader: 1, leaderEpoch: 0, isr: [1, 0, 2], controllerEpoch: 1 }))).toBe(
      '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,0,2]}',
    );
  });

  it('decodes with the znode version as zkVersion', () => {
    const s = TopicPartitionStateZNode.decode(Buffer.from('{"controller_epoch":2,"leader":-1,"version":1,"leader_epoch":3,"isr":[2]}'), stat({ version: 4 }));
    expect(s).toEqual({ leaderAndIsr: { leader: -1, leaderEpoch: 3, isr: [2], zkVersion: 4 }, controllerEpoch: 2 });
  });
});

describe('controller, cluster and notification znodes', () => {
  it('match the txn log', () => {
    expect(text(ControllerZNode.encode(0, 1795312108195))).toBe('{"version":1,"brokerid":0,"timestamp":"1795312108195"}');
    expect(ControllerZNode.decode(Buffer.from('{"version":1,"brokerid":2,"timestamp":"1795312380108"}'))).toBe(2);
    expect(text(ControllerEpochZNode.encode(3))).toBe('3');
    expect(ControllerEpochZNode.decode(Buffer.from('2'))).toBe(2);
    expect(text(ClusterIdZNode.encode('effAjGmqSSmdGtrHiOPiAA'))).toBe('{"version":"1","id":"effAjGmqSSmdGtrHiOPiAA"}');
    expect(text(ConfigEntityChangeNotificationSequenceZNode.encode('topics/d'))).toBe('{"version":2,"entity_path":"topics/d"}');
    expect(text(IsrChangeNotificationSequenceZNode.encode([{ topic: 'r3', partition: 2 }, { topic: 'r3', partition: 1 }]))).toBe(
      '{"version":1,"partitions":[{"topic":"r3","partition":2},{"topic":"r3","partition":1}]}',
    );
    expect(text(ProducerIdBlockZNode.encode({ brokerId: 1, blockStart: 1000, blockEnd: 1999 }))).toBe(
      '{"version":1,"broker":1,"block_start":"1000","block_end":"1999"}',
    );
  });

  it('orders topic configs as java.util.Properties does', () => {
    expect(text(ConfigEntityZNode.encode({ 'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': '104857600' }))).toBe(
      '{"version":1,"config":{"compression.type":"producer","cleanup.policy":"compact","segment.bytes":"104857600"}}',
    );
    // Same hash bucket: insertion order decides (kafka-configs added retention.ms to the existing segment.bytes).
    expect(text(ConfigEntityZNode.encode({ 'segment.bytes': '200000', 'retention.ms': '3600000' }))).toBe(
      '{"version":1,"config":{"segment.bytes":"200000","retention.ms":"3600000"}}',
    );
    expect(text(ConfigEntityZNode.encode({}))).toBe('{"version":1,"config":{}}');
    expect(ConfigEntityZNode.decode(Buffer.from('{"version":1,"config":{"min.insync.replicas":"2"}}'))).toEqual({ 'min.insync.replicas': '2' });
  });

  it('isr change notification paths accept names and sequence numbers', () => {
    expect(IsrChangeNotificationSequenceZNode.path('0000000003')).toBe('/isr_change_notification/isr_change_0000000003');
    expect(IsrChangeNotificationSequenceZNode.path('isr_change_0000000003')).toBe('/isr_change_notification/isr_change_0000000003');
    expect(IsrChangeNotificationSequenceZNode.sequenceNumber('/isr_change_notification/isr_change_0000000003')).toBe('0000000003');
  });

  it('admin request znodes round-trip in Kafka\'s layout', () => {
    expect(text(ReassignPartitionsZNode.encode([{ topic: 't', partition: 0, replicas: [1, 2] }]))).toBe(
      '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}',
    );
    expect(PreferredReplicaElectionZNode.decode(Buffer.from('{"version":1,"partitions":[{"topic":"t","partition":1}]}'))).toEqual([{ topic: 't', partition: 1 }]);
  });
});

describe('PERSISTENT_ZK_PATHS', () => {
  it('is the order of creates in the txn log', () => {
    expect(PERSISTENT_ZK_PATHS).toEqual([
      '/consumers', '/brokers/ids', '/brokers/topics', '/config/changes', '/admin/delete_topics', '/brokers/seqid',
      '/isr_change_notification', '/latest_producer_id_block', '/log_dir_event_notification',
      '/config/topics', '/config/clients', '/config/users', '/config/brokers',
    ]);
  });
});
