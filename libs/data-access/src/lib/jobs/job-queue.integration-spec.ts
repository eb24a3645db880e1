import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '../../testing';
import { createDataSourceOptions } from '../database/data-source-options';
import { JobQueue } from './job-queue';

const QUEUES = ['ingest-run', 'ingest-range', 'ingest-schedule', 'ingest-schedule-incremental'];

/**
 * Pipeline processes starting at once on a fresh database, as an `api` and a `worker` do after
 * `docker compose up`: each starts pg-boss and defines every queue. PostgreSQL once answered one of them
 * "deadlock detected", and that process did not start.
 */
describe('JobQueue started by several processes at once (PostgreSQL)', () => {
  const rounds = 4;
  let databases: TestDatabase[] = [];
  let dataSources: DataSource[] = [];
  let queues: JobQueue[] = [];

  afterEach(async () => {
    await Promise.all(queues.map((queue) => queue.onApplicationShutdown().catch(() => undefined)));
    await Promise.all(dataSources.filter((source) => source.isInitialized).map((source) => source.destroy()));
    await Promise.all(databases.map((database) => database.drop()));
    databases = [];
    dataSources = [];
    queues = [];
  });

  it.each(Array.from({ length: rounds }, (_, round) => round + 1))(
    'round %i: three processes start, and every queue exists once',
    async () => {
      const database = await createTestDatabase();
      databases.push(database);
      dataSources = [0, 1, 2].map(
        () => new DataSource(createDataSourceOptions({ url: database.url, poolSize: 2 })),
      );
      await Promise.all(dataSources.map((source) => source.initialize()));
      queues = dataSources.map((source) => new JobQueue(source, { scheduleCheckSeconds: 30 }));
      await Promise.all(
        queues.map(async (queue) => {
          await queue.onModuleInit();
          for (const name of QUEUES)
            await queue.defineQueue(name, {
              retryLimit: 2,
              retryDelay: 1,
              retryBackoff: false,
              expireInSeconds: 60,
            });
        }),
      );
      const rows: { name: string }[] = await dataSources[0].query(
        'SELECT name FROM pgboss.queue ORDER BY name',
      );
      // pg-boss keeps queues of its own, named __pgboss__...
      const ours = rows.map((row) => row.name).filter((name) => !name.startsWith('__pgboss__'));
      expect(ours).toEqual([...QUEUES].sort());
    },
    60_000,
  );
});
