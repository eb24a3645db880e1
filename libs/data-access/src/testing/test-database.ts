import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSourceOptions } from '../lib/database/data-source-options';
import { runMigrationsExclusively } from '../lib/database/migration-runner';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): URL {
  const url = process.env['DATABASE_URL'];
  if (!url)
    throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which provides a database');
  return new URL(url);
}

/** Runs `work` as the server's superuser, on its `postgres` database: outside any app's pool. */
export async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = serverUrl();
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of the test's own on the server named by DATABASE_URL, dropped when the test is done. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = serverUrl();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** A fresh database with the schema applied, and a DataSource on it. */
export async function createMigratedDatabase(): Promise<{ dataSource: DataSource; database: TestDatabase }> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(createDataSourceOptions({ url: database.url, poolSize: 4 }));
  await dataSource.initialize();
  await runMigrationsExclusively(dataSource);
  return { dataSource, database };
}
