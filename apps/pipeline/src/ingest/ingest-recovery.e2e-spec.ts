import { Client } from 'pg';
import request from 'supertest';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { startPipelineProcess } from '../../test/pipeline-process';
import { ScriptedSource, pageOf } from '../../test/scripted-source';

const items = sourceCustomers(300);
const ids = items.map((c) => c['customer_id'] as string).sort();

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met in time');
}

const stagedPages = (url: string) =>
  query<{ pages: number }>(url, 'SELECT count(*)::int AS pages FROM ingest_staged_pages').then(
    (r) => r[0].pages,
  );

describe('ingest recovery (e2e)', () => {
  let source: ScriptedSource;
  /** 30 pages read two at a time: slow enough to interrupt mid-run. */
  const processEnvironment = (databaseUrl: string) => ({
    DATABASE_URL: databaseUrl,
    SOURCE_URL: source.url,
    SOURCE_PAGE_LIMIT: '10',
    INGEST_CONCURRENCY: '2',
  });

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(items, page, limit)).start();
    source.latencyMs = 40;
  });

  afterAll(() => source.stop());

  describe('kill -9 of the pipeline mid-run', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(() => database.drop());

    it('leaves a run that the next ingest resumes, ending equal to the source with nothing refetched', async () => {
      const environment = processEnvironment(database.url);
      const first = await startPipelineProcess(environment);
      const started = (await fetch(`${first.url}/api/ingest?wait=false`, { method: 'POST' }).then((r) =>
        r.json(),
      )) as { run_id: number };
      await waitFor(async () => ((await stagedPages(database.url)) >= 8 ? true : undefined));
      first.child.kill('SIGKILL');
      await first.exited;

      const stagedBefore = await query<{ page: number }>(
        database.url,
        'SELECT page FROM ingest_staged_pages',
      );
      expect(await query(database.url, 'SELECT 1 FROM customers')).toEqual([]);
      source.requests.length = 0;

      const second = await startPipelineProcess(environment);
      try {
        const finished = await fetch(`${second.url}/api/ingest`, { method: 'POST' }).then((r) => r.json());
        expect(finished).toMatchObject({
          status: 'success',
          run_id: started.run_id,
          records_processed: 300,
          failed: 0,
        });
        const refetched = source.requests.filter((page) => stagedBefore.some((s) => s.page === page));
        expect(refetched).toEqual([]);
        const stored = await query<{ customer_id: string }>(
          database.url,
          'SELECT customer_id FROM customers ORDER BY 1',
        );
        expect(stored.map((r) => r.customer_id)).toEqual(ids);
        const [run] = await query<{ resumed_count: number }>(
          database.url,
          `SELECT resumed_count FROM ingest_runs`,
        );
        expect(run.resumed_count).toBe(1);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    }, 60_000);
  });

  describe('SIGTERM or SIGINT during an ingest', () => {
    let database: TestDatabase;

    beforeEach(async () => {
      database = await createTestDatabase();
    });

    afterEach(() => database.drop());

    it.each(['SIGTERM', 'SIGINT'] as const)(
      'on %s stops taking requests, stops within 10 s with exit code 0, the run interrupted and no batch half-applied',
      async (signal) => {
        const environment = processEnvironment(database.url);
        const first = await startPipelineProcess(environment);
        const pending = fetch(`${first.url}/api/ingest`, { method: 'POST' }).then(
          (r) => r.status,
          () => 0,
        );
        await waitFor(async () => ((await stagedPages(database.url)) >= 5 ? true : undefined));

        // Pages now take long to arrive, so the run winds down slowly: no new request may get in meanwhile.
        source.latencyMs = 1500;
        // Once the pages already asked for have arrived, the next ones are 1.5 s away.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const signalled = Date.now();
        first.child.kill(signal);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const lateRequest = await fetch(`${first.url}/api/health`).then(
          (r) => r.status,
          () => 'refused',
        );
        expect(lateRequest).toBe('refused');
        expect(await first.exited).toBe(0);
        source.latencyMs = 40;
        expect(Date.now() - signalled).toBeLessThan(10_000);
        expect(await pending).toBe(503);

        const [run] = await query<{ status: string; error: string }>(
          database.url,
          'SELECT status, error FROM ingest_runs',
        );
        expect(run).toEqual({
          status: 'interrupted',
          error: 'interrupted by shutdown; the next ingest resumes this run',
        });
        expect(await query(database.url, 'SELECT 1 FROM customers')).toEqual([]);

        const second = await startPipelineProcess(environment);
        try {
          const finished = await fetch(`${second.url}/api/ingest`, { method: 'POST' }).then((r) => r.json());
          expect(finished).toMatchObject({ status: 'success', records_processed: 300 });
        } finally {
          second.child.kill('SIGTERM');
          await second.exited;
        }
      },
      60_000,
    );
  });

  describe('the database restarting mid-run', () => {
    let pipeline: PipelineTestApp;

    beforeAll(async () => {
      pipeline = await createPipelineApp({
        SOURCE_URL: source.url,
        SOURCE_PAGE_LIMIT: '10',
        INGEST_CONCURRENCY: '2',
      });
    });

    afterAll(() => pipeline.close());

    it('leaves no half-applied page and a run the next ingest completes', async () => {
      const http = () => request(pipeline.app.getHttpServer());
      const name = new URL(pipeline.database.url).pathname.slice(1);
      const admin = new URL(pipeline.database.url);
      admin.pathname = '/postgres';

      await http().post('/api/ingest?wait=false').expect(202);
      await waitFor(async () => ((await stagedPages(pipeline.database.url)) >= 5 ? true : undefined));
      // What a restart does to the pipeline: every connection it holds is cut, mid-statement.
      await query(
        admin.toString(),
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
      );

      const run = await waitFor(async () => {
        const runs = await query<{ status: string }>(pipeline.database.url, 'SELECT status FROM ingest_runs');
        return runs[0]?.status === 'running' ? undefined : runs[0];
      });
      expect(run.status).toBe('failed');
      expect(await query(pipeline.database.url, 'SELECT 1 FROM customers')).toEqual([]);
      // Every staged page came with its bookkeeping: the run's counters add up to exactly what is staged.
      const [consistency] = await query<{ counted: number; staged: number }>(
        pipeline.database.url,
        `SELECT (SELECT records_processed FROM ingest_runs) AS counted,
                (SELECT coalesce(sum(record_count + failed_count), 0)::int FROM ingest_staged_pages) AS staged`,
      );
      expect(consistency.counted).toBe(consistency.staged);

      const resumed = await http().post('/api/ingest').expect(200);
      expect(resumed.body).toMatchObject({ status: 'success', records_processed: 300 });
      const stored = await query<{ customer_id: string }>(
        pipeline.database.url,
        'SELECT customer_id FROM customers ORDER BY 1',
      );
      expect(stored.map((r) => r.customer_id)).toEqual(ids);
    }, 60_000);
  });
});
