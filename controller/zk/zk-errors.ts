// ZooKeeper's KeeperException codes as typed errors, so callers can write
// `catch (e) { if (e instanceof NodeExistsError) ... }` the way Kafka matches on Code.NODEEXISTS.
// node-zookeeper-client reports failures as an Exception object with a numeric code; every method of
// ZooKeeperClient converts it with zkErrorFrom() before it reaches the caller.

/** KeeperException.Code values (the numbers ZooKeeper puts on the wire and in its txn log). */
export const ZkCode = {
  OK: 0,
  SYSTEM_ERROR: -1,
  RUNTIME_INCONSISTENCY: -2,
  DATA_INCONSISTENCY: -3,
  CONNECTION_LOSS: -4,
  MARSHALLING_ERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATION_TIMEOUT: -7,
  BAD_ARGUMENTS: -8,
  API_ERROR: -100,
  NO_NODE: -101,
  NO_AUTH: -102,
  BAD_VERSION: -103,
  NO_CHILDREN_FOR_EPHEMERALS: -108,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
  INVALID_CALLBACK: -113,
  INVALID_ACL: -114,
  AUTH_FAILED: -115,
} as const;

const CODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ZkCode).map(([name, code]) => [code, name]));

/** Any error ZooKeeper returned. `codeName` is KeeperException's name (NO_NODE, BAD_VERSION, ...). */
export class ZkError extends Error {
  readonly codeName: string;
  constructor(
    readonly code: number,
    readonly path?: string,
    message?: string,
  ) {
    const codeName = CODE_NAMES[code] ?? `UNKNOWN(${code})`;
    super(message ?? `KeeperErrorCode = ${codeName}${path ? ` for ${path}` : ''}`);
    this.codeName = codeName;
    this.name = 'ZkError';
  }
}

export class NoNodeError extends ZkError {
  constructor(path?: string) {
    super(ZkCode.NO_NODE, path);
    this.name = 'NoNodeError';
  }
}

export class NodeExistsError extends ZkError {
  constructor(path?: string, message?: string) {
    super(ZkCode.NODE_EXISTS, path, message);
    this.name = 'NodeExistsError';
  }
}

export class BadVersionError extends ZkError {
  constructor(path?: string) {
    super(ZkCode.BAD_VERSION, path);
    this.name = 'BadVersionError';
  }
}

export class NotEmptyError extends ZkError {
  constructor(path?: string) {
    super(ZkCode.NOT_EMPTY, path);
    this.name = 'NotEmptyError';
  }
}

export class SessionExpiredError extends ZkError {
  constructor(path?: string) {
    super(ZkCode.SESSION_EXPIRED, path);
    this.name = 'SessionExpiredError';
  }
}

export class ConnectionLossError extends ZkError {
  constructor(path?: string, message?: string) {
    super(ZkCode.CONNECTION_LOSS, path, message);
    this.name = 'ConnectionLossError';
  }
}

/**
 * Kafka's ControllerMovedException: a controller-epoch-fenced write failed its check of
 * /controller_epoch's zkVersion (another broker became controller), or the /controller race was
 * lost. The controller must resign on it.
 */
export class ControllerMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControllerMovedError';
  }
}

/** The typed error for a ZooKeeper result code. */
export function zkErrorForCode(code: number, path?: string): ZkError {
  switch (code) {
    case ZkCode.NO_NODE:
      return new NoNodeError(path);
    case ZkCode.NODE_EXISTS:
      return new NodeExistsError(path);
    case ZkCode.BAD_VERSION:
      return new BadVersionError(path);
    case ZkCode.NOT_EMPTY:
      return new NotEmptyError(path);
    case ZkCode.SESSION_EXPIRED:
      return new SessionExpiredError(path);
    case ZkCode.CONNECTION_LOSS:
      return new ConnectionLossError(path);
    default:
      return new ZkError(code, path);
  }
}

/** Converts whatever node-zookeeper-client passed to a callback into a ZkError (or keeps an Error). */
export function zkErrorFrom(err: unknown, path?: string): Error {
  if (err instanceof ZkError) return err;
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number') {
    return zkErrorForCode((err as { code: number }).code, path);
  }
  return err instanceof Error ? err : new Error(String(err));
}
