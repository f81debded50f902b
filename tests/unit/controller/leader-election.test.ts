import { electLeader, LeaderElectionStrategy } from '../../../controller/leader-election';

const current = (leader: number, isr: number[]) => ({ leader, leaderEpoch: 4, isr, zkVersion: 7 });

describe('leader election strategies', () => {
  const offline: LeaderElectionStrategy = { kind: 'OfflinePartition', allowUnclean: false };
  const cases: [string, LeaderElectionStrategy, number[], number[], number[], number[], boolean | undefined, number | null, number[] | null][] = [
    // name, strategy, assignment, isr, live, shuttingDown, uncleanAllowed, leader, isr
    ['offline: first live in-ISR replica in ASSIGNMENT order', offline, [2, 1, 0], [0, 1], [0, 1], [], false, 1, [0, 1]],
    ['offline: dead ISR members leave the ISR', offline, [0, 1, 2], [0, 1, 2], [1, 2], [], false, 1, [1, 2]],
    ['offline: no live ISR member and unclean off -> no leader', offline, [0, 1], [0], [1], [], false, null, null],
    ['offline: topic override allows unclean -> live out-of-ISR replica, ISR = [leader]', offline, [0, 1, 2], [0], [2, 1], [], true, 1, [1]],
    ['offline: broker-wide unclean', { kind: 'OfflinePartition', allowUnclean: true }, [0, 2], [0], [2], [], false, 2, [2]],
    ['offline: nothing live even unclean', { kind: 'OfflinePartition', allowUnclean: true }, [0, 1], [0], [], [], false, null, null],
    ['preferred: first assigned replica if live and in ISR', { kind: 'PreferredReplicaPartition' }, [1, 0], [0, 1], [0, 1], [], false, 1, [0, 1]],
    ['preferred: not in ISR -> no election', { kind: 'PreferredReplicaPartition' }, [1, 0], [0], [0, 1], [], false, null, null],
    ['preferred: dead -> no election', { kind: 'PreferredReplicaPartition' }, [1, 0], [0, 1], [0], [], false, null, null],
    ['reassign: first live in-ISR of target', { kind: 'ReassignPartition' }, [3, 2, 1], [1, 2], [1, 2, 3], [], false, 2, [1, 2]],
    ['controlled shutdown: skips the shutting-down broker and drops it from ISR', { kind: 'ControlledShutdownPartition' }, [0, 1, 2], [0, 1, 2], [0, 1, 2], [0], false, 1, [1, 2]],
    ['controlled shutdown: only the shutting-down broker in ISR -> none', { kind: 'ControlledShutdownPartition' }, [0, 1], [0], [0, 1], [0], false, null, null],
  ];

  test.each(cases)('%s', (_name, strategy, assignment, isr, live, shuttingDown, uncleanAllowed, leader, newIsr) => {
    const { leaderAndIsr } = electLeader(strategy, {
      assignment,
      current: current(assignment[0], isr),
      liveReplicas: new Set(live),
      shuttingDownBrokers: new Set(shuttingDown),
      uncleanAllowed,
    });
    if (leader === null) {
      expect(leaderAndIsr).toBeNull();
      return;
    }
    expect(leaderAndIsr).toEqual({ leader, leaderEpoch: 5, isr: newIsr, zkVersion: 7 });
  });

  test('unclean result is flagged', () => {
    const r = electLeader({ kind: 'OfflinePartition', allowUnclean: true }, {
      assignment: [0, 1],
      current: current(0, [0]),
      liveReplicas: new Set([1]),
      shuttingDownBrokers: new Set(),
    });
    expect(r.unclean).toBe(true);
    expect(r.leaderAndIsr?.leader).toBe(1);
  });
});
