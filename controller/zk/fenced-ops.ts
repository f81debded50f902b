// Controller writes fenced by the controller epoch (Kafka 2.2+, KAFKA-7235 / KIP-380 era): every write
// goes out as multi[check /controller_epoch version=V, op]. A controller that lost its place cannot
// write: the check fails with BAD_VERSION, which surfaces as ControllerMovedError. With
// MATCH_ANY_VERSION (-1) the op is sent plain, as Kafka does for non-controller callers.
// Batches are pipelined: every request is issued before any answer is awaited.
import { ControllerMovedError, NoNodeError, ZkCode, ZkError } from './zk-errors';
import { ControllerEpochZNode } from './zk-data';
import { MATCH_ANY_VERSION, ZkMultiError, ZkOp, ZkOpResult, ZooKeeperClient } from './zookeeper-client';

function checkEpochVersion(epochZkVersion: number): void {
  if (epochZkVersion < MATCH_ANY_VERSION || !Number.isInteger(epochZkVersion)) {
    throw new Error(`Expected controller epoch zkVersion ${epochZkVersion} should be non-negative or equal to ${MATCH_ANY_VERSION}`);
  }
}

async function plain(zk: ZooKeeperClient, op: ZkOp): Promise<ZkOpResult> {
  switch (op.type) {
    case 'create':
      return { type: 'create', path: await zk.create(op.path, op.data, op.mode) };
    case 'setData':
      return { type: 'setData', stat: await zk.setData(op.path, op.data, op.version) };
    case 'delete':
      await zk.delete(op.path, op.version);
      return { type: 'delete' };
    case 'check':
      return (await zk.multi([op]))[0];
  }
}

/** One op, fenced by the controller epoch's zkVersion. Throws ControllerMovedError or the op's ZkError. */
export async function fencedOp(zk: ZooKeeperClient, op: ZkOp, epochZkVersion: number): Promise<ZkOpResult> {
  checkEpochVersion(epochZkVersion);
  if (epochZkVersion === MATCH_ANY_VERSION) return plain(zk, op);
  try {
    const results = await zk.multi([{ type: 'check', path: ControllerEpochZNode.path, version: epochZkVersion }, op]);
    return results[1];
  } catch (e) {
    const multi = (e as Partial<ZkMultiError>).multi;
    if (e instanceof ZkError && multi && multi.failedOpIndex === 0) {
      if (e.code === ZkCode.BAD_VERSION) {
        throw new ControllerMovedError(`Controller epoch zkVersion check fails. Expected zkVersion = ${epochZkVersion}`);
      }
      if (e.code === ZkCode.NO_NODE) throw new NoNodeError(ControllerEpochZNode.path);
    }
    throw e;
  }
}

/**
 * Many fenced ops, pipelined. Each slot holds the op's result or its error; if any epoch check
 * failed the whole batch throws ControllerMovedError (as Kafka's retryRequestsUntilConnected does).
 */
export async function fencedBatch(zk: ZooKeeperClient, ops: readonly ZkOp[], epochZkVersion: number): Promise<Array<ZkOpResult | Error>> {
  checkEpochVersion(epochZkVersion);
  const settled = await Promise.allSettled(ops.map((op) => fencedOp(zk, op, epochZkVersion)));
  const moved = settled.find((s) => s.status === 'rejected' && s.reason instanceof ControllerMovedError);
  if (moved) throw (moved as PromiseRejectedResult).reason;
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason instanceof Error ? s.reason : new Error(String(s.reason))));
}

/**
 * Kafka's deleteRecursive(path, expectedControllerEpochZkVersion): children first, then the node,
 * each delete fenced. The tree is read level by level (pipelined), then every delete is issued at
 * once in post-order (children before parent, siblings in ZooKeeper's listing order, as Kafka's
 * depth-first walk). ZooKeeper applies one session's requests in order, so parents are deleted
 * after their children at the cost of one round trip instead of one per znode.
 * Returns false when `path` did not exist.
 */
export async function deleteRecursive(zk: ZooKeeperClient, path: string, epochZkVersion: number): Promise<boolean> {
  const childrenOf = new Map<string, string[]>();
  let level = [path];
  while (level.length > 0) {
    const listed = await Promise.allSettled(level.map((p) => zk.getChildren(p)));
    const next: string[] = [];
    listed.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        childrenOf.set(level[i], r.value);
        for (const c of r.value) next.push(`${level[i]}/${c}`);
      } else if (!(r.reason instanceof NoNodeError)) {
        throw r.reason;
      }
    });
    level = next;
  }
  if (!childrenOf.has(path)) return false;
  const postOrder: string[] = [];
  const walk = (p: string) => {
    for (const c of childrenOf.get(p) ?? []) walk(`${p}/${c}`);
    postOrder.push(p);
  };
  walk(path);
  const results = await fencedBatch(
    zk,
    postOrder.map((p) => ({ type: 'delete', path: p, version: MATCH_ANY_VERSION })),
    epochZkVersion,
  );
  for (const r of results) if (r instanceof Error && !(r instanceof NoNodeError)) throw r;
  return true;
}
