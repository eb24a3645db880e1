import { Injectable } from '@nestjs/common';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { CustomerSummary, CustomerSummaryListener } from './customer-summary.listener';
import { FilteredPageCache } from './filtered-page-cache';
import { ReadDatabase } from './read-database';

export interface CustomerFilter {
  /** Case-insensitive substring of first name, last name or email. */
  search?: string;
  /** Exact email, compared case-insensitively as the unique index does. */
  email?: string;
  /** Only the customers this run last changed (inserted, updated, deleted or restored). */
  lastRunId?: number;
  /** Deleted customers too, each with its `deleted_at`; without it, reads see live customers only. */
  includeDeleted?: boolean;
}

export interface CustomerPageQuery extends CustomerFilter {
  limit: number;
  /** Rows to skip (offset paging); ignored when `after` is given. */
  offset: number;
  /** Only customers whose customer_id sorts after this one (keyset paging). */
  after?: string;
}

export interface CustomerPage {
  /** The page's customers in the wire format, as the text of one JSON array. */
  json: string;
  rows: number;
  /** customer_id of the page's last customer, null on an empty page. */
  lastId: string | null;
  /** Whether any customer follows this page. */
  hasMore: boolean;
  /** Customers matching the filter, on all pages. */
  total: number;
  /** Data version the page was read at. */
  version: number;
}

/**
 * A stored customer exactly as the source serves it: `YYYY-MM-DD` dates, a number for the balance and the
 * timestamp as JavaScript's `toISOString()` writes it. PostgreSQL writes the JSON, so the service never
 * builds an object per customer.
 */
const LIVE_COLUMNS = `c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.address,
  to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, c.account_balance::float8 AS account_balance,
  to_char(c.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(c.source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;
/** With deleted customers, each says when it was found deleted (null while live). */
const ALL_COLUMNS = `${LIVE_COLUMNS},
  to_char(c.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS deleted_at`;
const WIRE_COLUMNS = LIVE_COLUMNS;
/** Readers see live customers only, unless they ask for deleted ones too. */
const LIVE = 'c.deleted_at IS NULL';

/** The expression of the trigram index `customers_search_trgm` (see the ReadModel migration), verbatim. */
const SEARCHABLE = `(c.first_name || E'\\x01' || c.last_name || E'\\x01' || c.email)`;
/** A search text holding U+0001 could match across the joined fields: it is checked field by field. */
const FIELD_SEPARATOR = '\x01';
const INDEXED_MATCH = (n: number) => `${SEARCHABLE} ILIKE $${n}`;
/**
 * The same test in a form the index cannot serve, so that the planner walks customer_id. In a database of a
 * multibyte encoding ILIKE is `lower()` of both sides and LIKE, so this is the same test, written out: it
 * costs a fifth less per walked row than ILIKE of the joined text, which costs half of three ILIKEs of its
 * parts. The pattern is a subquery so that no plan sees its value: every plan then costs the same, and
 * PostgreSQL keeps one instead of planning each search again (a tenth of its time).
 */
const WALKED_MATCH = (n: number) => `lower(${SEARCHABLE}) LIKE (SELECT lower($${n}::text))`;
/** Field by field: for a search text holding the separator. */
const FIELD_MATCH = (n: number) =>
  `(c.first_name ILIKE $${n} OR c.last_name ILIKE $${n} OR c.email ILIKE $${n})`;
const EMAIL_MATCH = (n: number) => `lower(c.email) = lower($${n})`;
const LAST_RUN_MATCH = (n: number) => `c.last_run_id = $${n}::bigint`;

/**
 * Wraps the statement that selects a page (with one row more than the limit, `$1` unless it is written in)
 * into one row: the page as JSON text, its size and last id, whether more follows, and the summary of the
 * same snapshot.
 */
const PAGE_OF = (rows: string, limit: number | '$1' = '$1') => `
  SELECT s.total::float8 AS table_total, s.version::float8 AS version, p.*
  FROM customer_summary s CROSS JOIN LATERAL (
    SELECT '[' || coalesce(string_agg(row_to_json(x.w)::text, ',' ORDER BY x.n) FILTER (WHERE x.n <= ${limit}), '') || ']' AS json,
           count(*) FILTER (WHERE x.n <= ${limit})::int AS rows,
           max((x.w).customer_id) FILTER (WHERE x.n <= ${limit}) AS last_id,
           count(*) > ${limit} AS has_more
    FROM (SELECT w, row_number() OVER (ORDER BY w.customer_id) AS n FROM (${rows}) w) x
  ) p`;

/**
 * The statement `build` writes for each limit, written once. The hot pages have their limit written in: with
 * `LIMIT $1` PostgreSQL cannot cost a generic plan, so it plans the statement again on every execution, which
 * was half of a page 1's server time; with the number written in, it reuses one plan.
 */
function perLimit(build: (limit: number) => string): (limit: number) => string {
  const statements = new Map<number, string>();
  return (limit) => {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a page limit must be a positive integer`);
    let statement = statements.get(limit);
    if (statement === undefined) statements.set(limit, (statement = build(limit)));
    return statement;
  };
}

/** Offset paging of the whole table: from the nearest anchor at or before the offset, never further. */
const NEAREST_ANCHOR = `FROM customer_id_anchors WHERE position <= $2 ORDER BY position DESC LIMIT 1`;
const TABLE_PAGE = PAGE_OF(`
  SELECT ${WIRE_COLUMNS} FROM customers c
  WHERE c.customer_id >= (SELECT customer_id ${NEAREST_ANCHOR}) AND ${LIVE}
  ORDER BY c.customer_id OFFSET $2 - (SELECT position ${NEAREST_ANCHOR}) LIMIT $1 + 1`);

/** The first page of the table: the start of the primary key. */
const TABLE_FIRST_PAGE = perLimit((limit) =>
  PAGE_OF(
    `SELECT ${WIRE_COLUMNS} FROM customers c WHERE ${LIVE} ORDER BY c.customer_id LIMIT ${limit + 1}`,
    limit,
  ),
);

/** A keyset page of the table, after the customer_id `$1`. */
const TABLE_PAGE_AFTER = perLimit((limit) =>
  PAGE_OF(
    `SELECT ${WIRE_COLUMNS} FROM customers c WHERE c.customer_id > $1 AND ${LIVE}
     ORDER BY c.customer_id LIMIT ${limit + 1}`,
    limit,
  ),
);

/** A filtered page by walking customer_id until enough match: cheap when matches are common. */
const FILTERED_WALK = (match: string, columns: string) =>
  PAGE_OF(`
  SELECT ${columns} FROM customers c WHERE c.customer_id > $2 AND ${match}
  ORDER BY c.customer_id OFFSET $3 LIMIT $1 + 1`);

/**
 * The first page of a filter by walking customer_id after `$1`, its limit written in and no offset, so that
 * PostgreSQL keeps one plan for it (see `perLimit`); the filter's own parameters follow from `$2`.
 */
const FIRST_FILTERED_WALK = (match: string, columns: string, limit: number) =>
  PAGE_OF(
    `SELECT ${columns} FROM customers c WHERE c.customer_id > $1 AND ${match}
     ORDER BY c.customer_id LIMIT ${limit + 1}`,
    limit,
  );

/** A filtered page from the trigram index: every match is found, then sorted; cheap when matches are rare. */
const INDEXED_SEARCH_PAGE = (match: string, columns: string) =>
  PAGE_OF(`
  WITH matches AS MATERIALIZED (
    SELECT c.customer_id FROM customers c WHERE c.customer_id > $2 AND ${match}
  )
  SELECT ${columns}
  FROM (SELECT customer_id FROM matches ORDER BY customer_id OFFSET $3 LIMIT $1 + 1) m
  JOIN customers c USING (customer_id)`);

const COUNT = (match: string) => `
  SELECT s.version::float8 AS version, s.total::float8 AS table_total, f.total
  FROM customer_summary s, (SELECT count(*)::float8 AS total FROM customers c WHERE ${match}) f`;

/** One customer, with where it came from: its source and the run that last changed it. */
const BY_ID = `
  SELECT s.version::float8 AS version,
         (SELECT row_to_json(w)::text FROM (
            SELECT ${ALL_COLUMNS}, src.kind AS source_kind, src.location AS source_location,
                   c.last_run_id::float8 AS last_run_id
            FROM customers c LEFT JOIN ingest_sources src ON src.id = c.source_id
            WHERE c.customer_id = $1 AND ($2 OR ${LIVE})) w) AS json
  FROM customer_summary s`;

export type ExportFormat = 'ndjson' | 'csv';

/**
 * COPY writes what PostgreSQL produces straight to the socket. NDJSON is one JSON text per line: CSV with a
 * quote and a delimiter that JSON text never holds raw (it escapes every control character) writes each line
 * exactly as PostgreSQL built it, where the text format would double its backslashes.
 */
const EXPORT_OF: Record<ExportFormat, (condition: string, columns: string) => string> = {
  ndjson: (condition, columns) => `COPY (
      SELECT row_to_json(w)::text FROM (
        SELECT ${columns} FROM customers c WHERE ${condition} ORDER BY c.customer_id) w
    ) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`,
  csv: (condition, columns) => `COPY (
      SELECT ${columns} FROM customers c WHERE ${condition} ORDER BY c.customer_id
    ) TO STDOUT WITH (FORMAT csv, HEADER true)`,
};

const SUMMARY = 'SELECT total::float8 AS total, version::float8 AS version FROM customer_summary';

/** What one match served from the trigram index costs, in rows walked along customer_id. */
const INDEXED_ROW_COST = 10;

/** Filtered totals kept per data version; the oldest goes first beyond this many filters. */
const CACHED_TOTALS = 1000;

/**
 * Pages of searches kept per data version: at most this many, none of more than 64K characters of JSON
 * (a page of 100 customers is about 30K), so at most about 16 MB.
 */
const CACHED_SEARCH_PAGES = { entries: 256, maxPageChars: 65_536 };

interface FilteredTotal {
  version: number;
  /** Customers in the whole table at that version. */
  tableTotal: number;
  total: number;
}

interface PageRow {
  table_total: number;
  version: number;
  json: string;
  rows: number;
  last_id: string | null;
  has_more: boolean;
}

/** A filter as SQL, with its parameters numbered from `first` on. */
interface FilterPlan {
  key: string;
  count(first: number): string;
  walk(first: number): string;
  values: (string | number)[];
  /**
   * At most one live customer matches (the unique index of live emails finds it): the first page is its own
   * exact total. Any other filter is counted over many rows, and limited as a costly query.
   */
  unique: boolean;
  /** Set when the trigram index can serve the search. */
  indexed: boolean;
  /** Which customers are seen (`LIVE`, or all), and the columns they are written with. */
  visible: string;
  columns: string;
}

/** LIKE treats % and _ as wildcards; a user searching for "a_b" means those characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The conditions of a filter, each taking the parameter number it is given, and their values. */
interface Conditions {
  count: ((n: number) => string)[];
  walk: ((n: number) => string)[];
  values: (string | number)[];
}

/** ANDs conditions whose parameters are numbered in turn from `first`. */
function joined(conditions: ((n: number) => string)[], first: number, visible: string): string {
  return [...conditions.map((condition, i) => condition(first + i)), visible].join(' AND ');
}

function filterPlan(filter: CustomerFilter): FilterPlan | undefined {
  const { email, search, lastRunId, includeDeleted = false } = filter;
  if (email === undefined && search === undefined && lastRunId === undefined && !includeDeleted)
    return undefined;
  const key = JSON.stringify([email ?? null, search ?? null, lastRunId ?? null, includeDeleted]);
  const conditions: Conditions = { count: [], walk: [], values: [] };
  const add = (count: (n: number) => string, walk: (n: number) => string, value: string | number) => {
    conditions.count.push(count);
    conditions.walk.push(walk);
    conditions.values.push(value);
  };
  // At most one customer has the email: the unique index finds it, and a search only tests that row.
  if (email !== undefined) add(EMAIL_MATCH, EMAIL_MATCH, email);
  if (lastRunId !== undefined) add(LAST_RUN_MATCH, LAST_RUN_MATCH, lastRunId);
  // The unique index of live emails finds the one customer; any other filter (a search, a run, deleted
  // customers too) has its total counted over many rows: it is limited as a costly query.
  const byEmail = email !== undefined && !includeDeleted;
  const indexed = search !== undefined && !byEmail && !search.includes(FIELD_SEPARATOR);
  if (search !== undefined) {
    if (indexed) add(INDEXED_MATCH, WALKED_MATCH, likePattern(search));
    else add(FIELD_MATCH, FIELD_MATCH, likePattern(search));
  }
  const visible = includeDeleted ? 'true' : LIVE;
  return {
    key,
    count: (first) => joined(conditions.count, first, visible),
    walk: (first) => joined(conditions.walk, first, visible),
    values: conditions.values,
    unique: byEmail,
    indexed,
    visible,
    columns: includeDeleted ? ALL_COLUMNS : LIVE_COLUMNS,
  };
}

@Injectable()
export class CustomerReadRepository {
  private readonly totals = new Map<string, FilteredTotal>();
  private readonly firstWalks = new Map<string, string>();
  private readonly searchPages = new FilteredPageCache<CustomerPage>(CACHED_SEARCH_PAGES);

  constructor(
    private readonly database: ReadDatabase,
    private readonly listener: CustomerSummaryListener,
  ) {}

  /** The summary as this process last heard it, or undefined when it cannot be sure without asking. */
  knownSummary(): CustomerSummary | undefined {
    return this.listener.current();
  }

  async summary(): Promise<CustomerSummary> {
    const known = this.listener.current();
    if (known) return known;
    const [row] = await this.database.query<CustomerSummary>(SUMMARY, []);
    return row;
  }

  /**
   * The customer as wire-format JSON text with its lineage (null when there is none, or when it is deleted
   * and deleted ones are not asked for), and the data version read.
   */
  async findById(
    customerId: string,
    includeDeleted = false,
  ): Promise<{ json: string | null; version: number }> {
    const [row] = await this.database.query<{ json: string | null; version: number }>(BY_ID, [
      customerId,
      includeDeleted,
    ]);
    return row;
  }

  async findPage(query: CustomerPageQuery): Promise<CustomerPage> {
    const plan = filterPlan(query);
    if (!plan) return this.tablePage(query);
    if (plan.unique) return this.filteredPage(query, plan);
    const key = JSON.stringify([plan.key, query.limit, query.offset, query.after ?? null]);
    return this.searchPages.get(key, this.listener.current()?.version, () =>
      this.database.search(() => this.filteredPage(query, plan)),
    );
  }

  /**
   * Streams every customer matching the filter into `sink`, in customer_id order, from one snapshot, with
   * back-pressure: memory stays bounded whatever the table's size or the client's pace. The statement has
   * no timeout (it lasts as long as the client reads); exports are limited in number instead. A client
   * that goes away ends the statement, since its connection is closed.
   */
  async export(
    format: ExportFormat,
    filter: CustomerFilter,
    sink: Writable,
    beforeFirstByte: () => void,
  ): Promise<void> {
    await this.database.export(async () => {
      const client = await this.database.connect();
      try {
        const plan = filterPlan(filter);
        // COPY takes no parameters: the filter's values go in as escaped literals.
        const condition = plan
          ? plan
              .count(1)
              .replace(/\$(\d+)/g, (_, n: string) => client.escapeLiteral(String(plan.values[Number(n) - 1])))
          : LIVE;
        await client.query('BEGIN READ ONLY');
        await client.query('SET LOCAL statement_timeout = 0');
        await pipeline(
          client.query(copyTo(EXPORT_OF[format](condition, plan?.columns ?? LIVE_COLUMNS))),
          feeding(sink, beforeFirstByte),
        );
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        // The connection may be mid-COPY: it is closed, not given back to the pool.
        client.release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    });
  }

  private async tablePage(query: CustomerPageQuery): Promise<CustomerPage> {
    const known = this.listener.current();
    if (query.after === undefined && known && query.offset >= known.total)
      return emptyPage(known, known.total);
    const row = await this.one(...tableStatement(query));
    return toPage(row, row.table_total);
  }

  private async filteredPage(query: CustomerPageQuery, plan: FilterPlan): Promise<CustomerPage> {
    if (plan.unique && query.after === undefined && query.offset === 0) {
      const row = await this.one(this.firstWalk(plan, query.limit), ['', ...plan.values]);
      return toPage(row, row.rows);
    }
    for (;;) {
      const counted = await this.filteredTotal(plan);
      const after = query.after ?? '';
      const offset = query.after === undefined ? query.offset : 0;
      if (counted.total === 0 || offset >= counted.total) return emptyPage(counted, counted.total);
      const row =
        offset === 0 && this.walks(plan, counted, query.limit)
          ? await this.one(this.firstWalk(plan, query.limit), [after, ...plan.values])
          : await this.one(this.pageStatement(plan, counted, offset + query.limit), [
              query.limit,
              after,
              offset,
              ...plan.values,
            ]);
      // A run committed between the count and the page (or before it, and its notification is on the
      // way): count again, at the page's version, rather than trust the count heard of.
      if (row.version === counted.version) return toPage(row, counted.total);
      this.totals.delete(plan.key);
    }
  }

  /**
   * Walking customer_id visits about `reach * table / matches` rows to collect `reach` matches; the index
   * visits every match once, but each on a heap page of its own, about ten times the cost of a walked row
   * (measured at 1,000,000 customers: 11 µs against 1.1 µs). Whichever costs less serves the page, so that
   * no page of 10 costs more than about 1,000 matches' worth at a million customers.
   */
  private walks(plan: FilterPlan, counted: FilteredTotal, reach: number): boolean {
    const walked = (reach * counted.tableTotal) / counted.total;
    return !plan.indexed || walked <= INDEXED_ROW_COST * counted.total;
  }

  private pageStatement(plan: FilterPlan, counted: FilteredTotal, reach: number): string {
    return this.walks(plan, counted, reach)
      ? FILTERED_WALK(plan.walk(4), plan.columns)
      : INDEXED_SEARCH_PAGE(plan.count(4), plan.columns);
  }

  /**
   * The statement of a filter's first page by walking, written once per filter shape and limit: a few
   * filters (which of email, search, run and deleted) times the hundred limits at most.
   */
  private firstWalk(plan: FilterPlan, limit: number): string {
    const match = plan.walk(2);
    const key = `${limit}\n${plan.columns}\n${match}`;
    let statement = this.firstWalks.get(key);
    if (statement === undefined) {
      statement = FIRST_FILTERED_WALK(match, plan.columns, limit);
      this.firstWalks.set(key, statement);
    }
    return statement;
  }

  /** The filter's exact total, counted once per data version. */
  private async filteredTotal(plan: FilterPlan): Promise<FilteredTotal> {
    const cached = this.totals.get(plan.key);
    if (cached && cached.version === (await this.summary()).version) return cached;
    const [row] = await this.database.query<{ version: number; table_total: number; total: number }>(
      COUNT(plan.count(1)),
      plan.values,
    );
    const counted = { version: row.version, tableTotal: row.table_total, total: row.total };
    this.totals.delete(plan.key);
    this.totals.set(plan.key, counted);
    if (this.totals.size > CACHED_TOTALS) this.totals.delete(this.totals.keys().next().value as string);
    return counted;
  }

  private async one(text: string, values: unknown[]): Promise<PageRow> {
    const [row] = await this.database.query<PageRow>(text, values);
    return row;
  }
}

/**
 * A stream that passes what it is given on to `sink`, with its back-pressure, and calls `beforeFirstByte`
 * just before the first byte (or at the end, when there is none). Unlike piping into `sink` itself, an error
 * before that byte leaves `sink` untouched, so that it can still answer with an error status; and a sink
 * that closes early (the client went away) ends the copy instead of leaving it waiting for a drain.
 */
function feeding(sink: Writable, beforeFirstByte: () => void): Writable {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    beforeFirstByte();
  };
  const feed = new Writable({
    write(chunk: Buffer, _encoding, done) {
      start();
      if (sink.write(chunk)) done();
      else sink.once('drain', () => done());
    },
    final(done) {
      start();
      sink.end(() => done());
    },
  });
  const closedEarly = () => {
    if (!sink.writableFinished) feed.destroy(new Error('the client closed the connection during the export'));
  };
  sink.once('close', closedEarly);
  feed.once('close', () => sink.off('close', closedEarly));
  return feed;
}

/** The statement of an unfiltered page, and its values: by keyset, the first page, or from an anchor. */
function tableStatement(query: CustomerPageQuery): [string, unknown[]] {
  if (query.after !== undefined) return [TABLE_PAGE_AFTER(query.limit), [query.after]];
  if (query.offset === 0) return [TABLE_FIRST_PAGE(query.limit), []];
  return [TABLE_PAGE, [query.limit, query.offset]];
}

function emptyPage(summary: { version: number }, total: number): CustomerPage {
  return { json: '[]', rows: 0, lastId: null, hasMore: false, total, version: summary.version };
}

function toPage(row: PageRow, total: number): CustomerPage {
  return {
    json: row.json,
    rows: row.rows,
    lastId: row.last_id,
    hasMore: row.has_more,
    total,
    version: row.version,
  };
}
