// kafka-reassign-partitions: move partition replicas between brokers (the controller does the
// moving). --generate proposes, --execute starts, --verify reports per partition. With --zookeeper
// it is Kafka 2.4's tool (writes /admin/reassign_partitions; a --bootstrap-server given alongside
// is accepted and unused, as 2.4 used it only for log-dir moves). With --bootstrap-server alone it
// is Kafka 2.5's (KIP-455: Metadata, AlterPartitionReassignments, ListPartitionReassignments).
// Exit 1 on bad arguments (message + usage) and when the operation fails.
import { readFileSync } from 'fs';
import { KafkaZkClient } from '../controller/zk/kafka-zk-client';
import { ClusterClient } from './client/cluster-client';
import { executeAssignmentAdmin, generateAssignmentAdmin, verifyAssignmentAdmin } from './reassign/reassign-admin';
import { executeAssignment, generateAssignment, verifyAssignment, type ReassignmentStatus } from './reassign/reassign-command';
import { newProgram, runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const SESSION_TIMEOUT_MS = 30000;

function program() {
  return newProgram('kafka-reassign-partitions', 'This tool helps to moves topic partitions between replicas.')
    .option('--zookeeper <urls>', 'The connection string for the zookeeper connection in the form host:port. Multiple URLS can be given to allow fail-over. Either this or --bootstrap-server is required.')
    .option('--bootstrap-server <servers>', 'the server(s) to use for bootstrapping. Used alone, the tool talks to the controller (AlterPartitionReassignments / ListPartitionReassignments) instead of ZooKeeper.')
    .option('--command-config <file>', 'Property file containing configs to be passed to Admin Client (accepted, not used).')
    .option('--generate', 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.')
    .option('--execute', 'Kick off the reassignment as specified by the --reassignment-json-file option.')
    .option('--verify', 'Verify if the reassignment completed as specified by the --reassignment-json-file option.')
    .option(
      '--reassignment-json-file <file>',
      'The JSON file with the partition reassignment configuration. The format to use is - {"partitions": [{"topic": "foo", "partition": 1, "replicas": [1,2,3], "log_dirs": ["any","any","any"]}], "version":1}',
    )
    .option('--topics-to-move-json-file <file>', 'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - {"topics": [{"topic": "foo"},{"topic": "foo1"}], "version":1}')
    .option('--broker-list <list>', 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration')
    .option('--disable-rack-aware', 'Disable rack aware replica assignment')
    .option('--throttle <bytes/sec>', 'The movement of partitions will be throttled to this value (not implemented by Zafka: refused).')
    .option('--replica-alter-log-dirs-throttle <bytes/sec>', 'Not implemented by Zafka: refused.')
    .option('--timeout <ms>', 'The maximum time in ms allowed to wait for partition reassignment execution to be successfully initiated (accepted).');
}

interface Options {
  zookeeper?: string;
  bootstrapServer?: string;
  generate?: boolean;
  execute?: boolean;
  verify?: boolean;
  reassignmentJsonFile?: string;
  topicsToMoveJsonFile?: string;
  brokerList?: string;
  disableRackAware?: boolean;
  throttle?: string;
  replicaAlterLogDirsThrottle?: string;
}

/** Kafka's validateAndParseArgs: exactly one action, --zookeeper, and each action's own files. */
function validate(o: Options): { action: 'generate' | 'execute' | 'verify'; brokers: number[] } {
  const actions = (['generate', 'execute', 'verify'] as const).filter((a) => o[a]);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --generate, --execute or --verify');
  if (o.zookeeper === undefined && o.bootstrapServer === undefined) throw new UsageError('Missing required argument "[zookeeper]" (or "[bootstrap-server]")');
  const action = actions[0];
  const invalid = (names: (keyof Options)[], flags: string[]) => {
    names.forEach((n, i) => {
      if (o[n] !== undefined) throw new UsageError(`Option "[${action}]" can't be used with option "[${flags[i]}]"`);
    });
  };
  if (o.throttle !== undefined || o.replicaAlterLogDirsThrottle !== undefined) {
    if (action !== 'execute') invalid(['throttle', 'replicaAlterLogDirsThrottle'], ['throttle', 'replica-alter-log-dirs-throttle']);
    throw new UsageError('Replication throttles are not supported by Zafka: run --execute without --throttle');
  }
  let brokers: number[] = [];
  if (action === 'verify' || action === 'execute') {
    if (o.reassignmentJsonFile === undefined) {
      throw new UsageError(
        action === 'verify'
          ? 'If --verify option is used, command must include --reassignment-json-file that was used during the --execute option'
          : 'If --execute option is used, command must include --reassignment-json-file that was output during the --generate option',
      );
    }
    invalid(['topicsToMoveJsonFile', 'disableRackAware', 'brokerList'], ['topics-to-move-json-file', 'disable-rack-aware', 'broker-list']);
  } else {
    if (o.topicsToMoveJsonFile === undefined || o.brokerList === undefined) {
      throw new UsageError('If --generate option is used, command must include both --topics-to-move-json-file and --broker-list options');
    }
    invalid(['reassignmentJsonFile'], ['reassignment-json-file']);
    brokers = o.brokerList.split(',').map((s) => {
      if (!/^\s*\d+\s*$/.test(s)) throw new UsageError(`Invalid --broker-list '${o.brokerList}': expected broker ids such as "0,1,2"`);
      return Number(s);
    });
  }
  return { action, brokers };
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`Partitions reassignment failed due to ${(e as Error).message}`);
  }
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const o = raw as Options;
  const { action, brokers } = validate(o);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (o.zookeeper === undefined) return mainAdmin(o, action, brokers, out);
  const zk = await KafkaZkClient.connect(o.zookeeper!, SESSION_TIMEOUT_MS, { connectionTimeoutMs: SESSION_TIMEOUT_MS, name: 'kafka-reassign-partitions' });
  try {
    if (action === 'generate') {
      await generateAssignment(zk, readFile(o.topicsToMoveJsonFile!), brokers, o.disableRackAware ? 'disabled' : 'enforced', out);
    } else if (action === 'execute') {
      await executeAssignment(zk, readFile(o.reassignmentJsonFile!), out);
    } else {
      printProgress(await verifyAssignment(zk, readFile(o.reassignmentJsonFile!), out));
    }
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(`${message.startsWith('Partitions reassignment failed') ? message : `Partitions reassignment failed due to ${message}`}\n`);
    return 1;
  } finally {
    await zk.close().catch(() => undefined);
  }
}

/**
 * --verify's progress for the person waiting on a long reassignment: one summary line on stderr,
 * so stdout stays line for line what Kafka's tool prints (scripts parse it).
 */
function printProgress(statuses: ReadonlyMap<string, ReassignmentStatus>): void {
  const all = [...statuses.values()];
  if (all.length === 0) return;
  const done = all.filter((s) => s === 'completed').length;
  const running = all.filter((s) => s === 'in progress').length;
  const failed = all.length - done - running;
  process.stderr.write(
    `Progress: ${done} of ${all.length} partitions reassigned (${Math.floor((done * 100) / all.length)}%)` +
      `${running > 0 ? `, ${running} in progress` : ''}${failed > 0 ? `, ${failed} failed` : ''}\n`,
  );
}

/** Failures print as the ZooKeeper path's do. */
function fail(e: unknown): number {
  const message = (e as Error).message;
  process.stderr.write(`${message.startsWith('Partitions reassignment failed') ? message : `Partitions reassignment failed due to ${message}`}\n`);
  return 1;
}

/** --bootstrap-server without --zookeeper: Kafka 2.5's AdminClient route. */
async function mainAdmin(o: Options, action: 'generate' | 'execute' | 'verify', brokers: number[], out: (line: string) => void): Promise<number> {
  let client: ClusterClient;
  try {
    client = await ClusterClient.connect(o.bootstrapServer!, { clientId: 'reassign-partitions', requestTimeoutMs: SESSION_TIMEOUT_MS });
  } catch (e) {
    return fail(e);
  }
  try {
    if (action === 'generate') {
      await generateAssignmentAdmin(client, readFile(o.topicsToMoveJsonFile!), brokers, o.disableRackAware ? 'disabled' : 'enforced', out);
    } else if (action === 'execute') {
      await executeAssignmentAdmin(client, readFile(o.reassignmentJsonFile!), out);
    } else {
      printProgress(await verifyAssignmentAdmin(client, readFile(o.reassignmentJsonFile!), out));
    }
    return 0;
  } catch (e) {
    return fail(e);
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const p = program();
  runToolOrUsage(p, process.argv.slice(2), main, 'This tool helps to moves topic partitions between replicas.');
}
