import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Any fixed 64-bit number, the same in every pipeline process. */
const INGEST_LOCK_KEY = 7_340_019_002;

export interface IngestLock {
  /** Throws when the lock was lost (its connection cut, say by a database restart). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

export class IngestLockLostError extends Error {
  constructor() {
    super('lost the ingest lock (database connection cut); the run resumes from its staged pages');
    this.name = 'IngestLockLostError';
  }
}

/** The advisory lock's key as pg_locks shows it: two 32-bit halves. */
const HELD_BY_ANYONE = `
  SELECT EXISTS (
    SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
      AND ((classid::bigint << 32) | objid::bigint) = $1) AS held`;

/**
 * The run's coordinator holds this lock: a session-level PostgreSQL advisory lock, on a connection of its
 * own for as long as it coordinates. A process that dies loses its connection and with it the lock, so a
 * crash never leaves the pipeline locked, and "nobody holds the lock" means "nobody is coordinating".
 */
@Injectable()
export class IngestLockRepository {
  private readonly logger = new Logger(IngestLockRepository.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether any process holds the lock now: a running run whose lock no one holds is not running. */
  async isHeld(): Promise<boolean> {
    const [{ held }] = await this.dataSource.query(HELD_BY_ANYONE, [INGEST_LOCK_KEY]);
    return held;
  }

  async tryAcquire(): Promise<IngestLock | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [INGEST_LOCK_KEY]);
    if (!locked) {
      await runner.release();
      return null;
    }
    return {
      assertHeld: async () => {
        const held = await runner
          .query(
            `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
               AND ((classid::bigint << 32) | objid::bigint) = $1`,
            [INGEST_LOCK_KEY],
          )
          .then(
            (rows: unknown[]) => rows.length > 0,
            () => false,
          );
        if (!held) throw new IngestLockLostError();
      },
      release: async () => {
        // A connection that was cut has released the lock with it; only the release of the runner matters.
        await runner.query('SELECT pg_advisory_unlock($1)', [INGEST_LOCK_KEY]).catch((error: Error) => {
          this.logger.debug({ error: error.message }, 'ingest lock already gone with its connection');
        });
        await runner.release();
      },
    };
  }
}
