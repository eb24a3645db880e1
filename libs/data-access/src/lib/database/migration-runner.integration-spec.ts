import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '../../testing';
import { MIGRATIONS } from '../../migrations';
import { createDataSourceOptions } from './data-source-options';
import { migrationsAreApplied, runMigrationsExclusively } from './migration-runner';

// Two pipeline processes starting at once on an empty database, as after a deploy of several replicas.
describe('runMigrationsExclusively (PostgreSQL)', () => {
  let database: TestDatabase;
  let processes: DataSource[];

  beforeAll(async () => {
    database = await createTestDatabase();
    processes = [0, 1].map(() => new DataSource(createDataSourceOptions({ url: database.url, poolSize: 2 })));
    await Promise.all(processes.map((dataSource) => dataSource.initialize()));
  });

  afterAll(async () => {
    const initialized = processes?.filter((dataSource) => dataSource.isInitialized) ?? [];
    await Promise.all(initialized.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('lets two processes migrate one fresh database at once: both succeed, the schema is applied once', async () => {
    const applied = await Promise.all(processes.map((dataSource) => runMigrationsExclusively(dataSource)));

    expect(applied.map((migrations) => migrations.length).sort()).toEqual([0, MIGRATIONS.length]);
    const [{ count }] = await processes[0].query('SELECT count(*)::int AS count FROM schema_migrations');
    expect(count).toBe(MIGRATIONS.length);
    for (const dataSource of processes) expect(await migrationsAreApplied(dataSource)).toBe(true);
  });
});
