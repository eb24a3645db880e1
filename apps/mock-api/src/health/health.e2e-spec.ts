import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

describe('GET /api/health', () => {
  let app: INestApplication | undefined;

  afterEach(() => app?.close());

  it('reports the fixture and its size, with every failure mode off', async () => {
    app = await createMockApiTestApp();
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      customers: 21,
      source: 'fixture',
      seed: null,
      revision: 0,
      change_rate: 0.1,
      delete_rate: 0,
      restore_rate: 0,
      add_rate: 0,
      outage: false,
      failures: { failure_rate: 0, latency_ms: 0, rate_limit: 0, invalid_rate: 0 },
    });
  });

  it('answers liveness in the terminus shape, also while the customers routes are down', async () => {
    app = await createMockApiTestApp();
    await request(app.getHttpServer()).post('/api/admin/outage').send({ down: true }).expect(200);
    const response = await request(app.getHttpServer()).get('/api/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('reports the generated dataset, its seed, revision and rates, and the customers present at it', async () => {
    app = await createMockApiTestApp({
      MOCK_CUSTOMERS: '1000000',
      MOCK_SEED: '9',
      MOCK_REVISION: '2',
      MOCK_CHANGE_RATE: '0.25',
      MOCK_DELETE_RATE: '0.01',
      MOCK_RESTORE_RATE: '0.5',
      MOCK_ADD_RATE: '0.001',
    });
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      source: 'generated',
      seed: 9,
      revision: 2,
      change_rate: 0.25,
      delete_rate: 0.01,
      restore_rate: 0.5,
      add_rate: 0.001,
    });
    // 1% deleted by each revision, half of revision 1's restored by revision 2, 1,000 added by each: ~987,000.
    expect(response.body.customers).toBeGreaterThan(985_000);
    expect(response.body.customers).toBeLessThan(989_000);
    const listed = await request(app.getHttpServer()).get('/api/customers?limit=1').expect(200);
    expect(listed.body.total).toBe(response.body.customers);
  });

  it('reports the failure modes in force, and is not subject to them', async () => {
    app = await createMockApiTestApp({
      MOCK_CUSTOMERS: '10',
      MOCK_FAILURE_RATE: '1',
      MOCK_LATENCY_MS: '5',
      MOCK_RATE_LIMIT: '1',
      MOCK_INVALID_RATE: '0.5',
    });
    const server = app.getHttpServer();
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await request(server).get('/api/health').expect(200);
      expect(response.body.failures).toEqual({
        failure_rate: 1,
        latency_ms: 5,
        rate_limit: 1,
        invalid_rate: 0.5,
      });
    }
  });
});
