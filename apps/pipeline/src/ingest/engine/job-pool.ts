import { Logger } from '@nestjs/common';
import type { FetchedJob, JobQueue } from '@customer-pipeline/data-access';
import { loggableError } from '@customer-pipeline/http-runtime';
import type { RunEvents } from './run-events';

export interface JobPoolOptions<T> {
  queue: string;
  /** Jobs worked on at once. */
  concurrency: number;
  /** How long an idle pool waits before it looks for jobs again (a local `jobsQueued` wakes it sooner). */
  pollMs: number;
  /**
   * Works on one job and completes it (so that the completion can join the job's own transaction). A throw
   * fails the job, and pg-boss retries it while it has retries left.
   */
  handle(job: FetchedJob<T>, stopping: () => boolean): Promise<void>;
}

/**
 * Keeps up to `concurrency` jobs of one queue in hand, taking as many as there are free slots in one fetch,
 * and one more as soon as one is done. (pg-boss's own `work` takes a batch and waits for the whole of it
 * before it takes more, so one slow job would idle the others; or it polls once per worker.)
 */
export class JobPool<T> {
  private readonly logger = new Logger(JobPool.name);
  private readonly inHand = new Map<string, Promise<void>>();
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();
  /** Set when jobs may be waiting: a ring while the pool was fetching is not lost. */
  private rung = false;
  private ring: () => void = () => undefined;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly jobs: JobQueue,
    private readonly events: RunEvents,
    private readonly options: JobPoolOptions<T>,
  ) {}

  /** Ids of the jobs in hand, which this process's heartbeat reports. */
  get jobIds(): string[] {
    return [...this.inHand.keys()];
  }

  start(): void {
    this.unsubscribe = this.events.onJobsQueued(this.options.queue, () => {
      this.rung = true;
      this.ring();
    });
    this.loop = this.run();
  }

  /** Takes no more jobs and waits for those in hand, which see `stopping` and wind down. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    this.ring();
    await this.loop;
    await Promise.allSettled([...this.inHand.values()]);
  }

  private async run(): Promise<void> {
    const { queue, concurrency } = this.options;
    while (!this.stopping) {
      this.rung = false;
      const free = concurrency - this.inHand.size;
      const taken = free > 0 ? await this.jobs.fetch<T>(queue, free) : [];
      for (const job of taken) this.work(job);
      if (taken.length < free || free === 0) await this.waitForRing();
    }
  }

  /** Until jobs are queued here or a slot frees up, or the poll interval passes (for other processes' jobs). */
  private waitForRing(): Promise<void> {
    if (this.rung || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.ring(), this.options.pollMs);
      this.ring = () => {
        clearTimeout(timer);
        this.ring = () => undefined;
        resolve();
      };
    });
  }

  private work(job: FetchedJob<T>): void {
    const { queue, handle } = this.options;
    const working = handle(job, () => this.stopping)
      .catch(async (error: unknown) => {
        this.logger.warn(
          { queue, job_id: job.id, error: loggableError(error) },
          'job failed; pg-boss retries it',
        );
        await this.jobs
          .fail(queue, job.id, (error as Error).message ?? String(error))
          .catch((failure: Error) => {
            this.logger.warn(
              { queue, job_id: job.id, error: failure.message },
              'could not fail the job; it expires, or the supervisor hands it on',
            );
          });
      })
      .finally(() => {
        this.inHand.delete(job.id);
        // A slot is free: look for the next job now rather than at the next poll.
        this.rung = true;
        this.ring();
      });
    this.inHand.set(job.id, working);
  }
}
