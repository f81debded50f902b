// The frames the fuzzer mutates: requests captured from real clients (kcat/librdkafka and
// kafkajs) through tests/tools/capture-proxy.ts, from the protocol golden fixtures and from the
// fuzz corpus of group and admin traffic (tests/fuzz/corpus, written by capture-corpus.ts).
// Each is kept without its size prefix, with the map of its fields.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../helpers/cluster';
import { hex } from '../unit/protocol/golden';
import { FieldMap, mapRequestFields } from './field-map';

export interface CorpusFrame {
  /** The fixture file it came from. */
  name: string;
  apiKey: number;
  apiVersion: number;
  /** The request frame as on the wire, without the 4-byte size prefix. */
  frame: Buffer;
  map: FieldMap;
}

export const CORPUS_DIRS = [path.join(REPO_ROOT, 'tests/unit/protocol/fixtures'), path.join(REPO_ROOT, 'tests/fuzz/corpus')];

/**
 * Controller-to-broker requests (LeaderAndIsr, StopReplica, UpdateMetadata, ControlledShutdown)
 * are left out: Kafka without an authorizer obeys them from anyone, so a mutated one that still
 * parses may legitimately move leadership or delete a partition, which is no robustness bug.
 */
const EXCLUDED_API_KEYS = new Set([4, 5, 6, 7]);

/** skipApiKeys: API keys to leave out (to look past a known bug while it is being fixed). */
export function loadCorpus(dirs = CORPUS_DIRS, skipApiKeys: readonly number[] = []): CorpusFrame[] {
  const out: CorpusFrame[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (!/_request_v\d+_\d+\.hex$/.test(file)) continue;
      const bytes = hex(fs.readFileSync(path.join(dir, file), 'utf8'));
      const frame = bytes.subarray(4);
      const apiKey = frame.readInt16BE(0);
      if (EXCLUDED_API_KEYS.has(apiKey) || skipApiKeys.includes(apiKey)) continue;
      out.push({ name: `${path.basename(dir)}/${file}`, apiKey, apiVersion: frame.readInt16BE(2), frame, map: mapRequestFields(frame) });
    }
  }
  if (out.length === 0) throw new Error(`no request frames found in ${dirs.join(', ')}`);
  return out;
}
