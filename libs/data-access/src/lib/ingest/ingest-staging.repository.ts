import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
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
         VALUES ($1, $2, $3::json, $4, $5) ON CONFLICT DO NOTHING RETURNING page`,
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
   * Opens the merge of a run's staged pages into `customers`: one transaction, kept open while the run goes
   * on reading, into which complete ranges of pages are merged as they are staged (see `RunMerge`).
   */
  async beginMerge(runId: number, onProgress?: (pagesMerged: number) => void): Promise<RunMerge> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw error;
    }
    const plan: MergePlan = { insertFirst: true };
    return new RunMerge(
      runner,
      runId,
      (from, to, manager) => this.mergeRange(runId, from, to, manager, plan),
      {
        finish: (total, pagesMerged, manager) => this.finish(runId, total, pagesMerged, manager),
        onProgress,
      },
    );
  }

  /**
   * Merges every staged page of the run into `customers` and marks the run a success, in one transaction:
   * readers see all of the run or none of it. Staged pages are removed as they are no longer needed.
   */
  async commit(runId: number, onProgress?: (pagesMerged: number) => void): Promise<CommitResult> {
    const merge = await this.beginMerge(runId, onProgress);
    try {
      return await merge.complete();
    } catch (error) {
      await merge.abort();
      throw error;
    }
  }

  /**
   * Merges one range of pages. While a run keeps bringing new customers (a first load), the range is first
   * offered to the plain insert of new customers; when that takes every record, the range is done. Records
   * it leaves go through the full statement, which finds the inserted ones unchanged. A run whose range
   * brings no new customer at all (a re-ingest) stops trying.
   */
  private async mergeRange(runId: number, from: number, to: number, manager: EntityManager, plan: MergePlan) {
    let inserted = 0;
    if (plan.insertFirst) {
      const fresh = await this.upserts.insertNewStagedPages(runId, from, to, manager);
      if (fresh.distinctKeys && fresh.inserted === fresh.received) return newCustomersOnly(fresh.inserted);
      if (fresh.distinctKeys && fresh.inserted === 0) plan.insertFirst = false;
      inserted = fresh.inserted;
    }
    const result = await this.upserts.upsertStagedPages(runId, from, to, manager);
    await this.quarantineConflicts(runId, result.conflicts, manager);
    return { ...result, inserted: result.inserted + inserted, unchanged: result.unchanged - inserted };
  }

  private async finish(runId: number, total: CommitResult, pagesMerged: number, manager: EntityManager) {
    // The run's row is locked from here to the commit, not during the merge: progress updates and readers
    // of the run would otherwise queue behind it, holding pool connections for the whole merge.
    await this.syncCounters(runId, manager);
    await manager
      .createQueryBuilder()
      .update(IngestRunEntity)
      .set({
        status: 'success',
        phase: 'done',
        pages_merged: pagesMerged,
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
  }

  private async quarantineConflicts(runId: number, conflicts: EmailConflict[], manager: EntityManager) {
    if (conflicts.length === 0) return;
    await manager.query(
      `INSERT INTO ingest_failures (run_id, page, customer_id, record, errors, reason)
       SELECT $1, c.page, c.customer_id, (p.records -> (c.position - 1))::jsonb, $3::jsonb, 'email_conflict'
       FROM json_to_recordset($2::json) AS c(customer_id text, page int, position int)
       JOIN ingest_staged_pages p ON p.run_id = $1 AND p.page = c.page`,
      [runId, JSON.stringify(conflicts), JSON.stringify(EMAIL_CONFLICT_ERRORS)],
    );
  }
}

type MergeRange = (from: number, to: number, manager: EntityManager) => Promise<UpsertResult>;

interface MergePlan {
  /** Offer each range to the plain insert of new customers first. */
  insertFirst: boolean;
}

function newCustomersOnly(inserted: number): UpsertResult {
  return { received: inserted, inserted, updated: 0, unchanged: 0, duplicates: 0, conflicts: [] };
}

interface RunMergeHooks {
  finish(total: CommitResult, pagesMerged: number, manager: EntityManager): Promise<void>;
  onProgress?: (pagesMerged: number) => void;
}

/**
 * The merge of one run into `customers`, in one transaction held open while the run reads. Ranges of
 * `PAGES_PER_STATEMENT` pages are merged, in page order, as soon as every page of the range is staged, so
 * most of the merge happens while later pages are still being fetched; `complete` merges the rest, marks the
 * run a success and commits. Readers see nothing until then, and `abort` rolls it all back, leaving the
 * staged pages for the next attempt.
 */
export class RunMerge {
  private readonly staged = new Set<number>();
  /** The first page of the next range to merge. */
  private nextPage = 1;
  private work: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly total: CommitResult = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    conflicts: 0,
  };

  constructor(
    private readonly runner: QueryRunner,
    private readonly runId: number,
    private readonly mergeRange: MergeRange,
    private readonly hooks: RunMergeHooks,
  ) {}

  /** Notes that a page is staged, and queues every range that is now complete. Throws once a merge failed. */
  pageStaged(page: number): void {
    if (this.failure !== undefined) throw this.failure;
    if (page >= this.nextPage) this.staged.add(page);
    while (this.rangeIsStaged(this.nextPage)) {
      const from = this.nextPage;
      const to = from + PAGES_PER_STATEMENT - 1;
      for (let staged = from; staged <= to; staged++) this.staged.delete(staged);
      this.nextPage = to + 1;
      this.queue(from, to);
    }
  }

  /** Merges what is left, marks the run a success and commits. */
  async complete(): Promise<CommitResult> {
    await this.work;
    if (this.failure !== undefined) throw this.failure;
    const manager = this.runner.manager;
    const [{ first, last }] = await manager.query(
      'SELECT coalesce(min(page), 1) AS first, coalesce(max(page), 0) AS last FROM ingest_staged_pages WHERE run_id = $1',
      [this.runId],
    );
    for (let from = this.nextPage; from <= last; from += PAGES_PER_STATEMENT) {
      await this.merge(from, Math.min(from + PAGES_PER_STATEMENT - 1, last));
    }
    await this.hooks.finish(this.total, last - first + 1, manager);
    await this.runner.commitTransaction();
    await this.runner.release();
    return this.total;
  }

  /** Rolls the merge back; the staged pages stay for the next attempt. */
  async abort(): Promise<void> {
    this.failure ??= new Error('merge aborted');
    await this.work;
    await this.runner.rollbackTransaction().catch(() => undefined);
    await this.runner.release();
  }

  private rangeIsStaged(from: number): boolean {
    for (let page = from; page < from + PAGES_PER_STATEMENT; page++) if (!this.staged.has(page)) return false;
    return true;
  }

  private queue(from: number, to: number): void {
    this.work = this.work.then(async () => {
      if (this.failure !== undefined) return;
      await this.merge(from, to).catch((error: unknown) => {
        this.failure ??= error;
      });
    });
  }

  private async merge(from: number, to: number): Promise<void> {
    addTo(this.total, await this.mergeRange(from, to, this.runner.manager));
    this.hooks.onProgress?.(to);
  }
}

function addTo(total: CommitResult, result: UpsertResult): void {
  total.inserted += result.inserted;
  total.updated += result.updated;
  total.unchanged += result.unchanged;
  total.duplicates += result.duplicates;
  total.conflicts += result.conflicts.length;
}
