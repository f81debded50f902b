// The controller's bulk ZooKeeper calls (one request per partition: creating the state znodes of a
// new topic, reading and conditionally updating them for elections) go out in slices of
// ZK_BULK_SLICE requests, each slice awaited before the next. Issued all at once, 10,000 requests
// are serialized and queued by the ZooKeeper client in one synchronous stretch of seconds, and that
// stretch of the event loop also starves the session's own heartbeats and every client socket.
// Kafka pipelines the same requests from its controller thread, which blocks nobody else.
import type { ControllerZkClient, ZkUpdateResults } from './controller-zk';

export const ZK_BULK_SLICE = 50;

async function inSlices<T, R>(items: readonly T[], call: (slice: T[]) => Promise<R>, merge: (into: R, next: R) => void): Promise<R> {
  if (items.length <= ZK_BULK_SLICE) return call([...items]);
  const result = await call(items.slice(0, ZK_BULK_SLICE));
  for (let i = ZK_BULK_SLICE; i < items.length; i += ZK_BULK_SLICE) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    merge(result, await call(items.slice(i, i + ZK_BULK_SLICE)));
  }
  return result;
}

function mergeUpdates(into: ZkUpdateResults, next: ZkUpdateResults): void {
  for (const [k, v] of next.succeeded) into.succeeded.set(k, v);
  for (const [k, v] of next.failed) into.failed.set(k, v);
}

function mergeMaps<K, V>(into: Map<K, V>, next: Map<K, V>): void {
  for (const [k, v] of next) into.set(k, v);
}

/** `zk` with createTopicPartitionStates, updateLeaderAndIsr and getTopicPartitionStates sliced. */
export function sliceBulkZkCalls(zk: ControllerZkClient): ControllerZkClient {
  const overrides: Partial<ControllerZkClient> = {
    createTopicPartitionStates: (states, epochZkVersion) => inSlices(states, (s) => zk.createTopicPartitionStates(s, epochZkVersion), mergeUpdates),
    updateLeaderAndIsr: (updates, epochZkVersion) => inSlices(updates, (s) => zk.updateLeaderAndIsr(s, epochZkVersion), mergeUpdates),
    getTopicPartitionStates: (partitions) => inSlices(partitions, (s) => zk.getTopicPartitionStates(s), mergeMaps),
  };
  // Everything else is the client itself, called on itself (its own state stays its own).
  return new Proxy(zk, {
    get(target, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof ControllerZkClient];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
