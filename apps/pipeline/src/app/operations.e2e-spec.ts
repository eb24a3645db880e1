import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import { ScriptedPipeline, createScriptedPipeline } from '../../test/pipeline-app';
import { PageAnswer, pageOf } from '../../test/scripted-source';

/** Metric value of one series in a Prometheus text page, or undefined when the series is absent. */
function sample(page: string, series: string): number | undefined {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operating the pipeline (e2e)', () => {
  let answer: (page: number, limit: number) => PageAnswer;
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => answer(page, limit), {
      SOURCE_PAGE_LIMIT: '5',
      SOURCE_RETRIES: '2',
    });
  });

  afterAll(() => pipeline?.close());

  describe('/metrics', () => {
    it('counts runs, records by outcome, pages, retries and HTTP requests after an ingest', async () => {
      const items = [...sourceCustomers(11), sourceCustomer(12, { email: 'not-an-email' })];
      let failedOnce = false;
      answer = (page, limit) => {
        if (page === 2 && !failedOnce) {
          failedOnce = true;
          return { status: 503, body: {} };
        }
        return pageOf(items, page, limit);
      };
      const before = (await http().get('/metrics').expect(200)).text;
      expect(sample(before, 'ingest_last_success_age_seconds')).toBeNaN();

      await http().post('/api/ingest').expect(200);
      const metrics = await http().get('/metrics').expect(200);

      expect(metrics.headers['content-type']).toContain('text/plain');
      const page = metrics.text;
      expect(sample(page, 'ingest_runs_total{outcome="success"}')).toBe(1);
      expect(sample(page, 'ingest_records_total{outcome="inserted"}')).toBe(11);
      expect(sample(page, 'ingest_records_total{outcome="failed"}')).toBe(1);
      expect(sample(page, 'ingest_records_total{outcome="unchanged"}')).toBe(0);
      expect(sample(page, 'ingest_pages_fetched_total')).toBe(3);
      expect(sample(page, 'ingest_source_retries_total')).toBe(1);
      expect(sample(page, 'ingest_run_duration_seconds_count{outcome="success"}')).toBe(1);
      expect(sample(page, 'ingest_last_success_age_seconds')).toBeLessThan(5);
      expect(sample(page, 'http_requests_total{method="POST",route="/api/ingest",status_code="200"}')).toBe(
        1,
      );
    });

    it('counts a failed run by its outcome', async () => {
      answer = () => ({ status: 404, body: {} });
      await http().post('/api/ingest').expect(502);
      const page = (await http().get('/metrics').expect(200)).text;
      expect(sample(page, 'ingest_runs_total{outcome="failed"}')).toBe(1);
    });
  });

  describe('an unexpected error', () => {
    afterEach(() => pipeline?.dataSource.query('ALTER TABLE IF EXISTS customers_hidden RENAME TO customers'));

    it('answers a bare 500 with the request id, and no SQL, table or driver text', async () => {
      await pipeline.dataSource.query('ALTER TABLE customers RENAME TO customers_hidden');
      const response = await http()
        .get('/api/customers?email=ada@example.com')
        .set('x-request-id', 'forced-500')
        .expect(500);
      expect(response.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
        request_id: 'forced-500',
      });
      expect(response.text).not.toMatch(/customers|relation|SELECT|ada@example/i);
    });
  });

  describe('/docs-json', () => {
    it('documents every route, the bearer scheme on the API routes, and not /metrics', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      expect(Object.keys(document.paths).sort()).toEqual([
        '/api/customers',
        '/api/customers/{id}',
        '/api/health',
        '/api/health/live',
        '/api/health/ready',
        '/api/ingest',
        '/api/ingest/failures',
        '/api/ingest/runs',
        '/api/ingest/runs/{id}',
        '/api/stats',
      ]);
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const ingest = document.paths['/api/ingest'].post;
      expect(ingest.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(ingest.responses)).toEqual(
        expect.arrayContaining(['200', '202', '401', '409', '502']),
      );
      for (const path of ['/api/customers', '/api/customers/{id}', '/api/ingest/runs', '/api/stats']) {
        expect(Object.keys(document.paths[path].get.responses)).toEqual(
          expect.arrayContaining(['401', '429']),
        );
      }
    });

    it('has every route in the README', async () => {
      const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
      const paths = Object.keys((await http().get('/docs-json').expect(200)).body.paths);
      const missing = paths
        .map((path) => path.replace(/\{(\w+)\}/g, ':$1'))
        .filter((path) => !readme.includes(`${path}\``) && !readme.includes(`${path}?`));
      expect(missing).toEqual([]);
    });
  });
});
