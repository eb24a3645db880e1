import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * What happens in this process that someone in this process waits for: a run ended, jobs were queued, a
 * range was read. Other processes learn the same by polling the database; these events only spare local
 * waiters their polling delay. Each event counts how often it happened, so that a waiter that looked at the
 * database and then waits does not miss one that came in between: it passes the count it saw.
 */
@Injectable()
export class RunEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly counts = new Map<string, number>();

  runEnded(runId: number): void {
    this.emit(`run-ended:${runId}`);
  }

  jobsQueued(queue: string): void {
    this.emit(`jobs-queued:${queue}`);
  }

  rangeDone(runId: number): void {
    this.emit(`range-done:${runId}`);
  }

  /** How often ranges of the run were done here: pass it to `untilRangeDone` after looking. */
  rangesDone(runId: number): number {
    return this.counts.get(`range-done:${runId}`) ?? 0;
  }

  runsEnded(runId: number): number {
    return this.counts.get(`run-ended:${runId}`) ?? 0;
  }

  /** Resolves when the run has ended here more often than `seen`, or after `ms`. */
  untilRunEnded(runId: number, seen: number, ms: number): Promise<void> {
    return this.until(`run-ended:${runId}`, seen, ms);
  }

  untilRangeDone(runId: number, seen: number, ms: number): Promise<void> {
    return this.until(`range-done:${runId}`, seen, ms);
  }

  /** Calls `listener` whenever jobs are queued on `queue` here; returns how to stop listening. */
  onJobsQueued(queue: string, listener: () => void): () => void {
    this.emitter.on(`jobs-queued:${queue}`, listener);
    return () => this.emitter.off(`jobs-queued:${queue}`, listener);
  }

  private emit(event: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    this.emitter.emit(event);
  }

  private until(event: string, seen: number, ms: number): Promise<void> {
    if ((this.counts.get(event) ?? 0) > seen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(event, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(event, done);
    });
  }
}
