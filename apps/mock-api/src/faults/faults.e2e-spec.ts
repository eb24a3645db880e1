import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

describe('injected faults on the customers routes', () => {
  let app: INestApplication | undefined;
  const http = () => request(app?.getHttpServer());

  afterEach(() => app?.close());

  describe('MOCK_FAILURE_RATE', () => {
    const settings = { MOCK_CUSTOMERS: '30', MOCK_SEED: '42', MOCK_FAILURE_RATE: '0.5' };

    /** Statuses of 40 requests sent one after the other, alternating the two customers routes. */
    async function statusesOfASequentialRun(): Promise<number[]> {
      const statuses: number[] = [];
      for (let count = 0; count < 40; count++) {
        const path = count % 2 === 0 ? '/api/customers?limit=5' : '/api/customers/CUST00000007';
        statuses.push((await http().get(path)).status);
      }
      return statuses;
    }

    it('answers some requests 500 or 503 with the standard error JSON, and the rest normally', async () => {
      app = await createMockApiTestApp(settings);
      const responses = [];
      for (let count = 0; count < 40; count++)
        responses.push(await http().get('/api/customers/CUST00000007'));
      const statuses = responses.map((response) => response.status);
      expect(statuses).toContain(200);
      expect(statuses).toContain(500);
      expect(statuses).toContain(503);
      expect(statuses.filter((status) => ![200, 500, 503].includes(status))).toEqual([]);

      const served = responses.filter((response) => response.status === 200).map((response) => response.body);
      expect(new Set(served.map((customer) => JSON.stringify(customer))).size).toBe(1);
      expect(served[0].customer_id).toBe('CUST00000007');
      for (const [position, response] of responses.entries()) {
        if (response.status === 200) continue;
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({
          statusCode: response.status,
          error: response.status === 500 ? 'Internal Server Error' : 'Service Unavailable',
          message: `Injected failure of request ${position + 1} (MOCK_FAILURE_RATE)`,
          request_id: expect.any(String),
        });
      }
    });

    it('fails the same requests of a sequential run for the same seed', async () => {
      app = await createMockApiTestApp(settings);
      const first = await statusesOfASequentialRun();
      await app.close();
      app = await createMockApiTestApp(settings);
      expect(await statusesOfASequentialRun()).toEqual(first);
      await app.close();
      app = await createMockApiTestApp({ ...settings, MOCK_SEED: '43' });
      expect(await statusesOfASequentialRun()).not.toEqual(first);
    });

    it('leaves health and admin routes alone', async () => {
      app = await createMockApiTestApp({ ...settings, MOCK_FAILURE_RATE: '1' });
      await http()
        .get('/api/customers')
        .expect(({ status }) => expect([500, 503]).toContain(status));
      for (let count = 0; count < 10; count++) {
        await http().get('/api/health').expect(200);
        await http().get('/api/admin/outage').expect(200);
      }
    });
  });

  describe('MOCK_RATE_LIMIT', () => {
    it('answers 429 with Retry-After and the standard error JSON over the limit, and serves again after it', async () => {
      app = await createMockApiTestApp({ MOCK_RATE_LIMIT: '3' });
      const statuses = [];
      for (let count = 0; count < 3; count++)
        statuses.push((await http().get('/api/customers/CUST001')).status);
      expect(statuses).toEqual([200, 200, 200]);

      const refused = await http().get('/api/customers?limit=5').expect(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Rate limit of 3 requests per second exceeded (MOCK_RATE_LIMIT); retry after 1 s',
        request_id: expect.any(String),
      });
      await http().get('/api/health').expect(200);

      await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000));
      const again = await http().get('/api/customers/CUST001').expect(200);
      expect(again.headers['retry-after']).toBeUndefined();
    });
  });

  describe('MOCK_LATENCY_MS', () => {
    it('delays every customers answer, errors included, by at least the latency', async () => {
      app = await createMockApiTestApp({ MOCK_LATENCY_MS: '200' });
      for (const [path, status] of [
        ['/api/customers', 200],
        ['/api/customers/CUST001', 200],
        ['/api/customers/CUST999', 404],
      ] as const) {
        const started = performance.now();
        await http().get(path).expect(status);
        // Node may fire a timer up to a millisecond early, as it rounds the loop's clock.
        expect(performance.now() - started).toBeGreaterThanOrEqual(199);
      }
    });
  });
});
