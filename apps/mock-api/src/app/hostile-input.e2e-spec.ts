import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

/** Input no client should send, which must still get a clear 4xx, never a 500. */
describe('hostile input to the mock API', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createMockApiTestApp();
  });

  afterAll(() => app.close());

  it.each([
    ['/api/customers/%00', 'id'],
    ['/api/customers/CUST%00001', 'id'],
    ['/api/customers?page=%00', 'page'],
    ['/api/customers?limit=5%00', 'limit'],
  ])('%s: a NUL byte is refused with 400 naming %s', async (path, name) => {
    expect((await http().get(path).expect(400)).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [`${name} must not contain a NUL byte (%00)`],
      request_id: expect.any(String),
    });
  });

  it('refuses a body nested 2,000 levels deep on POST /api/admin/outage with 400, and changes nothing', async () => {
    const response = await http()
      .post('/api/admin/outage')
      .set('content-type', 'application/json')
      .send(`{"down":${'['.repeat(2000)}${']'.repeat(2000)}}`)
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request body nests deeper than 32 levels',
      request_id: expect.any(String),
    });
    expect((await http().get('/api/admin/outage').expect(200)).body).toEqual({ down: false });
  });

  it('names only the path of an unknown route, not its query string', async () => {
    const response = await http().get('/api/nope?email=ada.lovelace%40example.com').expect(404);
    expect(response.body.message).toBe('Cannot GET /api/nope');
    expect(response.text).not.toContain('lovelace');
  });

  it('serves /metrics with the security headers and without X-Powered-By', async () => {
    const response = await http().get('/metrics').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
