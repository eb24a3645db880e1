import { Injectable } from '@nestjs/common';
import {
  IngestFailureRepository,
  IngestStagedPageRepository,
  TransactionRunner,
} from '@customer-pipeline/data-access';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { RawPage } from '../sources/page-source';
import { IngestMetrics } from './ingest-metrics';
import { validatePage } from './page-validator';
import { customerIdsOf, shapeOf } from './record-shape';

/** More work for the page's transaction (completing a job): the page and that work commit together. */
export type WithPage = (manager: EntityManager) => Promise<unknown>;

export interface StagedPageOutcome {
  /** False when the run had this page staged already: nothing was written. */
  staged: boolean;
  /** Records the page held, valid or not (malformed rows included). */
  records: number;
  failed: number;
}

/** Digest of a page's customer ids in order: a page whose digest is its predecessor's repeats it. */
export function idsDigest(records: unknown[]): string {
  const ids = records.map((record) => String((record as { customer_id?: unknown } | null)?.customer_id));
  return createHash('sha1').update(ids.join('\n')).digest('hex');
}

/**
 * Validates a page and stages it with its quarantined records, in one transaction: a page is staged with
 * its failures or not at all, and at most once per run, so that whoever stages it, however often, the run's
 * counters add up to what is staged.
 */
@Injectable()
export class PageStager {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly stagedPages: IngestStagedPageRepository,
    private readonly failures: IngestFailureRepository,
    private readonly metrics: IngestMetrics,
  ) {}

  async stage(runId: number, page: RawPage, withPage?: WithPage): Promise<StagedPageOutcome> {
    const validated = validatePage(runId, page);
    const staged = await this.transactions.run(async (manager) => {
      const inserted = await this.stagedPages.stage(
        {
          runId,
          page: page.page,
          records: validated.records,
          failedCount: validated.failures.length,
          idsDigest: idsDigest(page.records),
          contentDigest: page.contentDigest,
          withoutOffsetCount: validated.withoutOffset,
          newest: validated.newest,
          customerIds: customerIdsOf(page.records),
          shape: shapeOf(page.records),
        },
        manager,
      );
      if (inserted) await this.failures.addMany(validated.failures, manager);
      if (withPage) await withPage(manager);
      return inserted;
    });
    if (staged) this.metrics.pageStaged();
    return {
      staged,
      records: page.records.length + (page.malformed?.length ?? 0),
      failed: validated.failures.length,
    };
  }
}
