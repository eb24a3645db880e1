import { HealthCheckService } from '@nestjs/terminus';
import { onServer } from '@customer-pipeline/data-access/testing';
import { OpenApiContract, RecordedAnswer } from '@customer-pipeline/http-runtime/testing';
import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { PageAnswer, ScriptedSource, pageOf } from '../../test/scripted-source';
import { IngestRunService } from '../ingest/engine/ingest-run.service';

const READ_KEY = 'read-key-0123456789abcdef';
const INGEST_KEY = 'ingest-key-0123456789abcdef';

/** A body over the default 100kb limit: a 413 where a body is read, ignored elsewhere. */
const OVERSIZED_BODY = JSON.stringify('x'.repeat(150 * 1024));

const READ_ROUTES = [
  '/api/customers',
  '/api/customers/export',
  '/api/customers/CUST001',
  '/api/ingest/runs',
  '/api/ingest/runs/1',
  '/api/ingest/failures',
  '/api/ingest/runs/1/failures/summary',
  '/api/stats',
];
const OPEN_ROUTES = ['/api/health', '/api/health/live', '/api/health/ready'];

/**
 * Every documented status of every operation, provoked for real on live apps and validated against the
 * document served with both keys set (the fullest one); the last test fails on any documented status that
 * no answer has shown, so that the document and the code cannot drift apart.
 */
describe('the pipeline answers as its OpenAPI document says (e2e)', () => {
  const items = [...sourceCustomers(11), sourceCustomer(12, { email: 'not-an-email' })];
  let answer: (page: number, limit: number) => PageAnswer;
  let source: ScriptedSource;
  /** Both keys set, as the document under test describes. */
  let keyed: PipelineTestApp;
  let contract: OpenApiContract;

  const read = (path: string) =>
    request(keyed.app.getHttpServer()).get(path).set('Authorization', `Bearer ${READ_KEY}`);
  const ingest = (query = '') =>
    request(keyed.app.getHttpServer())
      .post(`/api/ingest${query}`)
      .set('Authorization', `Bearer ${INGEST_KEY}`);

  /** Asserts that the answer is one the document allows, and returns it. */
  const documented = async <T extends RecordedAnswer>(call: PromiseLike<T>): Promise<T> => {
    const recorded = await call;
    expect(contract.check(recorded)).toEqual([]);
    return recorded;
  };
  const status = async (call: PromiseLike<RecordedAnswer>) => (await documented(call)).status;

  const onDatabase = (sql: string) => keyed.dataSource.query(sql);
  const untilSettled = (runId: number) => untilSettledOn(keyed, runId);
  const untilSettledOn = async (app: PipelineTestApp, runId: number) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { status } = (
        await request(app.app.getHttpServer())
          .get(`/api/ingest/runs/${runId}`)
          .set('Authorization', `Bearer ${READ_KEY}`)
      ).body;
      if (status !== 'queued' && status !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`run ${runId} did not settle`);
  };

  beforeAll(async () => {
    answer = (page, limit) => pageOf(items, page, limit);
    source = await new ScriptedSource((page, limit) => answer(page, limit)).start();
    keyed = await createPipelineApp({
      SOURCE_URL: source.url,
      SOURCE_PAGE_LIMIT: '5',
      READ_API_KEY: READ_KEY,
      INGEST_API_KEY: INGEST_KEY,
    });
    contract = new OpenApiContract(
      (await request(keyed.app.getHttpServer()).get('/docs-json').expect(200)).body,
    );
  });

  afterAll(async () => {
    await keyed?.close();
    await source?.stop();
  });

  it('answers stats and health before any run, and after a success only, with their nulls', async () => {
    expect((await documented(read('/api/stats'))).body).toMatchObject({
      last_success: null,
      last_failure: null,
    });
    expect((await documented(read('/api/health'))).body).toMatchObject({ last_run: null });
    expect(await status(ingest())).toBe(200);
    expect((await documented(read('/api/stats'))).body).toMatchObject({ last_failure: null });
  });

  it('answers POST /api/ingest 200, then 202 with wait=false, and 409 while that run goes on', async () => {
    expect(await status(ingest())).toBe(200);
    source.latencyMs = 300;
    try {
      const started = await documented(ingest('?wait=false'));
      expect(started.status).toBe(202);
      expect(await status(ingest())).toBe(409);
      await untilSettled(started.body.run_id);
    } finally {
      source.latencyMs = 0;
    }
  });

  it('answers 502 when the source cannot be read, and 400 to a bad parameter', async () => {
    answer = () => ({ status: 404, body: {} });
    try {
      expect(await status(ingest())).toBe(502);
    } finally {
      answer = (page, limit) => pageOf(items, page, limit);
    }
    expect(await status(ingest('?wait=maybe'))).toBe(400);
  });

  it('answers 200 on every read and health route', async () => {
    for (const path of READ_ROUTES) expect(await status(read(path))).toBe(200);
    for (const path of OPEN_ROUTES) expect(await status(read(path))).toBe(200);
  });

  it('answers 400 and 404 as documented', async () => {
    for (const path of [
      '/api/customers?limit=101',
      '/api/customers/%00',
      '/api/ingest/runs?page=0',
      '/api/ingest/runs/0',
      '/api/ingest/failures?run_id=0',
      '/api/ingest/runs/0/failures/summary',
    ]) {
      expect(await status(read(path))).toBe(400);
    }
    expect(await status(read('/api/customers/CUST999'))).toBe(404);
    expect(await status(read('/api/ingest/runs/999999'))).toBe(404);
    expect(await status(read('/api/ingest/runs/999999/failures/summary'))).toBe(404);
  });

  it('answers 401 without the key on every keyed route', async () => {
    const http = () => request(keyed.app.getHttpServer());
    for (const path of READ_ROUTES) expect(await status(http().get(path))).toBe(401);
    expect(await status(http().post('/api/ingest'))).toBe(401);
  });

  it('answers 413 to a body over the limit where a body is read, and ignores the body of a GET', async () => {
    const oversized = (call: request.Test) =>
      call.set('content-type', 'application/json').send(OVERSIZED_BODY);
    expect(await status(oversized(ingest()))).toBe(413);
    for (const path of [...READ_ROUTES, ...OPEN_ROUTES])
      expect(await status(oversized(read(path)))).not.toBe(413);
  });

  it('answers 304 to a current ETag on the customer reads', async () => {
    for (const path of ['/api/customers', '/api/customers/CUST001']) {
      const { headers } = await documented(read(path));
      expect(await status(read(path).set('If-None-Match', String(headers['etag'])))).toBe(304);
    }
  });

  it('answers 400 to an export format it does not know', async () => {
    expect(await status(read('/api/customers/export?format=xml'))).toBe(400);
  });

  it('answers 429 past THROTTLE_LIMIT on every throttled route', async () => {
    const throttled = await createPipelineApp({ SOURCE_URL: source.url, THROTTLE_LIMIT: '1' });
    try {
      // The export is the documented way to read everything at once: never throttled.
      for (const path of READ_ROUTES.filter((route) => route !== '/api/customers/export')) {
        await request(throttled.app.getHttpServer()).get(path);
        expect(await status(request(throttled.app.getHttpServer()).get(path))).toBe(429);
      }
    } finally {
      await throttled.close();
    }
  });

  it('answers POST /api/ingest 503 when the pipeline shuts down during the run', async () => {
    const stopping = await createPipelineApp({ SOURCE_URL: source.url, SOURCE_PAGE_LIMIT: '5' });
    source.latencyMs = 300;
    try {
      const running = request(stopping.app.getHttpServer())
        .post('/api/ingest')
        .then((answer) => answer);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // What SIGTERM does first: the request stops waiting for its run, which another process takes on.
      stopping.app.get(IngestRunService).beforeApplicationShutdown();
      expect(await status(running)).toBe(503);
    } finally {
      source.latencyMs = 0;
      await stopping.close();
    }
  });

  it('answers the generic 500 on every operation when something unexpected fails', async () => {
    // Tables renamed away: every query fails as a bug would, with no database outage to report.
    await onDatabase('ALTER TABLE customers RENAME TO customers_hidden');
    await onDatabase('ALTER TABLE ingest_runs RENAME TO ingest_runs_hidden');
    await onDatabase('ALTER TABLE ingest_failures RENAME TO ingest_failures_hidden');
    try {
      for (const path of [...READ_ROUTES, '/api/health']) expect(await status(read(path))).toBe(500);
      expect(await status(ingest())).toBe(500);
    } finally {
      await onDatabase('ALTER TABLE customers_hidden RENAME TO customers');
      await onDatabase('ALTER TABLE ingest_runs_hidden RENAME TO ingest_runs');
      await onDatabase('ALTER TABLE ingest_failures_hidden RENAME TO ingest_failures');
    }
    // Liveness and readiness catch what their checks find; only a bug in the checking itself is left.
    const check = jest
      .spyOn(keyed.app.get(HealthCheckService, { strict: false }), 'check')
      .mockRejectedValue(new Error('provoked'));
    try {
      expect(await status(read('/api/health/live'))).toBe(500);
      expect(await status(read('/api/health/ready'))).toBe(500);
    } finally {
      check.mockRestore();
    }
  });

  it('answers 503 on health and readiness while the database is unreachable', async () => {
    const name = new URL(keyed.database.url).pathname.slice(1);
    await onServer((client) => client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`));
    await onServer((client) =>
      client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`),
    );
    try {
      expect(await status(read('/api/health'))).toBe(503);
      expect(await status(read('/api/health/ready'))).toBe(503);
      const unavailable = async (call: PromiseLike<RecordedAnswer>) => {
        const answer = await documented(call);
        expect(answer.status).toBe(503);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        expect((answer.body as { message: string }).message).toMatch(/^the database cannot be reached/);
      };
      for (const path of READ_ROUTES) await unavailable(read(path));
      await unavailable(ingest());
      for (const decision of ['approve', 'reject'])
        await unavailable(
          request(keyed.app.getHttpServer())
            .post(`/api/ingest/runs/1/${decision}`)
            .set('Authorization', `Bearer ${INGEST_KEY}`),
        );
    } finally {
      await onServer((client) => client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    }
  });

  describe('approving and rejecting a held run', () => {
    /** A second app on the same document, whose invalid-share guard holds a run of these items. */
    let guarded: PipelineTestApp;
    const post = (path: string) =>
      request(guarded.app.getHttpServer()).post(path).set('Authorization', `Bearer ${INGEST_KEY}`);
    const held = async (): Promise<number> => {
      const run = await documented(post('/api/ingest'));
      expect(run.body.status).toBe('needs_review');
      return run.body.run_id;
    };

    beforeAll(async () => {
      guarded = await createPipelineApp({
        SOURCE_URL: source.url,
        SOURCE_PAGE_LIMIT: '5',
        READ_API_KEY: READ_KEY,
        INGEST_API_KEY: INGEST_KEY,
        INGEST_MAX_INVALID_SHARE: '0.05',
        INGEST_RUN_RETRIES: '0',
      });
    });

    afterAll(() => guarded?.close());

    it('answers 200, 202, 400, 401, 404, 409 and 413 as documented', async () => {
      const runId = await held();
      const http = () => request(guarded.app.getHttpServer());
      for (const decision of ['approve', 'reject']) {
        expect(await status(http().post(`/api/ingest/runs/${runId}/${decision}`))).toBe(401);
        expect(await status(post(`/api/ingest/runs/0/${decision}`))).toBe(400);
        expect(await status(post(`/api/ingest/runs/999999/${decision}`))).toBe(404);
        const oversized = post(`/api/ingest/runs/${runId}/${decision}`)
          .set('content-type', 'application/json')
          .send(OVERSIZED_BODY);
        expect(await status(oversized)).toBe(413);
      }
      expect(await status(post(`/api/ingest/runs/${runId}/reject`))).toBe(200);
      expect(await status(post(`/api/ingest/runs/${runId}/reject`))).toBe(409);
      expect(await status(post(`/api/ingest/runs/${runId}/approve`))).toBe(409);

      const approved = await documented(post(`/api/ingest/runs/${await held()}/approve?wait=false`));
      expect(approved.status).toBe(202);
      await untilSettledOn(guarded, approved.body.run_id);
      expect(await status(post(`/api/ingest/runs/${await held()}/approve`))).toBe(200);
    });

    it('answers 502 when the approved run fails, and 500 when something unexpected does', async () => {
      const runId = await held();
      await guarded.dataSource.query('ALTER TABLE customers RENAME TO customers_hidden');
      try {
        expect(await status(post(`/api/ingest/runs/${runId}/approve`))).toBe(502);
      } finally {
        await guarded.dataSource.query('ALTER TABLE customers_hidden RENAME TO customers');
      }
      await guarded.dataSource.query('ALTER TABLE ingest_runs RENAME TO ingest_runs_hidden');
      try {
        for (const decision of ['approve', 'reject'])
          expect(await status(post(`/api/ingest/runs/1/${decision}`))).toBe(500);
      } finally {
        await guarded.dataSource.query('ALTER TABLE ingest_runs_hidden RENAME TO ingest_runs');
      }
    });

    it('answers 503 when the pipeline shuts down while the approved run is applied', async () => {
      // The approved run that failed in the test before resumes, still approved: it is applied at once.
      expect((await documented(post('/api/ingest'))).body.status).toBe('success');
      const runId = await held();
      // The merge waits for this lock, so that the shutdown comes while the request waits for the run.
      const blocker = guarded.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query('LOCK TABLE customers IN EXCLUSIVE MODE');
      try {
        const approving = post(`/api/ingest/runs/${runId}/approve`).then((answer) => answer);
        await new Promise((resolve) => setTimeout(resolve, 300));
        guarded.app.get(IngestRunService).beforeApplicationShutdown();
        expect(await status(approving)).toBe(503);
      } finally {
        await blocker.rollbackTransaction();
        await blocker.release();
      }
    });
  });

  it('has shown every documented status of every operation', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
