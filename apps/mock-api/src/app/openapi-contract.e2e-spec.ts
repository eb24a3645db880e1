import { INestApplication } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import { OpenApiContract, RecordedAnswer } from '@customer-pipeline/http-runtime/testing';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';
import { OutageSwitch } from '../admin/outage-switch.service';

/** A body over the default 100kb limit: a 413 where a body is read, ignored elsewhere. */
const OVERSIZED_BODY = JSON.stringify('x'.repeat(150 * 1024));

/**
 * Every documented status of every operation, provoked for real on a live app and validated against the
 * document the app serves; the last test fails on any documented status that no answer has shown.
 */
describe('the mock API answers as its OpenAPI document says', () => {
  let app: INestApplication;
  let contract: OpenApiContract;
  const http = (target: INestApplication = app) => request(target.getHttpServer());

  /** Asserts that the answer is one the document allows, and returns it. */
  const documented = async <T extends RecordedAnswer>(call: PromiseLike<T>): Promise<T> => {
    const answer = await call;
    expect(contract.check(answer)).toEqual([]);
    return answer;
  };

  /** Answers of an app whose other failure modes are on, until `statuses` have all been seen. */
  const provoke = async (target: INestApplication, path: string, statuses: number[]) => {
    const seen = new Set<number>();
    for (let attempt = 0; attempt < 50 && seen.size < statuses.length; attempt++) {
      const answer = await documented(http(target).get(path));
      if (statuses.includes(answer.status)) seen.add(answer.status);
    }
    expect([...seen].sort()).toEqual([...statuses].sort());
  };

  beforeAll(async () => {
    app = await createMockApiTestApp();
    contract = new OpenApiContract((await http().get('/docs-json').expect(200)).body);
  });

  afterAll(() => app.close());

  it('answers 200 on every operation', async () => {
    expect((await documented(http().get('/api/customers?page=2&limit=5'))).status).toBe(200);
    expect((await documented(http().get('/api/customers?updated_since=2025-03-01T09:00:00Z'))).status).toBe(
      200,
    );
    expect((await documented(http().get('/api/customers/CUST007'))).status).toBe(200);
    expect((await documented(http().get('/api/health'))).status).toBe(200);
    expect((await documented(http().get('/api/health/live'))).status).toBe(200);
    expect((await documented(http().get('/api/admin/outage'))).status).toBe(200);
    expect((await documented(http().post('/api/admin/outage').send({ down: false }))).status).toBe(200);
  });

  it('answers 400 and 404 as documented', async () => {
    expect((await documented(http().get('/api/customers?limit=101'))).status).toBe(400);
    expect((await documented(http().get('/api/customers?updated_since=2025-03-01T09:00:00'))).status).toBe(
      400,
    );
    expect((await documented(http().get('/api/customers/%00'))).status).toBe(400);
    expect((await documented(http().get('/api/customers/CUST999'))).status).toBe(404);
    expect((await documented(http().post('/api/admin/outage').send({ down: 'yes' }))).status).toBe(400);
  });

  it('answers 413 to a body over the limit where a body is read, and ignores the body of a GET', async () => {
    const oversized = (call: request.Test) =>
      call.set('content-type', 'application/json').send(OVERSIZED_BODY);
    expect((await documented(oversized(http().post('/api/admin/outage')))).status).toBe(413);
    for (const path of ['/api/customers', '/api/customers/CUST001', '/api/health', '/api/admin/outage']) {
      expect((await documented(oversized(http().get(path)))).status).toBe(200);
    }
  });

  it('answers 503 on the customers routes while the outage switch is on', async () => {
    await http().post('/api/admin/outage').send({ down: true }).expect(200);
    try {
      expect((await documented(http().get('/api/customers'))).status).toBe(503);
      expect((await documented(http().get('/api/customers/CUST001'))).status).toBe(503);
    } finally {
      await http().post('/api/admin/outage').send({ down: false }).expect(200);
    }
  });

  it('answers the injected 500 and 503 on the customers routes with MOCK_FAILURE_RATE=1', async () => {
    const failing = await createMockApiTestApp({ MOCK_FAILURE_RATE: '1' });
    try {
      await provoke(failing, '/api/customers', [500, 503]);
      await provoke(failing, '/api/customers/CUST001', [500, 503]);
    } finally {
      await failing.close();
    }
  });

  it('answers 429 on the customers routes past MOCK_RATE_LIMIT', async () => {
    const limited = await createMockApiTestApp({ MOCK_RATE_LIMIT: '1' });
    try {
      // One window for the whole app: the first request passes, all others in that second are refused.
      await provoke(limited, '/api/customers', [200, 429]);
      await provoke(limited, '/api/customers/CUST001', [429]);
    } finally {
      await limited.close();
    }
  });

  it('answers an unexpected error with the generic 500 on the routes that cannot fail by design', async () => {
    // Health and admin never meet the failure modes; an error inside them stands for any bug.
    const outage = app.get(OutageSwitch);
    const crash = () => {
      throw new Error('provoked');
    };
    const isDown = jest.spyOn(outage, 'isDown', 'get').mockImplementation(crash);
    const check = jest
      .spyOn(app.get(HealthCheckService, { strict: false }), 'check')
      .mockImplementation(crash);
    try {
      expect((await documented(http().get('/api/health'))).status).toBe(500);
      expect((await documented(http().get('/api/health/live'))).status).toBe(500);
      expect((await documented(http().get('/api/admin/outage'))).status).toBe(500);
      expect((await documented(http().post('/api/admin/outage').send({ down: false }))).status).toBe(500);
    } finally {
      isDown.mockRestore();
      check.mockRestore();
    }
  });

  it('has shown every documented status of every operation', () => {
    expect(contract.unexercised()).toEqual([]);
  });
});
