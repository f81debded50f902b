// kafka-dump-log: Kafka 2.4's DumpLogSegments for .log, .index, .timeindex and .txnindex files, written by
// Zafka or by Kafka (same formats): batches, records with --deep-iteration, keys and values with
// --print-data-log (or __consumer_offsets records with --offsets-decoder), index entries checked
// against the log, and the broker's index sanity check. Output and summaries as Kafka prints them;
// progress on stderr only when stderr is a terminal.
import * as path from 'path';
import { Option } from 'commander';
import { dumpOffsetIndex, dumpTimeIndex, emptyIndexProblems, printIndexProblems } from './dump-log/dump-index-file';
import { dumpLogFile } from './dump-log/dump-log-file';
import { dumpTxnIndex } from './dump-log/dump-txn-index';
import { type MessageParser, offsetsParser, stringParser } from './dump-log/message-parsers';
import { stderrProgress } from './dump-log/progress';
import { parseIntOption } from './shared/options';
import { newProgram, runTool } from './shared/run-tool';
import { UsageError } from './shared/usage-error';

const DESCRIPTION = 'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.';
const STRING_DECODER = 'kafka.serializer.StringDecoder';

function program() {
  return newProgram('kafka-dump-log', DESCRIPTION)
    .option('--files <file1, file2, ...>', 'REQUIRED: The comma separated list of data and index log files to be dumped.')
    .option('--print-data-log', 'if set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.')
    .option('--verify-index-only', 'if set, just verify the index log without printing its content.')
    .option('--index-sanity-check', 'if set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not.')
    .option('--max-message-size <size>', 'Size of largest message.', parseIntOption('max-message-size', 1), 5 * 1024 * 1024)
    .option('--deep-iteration', 'if set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.')
    .addOption(new Option('--value-decoder-class [class]', `if set, used to deserialize the messages (only ${STRING_DECODER}).`))
    .addOption(new Option('--key-decoder-class [class]', `if set, used to deserialize the keys (only ${STRING_DECODER}).`))
    .option('--offsets-decoder', 'if set, log data will be parsed as offset data from the __consumer_offsets topic.')
    .option('--transaction-log-decoder', 'if set, log data will be parsed as transaction metadata from the __transaction_state topic (not supported: Zafka has no transactions).');
}

function messageParser(opts: Record<string, unknown>): MessageParser {
  if (opts.offsetsDecoder) return offsetsParser;
  if (opts.transactionLogDecoder) throw new UsageError('--transaction-log-decoder is not supported: Zafka has no transaction log');
  for (const k of ['valueDecoderClass', 'keyDecoderClass']) {
    const cls = opts[k];
    if (typeof cls === 'string' && cls !== STRING_DECODER) throw new UsageError(`Decoder class ${cls} is not available: only ${STRING_DECODER} is`);
  }
  return stringParser;
}

async function main(opts: Record<string, unknown>): Promise<number> {
  if (opts.files === undefined) throw new UsageError('Missing required argument "[files]"');
  const printDataLog = Boolean(opts.printDataLog || opts.offsetsDecoder || opts.transactionLogDecoder || opts.valueDecoderClass !== undefined || opts.keyDecoderClass !== undefined);
  const logOptions = { printDataLog, deepIteration: Boolean(opts.deepIteration) || printDataLog, parser: messageParser(opts) };
  const indexOptions = { sanityOnly: Boolean(opts.indexSanityCheck), verifyOnly: Boolean(opts.verifyIndexOnly) };
  const out = (s: string) => void process.stdout.write(s);
  const err = (s: string) => void process.stderr.write(s);
  const problems = emptyIndexProblems();
  const gaps = new Map<string, Array<[number, number]>>();
  try {
    for (const file of (opts.files as string).split(',')) {
      out(`Dumping ${file}\n`);
      const name = path.basename(file);
      const suffix = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
      const baseOffset = Number(name.split('.')[0]);
      if ((suffix === '.log' || suffix === '.index' || suffix === '.timeindex') && !/^\d+$/.test(name.split('.')[0])) {
        throw new Error(`For input string: "${name.split('.')[0]}" (a segment file is named after its base offset)`);
      }
      if (suffix === '.log') {
        const found = dumpLogFile(file, baseOffset, logOptions, out, err, stderrProgress(`Dumping ${name}`));
        if (found.length > 0) gaps.set(path.resolve(file), found);
      } else if (suffix === '.index') dumpOffsetIndex(file, baseOffset, indexOptions, problems, out);
      else if (suffix === '.timeindex') dumpTimeIndex(file, baseOffset, indexOptions, problems, out);
      else if (suffix === '.txnindex') dumpTxnIndex(file, out);
      else err(`Ignoring unknown file ${file}\n`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    err(`${(e as Error).message}\n`);
    return 1;
  }
  printIndexProblems(problems, err);
  for (const [file, list] of gaps) {
    err(`Non-consecutive offsets in ${file}\n`);
    for (const [first, second] of [...list].reverse()) err(`  ${first} is followed by ${second}\n`);
  }
  return 0;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.length === 0) {
    process.stderr.write(`${DESCRIPTION}\n`);
    process.stderr.write(program().helpInformation());
    process.exit(1);
  }
  void runTool(program(), argv, main);
}
