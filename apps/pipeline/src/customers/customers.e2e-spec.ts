import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import {
  PipelineTestApp,
  ScriptedPipeline,
  createPipelineApp,
  createScriptedPipeline,
} from '../../test/pipeline-app';
import { pageOf } from '../../test/scripted-source';

describe('GET /api/customers (e2e)', () => {
  const items = [
    ...sourceCustomers(12),
    sourceCustomer(13, { first_name: 'Zoë', last_name: 'Ñúñez', email: 'zoe_n%ez@example.com' }),
    sourceCustomer(14, { first_name: 'Ada', last_name: 'Lovelace', email: 'Ada.Lovelace@Example.com' }),
  ];
  let pipeline: ScriptedPipeline;
  const get = (path: string) => request(pipeline.app.getHttpServer()).get(path);

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit));
    await request(pipeline.app.getHttpServer()).post('/api/ingest').expect(200);
  });

  afterAll(() => pipeline?.close());

  it('pages through stored customers in customer_id order with the default page size', async () => {
    const first = await get('/api/customers').expect(200);
    expect(first.body).toMatchObject({ total: 14, page: 1, limit: 10 });
    expect(first.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual(
      items.slice(0, 10).map((c) => c.customer_id),
    );
    const second = await get('/api/customers?page=2&limit=10').expect(200);
    expect(second.body.data).toHaveLength(4);
  });

  it('answers an empty page with the true total past the end', async () => {
    expect((await get('/api/customers?page=99&limit=10').expect(200)).body).toEqual({
      data: [],
      total: 14,
      page: 99,
      limit: 10,
      has_more: false,
      next_cursor: null,
    });
  });

  it('searches first name, last name and email case-insensitively', async () => {
    const byName = await get('/api/customers?search=LOVE').expect(200);
    expect(byName.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual(['CUST014']);
    const unicode = await get(`/api/customers?search=${encodeURIComponent('ñúñ')}`).expect(200);
    expect(unicode.body.total).toBe(1);
    const byEmail = await get('/api/customers?search=customer1').expect(200);
    expect(byEmail.body.total).toBe(4);
  });

  it('treats % and _ in a search as the characters themselves', async () => {
    expect((await get(`/api/customers?search=${encodeURIComponent('n%e')}`).expect(200)).body.total).toBe(1);
    expect((await get(`/api/customers?search=${encodeURIComponent('_')}`).expect(200)).body.total).toBe(1);
  });

  it('filters by exact email, ignoring case', async () => {
    const response = await get('/api/customers?email=ada.lovelace@example.com').expect(200);
    expect(response.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual(['CUST014']);
    expect((await get('/api/customers?email=ada@example.com').expect(200)).body.total).toBe(0);
  });

  it.each([
    ['page=0', 'page must not be less than 1'],
    ['page=-1', 'page must not be less than 1'],
    ['page=1.5', 'page must be an integer number'],
    ['page=abc', 'page must be an integer number'],
    ['page=100000000000000000000', 'page must not be greater than 1000000000'],
    ['limit=0', 'limit must not be less than 1'],
    ['limit=101', 'limit must not be greater than 100'],
    ['search=', 'search must be longer than or equal to 1 characters'],
    ['email=nope', 'email must be an email'],
    ['sort=name', 'property sort should not exist'],
    ['after=', 'after must be longer than or equal to 1 characters'],
    ['after=CUST001&page=2', 'page cannot be combined with after'],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const response = await get(`/api/customers?${query}`).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.arrayContaining([message]),
      request_id: expect.any(String),
    });
  });

  it('returns one stored customer, or a 404 JSON body', async () => {
    // The customer as the source sent it (which sent no updated_at), and where it came from.
    expect((await get('/api/customers/CUST013').expect(200)).body).toStrictEqual({
      ...items[12],
      updated_at: null,
      deleted_at: null,
      source_kind: 'api',
      source_location: pipeline.source.url,
      last_run_id: 1,
    });
    expect((await get('/api/customers/NOPE').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Customer NOPE not found',
      request_id: expect.any(String),
    });
  });

  it('answers unknown routes with a 404 JSON body', async () => {
    expect((await get('/api/nothing-here').expect(404)).body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
    });
  });
});

describe('throttling of the read API (e2e)', () => {
  let pipeline: PipelineTestApp;

  beforeAll(async () => {
    pipeline = await createPipelineApp({ THROTTLE_LIMIT: '3', THROTTLE_TTL_MS: '60000' });
  });

  afterAll(() => pipeline?.close());

  it('answers 429 with Retry-After past the limit, and never throttles health or /metrics', async () => {
    const http = () => request(pipeline.app.getHttpServer());
    for (let i = 0; i < 3; i++) await http().get('/api/customers').expect(200);
    const limited = await http().get('/api/customers').expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await http().get('/api/health').expect(200);
    for (let i = 0; i < 5; i++) await http().get('/metrics').expect(200);
  });
});
