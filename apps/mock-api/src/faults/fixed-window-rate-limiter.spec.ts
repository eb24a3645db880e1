import { FixedWindowRateLimiter, RateDecision } from './fixed-window-rate-limiter';

describe('FixedWindowRateLimiter', () => {
  let now: number;
  let limiter: FixedWindowRateLimiter;
  const admitMany = (count: number): RateDecision[] => Array.from({ length: count }, () => limiter.admit());

  beforeEach(() => {
    now = 50_000;
    limiter = new FixedWindowRateLimiter(3, () => now);
  });

  it('admits the limit within one second and refuses the rest', () => {
    expect(admitMany(5)).toEqual([
      { admitted: true },
      { admitted: true },
      { admitted: true },
      { admitted: false, retryAfterSeconds: 1 },
      { admitted: false, retryAfterSeconds: 1 },
    ]);
  });

  it('opens a new window one second after the first request of the last one, not after the last request', () => {
    limiter.admit();
    now += 600;
    expect(admitMany(2).every((decision) => decision.admitted)).toBe(true);
    now += 399;
    expect(limiter.admit().admitted).toBe(false);
    now += 1;
    expect(admitMany(3).every((decision) => decision.admitted)).toBe(true);
    expect(limiter.admit().admitted).toBe(false);
  });

  it('does not count refused requests against the next window', () => {
    admitMany(3);
    now += 500;
    expect(admitMany(100).some((decision) => decision.admitted)).toBe(false);
    now += 500;
    expect(admitMany(3).every((decision) => decision.admitted)).toBe(true);
  });

  it('opens a window with the first request after a quiet spell', () => {
    admitMany(3);
    now += 10_000;
    expect(admitMany(3).every((decision) => decision.admitted)).toBe(true);
    now += 999;
    expect(limiter.admit()).toEqual({ admitted: false, retryAfterSeconds: 1 });
  });

  it.each([
    [0, 1],
    [500, 1],
    [999.9, 1],
  ])('rounds the %p ms elapsed of the window up to Retry-After %p s, never 0', (elapsed, seconds) => {
    admitMany(3);
    now += elapsed;
    expect(limiter.admit()).toEqual({ admitted: false, retryAfterSeconds: seconds });
  });

  it('admits one request per window with a limit of 1', () => {
    limiter = new FixedWindowRateLimiter(1, () => now);
    expect(admitMany(2).map((decision) => decision.admitted)).toEqual([true, false]);
  });
});
