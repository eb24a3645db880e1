export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A source's Retry-After is honoured up to this. */
  maxRetryAfterMs: number;
}

/**
 * Exponential backoff with "equal jitter": each wait is between half of a ceiling that doubles per retry and
 * the whole of it. The random half spreads out many clients retrying together; the fixed half gives the
 * retries a known least total, so the defaults are sure to ride out an outage of a given length (full jitter,
 * a wait anywhere from 0, can spend every retry within a second). A Retry-After from the source wins, up to
 * a cap.
 */
export class RetryPolicy {
  constructor(
    readonly options: RetryOptions,
    private readonly random: () => number = Math.random,
  ) {}

  canRetry(failedAttempts: number): boolean {
    return failedAttempts <= this.options.retries;
  }

  delayMs(failedAttempts: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.options.maxRetryAfterMs);
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (failedAttempts - 1));
    return Math.floor(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}

/** `Retry-After` is either whole seconds or an HTTP date. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
