import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import shippedCustomers from '../../data/customers.json';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

describe('customers API', () => {
  describe('serving the fixture', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createMockApiTestApp();
    });

    afterAll(() => app.close());

    it('GET /api/customers serves page 1 of 10 by default', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({ data: shippedCustomers.slice(0, 10), total: 21, page: 1, limit: 10 });
    });

    it('GET /api/customers?page=2&limit=5 serves CUST006 to CUST010 in order', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers?page=2&limit=5').expect(200);
      expect(response.body.data.map((customer: { customer_id: string }) => customer.customer_id)).toEqual([
        'CUST006',
        'CUST007',
        'CUST008',
        'CUST009',
        'CUST010',
      ]);
      expect(response.body).toEqual({ data: shippedCustomers.slice(5, 10), total: 21, page: 2, limit: 5 });
    });

    it('serves the partial last page', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers?page=3&limit=10').expect(200);
      expect(response.body).toEqual({ data: shippedCustomers.slice(20), total: 21, page: 3, limit: 10 });
    });

    it('serves a page past the end as empty data with the true total', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers?page=4&limit=10').expect(200);
      expect(response.body).toEqual({ data: [], total: 21, page: 4, limit: 10 });
    });

    it('accepts the largest limit', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers?limit=100').expect(200);
      expect(response.body.data).toHaveLength(21);
      expect(response.body.limit).toBe(100);
    });

    it.each([
      ['page=0', 'page must not be less than 1'],
      ['page=-1', 'page must not be less than 1'],
      ['page=1.5', 'page must be an integer number'],
      ['page=abc', 'page must be an integer number'],
      ['page=', 'page must be an integer number'],
      ['page=1&page=2', 'page must be an integer number'],
      ['limit=0', 'limit must not be less than 1'],
      ['limit=-5', 'limit must not be less than 1'],
      ['limit=101', 'limit must not be greater than 100'],
      ['limit=1e1', 'limit must be an integer number'],
      ['sort=email', 'property sort should not exist'],
    ])('answers ?%s with 400 naming the parameter', async (query, message) => {
      const response = await request(app.getHttpServer()).get(`/api/customers?${query}`).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(Array),
        request_id: expect.any(String),
      });
      expect(response.body.message).toContain(message);
    });

    it('names every bad parameter at once', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers?page=0&limit=101').expect(400);
      expect(response.body.message).toEqual(
        expect.arrayContaining(['page must not be less than 1', 'limit must not be greater than 100']),
      );
    });

    describe('GET /api/customers?updated_since=', () => {
      const listed = async (query: string) => {
        const response = await request(app.getHttpServer()).get(`/api/customers?${query}`).expect(200);
        const { data, ...paging } = response.body as {
          data: { customer_id: string; updated_at: string }[];
          total: number;
        };
        return { ids: data.map((customer) => customer.customer_id), ...paging, data };
      };

      it('serves the customers updated at or after it, by (updated_at, customer_id), ties over a page', async () => {
        const first = await listed('updated_since=2025-03-01T09:00:00Z&limit=5');
        expect(first).toMatchObject({
          ids: ['CUST001', 'CUST004', 'CUST009', 'CUST013', 'CUST020'],
          total: 10,
          page: 1,
          limit: 5,
        });
        expect(new Set(first.data.map((customer) => customer.updated_at))).toEqual(
          new Set(['2025-03-01T09:00:00.000Z']),
        );
        const second = await listed('updated_since=2025-03-01T09:00:00Z&limit=5&page=2');
        expect(second.ids).toEqual(['CUST019', 'CUST002', 'CUST007', 'CUST016', 'CUST015']);
        expect(second.data[0]).toEqual(shippedCustomers[18]);
        expect(await listed('updated_since=2025-03-01T09:00:00Z&limit=5&page=3')).toMatchObject({
          ids: [],
          total: 10,
        });
      });

      it.each([
        ['2025-03-01T09:00:00.000Z', 10],
        ['2025-03-01T10:00:00+01:00', 10],
        ['2025-03-01T04:00:00.000-0500', 10],
        ['2025-03-01T09:00:00.0001Z', 5],
        ['2025-03-01T09:00:00.001Z', 5],
        ['2025-02-28T23:59:59.999Z', 11],
        ['1970-01-01T00:00:00Z', 21],
        ['2025-09-30T23:59:59.999Z', 1],
        ['2025-10-01T00:00Z', 0],
      ])('reads %s as its instant, a finer one rounded up to the millisecond', async (since, total) => {
        expect((await listed(`updated_since=${encodeURIComponent(since)}&limit=100`)).total).toBe(total);
      });

      it('lists every customer once when read page by page from the start', async () => {
        const ids: string[] = [];
        for (let page = 1; page <= 6; page++) {
          ids.push(...(await listed(`updated_since=2000-01-01T00:00:00Z&limit=4&page=${page}`)).ids);
        }
        expect([...ids].sort()).toEqual(shippedCustomers.map((customer) => customer.customer_id));
        expect(ids.slice(0, 3)).toEqual(['CUST006', 'CUST008', 'CUST010']);
      });

      it.each([
        ['2025-03-01T09:00:00', 'without an offset, which would be a guess at the zone'],
        ['2025-03-01', 'a date alone'],
        ['2025-02-30T09:00:00Z', 'a day that does not exist'],
        ['2025-03-01T24:00:00Z', 'hour 24'],
        ['1740819600000', 'epoch milliseconds'],
        ['yesterday', 'a word'],
        ['', 'empty'],
      ])('answers updated_since=%p (%s) with 400 naming the parameter', async (since) => {
        const response = await request(app.getHttpServer())
          .get(`/api/customers?updated_since=${encodeURIComponent(since)}`)
          .expect(400);
        expect(response.body.message).toEqual([
          'updated_since must be an ISO-8601 timestamp with an offset or Z, such as 2025-03-01T09:00:00.000Z',
        ]);
      });

      it('answers a repeated updated_since with 400', async () => {
        const response = await request(app.getHttpServer())
          .get('/api/customers?updated_since=2025-03-01T09:00:00Z&updated_since=2025-06-01T00:00:00Z')
          .expect(400);
        expect(response.body.message[0]).toMatch(/^updated_since must be/);
      });
    });

    it('GET /api/customers/:id serves the bare customer', async () => {
      const response = await request(app.getHttpServer()).get('/api/customers/CUST005').expect(200);
      expect(response.body).toEqual(shippedCustomers[4]);
      expect(response.body.first_name).toBe('Lucía');
    });

    it.each(['CUST999', 'cust001', 'CUST00000001'])('answers an unknown id %s with 404 JSON', async (id) => {
      const response = await request(app.getHttpServer()).get(`/api/customers/${id}`).expect(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `Customer ${id} not found`,
        request_id: expect.any(String),
      });
    });
  });

  describe('serving generated customers', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createMockApiTestApp({ MOCK_CUSTOMERS: '50', MOCK_SEED: '7' });
    });

    afterAll(() => app.close());

    it('pages through exactly N customers with 8-digit ids', async () => {
      const server = app.getHttpServer();
      const first = await request(server).get('/api/customers?limit=3').expect(200);
      expect(first.body.total).toBe(50);
      expect(first.body.data.map((customer: { customer_id: string }) => customer.customer_id)).toEqual([
        'CUST00000001',
        'CUST00000002',
        'CUST00000003',
      ]);
      const last = await request(server).get('/api/customers?page=5&limit=12').expect(200);
      expect(last.body.data.map((customer: { customer_id: string }) => customer.customer_id)).toEqual([
        'CUST00000049',
        'CUST00000050',
      ]);
      const past = await request(server).get('/api/customers?page=6&limit=10').expect(200);
      expect(past.body).toEqual({ data: [], total: 50, page: 6, limit: 10 });
    });

    it('answers the same request with the same bytes', async () => {
      const server = app.getHttpServer();
      const first = await request(server).get('/api/customers?page=2&limit=20').expect(200);
      const again = await request(server).get('/api/customers?page=2&limit=20').expect(200);
      expect(again.text).toBe(first.text);
    });

    it('serves a customer by id, the same one the list holds', async () => {
      const server = app.getHttpServer();
      const list = await request(server).get('/api/customers?page=5&limit=10').expect(200);
      const one = await request(server).get('/api/customers/CUST00000042').expect(200);
      expect(one.body).toEqual(list.body.data[1]);
    });

    it.each(['CUST00000051', 'CUST00000000', 'CUST42', 'CUST001'])(
      'answers %s outside 1..N or malformed with 404 JSON',
      async (id) => {
        const response = await request(app.getHttpServer()).get(`/api/customers/${id}`).expect(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: `Customer ${id} not found`,
          request_id: expect.any(String),
        });
      },
    );
  });
});
