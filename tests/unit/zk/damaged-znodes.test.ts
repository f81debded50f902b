// Every znode decoder refuses garbage with one InvalidZnodeError naming the znode and the field:
// invalid JSON, wrong types, missing required fields, bad replica lists. Valid Kafka 2.4 content
// (shared/reference/kafka-2.4-zookeeper) keeps decoding (zk-data.test.ts covers it byte for byte).
import { ConsumerIdZNode } from '../../../controller/zk/consumer-zk-data';
import {
  BrokerIdZNode,
  ClusterIdZNode,
  ConfigEntityChangeNotificationSequenceZNode,
  ConfigEntityZNode,
  ConsumerOffset,
  ControllerEpochZNode,
  ControllerZNode,
  IsrChangeNotificationSequenceZNode,
  PreferredReplicaElectionZNode,
  ProducerIdBlockZNode,
  ReassignPartitionsZNode,
  TopicPartitionStateZNode,
  TopicZNode,
} from '../../../controller/zk/zk-data';
import { InvalidZnodeError, tryDecode, ZnodeJson, ZnodeMap } from '../../../controller/zk/znode-json';
import { InvalidZnodeLog } from '../../../controller/zk/invalid-znode-log';
import type { ZkStat } from '../../../controller/zk/zookeeper-client';

const b = (s: string) => Buffer.from(s, 'utf8');
const stat = { czxid: 1, mzxid: 1, pzxid: 1, ctime: 0, mtime: 0, version: 3, cversion: 0, aversion: 0, ephemeralOwner: '0', dataLength: 0, numChildren: 0 } as ZkStat;

/** The InvalidZnodeError `decode` throws (fails the test when it throws nothing or something else). */
function refusal(decode: () => unknown): InvalidZnodeError {
  const d = tryDecode(decode);
  if (d.ok) throw new Error(`expected a refusal, decoded ${JSON.stringify(d.value)}`);
  return d.error;
}

describe('ZnodeJson', () => {
  it.each([
    ['empty', ''],
    ['invalid JSON', '{"version":2,'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"x"'],
    ['null', 'null'],
    ['binary garbage', '\u0000\u00ff\u0001'],
  ])('refuses %s as a whole body', (_what, body) => {
    const e = refusal(() => ZnodeJson.parse('/p', b(body)));
    expect(e.path).toBe('/p');
    expect(e.field).toBe('');
    expect(e.message).toMatch(/^Invalid znode \/p: /);
  });

  it('names nested fields in errors', () => {
    const j = ZnodeJson.parse('/p', b('{"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":"1"}]}'));
    const e = refusal(() => j.objects('partitions', (o) => o.int('partition')));
    expect(e.field).toBe('partitions[1].partition');
    expect(e.message).toBe('Invalid znode /p (field partitions[1].partition): expected an integer, got "1"');
  });

  it('refuses non-integers, out-of-range ints and unsafe numbers', () => {
    const j = ZnodeJson.parse('/p', b('{"a":1.5,"b":-3,"c":3000000000,"d":true}'));
    expect(refusal(() => j.int('a')).field).toBe('a');
    expect(refusal(() => j.int('b', { min: -1 })).message).toContain('minimum -1');
    expect(refusal(() => j.int('c')).message).toContain('out of range');
    expect(refusal(() => j.int('d')).message).toContain('expected an integer, got true');
    expect(refusal(() => j.int('missing')).message).toContain('got missing');
  });

  it('decimal znodes are digits only', () => {
    expect(ZnodeJson.decimal('/e', b('12'))).toBe(12);
    expect(refusal(() => ZnodeJson.decimal('/e', b('12abc'))).path).toBe('/e');
    expect(refusal(() => ZnodeJson.decimal('/e', b('1e3')))).toBeInstanceOf(InvalidZnodeError);
    expect(refusal(() => ZnodeJson.decimal('/e', b('-5'), { min: 0 }))).toBeInstanceOf(InvalidZnodeError);
  });

  it('ZnodeMap keeps refused entries apart from the decoded ones', () => {
    const m = new ZnodeMap<string, number>([['a', 1]]);
    m.invalid.set('b', new InvalidZnodeError('/b', '', 'x'));
    expect(new Map(m)).toEqual(new Map([['a', 1]]));
    expect([...m.invalid.keys()]).toEqual(['b']);
  });
});

describe('TopicZNode.decode refuses', () => {
  const topic = (json: string) => () => TopicZNode.decode('t', b(json));
  it.each([
    ['invalid JSON', '{"version":2,"partitions":{"0":[1,2,', ''],
    ['missing partitions', '{"version":2}', 'partitions'],
    ['partitions not an object', '{"version":2,"partitions":[[1,2]]}', 'partitions'],
    ['a non-integer partition id', '{"version":2,"partitions":{"x":[1]}}', 'partitions.x'],
    ['a negative partition id', '{"version":2,"partitions":{"-1":[1]}}', 'partitions.-1'],
    ['a non-canonical partition id', '{"version":2,"partitions":{"01":[1]}}', 'partitions.01'],
    ['replicas not an array', '{"version":2,"partitions":{"0":"1,2"}}', 'partitions.0'],
    ['a replica that is not an int', '{"version":2,"partitions":{"0":[1,"2"]}}', 'partitions.0[1]'],
    ['a negative replica', '{"version":2,"partitions":{"0":[1,-2]}}', 'partitions.0[1]'],
    ['duplicate replicas', '{"version":2,"partitions":{"0":[1,1]}}', 'partitions.0'],
    ['an empty replica list', '{"version":2,"partitions":{"0":[]}}', 'partitions.0'],
    ['bad adding_replicas', '{"version":2,"partitions":{"0":[1]},"adding_replicas":{"0":["x"]}}', 'adding_replicas.0[0]'],
  ])('%s', (_what, json, field) => {
    const e = refusal(topic(json));
    expect(e.path).toBe('/brokers/topics/t');
    expect(e.field).toBe(field);
  });

  it('but accepts Kafka 2.4 content', () => {
    expect(TopicZNode.decode('t', b('{"version":2,"partitions":{"1":[2,1],"0":[1,2]},"adding_replicas":{},"removing_replicas":{}}')).partitions.get(1)).toEqual([2, 1]);
  });
});

describe('TopicPartitionStateZNode.decode refuses', () => {
  const path = '/brokers/topics/t/partitions/0/state';
  const state = (json: string) => () => TopicPartitionStateZNode.decode(b(json), stat, path);
  it.each([
    ['invalid JSON', 'garbage', ''],
    ['a string leader', '{"controller_epoch":1,"leader":"x","version":1,"leader_epoch":0,"isr":[1]}', 'leader'],
    ['a missing leader', '{"controller_epoch":1,"version":1,"leader_epoch":0,"isr":[1]}', 'leader'],
    ['a leader below -2', '{"controller_epoch":1,"leader":-7,"version":1,"leader_epoch":0,"isr":[1]}', 'leader'],
    ['an isr that is a string', '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":"1,2"}', 'isr'],
    ['an isr of non-ints', '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,null]}', 'isr[1]'],
    ['a duplicated isr', '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,1]}', 'isr'],
    ['a negative leader epoch', '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":-1,"isr":[1]}', 'leader_epoch'],
    ['a missing controller epoch', '{"leader":1,"version":1,"leader_epoch":0,"isr":[1]}', 'controller_epoch'],
  ])('%s', (_what, json, field) => {
    const e = refusal(state(json));
    expect(e.path).toBe(path);
    expect(e.field).toBe(field);
  });
});

describe('notification and admin znodes refuse garbage', () => {
  it('ISR change notifications', () => {
    const p = '/isr_change_notification/isr_change_0000000001';
    expect(refusal(() => IsrChangeNotificationSequenceZNode.decode(b('{"version":1,"partitions":[{"topic":7,"partition":0}]}'), p)).field).toBe('partitions[0].topic');
    expect(refusal(() => IsrChangeNotificationSequenceZNode.decode(b('{"version":1}'), p)).field).toBe('partitions');
    expect(refusal(() => IsrChangeNotificationSequenceZNode.decode(b('{"version":1,"partitions":[{"topic":"t","partition":-1}]}'), p)).field).toBe('partitions[0].partition');
  });

  it('config change notifications (versions 1 and 2 decode)', () => {
    const p = '/config/changes/config_change_0000000001';
    expect(ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":2,"entity_path":"topics/t"}'), p)).toBe('topics/t');
    expect(ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":1,"entity_type":"topics","entity_name":"t"}'), p)).toBe('topics/t');
    expect(refusal(() => ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":2}'), p)).field).toBe('entity_path');
    expect(refusal(() => ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":2,"entity_path":"topics"}'), p)).field).toBe('entity_path');
    expect(refusal(() => ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":9,"entity_path":"topics/t"}'), p)).field).toBe('version');
    expect(refusal(() => ConfigEntityChangeNotificationSequenceZNode.decode(b('}{'), p)).path).toBe(p);
  });

  it('entity configs (empty data is no config)', () => {
    const p = '/config/topics/t';
    expect(ConfigEntityZNode.decode(null, p)).toEqual({});
    expect(ConfigEntityZNode.decode(b('{"version":1,"config":{"retention.ms":3600000}}'), p)).toEqual({ 'retention.ms': '3600000' });
    expect(refusal(() => ConfigEntityZNode.decode(b('{"version":1,"config":{"retention.ms":{"nested":true}}}'), p)).field).toBe('config.retention.ms');
    expect(refusal(() => ConfigEntityZNode.decode(b('{"version":1}'), p)).field).toBe('config');
    expect(refusal(() => ConfigEntityZNode.decode(b('not json'), p)).path).toBe(p);
  });

  it('/admin/reassign_partitions: types only (the controller judges the replica lists)', () => {
    expect(ReassignPartitionsZNode.decode(b('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[3,-1]}]}'))).toEqual([{ topic: 't', partition: 0, replicas: [3, -1] }]);
    expect(refusal(() => ReassignPartitionsZNode.decode(b('{"version":1,"partitions":[{"topic":"t","partition":"zero","replicas":[3]}]}'))).field).toBe('partitions[0].partition');
    expect(refusal(() => ReassignPartitionsZNode.decode(b('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":"3"}]}'))).field).toBe('partitions[0].replicas');
    expect(refusal(() => ReassignPartitionsZNode.decode(b('{"version":1,"partitions":{}}'))).field).toBe('partitions');
  });

  it('/admin/preferred_replica_election', () => {
    expect(refusal(() => PreferredReplicaElectionZNode.decode(b('not json at all'))).path).toBe('/admin/preferred_replica_election');
    expect(refusal(() => PreferredReplicaElectionZNode.decode(b('{"version":1,"partitions":[{"topic":"t"}]}'))).field).toBe('partitions[0].partition');
  });
});

describe('broker, controller and other znodes refuse garbage', () => {
  it('/brokers/ids/<id>', () => {
    expect(refusal(() => BrokerIdZNode.decode(1, b('{"version":4,"endpoints":"PLAINTEXT://h:1"}'))).field).toBe('endpoints');
    expect(refusal(() => BrokerIdZNode.decode(1, b('{"version":4,"endpoints":["nonsense"]}'))).field).toBe('endpoints[0]');
    expect(refusal(() => BrokerIdZNode.decode(1, b('{"version":"4","endpoints":[]}'))).field).toBe('version');
    expect(refusal(() => BrokerIdZNode.decode(1, b('{"version":1,"host":"h"}'))).field).toBe('host');
  });

  it('/controller, /controller_epoch, /cluster/id, /latest_producer_id_block, consumer offsets and registrations', () => {
    expect(refusal(() => ControllerZNode.decode(b('{"version":1,"brokerid":"2"}'))).field).toBe('brokerid');
    expect(refusal(() => ControllerEpochZNode.decode(b('two'))).path).toBe('/controller_epoch');
    expect(refusal(() => ClusterIdZNode.decode(b('{"version":"1","id":5}'))).field).toBe('id');
    expect(refusal(() => ProducerIdBlockZNode.decode(b('{"version":1,"broker":1,"block_start":"x","block_end":"1999"}'))).field).toBe('block_start');
    expect(refusal(() => ProducerIdBlockZNode.decode(b('{"version":1,"broker":1,"block_start":"2000","block_end":"1999"}'))).field).toBe('block_end');
    expect(refusal(() => ConsumerOffset.decode(b('NaN'), '/consumers/g/offsets/t/0')).path).toBe('/consumers/g/offsets/t/0');
    expect(ConsumerOffset.decode(b(''))).toBeNull();
    expect(refusal(() => ConsumerIdZNode.decode(b('{"version":1,"subscription":{"t":"1"},"pattern":"static"}'), '/consumers/g/ids/c')).field).toBe('subscription.t');
    expect(refusal(() => ConsumerIdZNode.decode(b('{"version":1,"subscription":{"t":1},"pattern":"regex"}'), '/consumers/g/ids/c')).field).toBe('pattern');
  });
});

describe('InvalidZnodeLog', () => {
  const logger = () => {
    const lines: string[] = [];
    const log = { error: (m: string) => lines.push(`E ${m}`), info: (m: string) => lines.push(`I ${m}`) };
    return { lines, log: new InvalidZnodeLog(log as never) };
  };

  it('logs a damaged znode once until its content changes, and its repair once', () => {
    const { lines, log } = logger();
    const e1 = new InvalidZnodeError('/a', 'leader', 'expected an integer, got "x"');
    for (let i = 0; i < 100; i++) log.report(e1, 'skipping it');
    expect(lines).toEqual(['E Invalid znode /a (field leader): expected an integer, got "x"; skipping it']);
    log.report(new InvalidZnodeError('/a', '', 'not valid JSON'), 'skipping it');
    expect(lines).toHaveLength(2);
    log.valid('/a');
    log.valid('/a');
    log.valid('/never-damaged');
    expect(lines[2]).toBe('I Znode /a is valid again');
    expect(lines).toHaveLength(3);
    log.report(e1, 'skipping it');
    expect(lines).toHaveLength(4);
  });
});

describe("Kafka 2.4's own znodes still decode (shared/reference/kafka-2.4-zookeeper)", () => {
  it.each<[string, () => unknown]>([
    ['/brokers/ids/0', () => BrokerIdZNode.decode(0, b('{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://127.0.0.1:19092"],"jmx_port":-1,"host":"127.0.0.1","timestamp":"1795312108116","port":19092,"version":4}'))],
    ['/brokers/topics/r3', () => TopicZNode.decode('r3', b('{"version":2,"partitions":{"2":[1,0,2],"1":[2,1,0],"0":[0,2,1]},"adding_replicas":{},"removing_replicas":{}}'))],
    ['a state znode', () => TopicPartitionStateZNode.decode(b('{"controller_epoch":1,"leader":2,"version":1,"leader_epoch":0,"isr":[2,1,0]}'), stat)],
    ['/controller', () => ControllerZNode.decode(b('{"version":1,"brokerid":0,"timestamp":"1795312108195"}'))],
    ['/controller_epoch', () => ControllerEpochZNode.decode(b('1'))],
    ['/config/topics/t (empty)', () => ConfigEntityZNode.decode(b('{"version":1,"config":{}}'))],
    ['/config/topics/__consumer_offsets', () => ConfigEntityZNode.decode(b('{"version":1,"config":{"compression.type":"producer","cleanup.policy":"compact","segment.bytes":"104857600"}}'))],
    ['/cluster/id', () => ClusterIdZNode.decode(b('{"version":"1","id":"effAjGmqSSmdGtrHiOPiAA"}'))],
    ['/latest_producer_id_block', () => ProducerIdBlockZNode.decode(b('{"version":1,"broker":0,"block_start":"0","block_end":"999"}'))],
    ['an ISR change notification', () => IsrChangeNotificationSequenceZNode.decode(b('{"version":1,"partitions":[{"topic":"r3","partition":2},{"topic":"r3","partition":1}]}'))],
    ['a config change notification', () => ConfigEntityChangeNotificationSequenceZNode.decode(b('{"version":2,"entity_path":"topics/d"}'))],
    ['/admin/reassign_partitions', () => ReassignPartitionsZNode.decode(b('{"version":1,"partitions":[{"topic":"r3","partition":0,"replicas":[2,1]}]}'))],
    ['/admin/preferred_replica_election', () => PreferredReplicaElectionZNode.decode(b('{"version":1,"partitions":[{"topic":"r3","partition":0}]}'))],
  ])('%s', (_what, decode) => {
    expect(tryDecode(decode).ok).toBe(true);
  });
});
