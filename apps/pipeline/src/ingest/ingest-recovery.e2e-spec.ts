import request from 'supertest';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp, resetPipelineData } from '../../test/pipeline-app';
import { PipelineProcess, startPipelineProcess } from '../../test/pipeline-process';
import { ScriptedSource, pageOf } from '../../test/scripted-source';
import { queryRows, waitFor } from '../../test/wait-for';

const items = sourceCustomers(300);
const ids = items.map((c) => c['customer_id'] as string).sort();

const stagedPages = (url: string) =>
  queryRows<{ pages: number }>(url, 'SELECT count(*)::int AS pages FROM ingest_staged_pages').then(
    (rows) => rows[0].pages,
  );
const storedIds = (url: string) =>
  queryRows<{ customer_id: string }>(url, 'SELECT customer_id FROM customers ORDER BY 1').then((rows) =>
    rows.map((row) => row.customer_id),
  );
const runOf = (url: string) =>
  queryRows<{ id: number; status: string; error: string | null; resumed_count: number }>(
    url,
    'SELECT id::int, status, error, resumed_count FROM ingest_runs ORDER BY id',
  );

async function stop(process: PipelineProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null) return;
  process.child.kill('SIGTERM');
  await process.exited;
}

/** A run that nobody triggers again ends, on a process that is alive, equal to the source. */
describe('ingest recovery (e2e)', () => {
  let source: ScriptedSource;
  /** 30 pages read two ranges at a time: slow enough to interrupt mid-run; takeovers within a second or two. */
  const engineSettings = () => ({
    SOURCE_URL: source.url,
    SOURCE_PAGE_LIMIT: '10',
    INGEST_CONCURRENCY: '2',
    INGEST_RANGE_PAGES: '2',
    INGEST_JOB_POLL_MS: '100',
    INGEST_HEARTBEAT_MS: '200',
    INGEST_HOLDER_TIMEOUT_MS: '1000',
  });
  const processEnvironment = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, ...engineSettings() });

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(items, page, limit)).start();
    source.latencyMs = 40;
  });

  afterAll(() => source?.stop());

  describe('kill -9 of the only pipeline process mid-run', () => {
    let database: TestDatabase;
    let second: PipelineProcess | undefined;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await stop(second);
      await database?.drop();
    });

    it('shows the run interrupted, and the next process to start finishes it with no new trigger', async () => {
      const environment = processEnvironment(database.url);
      const first = await startPipelineProcess(environment);
      const started = (await fetch(`${first.url}/api/ingest?wait=false`, { method: 'POST' }).then((r) =>
        r.json(),
      )) as { run_id: number };
      await waitFor(async () => ((await stagedPages(database.url)) >= 8 ? true : undefined));
      first.child.kill('SIGKILL');
      await first.exited;

      const stagedBefore = await queryRows<{ page: number }>(
        database.url,
        'SELECT page FROM ingest_staged_pages',
      );
      expect(await storedIds(database.url)).toEqual([]);
      source.requests.length = 0;

      // A process that does not run jobs sees the run for what it is: nobody holds it.
      const reader = await startPipelineProcess({ ...environment, PIPELINE_ROLE: 'api' });
      try {
        // PostgreSQL frees the dead process's lock once its backend notices the closed connection: at
        // once when idle, after its statement when it was merging.
        const shown = await waitFor(async () => {
          const run = (await fetch(`${reader.url}/api/ingest/runs/${started.run_id}`).then((r) =>
            r.json(),
          )) as { status: string };
          return run.status === 'running' ? undefined : run;
        });
        expect(shown).toMatchObject({ id: started.run_id, status: 'interrupted' });
        const health = (await fetch(`${reader.url}/api/health`).then((r) => r.json())) as {
          last_run: unknown;
        };
        expect(health.last_run).toMatchObject({ id: started.run_id, status: 'interrupted' });
      } finally {
        await stop(reader);
      }

      second = await startPipelineProcess(environment);
      const run = await waitFor(async () => {
        const [row] = await runOf(database.url);
        return row.status === 'success' ? row : undefined;
      });
      expect(run).toMatchObject({ id: started.run_id, resumed_count: 1 });
      // Page 1 alone is read again, to see that the source still serves what is staged.
      expect(source.requests.filter((page) => stagedBefore.some((s) => s.page === page))).toEqual([1]);
      expect(await storedIds(database.url)).toEqual(ids);
    }, 60_000);
  });

  describe('SIGTERM or SIGINT during an ingest', () => {
    let database: TestDatabase;
    let second: PipelineProcess | undefined;

    beforeEach(async () => {
      database = await createTestDatabase();
    });

    afterEach(async () => {
      await stop(second);
      await database?.drop();
    });

    it.each(['SIGTERM', 'SIGINT'] as const)(
      'on %s stops taking requests, exits 0 within 10 s, hands the run back with nothing half-applied, and the next process finishes it',
      async (signal) => {
        const environment = processEnvironment(database.url);
        const first = await startPipelineProcess(environment);
        const pending = fetch(`${first.url}/api/ingest`, { method: 'POST' }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { run_id?: number } }),
          () => ({ status: 0, body: {} as { run_id?: number } }),
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
        const answer = await pending;
        expect(answer.status).toBe(503);
        expect(answer.body.run_id).toEqual(expect.any(Number));

        const [run] = await runOf(database.url);
        expect(run).toMatchObject({
          id: answer.body.run_id,
          status: 'queued',
          error: 'interrupted by shutdown; the run continues in the next pipeline process to take it',
        });
        expect(await storedIds(database.url)).toEqual([]);

        second = await startPipelineProcess(environment);
        await waitFor(async () => ((await runOf(database.url))[0].status === 'success' ? true : undefined));
        expect(await storedIds(database.url)).toEqual(ids);
      },
      60_000,
    );
  });

  describe('the database restarting mid-run', () => {
    let pipeline: PipelineTestApp;

    beforeAll(async () => {
      // A range whose staging transaction the restart cuts fails its job; pg-boss retries it, as it does in
      // production. (The test app's default of no range retries would fail the run instead.)
      pipeline = await createPipelineApp({ ...engineSettings(), INGEST_RANGE_RETRIES: '5' });
    });

    afterAll(() => pipeline?.close());

    it('leaves no half-applied page, and the run ends equal to the source with no new trigger', async () => {
      const http = () => request(pipeline.app.getHttpServer());
      const name = new URL(pipeline.database.url).pathname.slice(1);
      const admin = new URL(pipeline.database.url);
      admin.pathname = '/postgres';

      const started = await http().post('/api/ingest?wait=false').expect(202);
      await waitFor(async () => ((await stagedPages(pipeline.database.url)) >= 5 ? true : undefined));
      // What a restart does to the pipeline: every connection it holds is cut, mid-statement.
      await queryRows(
        admin.toString(),
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      expect(await storedIds(pipeline.database.url)).toEqual([]);

      const run = await waitFor(async () => {
        const [row] = await runOf(pipeline.database.url);
        return row.status === 'success' ? row : undefined;
      });
      expect(run.id).toBe(started.body.run_id);
      expect(await storedIds(pipeline.database.url)).toEqual(ids);
      // Every page was staged once with its bookkeeping, whoever staged it: the counters add up.
      const [counted] = await queryRows<{ records_processed: number; records_inserted: number }>(
        pipeline.database.url,
        'SELECT records_processed, records_inserted FROM ingest_runs',
      );
      expect(counted).toEqual({ records_processed: 300, records_inserted: 300 });
    }, 60_000);

    it('answers a waiting trigger 503 while the database is unreachable; the run is never failed, and goes on', async () => {
      const http = () => request(pipeline.app.getHttpServer());
      const name = new URL(pipeline.database.url).pathname.slice(1);
      const admin = new URL(pipeline.database.url);
      admin.pathname = '/postgres';
      await resetPipelineData(pipeline.dataSource);

      const waiting = http()
        .post('/api/ingest')
        .then((response) => response);
      await waitFor(async () => ((await stagedPages(pipeline.database.url)) >= 5 ? true : undefined));
      await queryRows(admin.toString(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      let answer;
      try {
        await queryRows(
          admin.toString(),
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
        answer = await waiting;
      } finally {
        await queryRows(admin.toString(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      }
      expect(answer.status).toBe(503);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(answer.body.message).toMatch(/^the database cannot be reached/);

      const seen = new Set<string>();
      const run = await waitFor(async () => {
        const [latest] = (await http().get('/api/ingest/runs?limit=1').expect(200)).body.data;
        seen.add(latest.status);
        return latest.status === 'success' || latest.status === 'failed' ? latest : undefined;
      });
      expect(seen).not.toContain('failed');
      expect(run.records_processed).toBe(300);
      expect(await storedIds(pipeline.database.url)).toEqual(ids);
    }, 60_000);
  });
});
