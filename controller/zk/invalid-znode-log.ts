// One error line per damaged znode, not one per read: the controller re-reads partition states on
// every election attempt and brokers re-read /config/changes on every notification, so logging at
// each read would flood the log while the znode stays damaged. A znode is logged again only when
// its content changes to another damage, and a later valid read logs that it was repaired.
import type { Logger } from '../../broker/logging';
import type { InvalidZnodeError } from './znode-json';

const MAX_REMEMBERED = 10000;

export class InvalidZnodeLog {
  /** path -> the error message last logged for it. */
  private readonly reported = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** `consequence` says what is skipped and for how long, e.g. "skipping topic t until it is repaired". */
  report(err: InvalidZnodeError, consequence: string): void {
    if (this.reported.get(err.path) === err.message) return;
    if (this.reported.size >= MAX_REMEMBERED) this.reported.clear();
    this.reported.set(err.path, err.message);
    this.log.error(`${err.message}; ${consequence}`);
  }

  /** A valid read of `path`: forget it, and say so if it had been reported. */
  valid(path: string): void {
    if (this.reported.delete(path)) this.log.info(`Znode ${path} is valid again`);
  }
}
