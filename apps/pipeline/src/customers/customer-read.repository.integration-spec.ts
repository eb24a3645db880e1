import type { CustomerRecord } from '@customer-pipeline/contracts';
import { Writable } from 'node:stream';
import {
  CustomerReadModelRepository,
  CustomerReadRepository,
  CustomerSummaryListener,
  ReadDatabase,
  ReadDatabaseOptions,
} from '@customer-pipeline/data-access';
import { IngestFixture, createIngestFixture } from '../../test/ingest-fixture';

function customer(n: number, overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  const id = `C${String(n).padStart(6, '0')}`;
  return {
    customer_id: id,
    first_name: `First${n}`,
    last_name: `Last${n}`,
    email: `c${n}@example.com`,
    phone: null,
    address: null,
    date_of_birth: '1990-05-17',
    account_balance: n + 0.25,
    created_at: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

const customers = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => customer(from + i));

describe('CustomerReadRepository on what runs merged (PostgreSQL)', () => {
  let fixture: IngestFixture;
  let database: ReadDatabase;
  let listener: CustomerSummaryListener;
  let reads: CustomerReadRepository;

  const storedCount = async () =>
    Number((await fixture.dataSource.query('SELECT count(*) AS n FROM customers'))[0].n);
  const summaryRow = async () =>
    (
      await fixture.dataSource.query(
        'SELECT total::int AS total, version::int AS version FROM customer_summary',
      )
    )[0];
  /** What the summary listener knows, once it has heard the last commit. */
  const heard = async () => {
    const { version } = await summaryRow();
    for (let i = 0; i < 100 && listener.current()?.version !== version; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return listener.current();
  };

  /** The fixture, for a group's set-up: a clear failure when the database could not be set up at all. */
  const prepared = () => {
    if (!fixture) throw new Error('the test database was not set up');
    return fixture;
  };

  beforeAll(async () => {
    fixture = await createIngestFixture();
    const options: ReadDatabaseOptions = { url: fixture.url, poolSize: 4, statementTimeoutMs: 10_000 };
    database = new ReadDatabase(options);
    listener = new CustomerSummaryListener(options);
    await listener.onApplicationBootstrap();
    reads = new CustomerReadRepository(database, listener);
  });

  afterAll(async () => {
    await listener?.onModuleDestroy();
    await database?.onModuleDestroy();
    await fixture?.close();
  });

  describe('the total', () => {
    beforeAll(() => prepared().reset());

    it('stays exact across inserts, updates, unchanged re-runs, failed and interrupted runs', async () => {
      await fixture.ingest({ records: customers(1, 30) });
      expect(await summaryRow()).toMatchObject({ total: 30 });

      const { version } = await summaryRow();
      await fixture.ingest({ records: [...customers(21, 30), customer(5, { last_name: 'Changed' })] });
      expect(await summaryRow()).toEqual({ total: 30, version: version + 1 });

      // Nothing changed: the version stays, so that clients' ETags stay valid.
      await fixture.ingest({ records: customers(21, 30) });
      expect(await summaryRow()).toEqual({ total: 30, version: version + 1 });

      await fixture.ingest({ records: customers(25, 45) });
      expect(await summaryRow()).toMatchObject({ total: 45 });

      // A run whose merge fails, and one stopped after merging a range: both roll back, total included.
      const run = await fixture.startRun();
      for (let page = 1; page <= 50; page++)
        await fixture.stage(run, page, { records: [customer(1000 + page)] });
      const interrupted = await fixture.merges.open(run);
      interrupted.pageStaged(50);
      for (let page = 1; page <= 50; page++) interrupted.pageStaged(page);
      await interrupted.abort();
      expect(await summaryRow()).toMatchObject({ total: 45 });

      const failing = await fixture.merges.open(run);
      await fixture.dataSource.query(
        'ALTER TABLE customers ADD CONSTRAINT no_more CHECK (customer_id < $$C001000$$)',
      );
      try {
        await expect(failing.complete(async () => undefined)).rejects.toThrow();
        await failing.abort();
      } finally {
        await fixture.dataSource.query('ALTER TABLE customers DROP CONSTRAINT no_more');
      }
      expect(await summaryRow()).toMatchObject({ total: 45 });
      expect(await storedCount()).toBe(45);
      expect((await heard())?.total).toBe(45);
    });

    it('keeps one anchor per 1,000 customers in customer_id order', async () => {
      await fixture.reset();
      await fixture.ingest({
        records: customers(1, 2500).filter((c) => Number(c.customer_id.slice(1)) % 2 === 0),
      });
      await fixture.ingest({
        records: customers(1, 2500).filter((c) => Number(c.customer_id.slice(1)) % 2 === 1),
      });
      const anchors = await fixture.dataSource.query(
        'SELECT position::int AS position, customer_id FROM customer_id_anchors ORDER BY position',
      );
      const ids = (
        await fixture.dataSource.query('SELECT customer_id FROM customers ORDER BY customer_id')
      ).map((row: { customer_id: string }) => row.customer_id);
      expect(anchors).toEqual([0, 1000, 2000].map((position) => ({ position, customer_id: ids[position] })));
    });
  });

  describe('paging', () => {
    let ids: string[];

    beforeAll(async () => {
      await prepared().reset();
      await fixture.ingest({ records: customers(1, 2345) });
      ids = customers(1, 2345).map((c) => c.customer_id);
      await heard();
    });

    it.each([0, 7, 999, 1000, 1001, 2300, 2344])(
      'serves offset %i from the nearest anchor',
      async (offset) => {
        const page = await reads.findPage({ limit: 10, offset });
        expect(JSON.parse(page.json).map((c: CustomerRecord) => c.customer_id)).toEqual(
          ids.slice(offset, offset + 10),
        );
        expect(page).toMatchObject({ total: 2345, hasMore: offset + 10 < 2345 });
      },
    );

    it('answers a page past the end from the known total', async () => {
      expect(await reads.findPage({ limit: 10, offset: 10_000_000 })).toMatchObject({
        json: '[]',
        total: 2345,
      });
    });

    it('walks every customer exactly once with after', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await reads.findPage({ limit: 100, offset: 0, after });
        seen.push(...JSON.parse(page.json).map((c: CustomerRecord) => c.customer_id));
        if (!page.hasMore) break;
        after = page.lastId ?? undefined;
      }
      expect(seen).toEqual(ids);
    });
  });

  describe('by email', () => {
    beforeAll(async () => {
      await prepared().reset();
      await fixture.ingest({ records: customers(1, 50) });
      // C000007 is deleted by a whole run that no longer lists it; a later run gives its email to a new one.
      await fixture.ingestWhole({ records: customers(1, 50).filter((c) => c.customer_id !== 'C000007') });
      await fixture.ingest({ records: [customer(51, { email: 'C7@Example.com' })] });
      await heard();
    });

    const idsOf = (page: { json: string }) => JSON.parse(page.json).map((c: CustomerRecord) => c.customer_id);

    it('finds the one live customer, in any case, with its exact total', async () => {
      const page = await reads.findPage({ limit: 10, offset: 0, email: 'C12@EXAMPLE.com' });
      expect(idsOf(page)).toEqual(['C000012']);
      expect(page).toMatchObject({ total: 1, rows: 1, hasMore: false, lastId: 'C000012' });
    });

    it('finds the live holder of an email a deleted customer had, and nothing for an unknown one', async () => {
      expect(idsOf(await reads.findPage({ limit: 1, offset: 0, email: 'c7@example.com' }))).toEqual([
        'C000051',
      ]);
      expect(await reads.findPage({ limit: 10, offset: 0, email: 'nobody@example.com' })).toMatchObject({
        json: '[]',
        total: 0,
        hasMore: false,
      });
    });

    it('narrows the one customer by a search too', async () => {
      const matching = await reads.findPage({
        limit: 10,
        offset: 0,
        email: 'c12@example.com',
        search: 'irst1',
      });
      expect(idsOf(matching)).toEqual(['C000012']);
      expect(matching.total).toBe(1);
      const other = await reads.findPage({
        limit: 10,
        offset: 0,
        email: 'c12@example.com',
        search: 'Last13',
      });
      expect(other).toMatchObject({ json: '[]', total: 0 });
    });

    it('keeps the total of the filter on a later page, and finds the deleted one only when asked', async () => {
      const later = await reads.findPage({ limit: 10, offset: 10, email: 'c12@example.com' });
      expect(later).toMatchObject({ json: '[]', total: 1 });
      const withDeleted = await reads.findPage({
        limit: 10,
        offset: 0,
        email: 'c7@example.com',
        includeDeleted: true,
      });
      expect(idsOf(withDeleted)).toEqual(['C000007', 'C000051']);
      expect(withDeleted.total).toBe(2);
    });
  });

  describe('search', () => {
    const names = [
      ['Ada', 'Lovelace', 'ada.lovelace@example.com'],
      ['Zoë', 'Ñúñez', 'zoe_n%ez@example.com'],
      ['Back\\slash', 'O’Brien', 'obrien@example.com'],
      ['Ann_a', '50%off', 'anna@example.org'],
      ['ADA', 'Smithson', 'a.smith@example.net'],
    ];
    const searches = [
      'ada',
      'ADA',
      'love',
      'ñúñ',
      '%',
      '_',
      'n%e',
      '\\',
      'o’b',
      'a',
      'ex',
      'mith',
      'zz',
      '@example.',
      'e.c',
      '50%',
    ];

    /** The old query, ILIKE on each field, as the reference of what a search matches. */
    const expected = async (search: string) =>
      (
        await fixture.dataSource.query(
          `SELECT customer_id FROM customers
           WHERE first_name ILIKE $1 OR last_name ILIKE $1 OR email ILIKE $1 ORDER BY customer_id`,
          [`%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`],
        )
      ).map((row: { customer_id: string }) => row.customer_id);

    beforeAll(async () => {
      await prepared().reset();
      // Many plain customers and a few special ones: a rare term is served from the index, a common one
      // by walking customer_id; both must give what ILIKE gives.
      const special = names.map(([first_name, last_name, email], i) =>
        customer(900 + i * 97, { first_name, last_name, email }),
      );
      const plain = customers(1, 1500).filter((c) => !special.some((s) => s.customer_id === c.customer_id));
      await fixture.ingest({ records: [...plain, ...special] });
    });

    it.each(searches)('finds what ILIKE finds for %p, with its total, on every page', async (search) => {
      const want = await expected(search);
      const got: string[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await reads.findPage({ limit: 200, offset, search });
        expect(page.total).toBe(want.length);
        got.push(...JSON.parse(page.json).map((c: CustomerRecord) => c.customer_id));
        if (!page.hasMore) break;
      }
      expect(got).toEqual(want);
    });

    it('serves a keyset walk of a search', async () => {
      const want = await expected('5');
      const got: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await reads.findPage({ limit: 50, offset: 0, after, search: '5' });
        got.push(...JSON.parse(page.json).map((c: CustomerRecord) => c.customer_id));
        if (!page.hasMore) break;
        after = page.lastId ?? undefined;
      }
      expect(got).toEqual(want);
    });

    it('counts a filter again when its page shows a commit the summary heard has not caught up with', async () => {
      const before = await heard();
      // A process that has not heard the next commit yet, as in the moment between a commit and its
      // notification: its count of the filter is kept for the version it heard.
      const lagging = new CustomerReadRepository(database, {
        current: () => before,
      } as unknown as CustomerSummaryListener);
      const search = (limit: number) => lagging.findPage({ limit, offset: 0, search: 'love' });
      expect((await search(10)).total).toBe((await expected('love')).length);
      await fixture.ingest({ records: [customer(5000, { last_name: 'Loveday' })] });
      // Another limit is another page, not kept: it is read, at the new version, against the kept count.
      expect((await search(11)).total).toBe((await expected('love')).length);
    });

    it('hears a version moved by any writer, not only by a merge', async () => {
      await heard();
      await fixture.dataSource.query('UPDATE customer_summary SET version = version + 1');
      const { version } = await summaryRow();
      expect((await heard())?.version).toBe(version);
    });

    it('serves a repeated search from the data of the last run that changed it', async () => {
      const search = (text: string) => reads.findPage({ limit: 10, offset: 0, search: text });
      const names = async (text: string) =>
        JSON.parse((await search(text)).json).map((c: CustomerRecord) => c.first_name);
      await heard();
      expect(await names('lovelace')).toEqual(['Ada']);
      expect(await names('lovelace')).toEqual(['Ada']);
      const ada = JSON.parse((await search('lovelace')).json)[0] as CustomerRecord;
      await fixture.ingest({ records: [{ ...ada, first_name: 'Augusta' }] });
      await heard();
      expect(await names('lovelace')).toEqual(['Augusta']);
      expect((await search('augusta')).total).toBe(1);
    });

    it('matches the trigram index with the expression the searches use', async () => {
      // On a table this small a sequential scan is cheaper: forbid it, to see that the index applies.
      const plan = await fixture.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        return manager.query(
          `EXPLAIN SELECT count(*) FROM customers c
           WHERE (c.first_name || E'\\x01' || c.last_name || E'\\x01' || c.email) ILIKE '%lovel%'`,
        );
      });
      expect(JSON.stringify(plan)).toContain('customers_search_trgm');
    });
  });

  describe('export', () => {
    const COUNT = 100_000;
    // A hundred thousand customers take seconds to insert and to stream on a loaded machine.
    jest.setTimeout(60_000);

    beforeAll(async () => {
      await prepared().reset();
      await fixture.dataSource.query(
        `INSERT INTO customers (customer_id, first_name, last_name, email, phone, address, date_of_birth,
           account_balance, created_at)
         SELECT 'X' || lpad(i::text, 7, '0'), 'Fïrst "' || i, E'Last,\\n' || i, 'x' || i || '@example.com',
                CASE WHEN i % 3 = 0 THEN NULL ELSE '+1-555-' || i END,
                CASE WHEN i % 5 = 0 THEN NULL ELSE E'back\\\\slash ' || i END,
                date '1950-01-01' + (i % 20000), (i % 100000) / 100.0, timestamp '2024-01-15 10:30:00.123'
         FROM generate_series(1, ${COUNT}) i`,
      );
      await new CustomerReadModelRepository().recordMerge(
        { added: COUNT, removed: 0, changed: 0 },
        fixture.dataSource.manager,
      );
    });

    /** Every customer in the wire shape, straight from the table. */
    const table = async () =>
      (
        await fixture.dataSource.query(
          `SELECT customer_id, first_name, last_name, email, phone, address,
             to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, account_balance::float8 AS account_balance,
             to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
             to_char(source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
           FROM customers ORDER BY customer_id`,
        )
      ).map((row: Record<string, unknown>) => ({ ...row }));

    /** A client that keeps all it reads. */
    function collectingClient(): { sink: Writable; text: () => string } {
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
    }

    it('streams every customer as NDJSON, equal to the table', async () => {
      const client = collectingClient();
      await reads.export('ndjson', {}, client.sink, () => undefined);
      const lines = client.text().trimEnd().split('\n');
      expect(lines).toHaveLength(COUNT);
      expect(lines.map((line) => JSON.parse(line))).toEqual(await table());
    });

    it('streams every customer as CSV with a header of the field names, equal to the table', async () => {
      const client = collectingClient();
      await reads.export('csv', {}, client.sink, () => undefined);
      const text = client.text();
      const [header] = text.split('\n', 1);
      expect(header).toBe(
        'customer_id,first_name,last_name,email,phone,address,date_of_birth,account_balance,created_at,updated_at',
      );
      const { parse } = await import('csv-parse/sync');
      const rows: Record<string, string>[] = parse(text, { columns: true });
      const stored = await table();
      expect(rows).toHaveLength(COUNT);
      expect(rows.slice(0, 1000)).toEqual(
        stored
          .slice(0, 1000)
          .map((row: Record<string, unknown>) =>
            Object.fromEntries(
              Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)]),
            ),
          ),
      );
      expect(rows.map((row) => row['customer_id'])).toEqual(
        stored.map((row: { customer_id: string }) => row.customer_id),
      );
    });

    it('holds no more than a little of the export in memory while a slow client reads', async () => {
      const memory = () => process.memoryUsage().arrayBuffers;
      const before = memory();
      let peak = 0;
      let lines = 0;
      let writes = 0;
      // Keeps nothing and reads at a fraction of PostgreSQL's pace: without back-pressure, most of the
      // 30 MB export would wait in this process's buffers.
      const slow = new Writable({
        highWaterMark: 16 * 1024,
        write(chunk: Buffer, _encoding, done) {
          for (const byte of chunk) if (byte === 10) lines++;
          peak = Math.max(peak, memory() - before);
          if (++writes % 32 === 0) setTimeout(done, 1);
          else done();
        },
      });
      await reads.export('ndjson', {}, slow, () => undefined);
      expect(lines).toBe(COUNT);
      expect(peak).toBeLessThan(12 * 2 ** 20);
    });
  });
});
