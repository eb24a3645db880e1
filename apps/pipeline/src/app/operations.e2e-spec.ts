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
      // Every outcome is there from the start, at 0: rate() and alerts need a series before its first run.
      for (const outcome of ['success', 'failed', 'needs_review'])
        expect(sample(before, `ingest_runs_total{outcome="${outcome}"}`)).toBe(0);
      expect(sample(before, 'ingest_records_total{outcome="deleted"}')).toBe(0);

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
    it('documents every route and not /metrics; with no key set, no security, so spec-driven clients need none', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      expect(Object.keys(document.paths).sort()).toEqual([
        '/api/customers',
        '/api/customers/export',
        '/api/customers/{id}',
        '/api/health',
        '/api/health/live',
        '/api/health/ready',
        '/api/ingest',
        '/api/ingest/failures',
        '/api/ingest/runs',
        '/api/ingest/runs/{id}',
        '/api/ingest/runs/{id}/approve',
        '/api/ingest/runs/{id}/failures/summary',
        '/api/ingest/runs/{id}/reject',
        '/api/stats',
      ]);
      expect(document.components.securitySchemes).toBeUndefined();
      expect(document.security).toBeUndefined();
      const operations = Object.values(document.paths).flatMap((path) => Object.values(path as object));
      for (const operation of operations) {
        expect(operation.security).toBeUndefined();
        expect(operation.responses).not.toHaveProperty('401');
        expect(operation.summary).toEqual(expect.any(String));
        expect(operation.description).toEqual(expect.any(String));
      }
      const ingest = document.paths['/api/ingest'].post;
      expect(Object.keys(ingest.responses)).toEqual(
        expect.arrayContaining(['200', '202', '409', '413', '500', '502', '503']),
      );
      for (const path of ['/api/customers', '/api/customers/{id}', '/api/ingest/runs', '/api/stats']) {
        expect(Object.keys(document.paths[path].get.responses)).toEqual(expect.arrayContaining(['429']));
      }
    });

    it('gives path parameters examples, and pre-fills no filter in Swagger UI', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      const parameter = (path: string, name: string) =>
        document.paths[path].get.parameters.find((candidate: { name: string }) => candidate.name === name);
      expect(parameter('/api/customers/{id}', 'id').example).toBe('CUST001');
      expect(parameter('/api/ingest/runs/{id}', 'id').example).toBe(1);
      for (const [path, name] of [
        ['/api/customers', 'search'],
        ['/api/customers', 'email'],
        ['/api/ingest/failures', 'run_id'],
      ]) {
        expect(parameter(path, name).example).toBeUndefined();
        expect(parameter(path, name).schema.example).toBeUndefined();
        expect(parameter(path, name).description).toEqual(expect.any(String));
      }
      expect(parameter('/api/customers', 'limit').description).toEqual(expect.any(String));
    });

    it('shows each error response with an example of its own status', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations as object)) {
          for (const [status, response] of Object.entries(operation.responses as object)) {
            if (Number(status) < 400 || path === '/api/health' || path === '/api/health/ready') continue;
            const example = response.content['application/json'].example;
            expect({ method, path, status, statusCode: example?.statusCode }).toEqual({
              method,
              path,
              status,
              statusCode: Number(status),
            });
          }
        }
      }
    });

    it('shows in the customer example a customer the fixture has', async () => {
      const fixture = JSON.parse(
        readFileSync(join(__dirname, '../../../mock-api/data/customers.json'), 'utf8'),
      ) as Record<string, unknown>[];
      const schema = (await http().get('/docs-json').expect(200)).body.components.schemas.CustomerDto;
      const example = Object.fromEntries(
        Object.entries(schema.properties).map(([name, property]) => [
          name,
          (property as { example: unknown }).example,
        ]),
      );
      expect(fixture).toContainEqual(example);
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
