// Shared by the storage-failure fault tests: put a broker's log dirs on a given filesystem, and
// count the lines a broker logged about storage failures.
import * as fs from 'fs';
import type { TestCluster } from '../../helpers/cluster';

/** Rewrites the broker's log.dirs (before it starts) to the given dirs. */
export function setLogDirs(cluster: TestCluster, id: number, dirs: string[]): void {
  const b = cluster.broker(id);
  const lines = fs.readFileSync(b.configFile, 'utf8').split('\n').filter((l) => !l.startsWith('log.dirs='));
  fs.writeFileSync(b.configFile, [...lines.filter((l) => l !== ''), `log.dirs=${dirs.join(',')}`].join('\n') + '\n');
  b.logDir = dirs[0];
}

/** ERROR lines of the broker's output since `from` characters (what an operator would have to read). */
export function errorLines(cluster: TestCluster, id: number, from = 0): string[] {
  return cluster
    .output(id)
    .slice(from)
    .split('\n')
    .filter((l) => l.includes(' ERROR '));
}
