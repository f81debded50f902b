import { Purgatory } from '../../../broker/replica/purgatory';

describe('Purgatory', () => {
  test('completes an operation when a watched key is checked and its condition holds', () => {
    const purgatory = new Purgatory();
    let ready = false;
    const events: string[] = [];
    purgatory.tryCompleteElseWatch(
      { tryComplete: () => (ready ? (events.push('complete'), true) : false), onExpire: () => events.push('expire') },
      ['t-0', 't-1'],
      10000,
    );
    expect(purgatory.size).toBe(2);
    purgatory.checkAndComplete('t-0');
    expect(events).toEqual([]);
    ready = true;
    purgatory.checkAndComplete('t-1');
    purgatory.checkAndComplete('t-0');
    expect(events).toEqual(['complete']);
    expect(purgatory.size).toBe(0);
    purgatory.shutdown();
  });

  test('expires exactly once after the timeout', async () => {
    const purgatory = new Purgatory();
    const events: string[] = [];
    purgatory.tryCompleteElseWatch({ tryComplete: () => false, onExpire: () => events.push('expire') }, ['k'], 20);
    await new Promise((r) => setTimeout(r, 60));
    purgatory.checkAndComplete('k');
    expect(events).toEqual(['expire']);
    expect(purgatory.size).toBe(0);
  });

  test('an operation that can complete at once is never watched', () => {
    const purgatory = new Purgatory();
    purgatory.tryCompleteElseWatch({ tryComplete: () => true, onExpire: () => { throw new Error('must not expire'); } }, ['k'], 10);
    expect(purgatory.size).toBe(0);
  });
});
