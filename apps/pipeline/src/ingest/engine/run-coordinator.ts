import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  FetchedJob,
  IngestLock,
  IngestLockLostError,
  IngestLockRepository,
  IngestRunEntity,
  IngestRunRepository,
  IngestSourceRepository,
  IngestStagedPageRepository,
  JobQueue,
  SourceCursor,
  JobRecord,
  TransactionRunner,
} from '@customer-pipeline/data-access';
import { loggableError } from '@customer-pipeline/http-runtime';
import { PipelineConfig, durationMs } from '../../config/pipeline.config';
import { CsvPageSource } from '../sources/csv-page.source';
import type { RawPage } from '../sources/page-source';
import { PageRequest, SourceClient, SourcePage } from '../sources/source-client';
import { SourceError } from '../sources/source-error';
import {
  CoordinatorBusyError,
  RunFailedError,
  RunInterruptedError,
  StagedPagesLostError,
} from './ingest-errors';
import { RANGE_QUEUE, RUN_QUEUE, RangeJobData, RangeJobOutput, RunJobData, rangeJobId } from './ingest-jobs';
import { IngestMetrics } from './ingest-metrics';
import { PageStager, idsDigest } from './page-stager';
import { RunEvents } from './run-events';
import { HeldForReviewError, RunMerge, RunMergeFactory } from './run-merge';
import { RunReview } from './run-review';
import { RunState, compareCursors, cursorOf } from './run-state';

/** How often a coordinator looks at its ranges while they are read elsewhere. */
const RANGE_POLL_MS = 200;
/** Progress counters in the run's row are refreshed at most this often. */
const PROGRESS_INTERVAL_MS = 500;
/** Page numbers are PostgreSQL integers. */
const LAST_POSSIBLE_PAGE = 2 ** 31 - 1;
/** A handed-over run waits this long before another process takes it, so a restarting one can. */
const HANDOVER_DELAY_MS = 1000;

/** Whether the job's own retries are used up: this is the last time pg-boss hands it out. */
export interface CoordinatorJob extends FetchedJob<RunJobData> {
  lastAttempt: boolean;
}

/**
 * The coordinator of a run: the handler of the run's job. It holds the ingest lock for as long as it works,
 * reads page 1 to learn the source's size, splits the rest into page-range jobs that any process reads, and
 * merges staged pages into `customers` as ranges complete, in one transaction that commits, with the job's
 * completion, after the last page. When its process dies the job is handed to another process, whose
 * coordinator takes over from the staged pages.
 */
@Injectable()
export class RunCoordinator {
  private readonly logger = new Logger(RunCoordinator.name);

  constructor(
    private readonly runs: IngestRunRepository,
    private readonly stagedPages: IngestStagedPageRepository,
    private readonly sources: IngestSourceRepository,
    private readonly lock: IngestLockRepository,
    private readonly jobs: JobQueue,
    private readonly transactions: TransactionRunner,
    private readonly stager: PageStager,
    private readonly merges: RunMergeFactory,
    private readonly review: RunReview,
    private readonly client: SourceClient,
    private readonly events: RunEvents,
    private readonly metrics: IngestMetrics,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async coordinate(job: CoordinatorJob, stopping: () => boolean): Promise<void> {
    const lock = await this.lock.tryAcquire();
    if (!lock) throw new CoordinatorBusyError();
    try {
      const run = await this.runs.markRunning(job.data.run_id);
      if (!run) {
        // The run ended or was superseded after this job was queued: nothing is left to coordinate.
        await this.jobs.complete(RUN_QUEUE, job.id, { status: 'stale' });
        return;
      }
      await this.coordinateRun(run, job, lock, stopping);
    } finally {
      await lock.release();
    }
  }

  private async coordinateRun(
    run: IngestRunEntity,
    job: CoordinatorJob,
    lock: IngestLock,
    stopping: () => boolean,
  ) {
    const state = new RunState(run, run.page_limit ?? this.client.pageLimit);
    this.logger.log(
      { run_id: run.id, attempt: state.attempt, source: state.sourceKind, trigger: run.trigger },
      state.attempt > 0 ? 'run resumed' : 'run started',
    );
    try {
      state.sourceId = (await this.sources.ensure(state.sourceKind, state.location)).id;
      // An approved run is applied exactly as it was staged: nothing is read again, no guard looks again.
      if (state.approved && !(await this.stagedPages.keepsEveryPageOf(run)))
        throw new StagedPagesLostError(run.id);
      if (state.attempt > 0 && !state.approved) await this.prepareResume(state);
      const merge = await this.merges.open(state);
      try {
        if (!state.approved) await this.read(state, merge, stopping);
        await merge.settled();
        // Committing is only safe while this coordinator still holds the lock: no other may be merging.
        await lock.assertHeld();
        // The pages merged while the last ones were read show before the final merge, which takes a while.
        await this.runs.recordProgress(run.id, { ...state.takeProgress(), phase: 'merging' });
        await merge.complete(
          (manager) =>
            this.jobs.complete(RUN_QUEUE, job.id, { status: 'success' }, manager).then(() => undefined),
          state.approved ? undefined : (facts, manager) => this.review.review(state, facts, manager),
        );
      } catch (error) {
        await merge.abort();
        throw error;
      }
      await this.succeeded(run.id);
    } catch (error) {
      if (error instanceof HeldForReviewError) return await this.held(state, job, error);
      await this.stopped(state, job, error);
    } finally {
      this.events.runEnded(run.id);
    }
  }

  /**
   * A resumed run reuses staged pages only while the source still serves what they hold: page 1 is read
   * again and compared. A source that changed since (a new revision, an edit) would otherwise give a run
   * that mixes two versions of it.
   */
  private async prepareResume(state: RunState): Promise<void> {
    await this.runs.syncCounters(state.id);
    if (state.sourceKind !== 'api') return;
    const staged = await this.stagedPages.digestOf(state.id, 1);
    if (!staged) return;
    const fresh = await this.fetch(state, 1);
    if (fresh.contentDigest === staged.content_digest) return;
    const count = await this.stagedPages.count(state.id);
    await this.stagedPages.removeRun(state.id);
    await this.runs.syncCounters(state.id);
    state.note(
      `the source changed since the earlier attempt read it; its ${count} staged pages were read again`,
    );
    this.logger.warn({ run_id: state.id, pages: count }, 'source changed since the run was interrupted');
  }

  private async read(state: RunState, merge: RunMerge, stopping: () => boolean): Promise<void> {
    if (state.sourceKind === 'csv') return this.readCsv(state, merge, stopping);
    if (state.mode === 'incremental') return this.readChanges(state, merge, stopping);
    const total = await this.readFirstPage(state, merge);
    if (total === null) return this.readInOrder(state, merge, 2, stopping);
    const maxPages = this.config.get('INGEST_MAX_PAGES', { infer: true });
    const announced = state.pagesTotal ?? 1;
    const lastPage = Math.min(announced, maxPages);
    await this.readRanges(state, merge, lastPage, stopping);
    if (announced > maxPages) this.capped(state, maxPages);
    const last = await this.stagedPages.digestOf(state.id, lastPage);
    // A full last page means the source may hold more than it announced: read on in order to a short page.
    if (announced <= maxPages && merge.repeatedPage === null && last && last.size >= state.pageLimit)
      await this.readInOrder(state, merge, lastPage + 1, stopping);
  }

  /** Page 1 tells the size of the listing; a resumed run that has it staged already knows the size. */
  private async readFirstPage(state: RunState, merge: RunMerge): Promise<number | null> {
    const staged = await this.stagedPages.digestOf(state.id, 1);
    if (staged && state.sourceTotal !== null) {
      merge.pageStaged(1);
      return state.sourceTotal;
    }
    const first = await this.fetch(state, 1);
    state.announced(first.total);
    await this.runs.recordProgress(state.id, {
      source_total: state.sourceTotal,
      pages_total: state.pagesTotal,
    });
    if (first.data.length > 0)
      await this.stage(state, merge, { page: 1, records: first.data, contentDigest: first.contentDigest });
    return first.total;
  }

  /**
   * Splits pages 1..lastPage into range jobs for every process to read, and merges their pages as they are
   * staged. Ranges staged in full by an earlier attempt get no job; jobs of earlier attempts are cancelled.
   */
  private async readRanges(state: RunState, merge: RunMerge, lastPage: number, stopping: () => boolean) {
    const size = this.config.get('INGEST_RANGE_PAGES', { infer: true });
    const staged = await this.stagedPages.sizesBetween(state.id, 1, lastPage);
    for (const page of [...staged.keys()].sort((a, b) => a - b)) merge.pageStaged(page);
    const ranges: RangeJobData[] = [];
    for (let first = 1; first <= lastPage; first += size) {
      const last = Math.min(first + size - 1, lastPage);
      let complete = true;
      for (let page = first; page <= last && complete; page++) complete = staged.has(page);
      if (!complete)
        ranges.push({
          run_id: state.id,
          attempt: state.attempt,
          first_page: first,
          last_page: last,
          location: state.location,
          limit: state.pageLimit,
        });
    }
    const ids = ranges.map((range) => rangeJobId(state.id, state.attempt, range.first_page));
    await this.cancelEarlierAttempts(state, lastPage, size);
    // Ranges are taken in page order (jobs queued in one statement would otherwise go by their random ids),
    // so that the merge, which goes in page order, finds complete ranges while later ones are still read.
    await this.jobs.insert(
      RANGE_QUEUE,
      ranges.map((data, index) => ({ id: ids[index], data, priority: -data.first_page })),
    );
    await this.runs.recordProgress(state.id, { ranges_total: Math.ceil(lastPage / size) });
    this.events.jobsQueued(RANGE_QUEUE);
    await this.awaitRanges(state, merge, ids, stopping);
  }

  /** A coordinator that took over leaves the jobs its predecessor planned to finish or to be cancelled. */
  private async cancelEarlierAttempts(state: RunState, lastPage: number, size: number): Promise<void> {
    for (let attempt = 0; attempt < state.attempt; attempt++) {
      const ids: string[] = [];
      for (let first = 1; first <= lastPage; first += size) ids.push(rangeJobId(state.id, attempt, first));
      await this.jobs.cancel(RANGE_QUEUE, ids);
    }
  }

  /**
   * Feeds the merge with staged pages until every range job is done. A range that failed fails the run, and
   * the ranges not yet read are cancelled: their pages are read when the run is resumed.
   */
  private async awaitRanges(state: RunState, merge: RunMerge, ids: string[], stopping: () => boolean) {
    const pending = new Set(ids);
    try {
      await this.feedUntilRead(state, merge, pending, stopping);
    } catch (error) {
      if (error instanceof RunFailedError) await this.jobs.cancel(RANGE_QUEUE, [...pending]);
      throw error;
    }
  }

  private async feedUntilRead(
    state: RunState,
    merge: RunMerge,
    pending: Set<string>,
    stopping: () => boolean,
  ) {
    let published = 0;
    for (;;) {
      if (stopping()) throw new RunInterruptedError(state.id);
      const seen = this.events.rangesDone(state.id);
      for (const page of await this.stagedPages.pagesFrom(state.id, merge.mergedUpTo)) merge.pageStaged(page);
      const jobs = await this.jobs.states(RANGE_QUEUE, [...pending]);
      this.failIfAnyFailed(jobs);
      for (const job of jobs) {
        if (job.state !== 'completed' && job.state !== 'cancelled') continue;
        pending.delete(job.id);
        const repeated = (job.output as Partial<RangeJobOutput> | null)?.repeated_page;
        if (repeated) merge.stopAt(repeated);
      }
      if (state.changed || Date.now() - published > PROGRESS_INTERVAL_MS) {
        published = Date.now();
        await this.publishProgress(state);
      }
      if (pending.size === 0) return;
      await this.events.untilRangeDone(state.id, seen, RANGE_POLL_MS);
    }
  }

  private failIfAnyFailed(jobs: JobRecord[]): void {
    for (const job of jobs) {
      const output = (job.output ?? {}) as { message?: string; error?: string };
      if (job.state === 'completed' && output.error) throw new RunFailedError(output.error);
      if (job.state !== 'failed') continue;
      const reason = output.message ?? 'a page range failed';
      throw new RunFailedError(
        job.retry_count > 0 ? `${reason} (the range was tried ${job.retry_count + 1} times)` : reason,
      );
    }
  }

  /**
   * An incremental read: the source's `updated_since` listing from the checkpoint minus INGEST_LOOKBACK, in
   * `(updated_at, customer_id)` order. Offset pages of a listing that changes while it is read shift (a record
   * updated meanwhile moves to its end, and those behind it move up a place), so the read does not page
   * through one listing: after each page it asks again from the newest `updated_at` it has seen, and only
   * pages on within one instant that more records share than a page holds. Records it has seen already,
   * by `(updated_at, customer_id)`, are left out.
   */
  private async readChanges(state: RunState, merge: RunMerge, stopping: () => boolean): Promise<void> {
    const source = await this.sources.ensure(state.sourceKind, state.location);
    state.cursorFrom = source.cursor;
    await this.runs.recordCursorFrom(state.id, source.cursor);
    const lookbackMs = durationMs(this.config.get('INGEST_LOOKBACK', { infer: true }));
    const maxPages = this.config.get('INGEST_MAX_PAGES', { infer: true });
    const start = source.cursor ? source.cursor.updatedAt.getTime() - lookbackMs : 0;
    let seen: SourceCursor = { updatedAt: new Date(start), customerId: '' };
    let page = 1;
    for (let staged = 1; ;) {
      if (stopping()) throw new RunInterruptedError(state.id);
      if (staged > maxPages) {
        this.capped(state, maxPages);
        return;
      }
      const fetched = await this.fetch(state, { page, updatedSince: seen.updatedAt.toISOString() });
      const fresh = fetched.data.filter((record) => {
        const cursor = cursorOf(record);
        return !cursor || compareCursors(cursor, seen) > 0;
      });
      if (fresh.length > 0) {
        await this.stage(state, merge, {
          page: staged++,
          records: fresh,
          contentDigest: fetched.contentDigest,
        });
      }
      if (fetched.data.length < state.pageLimit) return;
      const last = cursorOf(fetched.data[fetched.data.length - 1]);
      if (last && last.updatedAt > seen.updatedAt) {
        seen = last;
        page = 1;
      } else {
        page++;
      }
    }
  }

  /** Without a total (or past it), one page at a time until a short or empty page, or the page cap. */
  private async readInOrder(state: RunState, merge: RunMerge, from: number, stopping: () => boolean) {
    const maxPages = this.config.get('INGEST_MAX_PAGES', { infer: true });
    const staged = await this.stagedPages.sizesBetween(state.id, from, maxPages);
    let previousIds = (await this.stagedPages.digestOf(state.id, from - 1))?.ids_digest ?? null;
    for (let page = from; ; page++) {
      if (page > maxPages) {
        this.capped(state, maxPages);
        return;
      }
      if (stopping()) throw new RunInterruptedError(state.id);
      const stagedSize = staged.get(page);
      if (stagedSize !== undefined) {
        merge.pageStaged(page);
        previousIds = (await this.stagedPages.digestOf(state.id, page))?.ids_digest ?? null;
        if (stagedSize < state.pageLimit) return;
        continue;
      }
      const fetched = await this.fetch(state, page);
      if (fetched.data.length === 0) return;
      const ids = idsDigest(fetched.data);
      if (ids === previousIds) {
        merge.stopAt(page);
        return;
      }
      previousIds = ids;
      await this.stage(state, merge, { page, records: fetched.data, contentDigest: fetched.contentDigest });
      if (fetched.data.length < state.pageLimit) return;
    }
  }

  /** The read stops at INGEST_MAX_PAGES: the source may hold more, so nothing it lacks can be told. */
  private capped(state: RunState, maxPages: number): void {
    state.readWhole = false;
    state.note(`stopped at the page cap (${maxPages} pages)`);
  }

  /** A CSV file is one stream: its coordinator reads it, a page of rows at a time. */
  private async readCsv(state: RunState, merge: RunMerge, stopping: () => boolean): Promise<void> {
    const staged = await this.stagedPages.sizesBetween(state.id, 1, LAST_POSSIBLE_PAGE);
    for (const page of [...staged.keys()].sort((a, b) => a - b)) merge.pageStaged(page);
    await new CsvPageSource(state.location, state.pageLimit).read({
      staged: new Set(staged.keys()),
      consume: async (page) => {
        if (stopping()) throw new RunInterruptedError(state.id);
        await this.stage(state, merge, page);
      },
    });
  }

  private async stage(state: RunState, merge: RunMerge, page: RawPage): Promise<void> {
    await this.stager.stage(state.id, page);
    merge.pageStaged(page.page);
  }

  private async fetch(
    state: RunState,
    at: number | Pick<PageRequest, 'page' | 'updatedSince'>,
  ): Promise<SourcePage> {
    const target = typeof at === 'number' ? { page: at } : at;
    return this.client.fetchPage({ location: state.location, limit: state.pageLimit, ...target }, (error) => {
      this.metrics.retried();
      this.logger.warn(
        { run_id: state.id, page: target.page, reason: error.message },
        'retrying a source request',
      );
      void this.runs.addRetries(state.id, 1).catch((failure: Error) => {
        this.logger.warn({ run_id: state.id, error: failure.message }, 'could not count a retry');
      });
    });
  }

  private async publishProgress(state: RunState): Promise<void> {
    await this.runs.syncCounters(state.id);
    const progress = state.takeProgress();
    if (progress) await this.runs.recordProgress(state.id, progress);
  }

  /** A guard held the run: nothing was applied; its staged pages wait for approve or reject. */
  private async held(state: RunState, job: CoordinatorJob, held: HeldForReviewError): Promise<void> {
    await this.runs.hold(state.id, {
      notes: state.notes,
      findings: state.findings,
      readWhole: state.readWhole,
    });
    await this.jobs.complete(RUN_QUEUE, job.id, { status: 'needs_review', reason: held.message });
    const ended = await this.runs.findById(state.id);
    if (ended) this.metrics.finished(ended);
    this.logger.warn({ run_id: state.id, reason: held.message }, 'run held for review');
  }

  private async succeeded(runId: number): Promise<void> {
    const finished = (await this.runs.findById(runId)) as IngestRunEntity;
    this.metrics.finished(finished);
    this.logger.log(
      {
        run_id: runId,
        records: finished.records_processed,
        inserted: finished.records_inserted,
        updated: finished.records_updated,
        unchanged: finished.records_unchanged,
        failed: finished.records_failed,
      },
      'run succeeded',
    );
  }

  /**
   * Records why the run stopped. A run that cannot succeed ends `failed`, resumable by the next ingest; a
   * shutdown hands the run to the next process; anything else (the database went away, the lock was lost) is
   * rethrown, so that pg-boss retries the job in whichever process is alive, until its retries are used up.
   */
  private async stopped(state: RunState, job: CoordinatorJob, error: unknown): Promise<void> {
    if (error instanceof RunInterruptedError) return this.handOver(state, job, error.message);
    const explained = error instanceof RunFailedError || error instanceof SourceError;
    if (!explained && !job.lastAttempt) {
      this.logger.warn(
        { run_id: state.id, error: loggableError(error) },
        'coordinator stopped; the job is retried',
      );
      throw error;
    }
    const reason =
      explained || error instanceof IngestLockLostError ? (error as Error).message : 'internal error';
    if (!explained)
      this.logger.error({ run_id: state.id, error: loggableError(error) }, 'run failed unexpectedly');
    this.logger.warn({ run_id: state.id, reason }, 'run failed');
    await this.runs.finish(state.id, state.attempt, 'failed', reason);
    await this.jobs.complete(RUN_QUEUE, job.id, { status: 'failed', reason });
    const ended = await this.runs.findById(state.id);
    if (ended) this.metrics.finished(ended);
  }

  /** Completes this job and queues a fresh one for the run, in one transaction: the run waits for a process. */
  private async handOver(state: RunState, job: CoordinatorJob, reason: string): Promise<void> {
    await this.runs.syncCounters(state.id);
    await this.transactions.run(async (manager) => {
      await this.jobs.complete(RUN_QUEUE, job.id, { status: 'handed over', reason }, manager);
      const next = await this.jobs.send(
        RUN_QUEUE,
        { data: { run_id: state.id }, startAfter: new Date(Date.now() + HANDOVER_DELAY_MS) },
        manager,
      );
      await this.runs.requeueForHandover(state.id, reason, next, manager);
    });
    this.logger.warn({ run_id: state.id }, 'run handed back to the queue: this process is shutting down');
  }
}
