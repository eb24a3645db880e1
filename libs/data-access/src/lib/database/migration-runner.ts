import { DataSource, Migration } from 'typeorm';

/** Any fixed 64-bit number, the same in every process of this system. */
const MIGRATION_LOCK_KEY = 7_340_019_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so that two processes starting at
 * once take turns instead of both creating the same tables; the second finds nothing left to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<Migration[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** True when every migration this build knows has been applied. */
export async function migrationsAreApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
