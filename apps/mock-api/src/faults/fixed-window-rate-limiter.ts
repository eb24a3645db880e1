const RATE_WINDOW_MS = 1000;

export type RateDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * At most `limit` requests per fixed one-second window. A window opens with the first request after the
 * previous one closed and lasts one second whatever happens in it; refused requests do not count against
 * it. `Retry-After` is the time left in the window, rounded up to whole seconds.
 */
export class FixedWindowRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private admitted = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  admit(): RateDecision {
    const now = this.now();
    if (now >= this.windowStart + RATE_WINDOW_MS) {
      this.windowStart = now;
      this.admitted = 0;
    }
    if (this.admitted < this.limit) {
      this.admitted++;
      return { admitted: true };
    }
    // The window is still open, so more than 0 ms are left and the rounded-up answer is at least 1 s.
    const left = this.windowStart + RATE_WINDOW_MS - now;
    return { admitted: false, retryAfterSeconds: Math.ceil(left / 1000) };
  }
}
