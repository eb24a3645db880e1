import { Injectable } from '@nestjs/common';
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
    super('lost the ingest lock (database connection cut); the next ingest resumes this run');
    this.name = 'IngestLockLostError';
  }
}

/**
 * One ingest at a time across every pipeline process: a session-level PostgreSQL advisory lock, held on
 * a connection of its own for the run's whole life. A process that dies loses its connection and with it
 * the lock, so a crash never leaves the pipeline locked.
 */
@Injectable()
export class IngestLockRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
        await runner.query('SELECT pg_advisory_unlock($1)', [INGEST_LOCK_KEY]).catch(() => undefined);
        await runner.release();
      },
    };
  }
}
