// kafka-delete-records: deletes the records of partitions below given offsets (advances each
// partition's log start offset with DeleteRecords), as Kafka 2.4's DeleteRecordsCommand, with its
// output lines:
//   Executing records delete operation
//   Records delete operation completed:
//   partition: foo-0<TAB>low_watermark: 42
//   partition: foo-1<TAB>error: org.apache.kafka.common.errors.OffsetOutOfRangeException: ...
// As in Kafka, a partition's error is reported on its line and the exit code stays 0; a bad file
// or an unreachable cluster exits 1 with a message.
import { readFileSync } from 'fs';
import { ErrorCode } from '../broker/protocol/errors';
import { ClusterClient } from './client/cluster-client';
import { deleteRecords } from './client/delete-records';
import { parseOffsetJson } from './delete-records/offset-json';
import { adminClientOptions } from './shared/admin-client-config';
import { javaExceptionText } from './shared/kafka-exceptions';
import { newProgram, runToolOrUsage } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const TIMEOUT_MS = 30000;
const DESCRIPTION = 'This tool helps to delete records of the given partitions down to the specified offset.';

function program() {
  return newProgram('kafka-delete-records', DESCRIPTION)
    .option('--bootstrap-server <server(s) to use for bootstrapping>', 'REQUIRED: The server to connect to.')
    .option(
      '--offset-json-file <Offset json file path>',
      'REQUIRED: The JSON file with offset per partition. The format to use is:\n{"partitions":\n  [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}',
    )
    .option('--command-config <command config property file path>', 'A property file containing configs to be passed to Admin Client.');
}

interface Options {
  bootstrapServer?: string;
  offsetJsonFile?: string;
  commandConfig?: string;
}

async function main(raw: Record<string, unknown>): Promise<number> {
  const o = raw as Options;
  // CommandLineUtils.checkRequiredArgs: the first missing one is named.
  if (o.bootstrapServer === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  if (o.offsetJsonFile === undefined) throw new UsageError('Missing required argument "[offset-json-file]"');
  const clientOptions = adminClientOptions(o.commandConfig, { clientId: 'adminclient-1', requestTimeoutMs: TIMEOUT_MS });
  let text: string;
  try {
    text = readFileSync(o.offsetJsonFile, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read --offset-json-file ${o.offsetJsonFile}: ${(err as Error).message}`);
  }
  const requests = parseOffsetJson(text);

  process.stdout.write('Executing records delete operation\n');
  const client = await ClusterClient.connect(o.bootstrapServer, clientOptions);
  try {
    const results = await deleteRecords(client, requests, clientOptions.requestTimeoutMs ?? TIMEOUT_MS);
    process.stdout.write('Records delete operation completed:\n');
    for (const r of results) {
      const outcome = r.errorCode === ErrorCode.NONE ? `low_watermark: ${r.lowWatermark}` : `error: ${javaExceptionText(r.errorCode, r.errorMessage)}`;
      process.stdout.write(`partition: ${r.topic}-${r.partition}\t${outcome}\n`);
    }
    return 0;
  } finally {
    client.close();
  }
}

if (require.main === module) {
  const p = program();
  runToolOrUsage(p, process.argv.slice(2), main, DESCRIPTION);
}
