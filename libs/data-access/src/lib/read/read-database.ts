import { OnModuleDestroy } from '@nestjs/common';
import { Pool, PoolClient, QueryResultRow } from 'pg';
import { ConcurrencyLimit } from './concurrency-limit';
import { DatabaseUnavailableError, asDatabaseUnavailable } from '../database/database-unavailable';

export interface ReadDatabaseOptions {
  url: string;
  /** Connections of the read API's own pool, apart from the pool of ingests, runs and health. */
  poolSize: number;
  /** Milliseconds any read statement may run before the server cancels it. */
  statementTimeoutMs: number;
}

export const READ_DATABASE_OPTIONS = Symbol('READ_DATABASE_OPTIONS');

/** A waiter gets its connection within this long, or the read answers 503 instead of hanging on. */
const CONNECT_TIMEOUT_MS = 2000;

/**
 * The read API's connection pool. It is its own, so that no burst of reads can take the connections an
 * ingest, the run history or `/api/health` need; every statement on it has a timeout; parallel query is
 * off, since on a loaded server helper processes only take CPU from other requests. Substring searches
 * share a quarter of its connections and exports an eighth, so that cheap reads always find one.
 */
export class ReadDatabase implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly statementNames = new Map<string, string>();
  /** Substring searches, whose cost grows with what they match. */
  private readonly searches: ConcurrencyLimit;
  /** Exports, each holding a connection for as long as its client reads. */
  private readonly exports: ConcurrencyLimit;

  constructor(options: ReadDatabaseOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: options.statementTimeoutMs,
      application_name: 'customer-pipeline-read',
      options: '-c max_parallel_workers_per_gather=0',
    });
    // An idle connection that the server drops (a restart) must not crash the process; the next read
    // simply gets a new one.
    this.pool.on('error', () => undefined);
    const share = Math.max(1, Math.floor(options.poolSize / 4));
    // A search may wait for its turn as long as it may then run.
    this.searches = new ConcurrencyLimit({
      kind: 'searches',
      active: share,
      queued: share * 16,
      maxWaitMs: options.statementTimeoutMs,
    });
    const exports = Math.max(1, Math.floor(options.poolSize / 8));
    this.exports = new ConcurrencyLimit({
      kind: 'exports',
      active: exports,
      queued: exports,
      maxWaitMs: CONNECT_TIMEOUT_MS,
    });
  }

  /**
   * Runs one statement as a prepared statement of its own name, so that PostgreSQL parses and plans it
   * once per connection. Errors that mean "not now" become DatabaseUnavailableError.
   */
  async query<T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      return (await client.query<T>({ name: this.statementName(text), text, values })).rows;
    } catch (error) {
      const unavailable = asDatabaseUnavailable(error);
      // A connection the server cut is dropped, not given back to the pool.
      if (unavailable instanceof DatabaseUnavailableError && unavailable.reason === 'unreachable')
        broken = unavailable;
      throw unavailable;
    } finally {
      client.release(broken);
    }
  }

  /** Runs a substring search within the limit of searches at once. */
  search<T>(task: () => Promise<T>): Promise<T> {
    return this.limited(this.searches, task);
  }

  /** Runs an export within the limit of exports at once. */
  export<T>(task: () => Promise<T>): Promise<T> {
    return this.limited(this.exports, task);
  }

  /**
   * A connection of the pool, for a statement that streams; the caller must release it. Not getting one in
   * time means every connection is busy; failing to open one, that the server cannot be reached.
   */
  async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      const unavailable = asDatabaseUnavailable(error);
      if (unavailable instanceof DatabaseUnavailableError) throw unavailable;
      throw new DatabaseUnavailableError('unreachable', 'the database cannot be reached; retry shortly');
    }
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.end();
  }

  private async limited<T>(limit: ConcurrencyLimit, task: () => Promise<T>): Promise<T> {
    try {
      return await limit.run(task);
    } catch (error) {
      throw asDatabaseUnavailable(error);
    }
  }

  private statementName(text: string): string {
    let name = this.statementNames.get(text);
    if (name === undefined) {
      name = `read_${this.statementNames.size + 1}`;
      this.statementNames.set(text, name);
    }
    return name;
  }
}
