// One log line per incident, not one per request: a full or read-only disk fails every produce,
// every follower fetch and every checkpoint of the partitions on it, many times a second. The
// first failure of a subject (a partition, a checkpoint task) is logged with its cause; later ones
// are only counted, and the first success afterwards logs one line saying how many there were.
import type { Logger } from '../logging';
import { describeStorageError } from './storage-error';

export class StorageIncidents {
  private readonly open = new Map<string, { failures: number; sinceMs: number }>();

  constructor(private readonly logger: Logger) {}

  /** `subject` failed; message (or the error's text) is logged only if no incident is open for it. */
  failed(subject: string, cause: unknown): void {
    const incident = this.open.get(subject);
    if (incident) {
      incident.failures++;
      return;
    }
    this.open.set(subject, { failures: 1, sinceMs: Date.now() });
    const text = typeof cause === 'string' ? cause : `Storage error on ${subject}: ${describeStorageError(cause)}`;
    this.logger.error(`${text} (further failures of ${subject} are counted, not logged, until it recovers)`);
  }

  /** `subject` works again: closes its incident, if any (a Map lookup only when one is open). */
  succeeded(subject: string): void {
    if (this.open.size === 0) return;
    const incident = this.open.get(subject);
    if (!incident) return;
    this.open.delete(subject);
    this.logger.info(`${subject} recovered from a storage error after ${incident.failures} failed attempts over ${Date.now() - incident.sinceMs} ms`);
  }

  /** Subjects with an open incident (for tests and tools). */
  openSubjects(): string[] {
    return [...this.open.keys()];
  }
}
