import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { SourceCursor } from './ingest-source.repository';

/** For each field of a page's records: for each JSON type it came as, `[records, an example customer id]`. */
export type PageShape = Record<string, Record<string, [number, string]>>;

/** A run's records by field and JSON type, over all its staged pages. */
export type RunSchema = Record<string, Record<string, { count: number; example: string }>>;

export interface NewStagedPage {
  runId: number;
  page: number;
  records: CustomerRecord[];
  /** Records of the page that were quarantined, counted with the page so that counters add up. */
  failedCount: number;
  idsDigest: string;
  contentDigest: string;
  /** Valid records whose timestamp carried no UTC offset. */
  withoutOffsetCount: number;
  /** The page's newest valid record by `(updated_at, customer_id)`, when its records carry updated_at. */
  newest: SourceCursor | null;
  /** The ids of every record of the page, valid or not. */
  customerIds: string[];
  shape: PageShape;
}

export interface StagedPageDigest {
  page: number;
  /** Records the page held, valid or not. */
  size: number;
  ids_digest: string | null;
  content_digest: string | null;
  read_at: Date;
}

/**
 * `ingest_staged_pages`: the pages a run has read, validated and not yet merged. A page is staged at most once
 * per run (its key is the run and the page number), whoever reads it and however often: a second stage of
 * the same page does nothing and says so. A crash empties the table (it is unlogged); the pages are then
 * simply read again.
 */
@Injectable()
export class IngestStagedPageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stages one page; false when the run had it already. */
  async stage(page: NewStagedPage, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO ingest_staged_pages
         (run_id, page, records, record_count, failed_count, ids_digest, content_digest, without_offset_count,
          newest_updated_at, newest_customer_id, customer_ids, shape)
       VALUES ($1, $2, $3::json, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) ON CONFLICT DO NOTHING RETURNING page`,
      [
        page.runId,
        page.page,
        JSON.stringify(page.records),
        page.records.length,
        page.failedCount,
        page.idsDigest,
        page.contentDigest,
        page.withoutOffsetCount,
        page.newest?.updatedAt ?? null,
        page.newest?.customerId ?? null,
        page.customerIds,
        JSON.stringify(page.shape),
      ],
    );
    return rows.length > 0;
  }

  /** Staged pages of the run at or after `fromPage`, in order. */
  async pagesFrom(runId: number, fromPage: number): Promise<number[]> {
    const rows: { page: number }[] = await this.dataSource.query(
      'SELECT page FROM ingest_staged_pages WHERE run_id = $1 AND page >= $2 ORDER BY page',
      [runId, fromPage],
    );
    return rows.map((row) => row.page);
  }

  /** Staged pages of the run between the two, inclusive, with how many source records each held. */
  async sizesBetween(runId: number, from: number, to: number): Promise<Map<number, number>> {
    const rows: { page: number; size: number }[] = await this.dataSource.query(
      `SELECT page, record_count + failed_count AS size FROM ingest_staged_pages
       WHERE run_id = $1 AND page BETWEEN $2 AND $3`,
      [runId, from, to],
    );
    return new Map(rows.map((row) => [row.page, row.size]));
  }

  /** Records the run's staged pages held (valid or not), and how many of them were quarantined. */
  async records(runId: number, manager: EntityManager = this.dataSource.manager) {
    const [row] = await manager.query(
      `SELECT coalesce(sum(record_count + failed_count), 0)::int AS records, coalesce(sum(failed_count), 0)::int AS failed
       FROM ingest_staged_pages WHERE run_id = $1`,
      [runId],
    );
    return row as { records: number; failed: number };
  }

  async count(runId: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(
      'SELECT count(*)::int AS pages FROM ingest_staged_pages WHERE run_id = $1',
      [runId],
    );
    return row.pages;
  }

  /**
   * Whether every page a held run had staged is still there: staging is unlogged, so a PostgreSQL crash
   * empties it. A run never held keeps none that could be applied as staged.
   */
  async keepsEveryPageOf(
    run: { id: number; pages_held: number | null },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return (await this.count(run.id, manager)) === run.pages_held;
  }

  /** The run's last staged page, with its size: where an in-order read goes on from. */
  async last(runId: number): Promise<{ page: number; size: number } | null> {
    const [row] = await this.dataSource.query(
      `SELECT page, record_count + failed_count AS size FROM ingest_staged_pages
       WHERE run_id = $1 ORDER BY page DESC LIMIT 1`,
      [runId],
    );
    return row ?? null;
  }

  /** One staged page's digests and when it was read, or null when it is not staged. */
  async digestOf(runId: number, page: number): Promise<StagedPageDigest | null> {
    const [row] = await this.dataSource.query(
      `SELECT page, record_count + failed_count AS size, ids_digest, content_digest, read_at
       FROM ingest_staged_pages WHERE run_id = $1 AND page = $2`,
      [runId, page],
    );
    return row ?? null;
  }

  /** The newest record of the run's staged pages, by `(updated_at, customer_id)`; null when none has one. */
  async newest(runId: number, manager: EntityManager): Promise<SourceCursor | null> {
    const [row] = await manager.query(
      `SELECT newest_updated_at, newest_customer_id FROM ingest_staged_pages
       WHERE run_id = $1 AND newest_updated_at IS NOT NULL
       ORDER BY newest_updated_at DESC, newest_customer_id DESC LIMIT 1`,
      [runId],
    );
    return row ? { updatedAt: row.newest_updated_at, customerId: row.newest_customer_id } : null;
  }

  /** The shape of the run's records, over all its staged pages. */
  async schemaOf(runId: number, manager: EntityManager = this.dataSource.manager): Promise<RunSchema> {
    const rows: { field: string; type: string; count: number; example: string }[] = await manager.query(
      `SELECT f.key AS field, t.key AS type, sum((t.value ->> 0)::int)::int AS count, min(t.value ->> 1) AS example
       FROM ingest_staged_pages p
       CROSS JOIN LATERAL jsonb_each(p.shape) f
       CROSS JOIN LATERAL jsonb_each(f.value) t
       WHERE p.run_id = $1
       GROUP BY 1, 2`,
      [runId],
    );
    const schema: RunSchema = {};
    for (const { field, type, count, example } of rows) (schema[field] ??= {})[type] = { count, example };
    return schema;
  }

  /** When the oldest of the run's staged pages was read; null when it has none. */
  async oldestReadAt(runId: number, manager: EntityManager = this.dataSource.manager): Promise<Date | null> {
    const [row] = await manager.query(
      'SELECT min(read_at) AS oldest FROM ingest_staged_pages WHERE run_id = $1',
      [runId],
    );
    return row.oldest;
  }

  /**
   * The first page between `from` and `to` whose customer ids, in order, are those of the page before it: a
   * source that ignores `page` serves its first page forever. Null when no page repeats its predecessor.
   */
  async firstRepeat(runId: number, from: number, to: number, manager: EntityManager): Promise<number | null> {
    const [row] = await manager.query(
      `SELECT page FROM (
         SELECT page, ids_digest, lag(ids_digest) OVER (ORDER BY page) AS previous, lag(page) OVER (ORDER BY page) AS before
         FROM ingest_staged_pages WHERE run_id = $1 AND page BETWEEN $2 - 1 AND $3
       ) pages
       WHERE page >= $2 AND before = page - 1 AND ids_digest = previous
       ORDER BY page LIMIT 1`,
      [runId, from, to],
    );
    return row?.page ?? null;
  }

  /** The first and last page of the run's staged pages, for the merge's last step. */
  async bounds(runId: number, manager: EntityManager): Promise<{ first: number; last: number }> {
    const [row] = await manager.query(
      `SELECT coalesce(min(page), 1) AS first, coalesce(max(page), 0) AS last
       FROM ingest_staged_pages WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  /** Forgets the run's pages at or after `fromPage` (a repeated tail that is not to be merged). */
  async removeFrom(runId: number, fromPage: number, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM ingest_staged_pages WHERE run_id = $1 AND page >= $2', [
      runId,
      fromPage,
    ]);
  }

  /** Forgets the run's pages: once merged, or when the run can no longer be resumed. */
  async removeRun(runId: number, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('DELETE FROM ingest_staged_pages WHERE run_id = $1', [runId]);
  }

  /** Forgets every run's pages, as a new run starts: runs that can no longer be resumed leave theirs. */
  async removeAll(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM ingest_staged_pages');
  }
}
