// kafka-leader-election: ask the controller for leader elections through ElectLeaders, as Kafka
// 2.4's LeaderElectionCommand. Only --election-type preferred is served (ElectLeaders v0 has no
// election type; unclean elections are refused with a message). Exactly one of --topic (with
// --partition), --all-topic-partitions or --path-to-json-file. Exit 1 when a partition fails.
import { readFileSync } from 'fs';
import { ErrorCode } from '../broker/protocol/errors';
import { ClusterClient } from './client/cluster-client';
import { describeError, electPreferredLeaders } from './election/elect-leaders-client';
import { ElectionPartition, parseElectionPartitions } from './election/election-json';
import { parseIntOption } from './shared/options';
import { newProgram, runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const TIMEOUT_MS = 30000;

function program() {
  return newProgram(
    'kafka-leader-election',
    'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
  )
    .option('--bootstrap-server <host:port>', 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.')
    .option('--admin.config <file>', 'Configuration properties files to pass to the admin client (accepted, not used).')
    .option('--path-to-json-file <file>', 'The JSON file with the list of partition for which leader elections should be performed: {"partitions": [{"topic": "foo", "partition": 1}]}. Not allowed if --all-topic-partitions or --topic flags are specified.')
    .option('--topic <topic>', 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.')
    .option('--partition <id>', 'Partition id for which to perform an election. REQUIRED if --topic is specified.', parseIntOption('partition', 0))
    .option('--all-topic-partitions', 'Perform election on all of the eligible topic partitions. Not allowed if --topic or --path-to-json-file is specified.')
    .option('--election-type <type>', 'Type of election to attempt: "preferred" (Zafka does not support "unclean"). REQUIRED.');
}

interface Options {
  bootstrapServer?: string;
  pathToJsonFile?: string;
  topic?: string;
  partition?: number;
  allTopicPartitions?: boolean;
  electionType?: string;
}

/** Kafka's validate(): required options, one partition selector, --partition iff --topic. */
function validate(o: Options): void {
  const missing = [o.electionType === undefined ? 'election-type' : null, o.bootstrapServer === undefined ? 'bootstrap-server' : null].filter((x) => x);
  if (missing.length > 0) throw new UsageError(`Missing required option(s): ${missing.join(', ')}`);
  const type = o.electionType!.trim().toUpperCase();
  if (type === 'UNCLEAN') throw new UsageError('Unclean leader election is not supported by Zafka (ElectLeaders v0 only): use --election-type preferred');
  if (type !== 'PREFERRED') throw new UsageError(`Invalid --election-type '${o.electionType}': expected preferred or unclean`);
  const selectors = [o.topic !== undefined, o.allTopicPartitions === true, o.pathToJsonFile !== undefined].filter((x) => x).length;
  if (selectors !== 1) throw new UsageError('One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file');
  if (o.topic !== undefined && o.partition === undefined) throw new UsageError('Missing required option(s): partition');
  if (o.topic === undefined && o.partition !== undefined) throw new UsageError('Option partition is only allowed if topic is used');
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const o = raw as Options;
  validate(o);
  let partitions: ElectionPartition[] | null = null;
  if (o.pathToJsonFile !== undefined) partitions = parseElectionPartitions(readFileSync(o.pathToJsonFile, 'utf8'), 'Replica election');
  else if (o.topic !== undefined) partitions = [{ topic: o.topic, partition: o.partition! }];
  const client = await ClusterClient.connect(o.bootstrapServer!, { clientId: 'leader-election-tool', requestTimeoutMs: TIMEOUT_MS });
  try {
    const results = await electPreferredLeaders(client, partitions, TIMEOUT_MS);
    const names = (rs: typeof results) => rs.map((r) => `${r.topic}-${r.partition}`).join(', ');
    const succeeded = results.filter((r) => r.errorCode === ErrorCode.NONE);
    const noop = results.filter((r) => r.errorCode === ErrorCode.ELECTION_NOT_NEEDED);
    const failed = results.filter((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
    if (succeeded.length > 0) process.stdout.write(`Successfully completed leader election (PREFERRED) for partitions ${names(succeeded)}\n`);
    if (noop.length > 0) process.stdout.write(`Valid replica already elected for partitions ${names(noop)}\n`);
    for (const r of failed) process.stdout.write(`Error completing leader election (PREFERRED) for partition: ${r.topic}-${r.partition}: ${describeError(r)}\n`);
    if (failed.length > 0) {
      process.stderr.write(`${failed.length} replica(s) could not be elected\n`);
      return 1;
    }
    return 0;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const p = program();
  runToolOrUsage(p, process.argv.slice(2), main);
}
