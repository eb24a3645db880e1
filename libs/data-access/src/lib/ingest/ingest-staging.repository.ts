import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import { DataSource, EntityManager } from 'typeorm';
import {
  CustomerUpsertRepository,
  EmailConflict,
  UpsertResult,
} from '../customers/customer-upsert.repository';
import { IngestFailureRepository, NewIngestFailure } from './ingest-failure.repository';
import { IngestRunEntity } from './ingest-run.entity';

export interface StagedPage {
  runId: number;
  page: number;
  records: CustomerRecord[];
  failures: NewIngestFailure[];
}

export interface CommitResult {
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  conflicts: number;
}

export const EMAIL_CONFLICT_ERRORS = [{ field: 'email', messages: ['email belongs to another customer'] }];

const SYNC_COUNTERS = `
  UPDATE ingest_runs r SET pages_fetched = s.pages, records_processed = s.records, records_failed = s.failed
  FROM (SELECT count(*)::int AS pages, coalesce(sum(record_count + failed_count), 0)::int AS records,
               coalesce(sum(failed_count), 0)::int AS failed
        FROM ingest_staged_pages WHERE run_id = $1) s
  WHERE r.id = $1`;

/** Pages merged per statement: big enough to amortise the statement, small enough to report progress. */
const PAGES_PER_STATEMENT = 50;

@Injectable()
export class IngestStagingRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly upserts: CustomerUpsertRepository,
    private readonly failures: IngestFailureRepository,
  ) {}

  /**
   * Keeps one validated page with its quarantined records: a page is staged with its failures or not at
   * all, so a resumed run can trust what it finds. Pages of one run are staged concurrently, so nothing
   * here touches a shared row. Returns false when the page was already staged.
   */
  async stage(page: StagedPage): Promise<boolean> {
    const insert = (manager: EntityManager) =>
      manager.query(
        `INSERT INTO ingest_staged_pages (run_id, page, records, record_count, failed_count)
         VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT DO NOTHING RETURNING page`,
        [page.runId, page.page, JSON.stringify(page.records), page.records.length, page.failures.length],
      );
    // The common page has no failures: one statement, one round trip.
    if (page.failures.length === 0) return (await insert(this.dataSource.manager)).length > 0;
    return this.dataSource.transaction(async (manager) => {
      if ((await insert(manager)).length === 0) return false;
      await this.failures.addMany(page.failures, manager);
      return true;
    });
  }

  /** Sets the run's read counters to exactly what is staged, e.g. after a run stopped early. */
  async syncCounters(runId: number, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(SYNC_COUNTERS, [runId]);
  }

  /** The run's staged pages, each with how many source records it held (valid or not). */
  async stagedPageSizes(runId: number): Promise<Map<number, number>> {
    const rows: { page: number; size: number }[] = await this.dataSource.query(
      'SELECT page, record_count + failed_count AS size FROM ingest_staged_pages WHERE run_id = $1',
      [runId],
    );
    return new Map(rows.map((row) => [row.page, row.size]));
  }

  /**
   * Merges every staged page of the run into `customers` and marks the run a success, in one transaction:
   * readers see all of the run or none of it. Staged pages are removed as they are no longer needed.
   */
  commit(runId: number, onProgress?: (pagesMerged: number) => void): Promise<CommitResult> {
    return this.dataSource.transaction(async (manager) => {
      const pages = await manager.query(
        'SELECT coalesce(min(page), 1) AS first, coalesce(max(page), 0) AS last FROM ingest_staged_pages WHERE run_id = $1',
        [runId],
      );
      const { first, last } = pages[0] as { first: number; last: number };
      const total: CommitResult = { inserted: 0, updated: 0, unchanged: 0, duplicates: 0, conflicts: 0 };
      for (let from = first; from <= last; from += PAGES_PER_STATEMENT) {
        const to = Math.min(from + PAGES_PER_STATEMENT - 1, last);
        const result = await this.upserts.upsertStagedPages(runId, from, to, manager);
        await this.quarantineConflicts(runId, result.conflicts, manager);
        addTo(total, result);
        onProgress?.(to - first + 1);
      }
      // The run's row is locked from here to the commit, not during the merge: progress updates and readers
      // of the run would otherwise queue behind it, holding pool connections for the whole merge.
      await this.syncCounters(runId, manager);
      await manager
        .createQueryBuilder()
        .update(IngestRunEntity)
        .set({
          status: 'success',
          phase: 'done',
          pages_merged: last - first + 1,
          // now() is when the transaction began, before the merge; the run ends now.
          finished_at: () => 'clock_timestamp()',
          error: null,
          records_inserted: total.inserted,
          records_updated: total.updated,
          records_unchanged: total.unchanged,
          records_duplicate: total.duplicates,
          records_failed: () => 'records_failed + :conflicts',
        })
        .where('id = :id', { id: runId, conflicts: total.conflicts })
        .execute();
      await manager.query('DELETE FROM ingest_staged_pages WHERE run_id = $1', [runId]);
      return total;
    });
  }

  private async quarantineConflicts(runId: number, conflicts: EmailConflict[], manager: EntityManager) {
    if (conflicts.length === 0) return;
    await manager.query(
      `INSERT INTO ingest_failures (run_id, page, customer_id, record, errors, reason)
       SELECT $1, c.page, c.customer_id, p.records -> (c.position - 1), $3::jsonb, 'email_conflict'
       FROM json_to_recordset($2::json) AS c(customer_id text, page int, position int)
       JOIN ingest_staged_pages p ON p.run_id = $1 AND p.page = c.page`,
      [runId, JSON.stringify(conflicts), JSON.stringify(EMAIL_CONFLICT_ERRORS)],
    );
  }
}

function addTo(total: CommitResult, result: UpsertResult): void {
  total.inserted += result.inserted;
  total.updated += result.updated;
  total.unchanged += result.unchanged;
  total.duplicates += result.duplicates;
  total.conflicts += result.conflicts.length;
}
