import { EventManager } from '../../../controller/event-manager';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('EventManager', () => {
  test('processes events strictly one at a time and in order, even with async handlers', async () => {
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const em = new EventManager<number>(async (n) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${n}`);
      await sleep(n % 2 === 0 ? 5 : 1); // later events finish faster if they were allowed to overlap
      log.push(`end ${n}`);
      running--;
    }, 0);
    for (let i = 0; i < 5; i++) em.put(i);
    await em.idle();
    expect(maxRunning).toBe(1);
    expect(log).toEqual([0, 1, 2, 3, 4].flatMap((n) => [`start ${n}`, `end ${n}`]));
  });

  test('events put by a handler run after the current one, and a failing handler does not stop the loop', async () => {
    const seen: string[] = [];
    const em: EventManager<string> = new EventManager<string>(async (e) => {
      seen.push(e);
      if (e === 'a') em.put('c');
      if (e === 'b') throw new Error('boom');
    }, 0);
    em.put('a');
    em.put('b');
    await em.idle();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  test('clearAndPut drops queued events (reporting them) and runs the new one', async () => {
    const seen: number[] = [];
    const dropped: number[] = [];
    const em = new EventManager<number>(async (n) => {
      seen.push(n);
      await sleep(2);
    }, 0, (n) => dropped.push(n));
    em.put(1);
    em.put(2);
    em.put(3);
    em.clearAndPut(9);
    await em.idle();
    expect(seen).toEqual([9]);
    expect(dropped).toEqual([1, 2, 3]);
  });

  test('close lets the event in progress finish and rejects later puts', async () => {
    const seen: number[] = [];
    const dropped: number[] = [];
    const em = new EventManager<number>(async (n) => {
      await sleep(5);
      seen.push(n);
    }, 0, (n) => dropped.push(n));
    em.put(1);
    await sleep(1);
    em.put(2);
    await em.close();
    em.put(3);
    expect(seen).toEqual([1]);
    expect(dropped).toEqual([2, 3]);
  });
});
