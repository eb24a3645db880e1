import fc from 'fast-check';
import request from 'supertest';
import { ChangingSource } from '../../test/changing-source';
import {
  PipelineTestApp,
  ScriptedPipeline,
  createPipelineApp,
  createScriptedPipeline,
  resetPipelineData,
} from '../../test/pipeline-app';
import { pageOf } from '../../test/scripted-source';
import { sourceCustomers } from '../../test/customer-fixtures';

/** Incremental runs from a source that lists changes, against the mistakes sync tools are known for. */
describe('incremental ingests (e2e)', () => {
  let source: ChangingSource;
  let pipeline: ScriptedPipeline;
  /** The updated_since request, counted from 1, that fails with a 500; null: none does. */
  let failRequest: number | null = null;
  let changeRequests = 0;
  const http = () => request(pipeline.app.getHttpServer());
  const ingest = (mode: 'full' | 'incremental', expected = 200) =>
    http().post(`/api/ingest?mode=${mode}`).expect(expected);
  /** What the pipeline stores, in the fields the source changes. */
  const stored = async () =>
    (
      (await pipeline.dataSource.query(
        `SELECT customer_id, account_balance::float8 AS balance FROM customers ORDER BY customer_id`,
      )) as { customer_id: string; balance: number }[]
    ).map(({ customer_id, balance }) => [customer_id, balance]);
  const expected = () =>
    source.all().map((customer) => [customer.customer_id, Number(customer['account_balance'])]);
  const checkpoint = async () =>
    (await pipeline.dataSource.query('SELECT cursor_updated_at, cursor_customer_id FROM ingest_sources'))[0];

  beforeAll(async () => {
    pipeline = await createScriptedPipeline(
      (page, limit, query) => {
        if (query.get('updated_since') && ++changeRequests === failRequest) return { status: 500, body: {} };
        return source.answer(page, limit, query);
      },
      { SOURCE_PAGE_LIMIT: '10', SOURCE_RETRIES: '0' },
    );
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    failRequest = null;
    changeRequests = 0;
    pipeline.source.requests.length = 0;
    await resetPipelineData(pipeline.dataSource);
  });

  it('reads only what changed since the checkpoint, with the overlap of the lookback found unchanged', async () => {
    source = new ChangingSource(100);
    const full = await ingest('full');
    expect(full.body.cursor_to).toEqual({ updated_at: source.all()[99].updated_at, customer_id: 'CUST100' });
    source.change('CUST007');
    source.change('CUST042');
    pipeline.source.requests.length = 0;

    const incremental = await ingest('incremental');
    expect(incremental.body).toMatchObject({
      mode: 'incremental',
      status: 'success',
      updated: 2,
      cursor_from: full.body.cursor_to,
      cursor_to: { updated_at: source.all().find((c) => c.customer_id === 'CUST042')?.updated_at },
    });
    // The lookback (5 minutes of a source whose records are a millisecond apart) reads everything again,
    // and all of it but the two changes is found unchanged.
    expect(incremental.body.unchanged).toBe(100 - 2);
    expect(await stored()).toEqual(expected());
  });

  it('reads on past the checkpoint only, with no lookback, and reads nothing when nothing changed', async () => {
    source = new ChangingSource(100);
    const app = await createPipelineApp(
      { SOURCE_URL: pipeline.source.url, SOURCE_PAGE_LIMIT: '10', INGEST_LOOKBACK: '0s' },
      pipeline.database,
    );
    try {
      const post = (mode: string) =>
        request(app.app.getHttpServer()).post(`/api/ingest?mode=${mode}`).expect(200);
      await post('full');
      const quiet = await post('incremental');
      // The checkpoint's own record is read again (the cursor is inclusive), and nothing else.
      expect(quiet.body).toMatchObject({ records_processed: 1, unchanged: 1, updated: 0 });
      source.change('CUST003');
      expect((await post('incremental')).body).toMatchObject({ records_processed: 2, updated: 1 });
    } finally {
      await app.close();
    }
  });

  it('loses no record that shares its updated_at with more records than a page holds', async () => {
    // 35 customers at one instant, pages of 10: the read must page within the instant.
    source = new ChangingSource(35, { sameTime: true });
    await ingest('full');
    for (const id of ['CUST001', 'CUST002']) source.change(id, '2026-06-01T00:00:00.000Z');
    for (let n = 10; n <= 35; n++) source.change(`CUST0${n}`, '2026-06-01T00:00:00.000Z');
    const incremental = await ingest('incremental');
    expect(incremental.body.updated).toBe(28);
    expect(await stored()).toEqual(expected());
  });

  it('loses no record while updates move records to the end of the listing between its pages', async () => {
    source = new ChangingSource(60);
    await ingest('full');
    for (let n = 11; n <= 60; n++) source.change(`CUST0${n}`);
    // On every request after the first, one of the records not yet read moves to the end: with plain offset
    // paging, the record behind it would move up into a page already read and never be read.
    let moved = 40;
    source.beforePage = (_page, query) => {
      if (query.get('updated_since') && pipeline.source.requests.length > 1 && moved < 60)
        source.change(`CUST0${++moved}`);
    };
    try {
      await ingest('incremental');
    } finally {
      source.beforePage = () => undefined;
    }
    expect(await stored()).toEqual(expected());
  });

  it('after any sequence of changes, ties, deletes and re-adds, incremental runs then a full one equal the source', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('change' as const),
        of: fc.subarray(ids, { minLength: 1 }),
        tie: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('remove' as const),
        of: fc.subarray(ids, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ kind: fc.constant('add' as const), of: fc.subarray(ids, { minLength: 1, maxLength: 3 }) }),
      // Changes committed late at the newest instant the source had listed: the checkpoint's own time.
      fc.record({
        kind: fc.constant('late' as const),
        of: fc.subarray(ids, { minLength: 1, maxLength: 3 }),
      }),
    );
    const idOf = (n: number) => `CUST${String(n).padStart(3, '0')}`;
    const apply = (change: { kind: string; of: number[]; tie?: boolean }) => {
      const present = new Set(source.all().map((customer) => customer.customer_id));
      const newest = source
        .all()
        .map((customer) => customer.updated_at)
        .sort()
        .at(-1);
      const at = change.kind === 'late' ? newest : change.tie ? source.now() : undefined;
      for (const n of change.of) {
        if (change.kind === 'remove') source.remove(idOf(n));
        else if (change.kind === 'add' && !present.has(idOf(n))) source.add(n, at);
        else if (change.kind !== 'add' && present.has(idOf(n))) source.change(idOf(n), at);
      }
    };
    // A pipeline of its own, the only one on its database: no lookback, and pages smaller than a tie, so
    // that every boundary of the cursor is exercised.
    const own = await createScriptedPipeline((page, limit, query) => source.answer(page, limit, query), {
      SOURCE_PAGE_LIMIT: '4',
      INGEST_LOOKBACK: '0s',
    });
    const post = (mode: string) =>
      request(own.app.getHttpServer()).post(`/api/ingest?mode=${mode}`).expect(200);
    const balances = async (where = '') =>
      (
        (await own.dataSource.query(
          `SELECT customer_id, account_balance::float8 AS balance FROM customers ${where} ORDER BY customer_id`,
        )) as { customer_id: string; balance: number }[]
      ).map(({ customer_id, balance }) => [customer_id, balance]);
    /** Stored balances of the customers the source has: an incremental run misses no change. */
    const storedOfSource = async () => {
      const wanted = new Set(source.all().map((customer) => customer.customer_id));
      return (await balances()).filter(([id]) => wanted.has(id as string));
    };
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
          await resetPipelineData(own.dataSource);
          source = new ChangingSource(12);
          await post('full');
          for (const change of steps) {
            apply(change);
            await post('incremental');
            expect(await storedOfSource()).toEqual(expected());
          }
          await post('full');
          expect(await balances('WHERE deleted_at IS NULL')).toEqual(expected());
        }),
        { numRuns: 12 },
      );
    } finally {
      await own.close();
    }
  }, 120_000);

  it('picks up, in the next incremental run, a record updated while a run was reading', async () => {
    source = new ChangingSource(30);
    await ingest('full');
    source.change('CUST005');
    // The first record of the listing changes once the run has read its first page: the run has seen it
    // already, in its older version.
    source.beforePage = (page) => {
      if (page === 2) source.change('CUST005');
    };
    await ingest('incremental');
    source.beforePage = () => undefined;
    await ingest('incremental');
    expect(await stored()).toEqual(expected());
  });

  it('never moves the checkpoint past the moment the run began to read, whatever the source clock says', async () => {
    source = new ChangingSource(10);
    // A source whose clock runs an hour ahead stamped one customer in what is, here, the future.
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    source.change('CUST003', ahead);
    const full = (await ingest('full')).body;
    const run = (await http().get(`/api/ingest/runs/${full.run_id}`).expect(200)).body;
    expect(run.cursor_to.updated_at).toBe(run.read_started_at);

    // Changed after that run read it, at a time before the ahead one: a checkpoint at `ahead` would skip it.
    source.change('CUST005', new Date().toISOString());
    const next = (await ingest('incremental')).body;
    expect(next).toMatchObject({ mode: 'incremental', updated: 1 });
    expect(await stored()).toEqual(expected());
  });

  it('does not advance the checkpoint on a failed incremental run, and the next one reads from it', async () => {
    source = new ChangingSource(50);
    await ingest('full');
    const before = await checkpoint();
    for (let n = 1; n <= 50; n++) source.change(`CUST0${String(n).padStart(2, '0')}`);
    changeRequests = 0;
    failRequest = 3;
    const failed = await ingest('incremental', 502);
    expect(await checkpoint()).toEqual(before);
    expect((await http().get(`/api/ingest/runs/${failed.body.run_id}`)).body).toMatchObject({
      status: 'failed',
      mode: 'incremental',
      cursor_to: null,
    });
    failRequest = null;
    const next = await ingest('incremental');
    expect(next.body.cursor_from).toEqual({
      updated_at: before.cursor_updated_at.toISOString(),
      customer_id: before.cursor_customer_id,
    });
    expect(await stored()).toEqual(expected());
  });

  it('reads a first incremental run in full, saying so: there is no checkpoint yet', async () => {
    source = new ChangingSource(20);
    const first = await ingest('incremental');
    expect(first.body.mode).toBe('full');
    const run = (await http().get(`/api/ingest/runs/${first.body.run_id}`)).body;
    expect(run.notes).toContain('read in full: no run has committed a checkpoint for this source yet');
  });
});

describe('incremental ingests of a source that cannot list changes (e2e)', () => {
  let pipeline: PipelineTestApp | undefined;
  const items = sourceCustomers(12);

  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  it('refuses with 409 naming the reason, by default', async () => {
    const scripted = await createScriptedPipeline((page, limit) => pageOf(items, page, limit));
    pipeline = scripted;
    const refused = await request(scripted.app.getHttpServer())
      .post('/api/ingest?mode=incremental')
      .expect(409);
    expect(refused.body.message).toBe(
      `an incremental ingest needs a source that lists changes (updated_since): ${scripted.source.url} does not ` +
        'list customers by updated_since (set SOURCE_INCREMENTAL=yes if it does)',
    );
  });

  it('reads in full when INGEST_INCREMENTAL_FALLBACK=full, noting why', async () => {
    const scripted = await createScriptedPipeline((page, limit) => pageOf(items, page, limit), {
      INGEST_INCREMENTAL_FALLBACK: 'full',
    });
    pipeline = scripted;
    const http = () => request(scripted.app.getHttpServer());
    const run = await http().post('/api/ingest?mode=incremental').expect(200);
    expect(run.body).toMatchObject({ mode: 'full', inserted: 12 });
    expect((await http().get(`/api/ingest/runs/${run.body.run_id}`)).body.notes).toMatch(
      /^read in full, not incrementally: .* does not list customers by updated_since/,
    );
  });

  it('refuses incremental runs of a CSV source', async () => {
    pipeline = await createPipelineApp({ INGEST_CSV_PATH: '/tmp/customers.csv' });
    const refused = await request(pipeline.app.getHttpServer())
      .post('/api/ingest?mode=incremental&source=csv')
      .expect(409);
    expect(refused.body.message).toContain('a csv source has no listing of changes');
  });
});
