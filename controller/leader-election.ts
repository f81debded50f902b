// Kafka's PartitionLeaderElectionAlgorithms and the strategies built on them
// (PartitionStateMachine.scala, Kafka 2.4). Pure functions of the assignment, the ISR read from
// ZooKeeper and the set of live brokers, so they can be tested as tables.
//
// Assignment order matters: the first replica is the "preferred" one, and every strategy walks
// the assignment (not the ISR) in order, so leadership goes back to the same brokers.

import { LeaderAndIsr, newLeaderAndIsr } from './controller-types';

export type LeaderElectionStrategy =
  /** Leader is dead or partition is new: first live in-ISR replica; unclean only if allowed. */
  | { kind: 'OfflinePartition'; allowUnclean: boolean }
  /** Reassignment: first live in-ISR replica of the target assignment. */
  | { kind: 'ReassignPartition' }
  /** Preferred election: the first assigned replica, if it is live and in the ISR. */
  | { kind: 'PreferredReplicaPartition' }
  /** Controlled shutdown: first live in-ISR replica that is not itself shutting down. */
  | { kind: 'ControlledShutdownPartition' };

export function strategyName(s: LeaderElectionStrategy): string {
  return s.kind === 'OfflinePartition'
    ? `OfflinePartitionLeaderElectionStrategy(${s.allowUnclean})`
    : `${s.kind}LeaderElectionStrategy`;
}

export function offlinePartitionLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  liveReplicas: ReadonlySet<number>,
  uncleanLeaderElectionEnabled: boolean,
): number | null {
  const clean = assignment.find((id) => liveReplicas.has(id) && isr.includes(id));
  if (clean !== undefined) return clean;
  if (!uncleanLeaderElectionEnabled) return null;
  // Unclean: any live replica, accepting data loss (unclean.leader.election.enable).
  return assignment.find((id) => liveReplicas.has(id)) ?? null;
}

export function reassignPartitionLeaderElection(
  reassignment: readonly number[],
  isr: readonly number[],
  liveReplicas: ReadonlySet<number>,
): number | null {
  return reassignment.find((id) => liveReplicas.has(id) && isr.includes(id)) ?? null;
}

export function preferredReplicaPartitionLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  liveReplicas: ReadonlySet<number>,
): number | null {
  const preferred = assignment[0];
  return preferred !== undefined && liveReplicas.has(preferred) && isr.includes(preferred) ? preferred : null;
}

export function controlledShutdownPartitionLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  liveReplicas: ReadonlySet<number>,
  shuttingDownBrokers: ReadonlySet<number>,
): number | null {
  return assignment.find((id) => liveReplicas.has(id) && isr.includes(id) && !shuttingDownBrokers.has(id)) ?? null;
}

export interface ElectionInput {
  assignment: readonly number[];
  current: LeaderAndIsr;
  /** Assigned replicas on live brokers (for controlled shutdown: including shutting-down ones). */
  liveReplicas: ReadonlySet<number>;
  shuttingDownBrokers: ReadonlySet<number>;
  /** Only consulted when no clean leader exists (OfflinePartition strategy). */
  uncleanAllowed?: boolean;
}

export interface ElectionResult {
  /** The new state to write (leader epoch bumped), or null when no replica is eligible. */
  leaderAndIsr: LeaderAndIsr | null;
  unclean: boolean;
}

/** Runs one strategy for one partition and builds the new LeaderAndIsr as Kafka does. */
export function electLeader(strategy: LeaderElectionStrategy, input: ElectionInput): ElectionResult {
  const { assignment, current, liveReplicas } = input;
  const isr = current.isr;
  switch (strategy.kind) {
    case 'OfflinePartition': {
      const allowUnclean = strategy.allowUnclean || input.uncleanAllowed === true;
      const leader = offlinePartitionLeaderElection(assignment, isr, liveReplicas, allowUnclean);
      if (leader === null) return { leaderAndIsr: null, unclean: false };
      // A clean leader keeps the live part of the ISR; an unclean one starts a new ISR of itself.
      const unclean = !isr.includes(leader);
      const newIsr = unclean ? [leader] : isr.filter((r) => liveReplicas.has(r));
      return { leaderAndIsr: newLeaderAndIsr(current, leader, newIsr), unclean };
    }
    case 'ReassignPartition': {
      const leader = reassignPartitionLeaderElection(assignment, isr, liveReplicas);
      return { leaderAndIsr: leader === null ? null : newLeaderAndIsr(current, leader, [...isr]), unclean: false };
    }
    case 'PreferredReplicaPartition': {
      const leader = preferredReplicaPartitionLeaderElection(assignment, isr, liveReplicas);
      return { leaderAndIsr: leader === null ? null : newLeaderAndIsr(current, leader, [...isr]), unclean: false };
    }
    case 'ControlledShutdownPartition': {
      const leader = controlledShutdownPartitionLeaderElection(assignment, isr, liveReplicas, input.shuttingDownBrokers);
      if (leader === null) return { leaderAndIsr: null, unclean: false };
      const newIsr = isr.filter((r) => !input.shuttingDownBrokers.has(r));
      return { leaderAndIsr: newLeaderAndIsr(current, leader, newIsr), unclean: false };
    }
  }
}
