// Apache Kafka 2.4's own bin/ tools (kafka-configs.sh, kafka-acls.sh, ...) run against the test
// ZooKeeper or brokers, to compare what Zafka's tools write and print with the real thing. Each run
// is a JVM start (seconds of CPU): tests call them sparingly. Returns null when no Kafka 2.4
// distribution is on this machine (tests then skip their Kafka-side half and say so).
// Same exports and signature as tests/helpers/reference-kafka.ts on h/mixed-controller: when both
// branches meet, this file goes and its importers import from there.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findKafkaDist, findKrefTools } from '../bench/vs-kafka/kafka-side';
import { run, type RunResult } from './kcat';

export const KAFKA_DIST: string | null = findKafkaDist(findKrefTools());

/** Runs `<dist>/bin/<tool>` (e.g. kafka-acls.sh) with a small heap and its logs in a temp dir. */
export function runKafkaTool(tool: string, args: string[], timeoutMs = 120000): Promise<RunResult> {
  if (!KAFKA_DIST) throw new Error('no Kafka 2.4 distribution found (set KREF_DIST)');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-tool-logs-'));
  const env = { ...process.env, LOG_DIR: logDir, KAFKA_HEAP_OPTS: '-Xmx256m -Xms64m' };
  return run(path.join(KAFKA_DIST, 'bin', tool), args, { env, timeoutMs }).finally(() =>
    fs.rmSync(logDir, { recursive: true, force: true }),
  );
}
