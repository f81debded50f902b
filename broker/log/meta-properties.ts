// meta.properties in each log dir: which broker (and cluster) the data belongs to. Same format
// as Kafka's BrokerMetadataCheckpoint (a java.util.Properties file, version=0). A log dir whose
// broker.id differs from the configured one is a startup error (InconsistentBrokerIdException):
// starting anyway would serve another broker's replicas under this id.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from './atomic-file';

export const META_PROPERTIES_FILE = 'meta.properties';

export interface MetaProperties {
  brokerId: number;
  clusterId?: string;
}

export class InconsistentBrokerIdError extends Error {
  override name = 'InconsistentBrokerIdException';
}

export class InconsistentClusterIdError extends Error {
  override name = 'InconsistentClusterIdException';
}

/** key=value lines of a Java properties file (comments and blank lines skipped). */
function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) props.set(m[1], m[2]);
  }
  return props;
}

/** The dir's meta.properties, or null when there is none. Throws on an unknown version. */
export function readMetaProperties(dir: string): MetaProperties | null {
  const file = path.join(dir, META_PROPERTIES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const props = parseProperties(text);
  const version = props.get('version');
  if (version !== '0') throw new Error(`Unrecognized version of the server meta.properties file ${file}: ${version}`);
  const brokerId = Number(props.get('broker.id'));
  if (!Number.isInteger(brokerId)) throw new Error(`Invalid broker.id in ${file}: ${props.get('broker.id')}`);
  const clusterId = props.get('cluster.id');
  return clusterId === undefined ? { brokerId } : { brokerId, clusterId };
}

/** Writes meta.properties atomically (tmp, fsync, rename), as Kafka does. */
export function writeMetaProperties(dir: string, meta: MetaProperties): void {
  const file = path.join(dir, META_PROPERTIES_FILE);
  const lines = ['#', `#${new Date().toString()}`, 'version=0', `broker.id=${meta.brokerId}`];
  if (meta.clusterId !== undefined) lines.push(`cluster.id=${meta.clusterId}`);
  writeFileAtomically(file, lines.join('\n') + '\n');
}

/**
 * Startup check over all log dirs: every existing meta.properties must carry this broker.id (and
 * this cluster.id when both are known); dirs without one get it written. Creates missing dirs.
 */
export function checkAndWriteMetaProperties(logDirs: readonly string[], meta: MetaProperties): void {
  for (const dir of logDirs) {
    fs.mkdirSync(dir, { recursive: true });
    const existing = readMetaProperties(dir);
    if (existing === null) {
      writeMetaProperties(dir, meta);
      continue;
    }
    if (existing.brokerId !== meta.brokerId) {
      throw new InconsistentBrokerIdError(
        `Configured broker.id ${meta.brokerId} doesn't match stored broker.id ${existing.brokerId} in meta.properties. ` +
          'If you moved your data, make sure your configured broker.id matches. ' +
          'If you intend to create a new broker, you should remove all data in your data directories (log.dirs).',
      );
    }
    if (existing.clusterId !== undefined && meta.clusterId !== undefined && existing.clusterId !== meta.clusterId) {
      throw new InconsistentClusterIdError(
        `The Cluster ID ${meta.clusterId} doesn't match stored clusterId Some(${existing.clusterId}) in meta.properties. ` +
          'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
      );
    }
    if (existing.clusterId === undefined && meta.clusterId !== undefined) writeMetaProperties(dir, meta);
  }
}
