// The broker-wide request bound (Kafka's RequestChannel queue and request memory pool).
import { RequestQueue } from '../../../broker/network/request-queue';

describe('RequestQueue', () => {
  it('admits up to queued.max.requests, then wakes waiters in order as requests finish', () => {
    const queue = new RequestQueue({ maxRequests: 2, maxBytes: -1 });
    const woken: string[] = [];
    expect(queue.acquire(10, () => woken.push('a'))).toBe(true);
    expect(queue.acquire(10, () => woken.push('b'))).toBe(true);
    expect(queue.acquire(10, () => woken.push('c'))).toBe(false);
    expect(queue.acquire(10, () => woken.push('d'))).toBe(false);
    queue.release(10);
    expect(woken).toEqual(['c']);
    expect(queue.size).toBe(2);
    queue.release(10);
    queue.release(10);
    expect(woken).toEqual(['c', 'd']);
    expect(queue.size).toBe(1);
  });

  it('bounds bytes like a non-strict memory pool: any free byte admits a whole request', () => {
    const queue = new RequestQueue({ maxRequests: 100, maxBytes: 100 });
    expect(queue.acquire(90, () => undefined)).toBe(true);
    expect(queue.acquire(500, () => undefined)).toBe(true); // 10 bytes were free
    const woken: number[] = [];
    expect(queue.acquire(1, () => woken.push(1))).toBe(false);
    queue.release(500);
    expect(woken).toEqual([1]); // 90 of 100 bytes in use: room again
    expect(queue.sizeBytes).toBe(91);
  });

  it('a newcomer does not overtake a waiter, and a cancelled waiter is skipped', () => {
    const queue = new RequestQueue({ maxRequests: 1, maxBytes: -1 });
    const woken: string[] = [];
    queue.acquire(1, () => woken.push('a'));
    const b = () => woken.push('b');
    expect(queue.acquire(1, b)).toBe(false);
    expect(queue.acquire(1, () => woken.push('c'))).toBe(false);
    queue.cancel(b);
    queue.release(1);
    expect(woken).toEqual(['c']);
  });
});
