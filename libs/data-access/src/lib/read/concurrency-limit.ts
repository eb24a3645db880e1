/** Thrown when a limited kind of work cannot start soon enough: the caller should come back later. */
export class CapacityExceededError extends Error {
  constructor(readonly kind: string) {
    super(`too many ${kind} at once`);
    this.name = 'CapacityExceededError';
  }
}

export interface ConcurrencyLimitOptions {
  /** What is limited, for the error message: "searches". */
  kind: string;
  /** At most this many run at once. */
  active: number;
  /** At most this many wait for a turn; one more is refused at once. */
  queued: number;
  /** A waiter that has not started after this long is refused. */
  maxWaitMs: number;
}

/**
 * At most `active` tasks at once, at most `queued` waiting, none waiting longer than `maxWaitMs`: a burst
 * of costly requests queues briefly, and beyond what the database can take it is refused quickly instead of
 * holding every pool connection until all of them time out.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(private readonly options: ConcurrencyLimitOptions) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.start();
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.options.active) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.queued) {
      return Promise.reject(new CapacityExceededError(this.options.kind));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          this.running++;
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new CapacityExceededError(this.options.kind));
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }
}
