import { Injectable, Logger } from '@nestjs/common';
import {
  IngestRunEntity,
  IngestRunRepository,
  IngestStagingRepository,
  IngestTrigger,
} from '@customer-pipeline/data-access';
import { validatePage } from './page-validator';
import { SourceClient } from './source-client';
import { SourceError } from './source-error';

/** Hard stop for sources that never end a listing. */
export const MAX_PAGES = 1_000_000;

/**
 * Runs one ingest: reads every page of the source, validates and stages each page, then merges the whole
 * run into `customers` in one transaction. A run that fails before the merge changes no customer.
 */
@Injectable()
export class IngestRunService {
  private readonly logger = new Logger(IngestRunService.name);

  constructor(
    private readonly source: SourceClient,
    private readonly runs: IngestRunRepository,
    private readonly staging: IngestStagingRepository,
  ) {}

  async run(trigger: IngestTrigger): Promise<IngestRunEntity> {
    const run = await this.runs.start(trigger, 'api');
    this.logger.log(`run ${run.id}: started (${trigger})`);
    try {
      await this.stageAllPages(run.id);
      await this.staging.commit(run.id);
    } catch (error) {
      const reason = error instanceof SourceError ? error.message : 'internal error';
      await this.runs.finish(run.id, 'failed', reason);
      this.logger.warn(`run ${run.id}: failed: ${reason}`);
      throw error;
    }
    const finished = await this.runs.findById(run.id);
    this.logger.log(`run ${run.id}: succeeded`);
    return finished as IngestRunEntity;
  }

  private async stageAllPages(runId: number): Promise<void> {
    const first = await this.source.fetchPage(1);
    const pagesTotal = first.total === null ? null : Math.ceil(first.total / this.source.pageLimit);
    await this.runs.recordProgress(runId, { pages_total: pagesTotal, source_total: first.total });
    await this.stagePage(runId, 1, first.data);

    let lastSize = first.data.length;
    for (let page = 2; page <= MAX_PAGES; page++) {
      const done = pagesTotal === null ? lastSize < this.source.pageLimit : page > pagesTotal;
      if (done) return;
      const next = await this.source.fetchPage(page);
      await this.stagePage(runId, page, next.data);
      lastSize = next.data.length;
    }
  }

  private async stagePage(runId: number, page: number, rawRecords: unknown[]): Promise<void> {
    const { records, failures } = validatePage(runId, page, rawRecords);
    await this.staging.stage({ runId, page, records, failures });
  }
}
