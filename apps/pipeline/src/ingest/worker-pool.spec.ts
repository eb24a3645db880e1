import { setTimeout as sleep } from 'node:timers/promises';
import { runPool } from './worker-pool';

describe('runPool', () => {
  it('does every item with no more than the given concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(5);
      done.push(n);
      inFlight--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('stops taking items after the first failure and rethrows it', async () => {
    const started: number[] = [];
    const run = runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await sleep(1);
      if (n === 2) throw new Error('page 2 failed');
    });
    await expect(run).rejects.toThrow('page 2 failed');
    expect(started.length).toBeLessThan(6);
  });

  it('ends early when asked to stop', async () => {
    const done: number[] = [];
    await runPool(
      [1, 2, 3, 4],
      1,
      async (n) => void done.push(n),
      () => done.length >= 2,
    );
    expect(done).toEqual([1, 2]);
  });
});
