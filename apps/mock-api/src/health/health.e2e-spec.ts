import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

describe('GET /api/health', () => {
  let app: INestApplication | undefined;

  afterEach(() => app?.close());

  it('reports the fixture and its size', async () => {
    app = await createMockApiTestApp();
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', customers: 21, source: 'fixture', seed: null });
  });

  it('reports the generated dataset, its size and seed', async () => {
    app = await createMockApiTestApp({ MOCK_CUSTOMERS: '1000000', MOCK_SEED: '9' });
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', customers: 1_000_000, source: 'generated', seed: 9 });
  });
});
