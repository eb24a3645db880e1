import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import {
  ScriptedPipeline,
  createPipelineApp,
  createScriptedPipeline,
  resetPipelineData,
} from '../../test/pipeline-app';
import { PageAnswer, pageOf } from '../../test/scripted-source';

type Answer = (page: number, limit: number) => PageAnswer;

/** The ingest engine's guarantees, each against a scripted source and a real database. */
describe('ingest engine (e2e)', () => {
  let answer: Answer;
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const serve =
    (items: unknown[]): Answer =>
    (page, limit) =>
      pageOf(items, page, limit);
  const storedIds = async () =>
    (await pipeline.dataSource.query('SELECT customer_id FROM customers ORDER BY customer_id')).map(
      (row: { customer_id: string }) => row.customer_id,
    );
  const idsOf = (items: Record<string, unknown>[]) => items.map((c) => c['customer_id'] as string).sort();

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => answer(page, limit), {
      SOURCE_PAGE_LIMIT: '5',
      SOURCE_RETRIES: '3',
      INGEST_CONCURRENCY: '3',
      // Ranges of two pages: enough of them for three at a time to show.
      INGEST_RANGE_PAGES: '2',
    });
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    pipeline.source.requests.length = 0;
    pipeline.source.arrivals.length = 0;
    pipeline.source.peakConcurrency = 0;
    pipeline.source.latencyMs = 0;
    await resetPipelineData(pipeline.dataSource);
  });

  it('fetches pages concurrently, never more than INGEST_CONCURRENCY at once', async () => {
    const items = sourceCustomers(60);
    answer = serve(items);
    pipeline.source.latencyMs = 30;
    await http().post('/api/ingest').expect(200);
    expect(pipeline.source.peakConcurrency).toBe(3);
    // 12 pages announced; the 12th is full, so one more request checks that nothing follows.
    expect([...pipeline.source.requests].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 13 }, (_, i) => i + 1),
    );
    expect(await storedIds()).toEqual(idsOf(items));
  });

  it('retries 5xx and network-level failures and still ends equal to the source, counting retries', async () => {
    const items = sourceCustomers(40);
    const failuresLeft = new Map([
      [2, 2],
      [5, 1],
      [7, 3],
    ]);
    answer = (page, limit) => {
      const left = failuresLeft.get(page) ?? 0;
      if (left === 0) return pageOf(items, page, limit);
      failuresLeft.set(page, left - 1);
      return { status: page === 5 ? 503 : 500, body: { message: 'flaky' } };
    };
    const response = await http().post('/api/ingest').expect(200);
    expect(response.body).toMatchObject({ records_processed: 40, inserted: 40 });
    expect(await storedIds()).toEqual(idsOf(items));
    const run = await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200);
    expect(run.body.retries).toBe(6);
  });

  it('honours Retry-After on a 429', async () => {
    let limited = false;
    answer = (page, limit) => {
      if (page === 2 && !limited) {
        limited = true;
        return { status: 429, body: {}, headers: { 'retry-after': '1' } };
      }
      return pageOf(sourceCustomers(10), page, limit);
    };
    await http().post('/api/ingest').expect(200);
    const page2 = pipeline.source.requests.flatMap((page, i) =>
      page === 2 ? [pipeline.source.arrivals[i]] : [],
    );
    expect(page2).toHaveLength(2);
    expect(page2[1] - page2[0]).toBeGreaterThanOrEqual(950);
  });

  it('fails at once, without retrying, on a 4xx other than 408 and 429', async () => {
    answer = (page, limit) =>
      page === 2 ? { status: 404, body: {} } : pageOf(sourceCustomers(10), page, limit);
    const response = await http().post('/api/ingest').expect(502);
    expect(response.body.message).toBe('source answered HTTP 404 for page 2');
    expect(pipeline.source.requests.filter((page) => page === 2)).toHaveLength(1);
  });

  it('does not follow a redirect: it fails the run at once, naming the status', async () => {
    answer = (page, limit) =>
      page === 2
        ? { status: 301, body: {}, headers: { location: '/elsewhere' } }
        : pageOf(sourceCustomers(10), page, limit);
    const response = await http().post('/api/ingest').expect(502);
    expect(response.body.message).toBe('source answered HTTP 301 for page 2');
    expect(pipeline.source.requests.filter((page) => page === 2)).toHaveLength(1);
  });

  it('resumes a failed run without refetching its staged pages and ends equal to the source', async () => {
    const items = sourceCustomers(30);
    let down = true;
    answer = (page, limit) => (down && page === 4 ? { status: 503, body: {} } : pageOf(items, page, limit));
    const failed = await http().post('/api/ingest').expect(502);
    expect(await storedIds()).toEqual([]);

    const firstAttempt = new Set(pipeline.source.requests.filter((page) => page !== 4));
    pipeline.source.requests.length = 0;
    const betweenAttempts = new Date().toISOString();
    down = false;
    const resumed = await http().post('/api/ingest').expect(200);

    // Page 1 alone is read again, to check that the source still serves what the staged pages hold.
    expect(pipeline.source.requests.filter((page) => firstAttempt.has(page))).toEqual([1]);
    expect(await storedIds()).toEqual(idsOf(items));
    const run = await http().get(`/api/ingest/runs/${resumed.body.run_id}`).expect(200);
    expect(failed.body.run_id).toEqual(expect.any(Number));
    expect(run.body).toMatchObject({
      id: failed.body.run_id,
      status: 'success',
      resumed_count: 1,
      records_processed: 30,
      records_inserted: 30,
    });
    // The data it applied was read over both attempts, and the run says over which span.
    expect(run.body.read_started_at < betweenAttempts).toBe(true);
    expect(run.body.read_finished_at > betweenAttempts).toBe(true);
    expect(run.body.finished_at >= run.body.read_finished_at).toBe(true);
  });

  it('starts exactly one run for 10 concurrent triggers; the others get 409 naming it', async () => {
    answer = serve(sourceCustomers(20));
    pipeline.source.latencyMs = 50;
    const responses = await Promise.all(Array.from({ length: 10 }, () => http().post('/api/ingest')));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.status === 200)?.body.run_id;
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expect(conflict.body).toMatchObject({ statusCode: 409, error: 'Conflict', run_id: winner });
    }
    expect((await http().get('/api/ingest/runs').expect(200)).body.total).toBe(1);
  });

  it('merges complete ranges of pages while later ones are still read, showing readers nothing until the end', async () => {
    const items = sourceCustomers(400);
    answer = serve(items);
    pipeline.source.latencyMs = 20;
    const started = await http().post('/api/ingest?wait=false').expect(202);
    const runState = async () =>
      (
        await pipeline.dataSource.query('SELECT status, phase, pages_merged FROM ingest_runs WHERE id = $1', [
          started.body.run_id,
        ])
      )[0] as { status: string; phase: string; pages_merged: number };

    const goingOn = (status: string) => status === 'queued' || status === 'running';
    let state = await runState();
    while (goingOn(state.status) && state.pages_merged < 50) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      state = await runState();
    }
    // 80 pages of 5: the first 50 are in the (uncommitted) merge while the rest are still being fetched.
    expect(state).toEqual({ status: 'running', phase: 'fetching', pages_merged: 50 });
    expect((await http().get('/api/customers').expect(200)).body.total).toBe(0);

    while (goingOn(state.status)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = await runState();
    }
    expect(state.status).toBe('success');
    expect(await storedIds()).toEqual(idsOf(items));
  });

  it('shows the pages merged while reading when the final merge starts, however slow that merge was', async () => {
    answer = serve(sourceCustomers(400));
    // Every merge statement takes a second: the whole source is read while the first 50 pages merge.
    // Each change of phase is logged with the pages merged it showed.
    await pipeline.dataSource.query(`
      CREATE FUNCTION slow_statement() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
      CREATE TRIGGER slow_merge AFTER INSERT OR UPDATE ON customers EXECUTE FUNCTION slow_statement();
      CREATE TABLE phase_log (phase text, pages_merged int);
      CREATE FUNCTION log_phase() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN INSERT INTO phase_log VALUES (NEW.phase, NEW.pages_merged); RETURN NULL; END $$;
      CREATE TRIGGER log_phase AFTER UPDATE OF phase ON ingest_runs FOR EACH ROW
        WHEN (OLD.phase IS DISTINCT FROM NEW.phase) EXECUTE FUNCTION log_phase();`);
    try {
      await http().post('/api/ingest').expect(200);
      const log = await pipeline.dataSource.query('SELECT phase, pages_merged FROM phase_log');
      expect(log).toContainEqual({ phase: 'merging', pages_merged: 50 });
    } finally {
      await pipeline.dataSource.query(`
        DROP TRIGGER slow_merge ON customers; DROP FUNCTION slow_statement();
        DROP TRIGGER log_phase ON ingest_runs; DROP FUNCTION log_phase(); DROP TABLE phase_log;`);
    }
  });

  it('answers 202 at once with wait=false, and shows live progress until the run succeeds', async () => {
    answer = serve(sourceCustomers(50));
    pipeline.source.latencyMs = 60;
    const started = await http().post('/api/ingest?wait=false').expect(202);
    expect(started.body).toMatchObject({ status: 'running', resumed: false });
    const url = started.body.progress_url;
    expect(url).toBe(`/api/ingest/runs/${started.body.run_id}`);

    const running = await http().get(url).expect(200);
    expect(['queued', 'running']).toContain(running.body.status);
    expect(running.body.progress).toEqual(
      expect.objectContaining({ phase: 'fetching', records_per_second: expect.any(Number) }),
    );

    let run = running.body;
    for (let i = 0; i < 100 && ['queued', 'running'].includes(run.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await http().get(url).expect(200)).body;
    }
    expect(run).toMatchObject({
      status: 'success',
      records_inserted: 50,
      pages_total: 10,
      pages_fetched: 10,
    });
    expect(run.progress).toMatchObject({
      phase: 'done',
      pages_done: 10,
      pages_total: 10,
      percent: 100,
      eta_seconds: 0,
    });
  });

  it('answers 400 for a bad wait or source parameter', async () => {
    expect((await http().post('/api/ingest?wait=maybe').expect(400)).body.message).toContain(
      'wait must be a boolean value',
    );
    expect((await http().post('/api/ingest?source=ftp').expect(400)).body.message).toContain(
      'source must be one of the following values: api, csv',
    );
    expect((await http().post('/api/ingest?source=csv').expect(400)).body.message).toBe(
      'source=csv needs INGEST_CSV_PATH to name a CSV file or URL',
    );
  });

  describe('sources that misreport themselves', () => {
    it('stops on a page that repeats the previous page, and records it', async () => {
      const stuck = sourceCustomers(5);
      answer = () => ({ status: 200, body: { data: stuck } });
      const response = await http().post('/api/ingest').expect(200);
      expect(pipeline.source.requests).toEqual([1, 2]);
      const run = (await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200)).body;
      expect(run.notes).toBe(
        'source repeated page 1 as page 2; stopped reading; deletes were not looked for: the run did not read the whole source',
      );
      expect(run).toMatchObject({ records_inserted: 5, records_duplicate: 0 });
    });

    it('records the difference when the source holds fewer records than its total', async () => {
      const items = sourceCustomers(12);
      answer = (page, limit) => ({
        status: 200,
        body: { ...(pageOf(items, page, limit) as { body: object }).body, total: 20 },
      });
      const response = await http().post('/api/ingest').expect(200);
      const run = (await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200)).body;
      expect(run).toMatchObject({ source_total: 20, records_processed: 12, source_difference: -8 });
      expect(run.notes).toBe('read 12 records but the source announced 20');
    });

    it('reads past an understated total until a short page, and records the difference', async () => {
      const items = sourceCustomers(12);
      answer = (page, limit) => ({
        status: 200,
        body: { ...(pageOf(items, page, limit) as { body: object }).body, total: 10 },
      });
      const response = await http().post('/api/ingest').expect(200);
      expect(await storedIds()).toEqual(idsOf(items));
      const run = (await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200)).body;
      expect(run).toMatchObject({ source_total: 10, records_processed: 12, source_difference: 2 });
    });

    it('reads a source without a total in order until a short page', async () => {
      const items = sourceCustomers(13);
      answer = (page, limit) => ({
        status: 200,
        body: { data: items.slice((page - 1) * limit, page * limit) },
      });
      await http().post('/api/ingest').expect(200);
      expect(pipeline.source.requests).toEqual([1, 2, 3]);
      expect(await storedIds()).toEqual(idsOf(items));
    });

    it('reads a timestamp without a UTC offset as UTC, and counts and names it on the run', async () => {
      const items = [
        sourceCustomer(1, { created_at: '2023-01-15T10:30:00' }),
        sourceCustomer(2, { created_at: '2023-01-15T10:30:00+02:00' }),
        sourceCustomer(3),
        sourceCustomer(4, { updated_at: '2025-03-01T09:00:00' }),
        sourceCustomer(5, { updated_at: '2025-03-01T09:00:00Z' }),
      ];
      answer = serve(items);
      const response = await http().post('/api/ingest').expect(200);
      const run = (await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200)).body;
      expect(run.records_without_offset).toBe(2);
      expect(run.notes).toBe('2 records had a created_at or updated_at without a UTC offset, read as UTC');
      expect((await http().get('/api/customers/CUST004').expect(200)).body.updated_at).toBe(
        '2025-03-01T09:00:00.000Z',
      );
      const stored = await http().get('/api/customers/CUST001').expect(200);
      expect(stored.body.created_at).toBe('2023-01-15T10:30:00.000Z');
    });

    it('stops at INGEST_MAX_PAGES', async () => {
      const capped = await createPipelineApp({
        SOURCE_URL: pipeline.source.url,
        SOURCE_PAGE_LIMIT: '5',
        INGEST_MAX_PAGES: '3',
      });
      try {
        let n = 0;
        answer = () => ({
          status: 200,
          body: { data: Array.from({ length: 5 }, () => sourceCustomer(++n)) },
        });
        const response = await request(capped.app.getHttpServer()).post('/api/ingest').expect(200);
        expect(response.body.records_processed).toBe(15);
        const run = (
          await request(capped.app.getHttpServer()).get(`/api/ingest/runs/${response.body.run_id}`)
        ).body;
        expect(run.notes).toBe(
          'stopped at the page cap (3 pages); deletes were not looked for: the run did not read the whole source',
        );
      } finally {
        await capped.close();
      }
    });
  });
});
