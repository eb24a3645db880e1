import { validatePipelineConfig } from '../../config/pipeline.config';
import { RetryPolicy, parseRetryAfter } from './retry-policy';

const options = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('RetryPolicy', () => {
  it('allows exactly the configured number of retries', () => {
    const policy = new RetryPolicy(options);
    expect([1, 2, 3, 4].map((failed) => policy.canRetry(failed))).toEqual([true, true, true, false]);
  });

  it('doubles the ceiling per attempt up to the maximum, each wait between half of it and all of it', () => {
    const top = new RetryPolicy(options, () => 0.999999);
    expect([1, 2, 3, 4, 5].map((failed) => top.delayMs(failed))).toEqual([99, 199, 399, 799, 999]);
    const bottom = new RetryPolicy(options, () => 0);
    expect([1, 2, 3, 4, 5].map((failed) => bottom.delayMs(failed))).toEqual([50, 100, 200, 400, 500]);
  });

  it('rides out a source outage of 30 s at the default settings, however the jitter falls', () => {
    const config = validatePipelineConfig({ DATABASE_URL: 'postgres://u@localhost/db' });
    const defaults = {
      retries: config.SOURCE_RETRIES,
      baseDelayMs: config.SOURCE_RETRY_BASE_MS,
      maxDelayMs: config.SOURCE_RETRY_MAX_MS,
      maxRetryAfterMs: config.SOURCE_RETRY_AFTER_MAX_MS,
    };
    for (const random of [() => 0, () => 0.999999]) {
      const policy = new RetryPolicy(defaults, random);
      let waited = 0;
      for (let failed = 1; policy.canRetry(failed); failed++) waited += policy.delayMs(failed);
      expect(waited).toBeGreaterThanOrEqual(30_000);
      // ... and gives up on a source that is really gone within a couple of minutes, not an hour.
      expect(waited).toBeLessThanOrEqual(120_000);
    }
  });

  it('honours Retry-After up to its cap', () => {
    const policy = new RetryPolicy(options, () => 0.5);
    expect(policy.delayMs(1, 2000)).toBe(2000);
    expect(policy.delayMs(1, 60_000)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
