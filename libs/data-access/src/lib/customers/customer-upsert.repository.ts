import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface EmailConflict {
  customer_id: string;
  /** The staged page the record came from. */
  page: number;
  /** 1-based position of the record on that page. */
  position: number;
}

export interface UpsertResult {
  /** Records handed to the statement. */
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records superseded by a later record with the same customer_id in the same batch. */
  duplicates: number;
  /** Records not applied because their email belongs to another customer. */
  conflicts: EmailConflict[];
  /** Deleted customers the batch brought back. */
  restored: number;
}

/** Where a merge's records come from: the run that applies them and the source it read. */
export interface MergeOrigin {
  runId: number;
  sourceId: number;
}

const RECORD_COLUMNS = `customer_id text, first_name text, last_name text, email text, phone text, address text,
  date_of_birth date, account_balance numeric, created_at timestamptz, updated_at timestamptz`;
const RECORD_NAMES = `customer_id, first_name, last_name, email, phone, address, date_of_birth, account_balance, created_at,
  updated_at`;
/** The stored columns the record's fields go to: the source's `updated_at` is kept as `source_updated_at`. */
const STORED_NAMES = `customer_id, first_name, last_name, email, phone, address, date_of_birth, account_balance, created_at,
  source_updated_at, updated_at, last_run_id, source_id`;

/**
 * What a new customer row is made of, the same in both statements that insert one: the insert of new
 * customers relies on giving each exactly the row the full statement would.
 */
const INSERTED_VALUES = `customer_id, first_name, last_name, email, phone, address, date_of_birth, account_balance,
  created_at AT TIME ZONE 'UTC', updated_at, now(), $1::bigint, $4::int`;

/** Page numbers shift left by 20 bits so that (page, position) orders as one bigint. */
const POSITION_BITS = 20;

const FROM_STAGED_PAGES = `
  SELECT r.*, p.page, r.ord AS position, (p.page::bigint << ${POSITION_BITS}) + r.ord AS pos
  FROM ingest_staged_pages p
  CROSS JOIN LATERAL ROWS FROM (json_to_recordset(p.records) AS (${RECORD_COLUMNS}))
    WITH ORDINALITY AS r(${RECORD_NAMES}, ord)
  WHERE p.run_id = $1 AND p.page BETWEEN $2 AND $3`;

/**
 * One statement per batch of staged pages:
 * - the latest record per customer_id wins (PostgreSQL refuses to touch one row twice in one statement);
 * - a record whose email (case-insensitively) belongs to another stored customer, or was already claimed by
 *   an earlier record of the batch, is left out and reported as a conflict;
 * - a null never erases a stored value, `created_at` is written once, and a row is only rewritten, with
 *   a new `updated_at`, when a value really changes.
 */
const UPSERT_STAGED_PAGES = `
  WITH src AS (${FROM_STAGED_PAGES}),
  latest AS (
    SELECT DISTINCT ON (customer_id) * FROM src ORDER BY customer_id, pos DESC
  ),
  taken AS (
    -- One index probe per record. Written as EXISTS, the planner judges customers by statistics that predate
    -- this run's own inserts, and hashes a sequential scan of the whole table in every batch. Only a live
    -- customer holds its email.
    SELECT l.customer_id FROM latest l
    CROSS JOIN LATERAL (
      SELECT 1 FROM customers t
      WHERE lower(t.email) = lower(l.email) AND t.customer_id <> l.customer_id AND t.deleted_at IS NULL
      LIMIT 1
    ) other
  ),
  claims AS (
    SELECT l.*, row_number() OVER (PARTITION BY lower(l.email) ORDER BY l.pos) AS claim
    FROM latest l
    WHERE l.customer_id NOT IN (SELECT customer_id FROM taken)
  ),
  conflicts AS (
    SELECT customer_id, page, position FROM latest WHERE customer_id IN (SELECT customer_id FROM taken)
    UNION ALL
    SELECT customer_id, page, position FROM claims WHERE claim > 1
  ),
  -- The statement's snapshot predates its own writes: these are the deleted customers it brings back.
  restoring AS (
    SELECT c.customer_id FROM claims c JOIN customers t ON t.customer_id = c.customer_id
    WHERE c.claim = 1 AND t.deleted_at IS NOT NULL
  ),
  written AS (
    INSERT INTO customers AS t (${STORED_NAMES})
    SELECT ${INSERTED_VALUES}
    FROM claims WHERE claim = 1
    ORDER BY customer_id
    ON CONFLICT (customer_id) DO UPDATE SET
      first_name = EXCLUDED.first_name,
      last_name = EXCLUDED.last_name,
      email = EXCLUDED.email,
      phone = COALESCE(EXCLUDED.phone, t.phone),
      address = COALESCE(EXCLUDED.address, t.address),
      date_of_birth = COALESCE(EXCLUDED.date_of_birth, t.date_of_birth),
      account_balance = COALESCE(EXCLUDED.account_balance, t.account_balance),
      created_at = COALESCE(t.created_at, EXCLUDED.created_at),
      source_updated_at = COALESCE(EXCLUDED.source_updated_at, t.source_updated_at),
      updated_at = now(),
      deleted_at = NULL,
      last_run_id = EXCLUDED.last_run_id,
      source_id = EXCLUDED.source_id
    WHERE t.deleted_at IS NOT NULL OR
      (t.first_name, t.last_name, t.email, t.phone, t.address, t.date_of_birth, t.account_balance, t.created_at,
       t.source_updated_at, t.source_id)
      IS DISTINCT FROM
      (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.email, COALESCE(EXCLUDED.phone, t.phone),
       COALESCE(EXCLUDED.address, t.address), COALESCE(EXCLUDED.date_of_birth, t.date_of_birth),
       COALESCE(EXCLUDED.account_balance, t.account_balance), COALESCE(t.created_at, EXCLUDED.created_at),
       COALESCE(EXCLUDED.source_updated_at, t.source_updated_at), EXCLUDED.source_id)
    RETURNING (xmax = 0) AS inserted
  )
  SELECT
    (SELECT count(*) FROM src)::int AS received,
    (SELECT count(*) FROM latest)::int AS distinct_ids,
    (SELECT count(*) FROM written WHERE inserted)::int AS inserted,
    (SELECT count(*) FROM written WHERE NOT inserted)::int AS updated,
    (SELECT count(*) FROM restoring)::int AS restored,
    (SELECT coalesce(json_agg(json_build_object('customer_id', customer_id, 'page', page, 'position', position)
       ORDER BY page, position), '[]') FROM conflicts) AS conflicts`;

/**
 * The first load's shortcut: when no customer_id and no email (case-insensitively) appears twice among the
 * batch's records, each record that clashes with no stored customer is simply inserted, with the values and
 * `updated_at` the full statement would give it; `ON CONFLICT DO NOTHING` leaves the others alone. This skips
 * the full statement's sorts and its email probe, which cost about a fifth of a first load's merge.
 */
const INSERT_NEW_STAGED_PAGES = `
  WITH src AS (${FROM_STAGED_PAGES}),
  clean AS (
    SELECT NOT EXISTS (SELECT FROM src GROUP BY customer_id HAVING count(*) > 1)
       AND NOT EXISTS (SELECT FROM src GROUP BY lower(email) HAVING count(*) > 1) AS distinct_keys
  ),
  written AS (
    INSERT INTO customers (${STORED_NAMES})
    SELECT ${INSERTED_VALUES}
    FROM src WHERE (SELECT distinct_keys FROM clean)
    ORDER BY customer_id
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT distinct_keys FROM clean) AS distinct_keys, (SELECT count(*) FROM src)::int AS received,
         (SELECT count(*) FROM written)::int AS inserted`;

/**
 * The ids a run saw come from its staged pages' id arrays, not from their JSON: unnesting arrays costs a
 * fraction of parsing every record again. The anti-join walks the live customers once.
 */
const MARK_UNSEEN_DELETED = `
  WITH seen AS (
    SELECT DISTINCT unnest(customer_ids) AS customer_id FROM ingest_staged_pages WHERE run_id = $1
  ),
  gone AS (
    UPDATE customers t SET deleted_at = now(), updated_at = now(), last_run_id = $1
    WHERE t.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM seen s WHERE s.customer_id = t.customer_id)
    RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM gone`;

export interface NewCustomersResult {
  /** No customer_id and no email appears twice in the batch; otherwise nothing was tried. */
  distinctKeys: boolean;
  received: number;
  inserted: number;
}

interface UpsertRow {
  received: number;
  distinct_ids: number;
  inserted: number;
  updated: number;
  restored: number;
  conflicts: EmailConflict[];
}

function toResult(row: UpsertRow): UpsertResult {
  return {
    received: row.received,
    inserted: row.inserted,
    // A customer brought back is counted as restored, not as updated, whether or not its values changed.
    updated: row.updated - row.restored,
    unchanged: row.distinct_ids - row.inserted - row.updated - row.conflicts.length,
    duplicates: row.received - row.distinct_ids,
    conflicts: row.conflicts,
    restored: row.restored,
  };
}

@Injectable()
export class CustomerUpsertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the records of staged pages `fromPage..toPage` that are new customers with unclaimed emails,
   * in one statement, when the batch repeats no key. Running `upsertStagedPages` on the same pages
   * afterwards finds those records unchanged and applies the rest exactly as if it had run alone.
   */
  async insertNewStagedPages(
    origin: MergeOrigin,
    fromPage: number,
    toPage: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NewCustomersResult> {
    const [row] = await manager.query(INSERT_NEW_STAGED_PAGES, [
      origin.runId,
      fromPage,
      toPage,
      origin.sourceId,
    ]);
    return { distinctKeys: row.distinct_keys, received: row.received, inserted: row.inserted };
  }

  /** Upserts the records of a run's staged pages `fromPage..toPage` in one statement. */
  async upsertStagedPages(
    origin: MergeOrigin,
    fromPage: number,
    toPage: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UpsertResult> {
    const [row] = await manager.query(UPSERT_STAGED_PAGES, [origin.runId, fromPage, toPage, origin.sourceId]);
    return toResult(row);
  }

  /**
   * Marks deleted every live customer whose id none of the run's staged records carries (valid or not), in one
   * statement: what a full run that read the whole source did not see, the source no longer has.
   */
  async markUnseenDeleted(runId: number, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(MARK_UNSEEN_DELETED, [runId]);
    return row.deleted;
  }
}
