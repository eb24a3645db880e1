import { Inject, Injectable } from '@nestjs/common';
import { OutageSwitch } from '../admin/outage-switch.service';
import { MOCK_API_CONFIG, MockApiConfig } from '../config/mock-api.config';
import { Sfc32Randomizer } from '../customers/sfc32.randomizer';
import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

/** Third seed word of the stream that draws request failures, apart from the streams that build customers. */
const FAILURE_STREAM = 0x6661_6931;

/** What happens to one customers request. */
export type FaultVerdict =
  | { kind: 'serve' }
  | { kind: 'outage' }
  | { kind: 'rate-limited'; limit: number; retryAfterSeconds: number }
  | { kind: 'failure'; status: 500 | 503; sequence: number };

/**
 * Decides the fate of every customers request, in this order: the outage switch, then the rate limit, then
 * the failure draw. Requests that get past the first two are numbered 1, 2, 3... in arrival order, and
 * request n fails when a draw from `[MOCK_SEED, n]` falls under `MOCK_FAILURE_RATE`: two processes with the
 * same seed fail the same requests of a sequential run, however long each one takes.
 */
@Injectable()
export class FaultInjector {
  readonly latencyMs: number;
  private readonly failureRate: number;
  private readonly seed: number;
  private readonly rateLimit: number;
  private readonly rateLimiter: FixedWindowRateLimiter | null;
  private readonly randomizer = new Sfc32Randomizer();
  private sequence = 0;

  constructor(
    @Inject(MOCK_API_CONFIG) config: MockApiConfig,
    private readonly outage: OutageSwitch,
  ) {
    this.latencyMs = config.latencyMs;
    this.failureRate = config.failureRate;
    this.seed = config.seed;
    this.rateLimit = config.rateLimit;
    this.rateLimiter = config.rateLimit > 0 ? new FixedWindowRateLimiter(config.rateLimit) : null;
  }

  judge(): FaultVerdict {
    if (this.outage.isDown) return { kind: 'outage' };
    if (this.rateLimiter) {
      const decision = this.rateLimiter.admit();
      if (!decision.admitted) {
        return { kind: 'rate-limited', limit: this.rateLimit, retryAfterSeconds: decision.retryAfterSeconds };
      }
    }
    const sequence = ++this.sequence;
    if (this.failureRate === 0) return { kind: 'serve' };
    this.randomizer.seed([this.seed, sequence, FAILURE_STREAM]);
    if (this.randomizer.next() >= this.failureRate) return { kind: 'serve' };
    return { kind: 'failure', status: this.randomizer.next() < 0.5 ? 500 : 503, sequence };
  }
}
