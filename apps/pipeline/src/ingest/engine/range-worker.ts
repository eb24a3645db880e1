import { Injectable, Logger } from '@nestjs/common';
import {
  FetchedJob,
  IngestRunRepository,
  IngestStagedPageRepository,
  JobQueue,
} from '@customer-pipeline/data-access';
import { SourceClient } from '../sources/source-client';
import { SourceError } from '../sources/source-error';
import { RunInterruptedError } from './ingest-errors';
import { RANGE_QUEUE, RangeJobData, RangeJobOutput } from './ingest-jobs';
import { IngestMetrics } from './ingest-metrics';
import { PageStager, idsDigest } from './page-stager';
import { RunEvents } from './run-events';

/**
 * Reads one range of a run's pages, in order, staging each page as it arrives; the job is completed in the
 * transaction that stages the range's last page. Pages the run has staged already (an earlier attempt at
 * this range, or another process that had the job before) are not read again, so a range delivered twice
 * stages each page once.
 */
@Injectable()
export class RangeWorker {
  private readonly logger = new Logger(RangeWorker.name);

  constructor(
    private readonly runs: IngestRunRepository,
    private readonly stagedPages: IngestStagedPageRepository,
    private readonly jobs: JobQueue,
    private readonly stager: PageStager,
    private readonly client: SourceClient,
    private readonly events: RunEvents,
    private readonly metrics: IngestMetrics,
  ) {}

  async read(job: FetchedJob<RangeJobData>, stopping: () => boolean): Promise<void> {
    const range = job.data;
    try {
      const output = await this.readRange(job, stopping);
      if (output) await this.jobs.complete(RANGE_QUEUE, job.id, output);
    } catch (error) {
      // A refusal that no retry can mend fails the run at once: the job is done, with the error for the
      // coordinator to report. Retryable failures are thrown on, for pg-boss to retry the range.
      if (!(error instanceof SourceError) || error.retryable) throw error;
      await this.jobs.complete(RANGE_QUEUE, job.id, { pages_staged: 0, error: error.message });
    } finally {
      this.events.rangeDone(range.run_id);
    }
  }

  /** The range's outcome, or null when its job was completed with its last page. */
  private async readRange(
    job: FetchedJob<RangeJobData>,
    stopping: () => boolean,
  ): Promise<RangeJobOutput | null> {
    const range = job.data;
    const staged = await this.stagedPages.sizesBetween(range.run_id, range.first_page, range.last_page);
    let pagesStaged = 0;
    // The page before the range may be staged already (by the coordinator, or another range).
    let previousIds =
      (await this.stagedPages.digestOf(range.run_id, range.first_page - 1))?.ids_digest ?? null;
    for (let page = range.first_page; page <= range.last_page; page++) {
      if (staged.has(page)) {
        previousIds = null;
        continue;
      }
      if (stopping()) throw new RunInterruptedError(range.run_id);
      // One primary-key look per page: a range whose job was cancelled (its run failed, or a later attempt
      // planned its own ranges) reads no more.
      if (!(await this.jobs.isActive(RANGE_QUEUE, job.id))) return null;
      const target = { location: range.location, page, limit: range.limit };
      const fetched = await this.client.fetchPage(target, (error) => {
        this.metrics.retried();
        this.logger.warn({ run_id: range.run_id, page, reason: error.message }, 'retrying a source request');
        void this.runs.addRetries(range.run_id, 1).catch((failure: Error) => {
          this.logger.warn({ run_id: range.run_id, error: failure.message }, 'could not count a retry');
        });
      });
      // An empty page only says where the listing ends; there is nothing to stage.
      if (fetched.data.length === 0) continue;
      const ids = idsDigest(fetched.data);
      if (ids === previousIds) return { pages_staged: pagesStaged, repeated_page: page };
      previousIds = ids;
      const last = page === range.last_page;
      const output: RangeJobOutput = { pages_staged: pagesStaged + 1 };
      const outcome = await this.stager.stage(
        range.run_id,
        { page, records: fetched.data, contentDigest: fetched.contentDigest },
        last ? (manager) => this.jobs.complete(RANGE_QUEUE, job.id, output, manager) : undefined,
      );
      if (outcome.staged) pagesStaged++;
      this.logger.debug({ run_id: range.run_id, page, staged: outcome.staged }, 'page staged');
      if (last) return null;
    }
    return { pages_staged: pagesStaged };
  }
}
