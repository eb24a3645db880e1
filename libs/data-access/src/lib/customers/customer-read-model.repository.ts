import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** What one merge did to the set of customers readers see. */
export interface CustomerSetChange {
  /** Customers readers did not see before: inserted (or brought back). */
  added: number;
  /** Customers readers no longer see (removed, or marked deleted). */
  removed: number;
  /** Stored customers whose values changed. */
  changed: number;
}

/**
 * Every change of the summary's version is announced here, as JSON `{total, version}`, by a trigger on the
 * table (migration SummaryNotifies): at commit, whoever wrote it.
 */
export const CUSTOMER_SUMMARY_CHANNEL = 'customer_summary';

/** Every this many customers in customer_id order, one anchor; an offset page walks at most this many ids. */
export const ANCHOR_SPACING = 1000;

/** A SELECT around the UPDATE: TypeORM answers an UPDATE with `[rows, count]`, a SELECT with its rows. */
const RECORD_CHANGE = `
  WITH changed AS (
    UPDATE customer_summary SET total = total + $1, version = version + 1, changed_at = clock_timestamp()
    RETURNING total::float8 AS total, version::float8 AS version
  )
  SELECT total, version FROM changed`;

/**
 * Anchors are keyed by position, so a load that appends ids at the end (the usual case) rewrites none of the
 * existing rows: the table leaves no dead rows behind, which matters with autovacuum off.
 */
const REBUILD_ANCHORS = `
  WITH anchors AS (
    SELECT position, customer_id
    FROM (SELECT customer_id, row_number() OVER (ORDER BY customer_id) - 1 AS position
          FROM customers WHERE deleted_at IS NULL) ids
    WHERE position % ${ANCHOR_SPACING} = 0
  ),
  moved AS (
    INSERT INTO customer_id_anchors AS a (position, customer_id) SELECT position, customer_id FROM anchors
    ON CONFLICT (position) DO UPDATE SET customer_id = EXCLUDED.customer_id
    WHERE a.customer_id <> EXCLUDED.customer_id
  )
  DELETE FROM customer_id_anchors WHERE position > (SELECT coalesce(max(position), -1) FROM anchors)`;

/**
 * Whether a merge changed enough of the table for the planner's statistics to be stale: autovacuum's own
 * default rule (50 rows plus 10% of the table, `autovacuum_analyze_threshold` and `_scale_factor`). The
 * pipeline applies it itself, so that plans after a load do not wait for autovacuum, or for it to be on.
 */
export function statisticsAreStale(change: CustomerSetChange, totalBefore: number): boolean {
  return change.added + change.removed + change.changed > 50 + 0.1 * totalBefore;
}

/**
 * The read API's view of the whole table, kept by the merge transaction that changes it: the exact number
 * of customers and a data version (`customer_summary`), the offset anchors (`customer_id_anchors`) and the
 * planner's statistics. Readers see them change in the same commit as the customers.
 */
@Injectable()
export class CustomerReadModelRepository {
  /** Live customers as of the transaction's snapshot: in a merge, before the merge records itself. */
  async total(manager: EntityManager): Promise<number> {
    const [row] = await manager.query('SELECT total::float8 AS total FROM customer_summary');
    return row?.total ?? 0;
  }

  /** Call inside the merge transaction, after its last write to customers. */
  async recordMerge(change: CustomerSetChange, manager: EntityManager): Promise<void> {
    if (change.added === 0 && change.removed === 0 && change.changed === 0) return;
    const delta = change.added - change.removed;
    const [summary]: { total: number; version: number }[] = await manager.query(RECORD_CHANGE, [delta]);
    if (change.added > 0 || change.removed > 0) await manager.query(REBUILD_ANCHORS);
    // Inside the transaction: ANALYZE counts the transaction's own rows, and its statistics are committed
    // with them, so no reader plans against the old table's figures after the commit.
    if (statisticsAreStale(change, summary.total - delta)) await manager.query('ANALYZE customers');
    // New index entries wait in the trigram index's pending list, which every search reads through to the
    // end; without autovacuum nothing else moves them into the index (a million customers leave 220 pages).
    await manager.query(`SELECT gin_clean_pending_list('customers_search_trgm')`);
  }
}
