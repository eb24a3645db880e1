import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ScriptedPipeline, createScriptedPipeline, resetPipelineData } from '../../test/pipeline-app';
import { ChangingSource } from '../../test/changing-source';
import { pageOf } from '../../test/scripted-source';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';

/** Soft deletes and lineage: what a full run that read the whole source does to customers it did not see. */
describe('deletes and lineage (e2e)', () => {
  let items: Record<string, unknown>[];
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const ingest = (query = '') => http().post(`/api/ingest${query}`).expect(200);
  const liveIds = async (query = '') =>
    (
      (await http().get(`/api/customers?limit=100${query}`).expect(200)).body.data as {
        customer_id: string;
      }[]
    ).map((customer) => customer.customer_id);
  const ids = (customers: Record<string, unknown>[]) => customers.map((customer) => customer['customer_id']);

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit), {
      SOURCE_PAGE_LIMIT: '4',
    });
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    items = sourceCustomers(10);
    await resetPipelineData(pipeline.dataSource);
  });

  it('marks deleted what a whole full read no longer lists, hides it from reads, and restores it when it returns', async () => {
    await ingest();
    const gone = items.splice(2, 2);
    const second = await ingest();
    expect(second.body).toMatchObject({ status: 'success', deleted: 2, restored: 0, inserted: 0 });

    expect(await liveIds()).toEqual(ids(items));
    expect((await http().get('/api/customers?limit=1').expect(200)).body.total).toBe(8);
    expect((await http().get('/api/stats').expect(200)).body).toMatchObject({
      customers: 8,
      records_deleted: 2,
      records_restored: 0,
      last_success: { run_id: second.body.run_id, mode: 'full' },
    });
    await http().get('/api/customers/CUST003').expect(404);
    const deleted = (await http().get('/api/customers/CUST003?include_deleted=true').expect(200)).body;
    expect(deleted).toMatchObject({ customer_id: 'CUST003', last_run_id: second.body.run_id });
    expect(Date.parse(deleted.deleted_at)).not.toBeNaN();
    const all = (await http().get('/api/customers?limit=100&include_deleted=true').expect(200)).body;
    expect(all.total).toBe(10);
    expect(all.data.filter((customer: { deleted_at: unknown }) => customer.deleted_at !== null)).toHaveLength(
      2,
    );

    items.splice(2, 0, ...gone);
    const third = await ingest();
    expect(third.body).toMatchObject({ deleted: 0, restored: 2, inserted: 0, unchanged: 8 });
    expect(await liveIds()).toEqual(ids(items));
    expect((await http().get('/api/customers/CUST003').expect(200)).body).toMatchObject({
      deleted_at: null,
      last_run_id: third.body.run_id,
    });
  });

  it('frees a deleted customer’s email for a live one from the next run on', async () => {
    await ingest();
    const [gone] = items.splice(0, 1);
    items.push(sourceCustomer(11, { email: gone['email'] }));
    // Pages merge as they arrive, before the run knows what it did not see: CUST001 still holds the email.
    const first = await ingest();
    expect(first.body).toMatchObject({ deleted: 1, inserted: 0, failed: 1 });
    const second = await ingest();
    expect(second.body).toMatchObject({ deleted: 0, inserted: 1, failed: 0 });
    expect((await http().get(`/api/customers?email=${gone['email']}`).expect(200)).body.data).toEqual([
      expect.objectContaining({ customer_id: 'CUST011' }),
    ]);
  });

  it('deletes nothing when the read stopped at INGEST_MAX_PAGES', async () => {
    const capped = await createScriptedPipeline((page, limit) => pageOf(items, page, limit), {
      SOURCE_PAGE_LIMIT: '4',
      INGEST_MAX_PAGES: '1',
    });
    try {
      await request(capped.app.getHttpServer()).post('/api/ingest').expect(200);
      items.splice(0, 4);
      const second = await request(capped.app.getHttpServer()).post('/api/ingest').expect(200);
      expect(second.body).toMatchObject({ inserted: 4, deleted: 0 });
      const run = await request(capped.app.getHttpServer()).get(`/api/ingest/runs/${second.body.run_id}`);
      expect(run.body.notes).toMatch(/deletes were not looked for/);
      const [{ live }] = await capped.dataSource.query(
        'SELECT count(*)::int AS live FROM customers WHERE deleted_at IS NULL',
      );
      expect(live).toBe(8);
    } finally {
      await capped.close();
    }
  });

  it('deletes nothing on an incremental run, which cannot see what vanished; the next full run does', async () => {
    const source = new ChangingSource(10);
    const changing = await createScriptedPipeline((page, limit, query) => source.answer(page, limit, query), {
      SOURCE_PAGE_LIMIT: '4',
    });
    const post = (mode: string) =>
      request(changing.app.getHttpServer()).post(`/api/ingest?mode=${mode}`).expect(200);
    try {
      await post('full');
      source.remove('CUST004');
      source.change('CUST005');
      const incremental = (await post('incremental')).body;
      expect(incremental).toMatchObject({ mode: 'incremental', deleted: 0, updated: 1 });
      const run = (await request(changing.app.getHttpServer()).get(`/api/ingest/runs/${incremental.run_id}`))
        .body;
      expect(run.notes).toContain('deletes were not looked for: an incremental run reads what changed');
      expect((await post('full')).body).toMatchObject({ mode: 'full', deleted: 1, updated: 0 });
    } finally {
      await changing.close();
    }
  });

  it('marks deleted what a CSV no longer holds, as it does for the API', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deletes-')), 'customers.csv');
    const write = (ids: number[]) =>
      writeFileSync(
        file,
        'customer_id,first_name,last_name,email\n' +
          ids.map((n) => `K${n},First${n},Last${n},k${n}@example.com`).join('\n') +
          '\n',
      );
    const csv = await createScriptedPipeline(() => ({ status: 500, body: {} }), { INGEST_CSV_PATH: file });
    const post = () => request(csv.app.getHttpServer()).post('/api/ingest?source=csv').expect(200);
    try {
      write([1, 2, 3, 4, 5]);
      expect((await post()).body).toMatchObject({ inserted: 5, deleted: 0 });
      write([1, 2, 4, 5, 6]);
      expect((await post()).body).toMatchObject({ inserted: 1, deleted: 1 });
      const live = await request(csv.app.getHttpServer()).get('/api/customers').expect(200);
      expect(live.body.data.map((customer: { customer_id: string }) => customer.customer_id)).toEqual([
        'K1',
        'K2',
        'K4',
        'K5',
        'K6',
      ]);
    } finally {
      await csv.close();
    }
  });

  it('does not count a quarantined record as gone', async () => {
    await ingest();
    items[4] = { ...items[4], email: 'not-an-email' };
    const run = await ingest();
    expect(run.body).toMatchObject({ failed: 1, deleted: 0 });
    expect(await liveIds()).toContain('CUST005');
  });

  it('filters by the run that last changed a customer', async () => {
    const first = await ingest();
    items[1] = { ...items[1], account_balance: 1 };
    items.splice(6, 1);
    const second = await ingest();
    expect(await liveIds(`&last_run_id=${second.body.run_id}`)).toEqual(['CUST002']);
    expect(await liveIds(`&last_run_id=${second.body.run_id}&include_deleted=true`)).toEqual([
      'CUST002',
      'CUST007',
    ]);
    expect(await liveIds(`&last_run_id=${first.body.run_id}`)).toHaveLength(8);
    const bad = await http().get('/api/customers?last_run_id=0').expect(400);
    expect(bad.body.message).toEqual(['last_run_id must not be less than 1']);
    // A run id is a plain decimal integer, as everywhere else: not 1e2 for 100.
    expect((await http().get('/api/customers?last_run_id=1e2').expect(400)).body.message).toContain(
      'last_run_id must be an integer number',
    );
    expect((await http().get('/api/customers?include_deleted=yes').expect(400)).body.message).toEqual([
      'include_deleted must be a boolean value',
    ]);
  });
});
