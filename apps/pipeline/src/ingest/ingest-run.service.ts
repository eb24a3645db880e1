import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  IngestLock,
  IngestLockLostError,
  IngestLockRepository,
  IngestRunEntity,
  IngestRunRepository,
  IngestStagingRepository,
  IngestTrigger,
  RunMerge,
} from '@customer-pipeline/data-access';
import { loggableError } from '@customer-pipeline/http-runtime';
import { PipelineConfig } from '../config/pipeline.config';
import { ApiPageSource } from './api-page.source';
import { IngestMetrics } from './ingest-metrics';
import { RunInProgressError, RunInterruptedError } from './ingest-errors';
import { PageSource, RawPage } from './page-source';
import { validatePage } from './page-validator';
import { SourceError } from './source-error';

/** What a caller can watch while a run goes on (the API reads the same from the database). */
export interface IngestProgress {
  runId: number;
  phase: 'fetching' | 'merging';
  pagesDone: number;
  pagesTotal: number | null;
  records: number;
  failed: number;
  retries: number;
}

export interface StartedRun {
  run: IngestRunEntity;
  resumed: boolean;
  /** Settles with the finished run, or rejects with why it failed. */
  completion: Promise<IngestRunEntity>;
}

const PROGRESS_INTERVAL_MS = 500;

/** How long a second trigger looks for the id of the run that holds the lock. */
const RUNNING_ID_WAIT_MS = 2000;

/**
 * Runs ingests, one at a time across every pipeline process. A run reads its source page by page (several
 * at once when the source announces a total), validates and stages each page, and merges staged pages into
 * `customers` as they complete a range, all in one transaction that commits after the last page: readers
 * see the whole run or none of it. A run that stops early (source failure, crash, shutdown) changes no
 * customer; the next ingest resumes it and fetches only the pages it lacks.
 */
@Injectable()
export class IngestRunService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestRunService.name);
  private readonly active = new Set<Promise<unknown>>();
  private readonly published = new Map<number, number>();
  private stopping = false;

  constructor(
    private readonly apiSource: ApiPageSource,
    private readonly runs: IngestRunRepository,
    private readonly staging: IngestStagingRepository,
    private readonly lock: IngestLockRepository,
    private readonly config: ConfigService<PipelineConfig, true>,
    private readonly metrics: IngestMetrics,
  ) {}

  /** Takes the ingest lock and starts (or resumes) a run; throws RunInProgressError when one is running. */
  async start(
    trigger: IngestTrigger,
    source: PageSource = this.apiSource,
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<StartedRun> {
    return this.begin(await this.acquireLock(), trigger, source, onProgress);
  }

  /**
   * Starts a run from the source API unless a run with this trigger started at or after `since`; null when
   * skipped. The check is made under the ingest lock, so that of several processes reacting to one event
   * (a scheduled tick) exactly one runs, however quickly that run ends.
   */
  async startUnlessStartedSince(trigger: IngestTrigger, since: Date): Promise<StartedRun | null> {
    const lock = await this.acquireLock();
    const latest = await this.runs.findLatestByTrigger(trigger).catch(async (error: unknown) => {
      await lock.release();
      throw error;
    });
    if (latest && latest.started_at >= since) {
      await lock.release();
      return null;
    }
    return this.begin(lock, trigger, this.apiSource);
  }

  private async acquireLock(): Promise<IngestLock> {
    const lock = await this.lock.tryAcquire();
    if (!lock) throw new RunInProgressError(await this.findRunningId());
    return lock;
  }

  private async begin(
    lock: IngestLock,
    trigger: IngestTrigger,
    source: PageSource,
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<StartedRun> {
    try {
      const { run, resumed } = await this.runs.startOrResume(trigger, {
        kind: source.kind,
        location: source.location,
      });
      this.logger.log(
        { run_id: run.id, trigger, source: source.kind },
        resumed ? 'run resumed' : 'run started',
      );
      const completion = this.execute(run, source, lock, onProgress);
      this.track(completion);
      return { run, resumed, completion };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Runs on shutdown, before the database pool closes: a run stops at its next page, resumable. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.active]);
  }

  private track(completion: Promise<unknown>): void {
    const settled = completion.catch(() => undefined).finally(() => this.active.delete(settled));
    this.active.add(settled);
  }

  private async findRunningId(): Promise<number | null> {
    const deadline = Date.now() + RUNNING_ID_WAIT_MS;
    for (;;) {
      const running = await this.runs.findLatest(['running']);
      if (running || Date.now() > deadline) return running?.id ?? null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async execute(
    run: IngestRunEntity,
    source: PageSource,
    lock: IngestLock,
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<IngestRunEntity> {
    const progress: IngestProgress = {
      runId: run.id,
      phase: 'fetching',
      pagesDone: run.pages_fetched,
      pagesTotal: run.pages_total,
      records: run.records_processed,
      failed: run.records_failed,
      retries: run.retries,
    };
    let merge: RunMerge | undefined;
    try {
      // A database crash empties the (unlogged) staging table: count only what is really there.
      if (run.resumed_count > 0) await this.staging.syncCounters(run.id);
      merge = await this.staging.beginMerge(run.id, (pagesMerged) => {
        void this.runs.recordProgress(run.id, { pages_merged: pagesMerged }).catch(() => undefined);
      });
      await this.readAll(run, source, merge, progress, onProgress);
      // Committing the merge is only safe while this process still holds the lock: no other run may write.
      await lock.assertHeld();
      progress.phase = 'merging';
      onProgress?.(progress);
      await this.runs.recordProgress(run.id, { phase: 'merging' });
      await merge.complete();
      const finished = (await this.runs.findById(run.id)) as IngestRunEntity;
      this.metrics.finished(finished);
      this.logger.log(
        {
          run_id: run.id,
          records: finished.records_processed,
          inserted: finished.records_inserted,
          updated: finished.records_updated,
          unchanged: finished.records_unchanged,
          failed: finished.records_failed,
        },
        'run succeeded',
      );
      return finished;
    } catch (error) {
      await merge?.abort();
      await this.fail(run, error);
      throw error;
    } finally {
      this.published.delete(run.id);
      await lock.release();
    }
  }

  /** Reads every page the run has not staged yet, staging each and handing it to the merge. */
  private async readAll(
    run: IngestRunEntity,
    source: PageSource,
    merge: RunMerge,
    progress: IngestProgress,
    onProgress?: (progress: IngestProgress) => void,
  ): Promise<void> {
    const staged = await this.staging.stagedPageSizes(run.id);
    for (const page of staged.keys()) merge.pageStaged(page);
    const outcome = await source.read({
      staged,
      knownTotal: run.source_total,
      concurrency: this.config.get('INGEST_CONCURRENCY', { infer: true }),
      maxPages: this.config.get('INGEST_MAX_PAGES', { infer: true }),
      consume: async (page) => {
        await this.stage(run.id, page, progress);
        merge.pageStaged(page.page);
        this.publish(progress);
        onProgress?.(progress);
      },
      onTotal: async (total, pages) => {
        progress.pagesTotal = pages;
        await this.runs.recordProgress(run.id, { source_total: total, pages_total: pages });
      },
      onRetry: (reason, page) => {
        progress.retries++;
        this.metrics.retried();
        this.logger.warn({ run_id: run.id, page, reason }, 'retrying a source request');
        void this.runs.addRetries(run.id, 1).catch(() => undefined);
      },
    });
    await this.staging.syncCounters(run.id);
    await this.runs.recordReadOutcome(run.id, outcome.sourceTotal, outcome.notes);
  }

  private async stage(runId: number, page: RawPage, progress: IngestProgress): Promise<void> {
    if (this.stopping) throw new RunInterruptedError();
    const { records, failures } = validatePage(runId, page.page, page.records);
    const staged = await this.staging.stage({ runId, page: page.page, records, failures });
    if (!staged) return;
    this.metrics.pageStaged();
    this.logger.debug(
      { run_id: runId, page: page.page, records: records.length, failed: failures.length },
      'page staged',
    );
    progress.pagesDone++;
    progress.records += page.records.length;
    progress.failed += failures.length;
  }

  /** Live counters for `GET /api/ingest/runs/:id`, written at most twice a second. */
  private publish(progress: IngestProgress): void {
    const now = Date.now();
    if (now - (this.published.get(progress.runId) ?? 0) < PROGRESS_INTERVAL_MS) return;
    this.published.set(progress.runId, now);
    void this.runs
      .recordProgress(progress.runId, {
        pages_fetched: progress.pagesDone,
        records_processed: progress.records,
        records_failed: progress.failed,
      })
      .catch(() => undefined);
  }

  private async fail(run: IngestRunEntity, error: unknown): Promise<void> {
    const interrupted = error instanceof RunInterruptedError;
    const explained = error instanceof SourceError || error instanceof IngestLockLostError || interrupted;
    const reason = explained ? (error as Error).message : 'internal error';
    if (!explained)
      this.logger.error({ run_id: run.id, error: loggableError(error) }, 'run failed unexpectedly');
    this.logger.warn({ run_id: run.id, reason }, interrupted ? 'run interrupted' : 'run failed');
    await this.staging.syncCounters(run.id).catch(() => undefined);
    await this.runs
      .finish(run.id, run.resumed_count, interrupted ? 'interrupted' : 'failed', reason)
      .catch(() => undefined);
    const ended = await this.runs.findById(run.id).catch(() => null);
    if (ended && ended.status !== 'running') this.metrics.finished(ended);
  }
}
