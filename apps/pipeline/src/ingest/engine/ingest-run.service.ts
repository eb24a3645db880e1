import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ACTIVE_RUN_STATUSES,
  IngestLockRepository,
  IngestMode,
  IngestRunEntity,
  IngestRunRepository,
  IngestStagedPageRepository,
  IngestTrigger,
  JobQueue,
  RunSource,
  TransactionRunner,
} from '@customer-pipeline/data-access';
import { EntityManager } from 'typeorm';
import { PipelineConfig, durationMs } from '../../config/pipeline.config';
import {
  RunFailedError,
  RunHeldError,
  RunInProgressError,
  RunInterruptedError,
  RunNotFoundError,
  RunNotHeldError,
  StagedPagesLostError,
} from './ingest-errors';
import { IngestModes } from './ingest-modes';
import { RUN_QUEUE } from './ingest-jobs';
import { RunEvents } from './run-events';

export interface StartedRun {
  run: IngestRunEntity;
  resumed: boolean;
  /**
   * Waits for the run to end, whichever process coordinates it: the run when it succeeded or is held for
   * review, or why it failed.
   */
  outcome(): Promise<IngestRunEntity>;
}

/** How often a waiter looks at a run that another process coordinates. */
const COMPLETION_POLL_MS = 250;

/** Job states after which nobody will take a run's coordinator job again. */
const OVER = new Set(['completed', 'cancelled', 'failed']);

/** Ended runs whose staged pages a new ingest may pick up. */
const RESUMABLE = new Set(['failed', 'interrupted']);

/**
 * Starts runs: queues a new run, or the unfinished one again, with its coordinator job, in one transaction.
 * At most one run is queued or running at a time, across every process (a unique index says so); a trigger
 * that meets one answers which. A run resumes from its staged pages only when they are worth it: the same
 * source, the same page size, and pages no older than INGEST_RESUME_MAX_AGE; otherwise it is superseded.
 */
@Injectable()
export class IngestRunService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestRunService.name);
  private stopping = false;

  constructor(
    private readonly runs: IngestRunRepository,
    private readonly stagedPages: IngestStagedPageRepository,
    private readonly lock: IngestLockRepository,
    private readonly jobs: JobQueue,
    private readonly transactions: TransactionRunner,
    private readonly events: RunEvents,
    private readonly modes: IngestModes,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  /**
   * Queues a run (or resumes the unfinished one); throws RunInProgressError when one is going on or held,
   * and IncrementalUnavailableError when an incremental run cannot be had.
   */
  async start(trigger: IngestTrigger, source: RunSource, mode: IngestMode = 'full'): Promise<StartedRun> {
    const plan = await this.modes.plan(source, mode);
    const { run, resumed } = await this.transactions.run((manager) =>
      this.queue(trigger, source, plan.mode, manager),
    );
    if (plan.note && !resumed) await this.runs.addNote(run.id, plan.note);
    this.events.jobsQueued(RUN_QUEUE);
    this.logger.log(
      { run_id: run.id, trigger, source: source.kind, resumed },
      resumed ? 'run requeued' : 'run queued',
    );
    return { run, resumed, outcome: () => this.outcome(run.id) };
  }

  /**
   * Applies a run that a guard held, exactly as it was staged: it is queued again, and its coordinator
   * merges its staged pages without reading or judging them again.
   */
  async approve(runId: number): Promise<StartedRun> {
    const run = await this.transactions.run(async (manager) => {
      const held = await this.heldRun(runId, manager);
      if (!(await this.stagedPages.keepsEveryPageOf(held, manager))) throw new StagedPagesLostError(runId);
      await this.runs.approve(runId, manager);
      const jobId = await this.jobs.send(RUN_QUEUE, { data: { run_id: runId } }, manager);
      await this.runs.setCoordinatorJob(runId, jobId, manager);
      return (await this.runs.findById(runId, manager)) as IngestRunEntity;
    });
    this.events.jobsQueued(RUN_QUEUE);
    this.logger.log({ run_id: runId }, 'held run approved');
    return { run, resumed: true, outcome: () => this.outcome(runId) };
  }

  /** Discards a run that a guard held: its staged pages go, and the stored customers stay as they were. */
  async reject(runId: number): Promise<IngestRunEntity> {
    const run = await this.transactions.run(async (manager) => {
      await this.heldRun(runId, manager);
      await this.runs.reject(runId, manager);
      await this.stagedPages.removeRun(runId, manager);
      return (await this.runs.findById(runId, manager)) as IngestRunEntity;
    });
    this.logger.log({ run_id: runId }, 'held run rejected');
    return run;
  }

  private async heldRun(runId: number, manager: EntityManager): Promise<IngestRunEntity> {
    const run = await this.runs.findActive(manager);
    if (run?.id === runId && run.status === 'needs_review') return run;
    const found = await this.runs.findById(runId);
    if (!found) throw new RunNotFoundError(runId);
    throw new RunNotHeldError(runId, found.status);
  }

  /** Stops waiting for runs: a waiting request answers 503, while the run goes on elsewhere. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  private async queue(trigger: IngestTrigger, source: RunSource, mode: IngestMode, manager: EntityManager) {
    const candidate = await this.resumeCandidate(manager);
    let run: IngestRunEntity | null = null;
    if (candidate) {
      const reason = await this.whyNotResumable(candidate, source, mode);
      if (reason === null) run = await this.runs.requeue(candidate.id, manager);
      else await this.runs.supersede(candidate.id, `not resumed: ${reason}`, manager);
    }
    const resumed = run !== null;
    if (!run) {
      await this.stagedPages.removeAll(manager);
      run = await this.runs.createQueued(trigger, source, mode, manager);
      if (!run) throw new RunInProgressError((await this.runs.findActive())?.id ?? null);
    }
    const jobId = await this.jobs.send(RUN_QUEUE, { data: { run_id: run.id } }, manager);
    await this.runs.setCoordinatorJob(run.id, jobId, manager);
    return { run: { ...run, coordinator_job_id: jobId }, resumed };
  }

  /**
   * The run a new ingest would continue: an abandoned active run, or the newest run when it ended unfinished.
   * A run that is going on makes the ingest a conflict, also one that became active since the first look.
   */
  private async resumeCandidate(manager: EntityManager): Promise<IngestRunEntity | null> {
    const active = await this.runs.findActive(manager);
    if (active?.status === 'needs_review') throw new RunHeldError(active.id);
    if (active) {
      if (await this.isAbandoned(active)) return active;
      throw new RunInProgressError(active.id);
    }
    const newest = await this.runs.findNewest(manager);
    if (newest?.status === 'needs_review') throw new RunHeldError(newest.id);
    if (newest && (ACTIVE_RUN_STATUSES as readonly string[]).includes(newest.status))
      throw new RunInProgressError(newest.id);
    return newest && RESUMABLE.has(newest.status) ? newest : null;
  }

  /**
   * A queued or running run whose coordinator job is over (or missing) and whose lock no one holds will
   * not go on by itself: its coordinator died on its last attempt, or a process of an older version ran it.
   */
  private async isAbandoned(run: IngestRunEntity): Promise<boolean> {
    if (await this.lock.isHeld()) return false;
    if (!run.coordinator_job_id) return true;
    const [job] = await this.jobs.states(RUN_QUEUE, [run.coordinator_job_id]);
    return !job || OVER.has(job.state);
  }

  private async whyNotResumable(
    run: IngestRunEntity,
    source: RunSource,
    mode: IngestMode,
  ): Promise<string | null> {
    // An incremental run reads little, from its checkpoint: it reads again rather than resume.
    if (run.mode === 'incremental' || mode === 'incremental')
      return 'incremental runs are read again, not resumed';
    if (run.source_kind !== source.kind || run.source_location !== source.location)
      return `it read ${run.source_kind} ${run.source_location ?? '(unknown)'}, this ingest reads ${source.kind} ${source.location}`;
    if (run.page_limit !== null && run.page_limit !== source.pageLimit)
      return `it read ${run.page_limit} records per page, this ingest reads ${source.pageLimit}`;
    // An approved run is applied from its staged pages alone, never read again.
    if (run.approved_at !== null && !(await this.stagedPages.keepsEveryPageOf(run)))
      return 'it was approved, and its staged pages are gone (PostgreSQL crashed)';
    const maxAge = this.config.get('INGEST_RESUME_MAX_AGE', { infer: true });
    const oldest = await this.stagedPages.oldestReadAt(run.id);
    if (oldest && Date.now() - oldest.getTime() > durationMs(maxAge))
      return `its staged pages were read more than INGEST_RESUME_MAX_AGE (${maxAge}) ago`;
    return null;
  }

  /** Waits for the run to end, in this process or another: a local event, else a look every 250 ms. */
  private async outcome(runId: number): Promise<IngestRunEntity> {
    for (;;) {
      if (this.stopping) throw new RunInterruptedError(runId);
      const seen = this.events.runsEnded(runId);
      const run = await this.runs.findById(runId);
      if (run?.status === 'success' || run?.status === 'needs_review') return run;
      if (!run || run.status === 'failed' || run.status === 'superseded')
        throw new RunFailedError(run?.error ?? `run ${runId} was ${run ? 'superseded' : 'removed'}`, runId);
      await this.events.untilRunEnded(runId, seen, COMPLETION_POLL_MS);
    }
  }
}
