// One log line per refused config change, as Kafka's AdminManager: client errors at INFO,
// anything unexpected at ERROR with its stack.
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';

const logger = getLogger('kafka.server.AdminManager');

export function logConfigChangeFailure(what: string, resource: { resourceType: number; resourceName: string }, err: unknown): void {
  const message = `Error processing ${what} request for resource (type ${resource.resourceType}, name '${resource.resourceName}')`;
  if (errorCodeOf(err) === ErrorCode.UNKNOWN_SERVER_ERROR) logger.error(`${message}: ${(err as Error).stack}`);
  else logger.info(`${message}: ${(err as Error).message}`);
}
