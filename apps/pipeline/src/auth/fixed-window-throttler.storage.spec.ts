import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let storage: FixedWindowThrottlerStorage;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    storage = new FixedWindowThrottlerStorage();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('counts hits per key and throttler, and blocks past the limit until the window ends', async () => {
    for (let hit = 1; hit <= 3; hit++) {
      expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toMatchObject({
        totalHits: hit,
        isBlocked: false,
      });
    }
    jest.advanceTimersByTime(2_500);
    expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toEqual({
      totalHits: 4,
      timeToExpire: 8,
      isBlocked: true,
      timeToBlockExpire: 8,
    });
    expect(await storage.increment('b', 10_000, 3, 10_000, 'default')).toMatchObject({ totalHits: 1 });
    expect(await storage.increment('a', 10_000, 3, 10_000, 'other')).toMatchObject({ totalHits: 1 });
    jest.advanceTimersByTime(7_500);
    expect(await storage.increment('a', 10_000, 3, 10_000, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('costs the same at any number of hits in a window', async () => {
    const started = performance.now();
    for (let hit = 0; hit < 200_000; hit++) await storage.increment('a', 60_000, 1e9, 60_000, 'default');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
