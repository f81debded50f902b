// What a log dir says about itself, read as plain text the way Kafka 2.4 writes it (not through
// Zafka's own parsers, which would agree with Zafka's own writer even when both are wrong):
// the offset checkpoints, a partition's leader-epoch-checkpoint, meta.properties and its files.
import * as fs from 'fs';
import * as path from 'path';

/** "topic partition offset" entries of a version-0 checkpoint file, keyed "<topic>-<partition>". */
export function readOffsetCheckpoint(logDir: string, name: string): Map<string, number> {
  const lines = fs.readFileSync(path.join(logDir, name), 'utf8').split('\n').filter((l) => l !== '');
  if (lines[0] !== '0') throw new Error(`${name}: version ${lines[0]}, expected 0`);
  const entries = lines.slice(2).map((l) => l.split(' '));
  if (entries.length !== Number(lines[1])) throw new Error(`${name}: header says ${lines[1]} entries, file has ${entries.length}`);
  return new Map(entries.map(([t, p, o]) => [`${t}-${p}`, Number(o)]));
}

/** "epoch startOffset" entries of <partition dir>/leader-epoch-checkpoint. */
export function readLeaderEpochs(logDir: string, partitionDir: string): string[] {
  const lines = fs.readFileSync(path.join(logDir, partitionDir, 'leader-epoch-checkpoint'), 'utf8').split('\n').filter((l) => l !== '');
  if (lines[0] !== '0' || lines.length - 2 !== Number(lines[1])) throw new Error(`${partitionDir}/leader-epoch-checkpoint is malformed: ${lines.join('|')}`);
  return lines.slice(2);
}

export function readMetaProperties(logDir: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(logDir, 'meta.properties'), 'utf8').split('\n')) {
    const m = /^([^#=][^=]*)=(.*)$/.exec(line.trim());
    if (m) props[m[1]] = m[2];
  }
  return props;
}

/** The files of a partition dir whose names end with the suffix, sorted. */
export function partitionFiles(logDir: string, partitionDir: string, suffix: string): string[] {
  return fs.readdirSync(path.join(logDir, partitionDir)).filter((f) => f.endsWith(suffix)).sort();
}

export function readSegment(logDir: string, partitionDir: string, file: string): Buffer {
  return fs.readFileSync(path.join(logDir, partitionDir, file));
}
