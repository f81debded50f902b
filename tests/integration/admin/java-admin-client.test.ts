// Apache Kafka 2.4's own Java AdminClient — what kafka-configs.sh, kafka-delete-records.sh,
// kafka-log-dirs.sh and kafka-acls.sh use — against a Zafka broker: every admin API of the
// operations issue answers as Kafka 2.4 does. Needs java/javac and a directory holding
// kafka-clients-2.4.0.jar and slf4j-api-*.jar (ZAFKA_KAFKA_LIBS, e.g. the libs/ of the reference
// Kafka distribution, shared/tools/reference-kafka); skipped without them.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestCluster } from '../../helpers/cluster';

const LIBS = process.env.ZAFKA_KAFKA_LIBS ?? '';
const jars = LIBS && fs.existsSync(LIBS) ? fs.readdirSync(LIBS).filter((f) => /^(kafka-clients-2\.4\.0|slf4j-api-.*|lz4-java-.*|snappy-java-.*)\.jar$/.test(f)) : [];
const available = jars.some((j) => j.startsWith('kafka-clients'));
const maybe = available ? describe : describe.skip;

maybe('Kafka 2.4 Java AdminClient against Zafka', () => {
  let cluster: TestCluster;
  let results: Map<string, string>;

  beforeAll(async () => {
    const classes = fs.mkdtempSync(path.join(os.tmpdir(), 'zafka-admin-check-'));
    const classpath = [classes, ...jars.map((j) => path.join(LIBS, j))].join(':');
    execFileSync('javac', ['-nowarn', '-cp', classpath, '-d', classes, path.join(__dirname, 'java', 'AdminCheck.java')], { stdio: 'pipe' });
    cluster = await TestCluster.start();
    const out = execFileSync('java', ['-cp', classpath, 'AdminCheck', cluster.bootstrap, 'java-admin', String(cluster.brokers[0].id)], { encoding: 'utf8', timeout: 180000 });
    results = new Map(out.split('\n').filter((l) => l.includes(' => ')).map((l) => [l.slice(0, l.indexOf(' => ')), l.slice(l.indexOf(' => ') + 4)]));
  }, 240000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const result = (call: string) => results.get(call);

  test('AlterConfigs and IncrementalAlterConfigs succeed, and bad input gets Kafka\'s exceptions', () => {
    expect(result('createTopics')).toBe('ok');
    expect(result('alterConfigs topic')).toBe('ok');
    expect(result('alterConfigs unknown name')).toBe('ERROR InvalidConfigurationException: Unknown topic config name: no.such.config');
    expect(result('alterConfigs bad value')).toMatch(/^ERROR InvalidRequestException: Invalid config value for resource ConfigResource\(type=TOPIC, name='java-admin'\)/);
    expect(result('alterConfigs read-only')).toMatch(/^ERROR InvalidRequestException: .*Cannot update these configs dynamically: Set\(broker.id\)/);
    for (const call of ['incrementalAlterConfigs append', 'incrementalAlterConfigs subtract', 'incrementalAlterConfigs broker', 'incrementalAlterConfigs cluster']) expect(result(call)).toBe('ok');
  });

  test('DescribeConfigs shows sources, synonyms and read-only flags', () => {
    expect(result('describe topic retention.ms')).toMatch(/^ConfigEntry\(name=retention.ms, value=3600000, source=DYNAMIC_TOPIC_CONFIG, .*synonyms=\[ConfigSynonym\(name=retention.ms, value=3600000, source=DYNAMIC_TOPIC_CONFIG\), ConfigSynonym\(name=log.retention.ms, value=7200000, source=DYNAMIC_BROKER_CONFIG\)/);
    expect(result('describe topic cleanup.policy')).toBe('delete');
    expect(result('describe topic retention.bytes source')).toBe('DYNAMIC_DEFAULT_BROKER_CONFIG');
    expect(result('describe broker log.retention.ms')).toMatch(/value=7200000, source=DYNAMIC_BROKER_CONFIG, isSensitive=false, isReadOnly=false/);
    expect(result('describe broker broker.id read-only')).toBe('true');
    expect(result('describe cluster')).toBe('1');
  });

  test('DeleteRecords, DescribeLogDirs, AlterReplicaLogDirs, ACLs and delegation tokens answer as Kafka 2.4; the client keeps working', () => {
    expect(result('produce 10')).toBe('ok');
    expect(result('deleteRecords lowWatermark')).toBe('6');
    expect(result('deleteRecords beyond high watermark')).toMatch(/^ERROR OffsetOutOfRangeException/);
    expect(result('consumer beginningOffsets')).toBe('6');
    expect(result('describeLogDirs partitions')).toBe('[java-admin-0]');
    expect(result('alterReplicaLogDirs unknown dir')).toMatch(/^ERROR LogDirNotFoundException/);
    expect(result('describeAcls')).toBe('ERROR SecurityDisabledException: No Authorizer is configured on the broker');
    expect(result('createAcls')).toMatch(/^ERROR SecurityDisabledException/);
    expect(result('createDelegationToken')).toMatch(/^ERROR UnsupportedByAuthenticationException: Delegation Token requests are not allowed on PLAINTEXT/);
    expect(result('listTopics still works')).toBe('true');
  });
});
