// kafka-preferred-replica-election (deprecated in Kafka 2.4 in favour of kafka-leader-election):
// --zookeeper writes /admin/preferred_replica_election for the controller (which deletes it when
// done); --bootstrap-server sends ElectLeaders to the controller and reports per partition.
// Exactly one of the two. Without --path-to-json-file: every partition.
import { readFileSync } from 'fs';
import { ErrorCode } from '../broker/protocol/errors';
import { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { NodeExistsError } from '../controller/zk/zk-errors';
import { ClusterClient } from './client/cluster-client';
import { describeError, electPreferredLeaders } from './election/elect-leaders-client';
import { ElectionCommandError, ElectionPartition, parseElectionPartitions } from './election/election-json';
import { newProgram, runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const TIMEOUT_MS = 30000;
const out = (line: string) => process.stdout.write(`${line}\n`);
const setOf = (ps: readonly ElectionPartition[]) => `Set(${ps.map((p) => `${p.topic}-${p.partition}`).join(', ')})`;

function program() {
  return newProgram(
    'kafka-preferred-replica-election',
    "This tool helps to causes leadership for each partition to be transferred back to the 'preferred replica', it can be used to balance leadership among the servers.",
  )
    .option('--path-to-json-file <file>', 'The JSON file with the list of partitions for which preferred replica leader election should be done: {"partitions": [{"topic": "foo", "partition": 1}]}. Defaults to all existing partitions')
    .option('--zookeeper <urls>', 'DEPRECATED. The connection string for the zookeeper connection in the form host:port. Replaced by --bootstrap-server, REQUIRED unless --bootstrap-server is given.')
    .option('--bootstrap-server <host:port>', 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED unless --zookeeper is given.')
    .option('--admin.config <file>', 'Admin client config properties file (accepted, not used).');
}

interface Options {
  pathToJsonFile?: string;
  zookeeper?: string;
  bootstrapServer?: string;
}

async function viaZooKeeper(connect: string, requested: ElectionPartition[] | null): Promise<number> {
  out('Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.');
  out('Use --bootstrap-server instead to specify a broker to connect to.');
  const zk = await KafkaZkClient.connect(connect, TIMEOUT_MS, { connectionTimeoutMs: TIMEOUT_MS, name: 'kafka-preferred-replica-election' });
  try {
    const topics = requested === null ? await zk.getAllTopics() : [...new Set(requested.map((p) => p.topic))];
    const existing: ElectionPartition[] = [];
    for (const [topic, partitions] of await zk.getReplicaAssignment(topics)) for (const partition of partitions.keys()) existing.push({ topic, partition });
    const exists = (p: ElectionPartition) => existing.some((e) => e.topic === p.topic && e.partition === p.partition);
    const valid = requested === null ? existing : requested.filter(exists);
    const invalid = requested === null ? [] : requested.filter((p) => !exists(p));
    try {
      await zk.createPreferredReplicaElection(valid);
      out(`Created preferred replica election path with ${valid.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
    } catch (e) {
      if (!(e instanceof NodeExistsError)) throw e;
      const running = (await zk.getPreferredReplicaElection()) ?? [];
      throw new ElectionCommandError(`Preferred replica leader election currently in progress for ${running.map((p) => `${p.topic}-${p.partition}`).join(',')}. Aborting operation`);
    }
    out(`Successfully started preferred replica election for partitions ${setOf(valid)}`);
    for (const p of invalid) out(`Skipping preferred replica leader election for partition ${p.topic}-${p.partition} since it doesn't exist.`);
    return 0;
  } finally {
    await zk.close().catch(() => undefined);
  }
}

async function viaBrokers(bootstrap: string, requested: ElectionPartition[] | null): Promise<number> {
  const client = await ClusterClient.connect(bootstrap, { clientId: 'preferred-replica-election-tool', requestTimeoutMs: TIMEOUT_MS });
  try {
    const results = await electPreferredLeaders(client, requested, TIMEOUT_MS);
    const names = (rs: typeof results) => rs.map((r) => `${r.topic}-${r.partition}`).join(', ');
    const succeeded = results.filter((r) => r.errorCode === ErrorCode.NONE);
    const noop = results.filter((r) => r.errorCode === ErrorCode.ELECTION_NOT_NEEDED);
    const failed = results.filter((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
    if (succeeded.length > 0) out(`Successfully completed preferred leader election for partitions ${names(succeeded)}`);
    if (noop.length > 0) out(`Preferred replica already elected for partitions ${names(noop)}`);
    for (const r of failed) out(`Error completing preferred leader election for partition: ${r.topic}-${r.partition}: ${describeError(r)}`);
    if (failed.length > 0) {
      process.stderr.write(`${failed.length} preferred replica(s) could not be elected\n`);
      return 1;
    }
    return 0;
  } finally {
    client.close();
  }
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const o = raw as Options;
  if ((o.zookeeper === undefined) === (o.bootstrapServer === undefined)) throw new UsageError("Exactly one of '[bootstrap-server]' or '[zookeeper]' must be provided");
  out('This tool is deprecated. Please use kafka-leader-election tool. Tracking issue: KAFKA-8405');
  const requested = o.pathToJsonFile === undefined ? null : parseElectionPartitions(readFileSync(o.pathToJsonFile, 'utf8'), 'Preferred replica election');
  return o.zookeeper !== undefined ? viaZooKeeper(o.zookeeper, requested) : viaBrokers(o.bootstrapServer!, requested);
}

if (require.main === module) {
  const p = program();
  runToolOrUsage(p, process.argv.slice(2), main);
}
