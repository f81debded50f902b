// Kafka 2.4's ReplicaAssignment (ControllerContext.scala, KIP-455): a partition's full replica set
// while a reassignment runs, with the replicas being added and removed. Pure values, so the
// reassignment steps can be tested as tables.
//
//   RS  = replicas         = (target ++ origin).distinct: target first, so its head is preferred
//   AR  = addingReplicas   = RS - origin
//   RR  = removingReplicas = RS - target
//   ORS = originReplicas   = RS - AR,   TRS = targetReplicas = RS - RR
//
// This is also what the topic znode (version 2) stores in partitions / adding_replicas /
// removing_replicas, so a new controller can resume a reassignment in progress.

export interface ReplicaAssignment {
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

/** A partition not being reassigned. */
export function replicaAssignment(replicas: readonly number[]): ReplicaAssignment {
  return { replicas: [...replicas], addingReplicas: [], removingReplicas: [] };
}

const diff = (a: readonly number[], b: readonly number[]): number[] => a.filter((x) => !b.includes(x));

export function originReplicas(a: ReplicaAssignment): number[] {
  return diff(a.replicas, a.addingReplicas);
}

export function targetReplicas(a: ReplicaAssignment): number[] {
  return diff(a.replicas, a.removingReplicas);
}

export function isBeingReassigned(a: ReplicaAssignment): boolean {
  return a.addingReplicas.length > 0 || a.removingReplicas.length > 0;
}

/** Kafka's ReplicaAssignment.fromOldAndNewReplicas. */
export function fromOldAndNewReplicas(oldReplicas: readonly number[], newReplicas: readonly number[]): ReplicaAssignment {
  const full = [...new Set([...newReplicas, ...oldReplicas])];
  return { replicas: full, addingReplicas: diff(full, oldReplicas), removingReplicas: diff(full, newReplicas) };
}

/**
 * Kafka's reassignTo: always computed from the ORIGIN replicas, so a reassignment that replaces
 * one in progress does not treat the half-added replicas as original.
 */
export function reassignTo(current: ReplicaAssignment, newReplicas: readonly number[]): ReplicaAssignment {
  return fromOldAndNewReplicas(originReplicas(current), newReplicas);
}

export function sameAssignment(a: ReplicaAssignment, b: ReplicaAssignment): boolean {
  const eq = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.replicas, b.replicas) && eq(a.addingReplicas, b.addingReplicas) && eq(a.removingReplicas, b.removingReplicas);
}

/** Phase B may start once every target replica is in the ISR (Kafka's isReassignmentComplete). */
export function isReassignmentComplete(a: ReplicaAssignment, isr: readonly number[] | null): boolean {
  if (!isBeingReassigned(a)) return true;
  if (isr === null) return false;
  return targetReplicas(a).every((r) => isr.includes(r));
}

/** Kafka's ReplicaAssignment.toString, for controller.log. */
export function formatReplicaAssignment(a: ReplicaAssignment): string {
  return `ReplicaAssignment(replicas=${a.replicas.join(',')}, addingReplicas=${a.addingReplicas.join(',')}, removingReplicas=${a.removingReplicas.join(',')})`;
}
