import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

const DOWN = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The mock API is down (POST /api/admin/outage)',
  request_id: expect.any(String),
};

describe('the outage switch, /api/admin/outage', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const switchTo = (body: object) => http().post('/api/admin/outage').send(body);

  beforeEach(async () => {
    app = await createMockApiTestApp({ MOCK_CUSTOMERS: '20' });
  });

  afterEach(() => app.close());

  it('is up at start', async () => {
    expect((await http().get('/api/admin/outage').expect(200)).body).toEqual({ down: false });
    await http().get('/api/customers').expect(200);
  });

  it('takes the customers routes down with 503 JSON while health answers and reports it, then brings them back', async () => {
    expect((await switchTo({ down: true }).expect(200)).body).toEqual({ down: true });

    for (const path of ['/api/customers', '/api/customers?page=2&limit=5', '/api/customers/CUST00000001']) {
      const response = await http().get(path).expect(503);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual(DOWN);
    }
    // Down means down: even a request that would be refused as malformed is not looked at.
    expect((await http().get('/api/customers?page=0').expect(503)).body).toEqual(DOWN);
    expect((await http().get('/api/health').expect(200)).body).toMatchObject({ status: 'ok', outage: true });
    expect((await http().get('/api/admin/outage').expect(200)).body).toEqual({ down: true });

    expect((await switchTo({ down: false }).expect(200)).body).toEqual({ down: false });
    const page = await http().get('/api/customers?limit=3').expect(200);
    expect(page.body.data).toHaveLength(3);
    expect((await http().get('/api/health').expect(200)).body.outage).toBe(false);
  });

  it('comes back by itself after for_ms', async () => {
    const switched = performance.now();
    await switchTo({ down: true, for_ms: 400 }).expect(200);
    await http().get('/api/customers').expect(503);
    await new Promise((resolve) => setTimeout(resolve, switched + 450 - performance.now()));
    await http().get('/api/customers').expect(200);
    expect((await http().get('/api/admin/outage').expect(200)).body).toEqual({ down: false });
  });

  it.each([
    [{ down: false, for_ms: 1000 }, 'for_ms is only allowed with "down": true'],
    [{}, 'down must be a boolean value'],
    [{ down: 'true' }, 'down must be a boolean value'],
    [{ down: 1 }, 'down must be a boolean value'],
    [{ down: true, for_ms: '1000' }, 'for_ms must be an integer number'],
    [{ down: true, for_ms: 1.5 }, 'for_ms must be an integer number'],
    [{ down: true, for_ms: 0 }, 'for_ms must not be less than 1'],
    [{ down: true, for_ms: 3_600_001 }, 'for_ms must not be greater than 3600000'],
    [{ down: true, until: 'later' }, 'property until should not exist'],
  ])('refuses %j with 400 naming the problem, and changes nothing', async (body, message) => {
    const response = await switchTo(body).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.arrayContaining([message]),
      request_id: expect.any(String),
    });
    expect((await http().get('/api/admin/outage').expect(200)).body).toEqual({ down: false });
  });
});
