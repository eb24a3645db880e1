import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  IngestLockRepository,
  IngestRunRepository,
  JobQueue,
  PipelineInstanceRepository,
} from '@customer-pipeline/data-access';
import { PipelineConfig } from '../../config/pipeline.config';
import { RANGE_QUEUE, RUN_QUEUE } from './ingest-jobs';

/** A process silent for this many holder timeouts is forgotten: it is not coming back. */
const FORGET_AFTER_TIMEOUTS = 30;

/**
 * Hands on the jobs of processes that died. Every live process lists the jobs it holds in its heartbeat, so
 * a job that has been active for longer than the holder timeout and that no live process lists was taken by
 * a process that is gone (killed, crashed, cut off): it is failed, and pg-boss gives it to another process
 * after the job's retry delay. Any worker process may do this; a job is failed once however many do.
 */
@Injectable()
export class JobSupervisor {
  private readonly logger = new Logger(JobSupervisor.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly instances: PipelineInstanceRepository,
    private readonly runs: IngestRunRepository,
    private readonly lock: IngestLockRepository,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async superviseOnce(): Promise<void> {
    const timeoutMs = this.config.get('INGEST_HOLDER_TIMEOUT_MS', { infer: true });
    const held = new Set(
      (await this.instances.findLive(timeoutMs)).flatMap((instance) => instance.active_jobs),
    );
    for (const job of await this.jobs.activeLongerThan([RUN_QUEUE, RANGE_QUEUE], timeoutMs)) {
      if (held.has(job.id)) continue;
      const reason = `the process that held it stopped answering (no heartbeat for ${timeoutMs} ms)`;
      if (await this.jobs.failActive(job.name, job.id, reason))
        this.logger.warn({ queue: job.name, job_id: job.id }, `job handed on: ${reason}`);
    }
    await this.failRunWithDeadCoordinator();
    await this.instances.removeSilentFor(timeoutMs * FORGET_AFTER_TIMEOUTS);
  }

  /**
   * A coordinator that died on its job's last attempt leaves a running run that no job will take up again:
   * it ends `failed`, resumable, with the reason.
   */
  private async failRunWithDeadCoordinator(): Promise<void> {
    const run = await this.runs.findActive();
    if (!run || run.status !== 'running' || !run.coordinator_job_id) return;
    const [job] = await this.jobs.states(RUN_QUEUE, [run.coordinator_job_id]);
    if (job?.state !== 'failed' || (await this.lock.isHeld())) return;
    const reason = `its coordinator's process died ${job.retry_count + 1} times; the next ingest resumes it`;
    if (await this.runs.finish(run.id, run.resumed_count, 'failed', reason))
      this.logger.warn({ run_id: run.id }, `run failed: ${reason}`);
  }
}
