import request from 'supertest';
import { CustomerReadModelRepository } from '@customer-pipeline/data-access';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import {
  PipelineTestApp,
  ScriptedPipeline,
  createPipelineApp,
  createScriptedPipeline,
} from '../../test/pipeline-app';
import { pageOf } from '../../test/scripted-source';

type Customer = Record<string, unknown>;
const idsOf = (body: { data: { customer_id: string }[] }) => body.data.map((c) => c.customer_id);

/** The target of the link with this rel in a Link header. */
function linkTo(header: string | undefined, rel: string): string | undefined {
  return (header ?? '')
    .split(', ')
    .map((part) => /^<([^>]+)>; rel="([^"]+)"$/.exec(part))
    .find((match) => match?.[2] === rel)?.[1];
}

describe('paging, caching and export of customers (e2e)', () => {
  let items: Customer[];
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    items = sourceCustomers(25);
    pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit));
    await http().post('/api/ingest').expect(200);
  });

  afterAll(() => pipeline?.close());

  describe('Link headers and next_cursor', () => {
    it('links the first page to the next and last, and gives the cursor of its last customer', async () => {
      const first = await http().get('/api/customers?limit=10&search=first').expect(200);
      expect(first.body).toMatchObject({
        total: 25,
        page: 1,
        limit: 10,
        has_more: true,
        next_cursor: 'CUST010',
      });
      expect(linkTo(first.headers['link'], 'first')).toBe('/api/customers?search=first&limit=10&page=1');
      expect(linkTo(first.headers['link'], 'prev')).toBeUndefined();
      expect(linkTo(first.headers['link'], 'next')).toBe('/api/customers?search=first&limit=10&page=2');
      expect(linkTo(first.headers['link'], 'last')).toBe('/api/customers?search=first&limit=10&page=3');
    });

    it('links a middle page both ways, and the last page to no next', async () => {
      const middle = await http().get('/api/customers?limit=10&page=2').expect(200);
      expect(linkTo(middle.headers['link'], 'prev')).toBe('/api/customers?limit=10&page=1');
      expect(linkTo(middle.headers['link'], 'next')).toBe('/api/customers?limit=10&page=3');
      const last = await http().get('/api/customers?limit=10&page=3').expect(200);
      expect(last.body).toMatchObject({ has_more: false, next_cursor: null });
      expect(idsOf(last.body)).toEqual(['CUST021', 'CUST022', 'CUST023', 'CUST024', 'CUST025']);
      expect(linkTo(last.headers['link'], 'next')).toBeUndefined();
      expect(linkTo(last.headers['link'], 'prev')).toBe('/api/customers?limit=10&page=2');
    });

    it('follows next links of a keyset walk to the end, each customer once', async () => {
      const seen: string[] = [];
      let next: string | undefined = '/api/customers?limit=7&after=CUST000';
      while (next) {
        const response = await http().get(next).expect(200);
        expect(response.body.page).toBeNull();
        seen.push(...idsOf(response.body));
        next = linkTo(response.headers['link'], 'next');
        if (next) expect(next).toBe(`/api/customers?limit=7&after=${response.body.next_cursor}`);
      }
      expect(seen).toEqual(items.map((c) => c.customer_id));
    });
  });

  describe('conditional requests', () => {
    it('answers 304 to an unchanged ETag, without a database query, and 200 once a run changed data', async () => {
      const first = await http().get('/api/customers/CUST003').expect(200);
      const tag = first.headers['etag'];
      expect(first.headers['cache-control']).toBe('max-age=0, must-revalidate');
      const list = await http().get('/api/customers?limit=5').expect(200);

      // With the table gone, only an answer that asks no database can succeed.
      await pipeline.dataSource.query('ALTER TABLE customers RENAME TO customers_hidden');
      try {
        const cached = await http().get('/api/customers/CUST003').set('If-None-Match', tag).expect(304);
        expect(cached.text).toBe('');
        await http().get('/api/customers?limit=5').set('If-None-Match', list.headers['etag']).expect(304);
      } finally {
        await pipeline.dataSource.query('ALTER TABLE customers_hidden RENAME TO customers');
      }

      // A run that changes nothing keeps every tag valid.
      await http().post('/api/ingest').expect(200);
      await http().get('/api/customers/CUST003').set('If-None-Match', tag).expect(304);

      items[2] = { ...items[2], address: '1 New Street' };
      await http().post('/api/ingest').expect(200);
      const changed = await http().get('/api/customers/CUST003').set('If-None-Match', tag).expect(200);
      expect(changed.body.address).toBe('1 New Street');
      expect(changed.headers['etag']).not.toBe(tag);
      await http().get('/api/customers?limit=5').set('If-None-Match', list.headers['etag']).expect(200);
    });

    it('answers 200 in another pipeline process on the same database as soon as a run committed', async () => {
      const other = await createPipelineApp({ SOURCE_URL: pipeline.source.url }, pipeline.database);
      try {
        const tag = (await request(other.app.getHttpServer()).get('/api/customers/CUST004').expect(200))
          .headers['etag'];
        items[3] = { ...items[3], address: '2 New Street' };
        await http().post('/api/ingest').expect(200);
        const fresh = await request(other.app.getHttpServer())
          .get('/api/customers/CUST004')
          .set('If-None-Match', tag)
          .expect(200);
        expect(fresh.body.address).toBe('2 New Street');
      } finally {
        await other.close();
      }
    });
  });

  describe('export', () => {
    it('streams every customer as NDJSON and as CSV in the seed field names', async () => {
      const ndjson = await http().get('/api/customers/export').expect(200);
      expect(ndjson.headers['content-type']).toContain('application/x-ndjson');
      const lines = ndjson.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toEqual((await http().get('/api/customers?limit=100').expect(200)).body.data);

      const csv = await http().get('/api/customers/export?format=csv&search=customer1').expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="customers.csv"');
      const rows = csv.text.trimEnd().split('\n');
      expect(rows[0]).toBe(
        'customer_id,first_name,last_name,email,phone,address,date_of_birth,account_balance,created_at,updated_at',
      );
      expect(rows).toHaveLength(12);
    });

    it('refuses an unknown format with 400 naming it', async () => {
      const response = await http().get('/api/customers/export?format=xml').expect(400);
      expect(response.body.message).toEqual([
        expect.stringContaining('format must be one of the following values'),
      ]);
    });
  });
});

describe('throttling of bulk reads (e2e)', () => {
  it('does not throttle a keyset walk or an export, but throttles offset pages', async () => {
    const pipeline = await createScriptedPipeline((page, limit) => pageOf(sourceCustomers(3), page, limit), {
      THROTTLE_LIMIT: '3',
    });
    const http = () => request(pipeline.app.getHttpServer());
    try {
      for (let i = 0; i < 6; i++) await http().get('/api/customers?limit=1&after=CUST001').expect(200);
      for (let i = 0; i < 6; i++) await http().get('/api/customers/export?format=csv').expect(200);
      for (let i = 0; i < 3; i++) await http().get('/api/customers?page=1').expect(200);
      await http().get('/api/customers?page=1').expect(429);
      await http().get('/api/customers?limit=1&after=CUST001&search=cust').expect(429);
    } finally {
      await pipeline.close();
    }
  });
});

describe('a cursor walk while a run commits (e2e)', () => {
  it('visits every customer that was there exactly once', async () => {
    let items = sourceCustomers(60);
    const pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit));
    const http = () => request(pipeline.app.getHttpServer());
    try {
      await http().post('/api/ingest').expect(200);
      const seen: string[] = [];
      let after = '';
      for (let page = 0; ; page++) {
        const query = after ? `limit=9&after=${after}` : 'limit=9';
        const body = (await http().get(`/api/customers?${query}`).expect(200)).body;
        seen.push(...idsOf(body));
        if (page === 2) {
          // New customers before and after the cursor, and changes to some already read.
          items = [
            ...items.map((c, i) => (i % 5 === 0 ? { ...c, address: 'Moved' } : c)),
            sourceCustomer(7, { customer_id: 'CUST007a', email: 'new-7a@example.com' }),
            sourceCustomer(70, { customer_id: 'CUST070', email: 'new-70@example.com' }),
          ].sort((a, b) => String(a['customer_id']).localeCompare(String(b['customer_id'])));
          await http().post('/api/ingest').expect(200);
        }
        if (!body.has_more) break;
        after = body.next_cursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => !['CUST007a', 'CUST070'].includes(id))).toEqual(
        sourceCustomers(60).map((c) => c['customer_id']),
      );
      expect(seen).toContain('CUST070');
    } finally {
      await pipeline.close();
    }
  });
});

describe('a burst of costly searches (e2e)', () => {
  let pipeline: PipelineTestApp;

  beforeAll(async () => {
    pipeline = await createPipelineApp({ DATABASE_READ_POOL_SIZE: '4', THROTTLE_LIMIT: '100000' });
    // Enough customers that a search the trigram index cannot serve takes a while.
    await pipeline.dataSource.query(
      `INSERT INTO customers (customer_id, first_name, last_name, email, updated_at)
       SELECT 'B' || lpad(i::text, 7, '0'), 'First' || i, 'Last' || i, 'b' || i || '@example.com', now()
       FROM generate_series(1, 100000) i`,
    );
    await new CustomerReadModelRepository().recordMerge(
      { added: 100_000, removed: 0, changed: 0 },
      pipeline.dataSource.manager,
    );
  }, 60_000);

  afterAll(() => pipeline?.close());

  it('answers 503 with Retry-After beyond capacity, while page-1 reads and health stay 200', async () => {
    const http = () => request(pipeline.app.getHttpServer());
    // 64 different one-character searches: no trigram to use, no cached total to reuse.
    const searches = Array.from({ length: 64 }, (_, i) =>
      http().get(`/api/customers?search=${encodeURIComponent(String.fromCharCode(0x2200 + i))}`),
    );
    const victims = Array.from({ length: 20 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 50));
      const started = Date.now();
      const response = await http().get('/api/customers?limit=10');
      return { status: response.status, ms: Date.now() - started };
    });
    const health = Array.from({ length: 5 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 200));
      return (await http().get('/api/health')).body.database;
    });
    const answers = await Promise.all(searches);
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const refused = answers.filter((response) => response.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/retry shortly/),
      });
    }
    for (const victim of await Promise.all(victims)) expect(victim).toMatchObject({ status: 200 });
    expect(await Promise.all(health)).toEqual(['up', 'up', 'up', 'up', 'up']);
  });
});
