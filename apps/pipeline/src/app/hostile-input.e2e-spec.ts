import request from 'supertest';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';

/** Input no client should send, which must still get a clear 4xx and reach neither PostgreSQL nor a 500. */
describe('hostile input to the pipeline (e2e)', () => {
  let pipeline: PipelineTestApp;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    pipeline = await createPipelineApp();
  });

  afterAll(() => pipeline?.close());

  it.each([
    ['GET', '/api/customers/%00', 'id'],
    ['GET', '/api/customers/CUST%00001', 'id'],
    ['GET', '/api/customers?search=a%00b', 'search'],
    ['GET', '/api/customers?email=ada%00%40example.com', 'email'],
    ['GET', '/api/ingest/runs/%00', 'id'],
    ['GET', '/api/ingest/runs?page=1%00', 'page'],
    ['GET', '/api/ingest/failures?run_id=%00', 'run_id'],
    ['POST', '/api/ingest?source=csv%00', 'source'],
  ])('%s %s: a NUL byte is refused with 400 naming %s', async (method, path, name) => {
    const response = await http()[method === 'GET' ? 'get' : 'post'](path).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [`${name} must not contain a NUL byte (%00)`],
      request_id: expect.any(String),
    });
  });

  it('refuses a body nested 2,000 levels deep with 400 before any run starts; a GET never reads it', async () => {
    const deep = `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const refused = await http().post('/api/ingest').set('content-type', 'application/json').send(deep);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('request body nests deeper than 32 levels');
    for (const call of [http().get('/api/customers'), http().get('/api/stats')]) {
      await call.set('content-type', 'application/json').send(deep).expect(200);
    }
    expect((await http().get('/api/ingest/runs').expect(200)).body.total).toBe(0);
  });

  it('names only the path of an unknown route, not its query string', async () => {
    const response = await http().get('/api/customer?email=ada.lovelace%40example.com').expect(404);
    expect(response.body.message).toBe('Cannot GET /api/customer');
  });

  it('serves /metrics with the security headers and without X-Powered-By', async () => {
    const response = await http().get('/metrics').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await http().get('/api/health')).headers['x-powered-by']).toBeUndefined();
  });
});
