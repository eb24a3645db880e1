// Jest globalSetup of the projects whose tests need PostgreSQL: a test command run without `npm test`
// (`npx nx affected -t test`, `npx nx test pipeline`, `npx jest ...`) gets its database as `npm test` does.
// DATABASE_URL set here reaches every Jest worker, which starts afterwards.
import { provideSharedTestDatabase } from './with-database.mjs';

export default async function provideTestDatabase() {
  const database = await provideSharedTestDatabase();
  process.env.DATABASE_URL = database.url;
  // Jest's globalTeardown runs in this process and sees the globals its globalSetup left.
  globalThis.testDatabase = database;
}
