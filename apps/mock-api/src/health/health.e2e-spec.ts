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

  it('reports the generated dataset, its size, seed and revision', async () => {
    app = await createMockApiTestApp({
      MOCK_CUSTOMERS: '1000000',
      MOCK_SEED: '9',
      MOCK_REVISION: '2',
      MOCK_CHANGE_RATE: '0.25',
    });
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      customers: 1_000_000,
      source: 'generated',
      seed: 9,
      revision: 2,
      change_rate: 0.25,
    });
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
