import request from 'supertest';
import { ScriptedPipeline, createScriptedPipeline, resetPipelineData } from '../../test/pipeline-app';
import { PageAnswer, pageOf } from '../../test/scripted-source';
import { sourceCustomers } from '../../test/customer-fixtures';

/**
 * The quality guards at their production defaults (the volume guard from 10 records): a held run applies
 * nothing until it is approved, which applies exactly what was staged, or rejected, which applies nothing.
 */
const DELETE_SHARE_HOLDS = 'ingest_guard_findings_total{guard="delete_share",action="hold"}';

describe('quality guards (e2e)', () => {
  let items: Record<string, unknown>[];
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const ingest = async () => (await http().post('/api/ingest').expect(200)).body;
  /** Every stored customer as the read API serves it, deleted ones included. */
  const stored = async () =>
    (await http().get('/api/customers?limit=100&include_deleted=true').expect(200)).body.data;
  const holds = (run: { findings: { guard: string; action: string }[] }) =>
    run.findings.filter((finding) => finding.action === 'hold').map((finding) => finding.guard);
  const metric = async (name: string) => {
    const line = (await http().get('/metrics').expect(200)).text
      .split('\n')
      .find((candidate) => candidate.startsWith(`${name} `));
    return Number(line?.split(' ')[1]);
  };

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit), {
      SOURCE_PAGE_LIMIT: '10',
      INGEST_MAX_DELETE_SHARE: '0.1',
      INGEST_MAX_VOLUME_CHANGE: '0.3',
      INGEST_VOLUME_MIN_RECORDS: '10',
      INGEST_MAX_INVALID_SHARE: '0.2',
      INGEST_SCHEMA_DRIFT: 'review',
    });
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    items = sourceCustomers(40);
    await resetPipelineData(pipeline.dataSource);
  });

  it('holds a run that would delete more than INGEST_MAX_DELETE_SHARE, blocks others, and approves what was staged', async () => {
    await ingest();
    const before = await stored();
    const heldBefore = await metric('ingest_runs_total{outcome="needs_review"}');
    const findingsBefore = await metric(DELETE_SHARE_HOLDS);
    const removed = items.splice(0, 6);

    const held = await ingest();
    // Nothing was applied, so nothing is counted as deleted: the finding says what approval would do.
    expect(held).toMatchObject({ status: 'needs_review', deleted: 0, inserted: 0 });
    expect(held.findings[0].details).toEqual({ stored: 40, deleting: 6 });
    expect(holds(held)).toEqual(['delete_share']);
    expect(held.findings[0].message).toMatch(/would delete 6 of 40 stored customers \(15%/);
    expect(await stored()).toEqual(before);
    expect(await metric('ingest_runs_total{outcome="needs_review"}')).toBe(heldBefore + 1);
    expect(await metric(DELETE_SHARE_HOLDS)).toBe(findingsBefore + 1);

    const blocked = await http().post('/api/ingest').expect(409);
    expect(blocked.body).toMatchObject({
      run_id: held.run_id,
      message: expect.stringMatching(/needs review/),
    });
    expect((await http().get(`/api/ingest/runs/${held.run_id}`).expect(200)).body.status).toBe(
      'needs_review',
    );

    // The source changes after the hold: approval applies what the held run read, not what is there now.
    items.unshift(...removed);
    items[10] = { ...items[10], account_balance: 1 };
    const approved = (await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(200)).body;
    expect(approved).toMatchObject({ status: 'success', run_id: held.run_id, deleted: 6, updated: 0 });
    const after = await stored();
    expect(after.filter((customer: { deleted_at: unknown }) => customer.deleted_at !== null)).toHaveLength(6);
    expect(
      after.find((customer: { customer_id: string }) => customer.customer_id === 'CUST011'),
    ).toMatchObject({ account_balance: 115.5 });

    // Counted once, when it held the run: the approved run carries the finding, not a new one.
    expect(await metric(DELETE_SHARE_HOLDS)).toBe(findingsBefore + 1);
    const again = await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(409);
    expect(again.body.message).toBe(`ingest run ${held.run_id} is success, not waiting for review`);
  });

  it('refuses to approve a held run whose staged pages a database crash emptied, and changes nothing', async () => {
    await ingest();
    const before = await stored();
    items.splice(0, 6);
    const held = await ingest();
    expect(holds(held)).toEqual(['delete_share']);
    // Staging is unlogged: what a PostgreSQL crash leaves of it.
    await pipeline.dataSource.query('TRUNCATE ingest_staged_pages');

    const refused = await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(409);
    expect(refused.body).toMatchObject({
      run_id: held.run_id,
      message: expect.stringMatching(/staged pages are gone .*reject the run first/),
    });
    expect(await stored()).toEqual(before);
    expect((await http().get(`/api/ingest/runs/${held.run_id}`).expect(200)).body.status).toBe(
      'needs_review',
    );
    await http().post(`/api/ingest/runs/${held.run_id}/reject`).expect(200);
  });

  it('does not resume an approved run that failed after a crash emptied its staged pages: the next ingest starts afresh and says why', async () => {
    await ingest();
    const before = await stored();
    items.splice(0, 6);
    const held = await ingest();
    // What an approved run leaves when PostgreSQL crashed while it was applied: staging empty, the run
    // failed and still approved, its page counter counted again from what is left.
    await pipeline.dataSource.query('TRUNCATE ingest_staged_pages');
    await pipeline.dataSource.query(
      `UPDATE ingest_runs SET status = 'failed', approved_at = now(), pages_fetched = 0 WHERE id = $1`,
      [held.run_id],
    );

    const next = await ingest();
    expect(next.run_id).not.toBe(held.run_id);
    expect(holds(next)).toEqual(['delete_share']);
    expect(await stored()).toEqual(before);
    const old = (await http().get(`/api/ingest/runs/${held.run_id}`).expect(200)).body;
    expect(old).toMatchObject({
      status: 'failed',
      notes: 'not resumed: it was approved, and its staged pages are gone (PostgreSQL crashed)',
    });
  });

  it('never lets an empty listing wipe the table, and a rejected run leaves it as it was', async () => {
    await ingest();
    const before = await stored();
    items = [];
    const held = await ingest();
    expect(holds(held)).toEqual(['empty_source', 'volume']);

    const rejected = (await http().post(`/api/ingest/runs/${held.run_id}/reject`).expect(200)).body;
    expect(rejected).toMatchObject({ id: held.run_id, status: 'rejected' });
    expect(await stored()).toEqual(before);
    const [{ staged }] = await pipeline.dataSource.query(
      'SELECT count(*)::int AS staged FROM ingest_staged_pages WHERE run_id = $1',
      [held.run_id],
    );
    expect(staged).toBe(0);

    items = sourceCustomers(40);
    const next = await ingest();
    expect(next).toMatchObject({ status: 'success', unchanged: 40 });
    expect(next.run_id).toBeGreaterThan(held.run_id);
    await http().post(`/api/ingest/runs/${held.run_id}/reject`).expect(409);
  });

  it('holds a full run whose record count moved by more than INGEST_MAX_VOLUME_CHANGE', async () => {
    await ingest();
    items = sourceCustomers(60);
    const held = await ingest();
    expect(holds(held)).toEqual(['volume']);
    expect(held.findings[0].details).toEqual({ records: 60, previous: 40 });
    expect(await stored()).toHaveLength(40);
  });

  it('holds a run that quarantines more than INGEST_MAX_INVALID_SHARE of its records', async () => {
    for (let i = 0; i < 9; i++) items[i] = { ...items[i], email: 'not-an-email' };
    const held = await ingest();
    expect(holds(held)).toEqual(['invalid_share']);
    expect(held.findings[0].message).toBe(
      '9 of 40 records were quarantined (22.5%, more than INGEST_MAX_INVALID_SHARE 20%)',
    );
    expect(await stored()).toEqual([]);
    const approved = (await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(200)).body;
    expect(approved).toMatchObject({ inserted: 31, failed: 9 });
    // The read model moves with the approved merge: totals, as everywhere else.
    expect((await http().get('/api/stats').expect(200)).body.customers).toBe(31);
    expect((await http().get('/api/customers?limit=1').expect(200)).body.total).toBe(31);
  });

  it('warns of fields the contract does not know on a first run, and holds drift against the last success with INGEST_SCHEMA_DRIFT=review', async () => {
    items = items.map((customer) => ({ ...customer, loyalty_tier: 'gold' }));
    const warned = () => metric('ingest_guard_findings_total{guard="schema_drift",action="warn"}');
    const warnedBefore = await warned();
    const first = await ingest();
    expect(await warned()).toBe(warnedBefore + 1);
    expect(first.status).toBe('success');
    expect(first.findings).toEqual([
      {
        guard: 'schema_drift',
        action: 'warn',
        message: 'the source sends a field the contract does not know: loyalty_tier',
        details: { field: 'loyalty_tier', count: 40, example: 'CUST001' },
      },
    ]);

    // Still valid records: phone is optional, and the contract does not look at loyalty_tier.
    items = items.map(({ phone, ...customer }) => ({ ...customer, loyalty_tier: phone === null ? 1 : 2 }));
    const held = await ingest();
    expect(held.status).toBe('needs_review');
    expect(holds(held)).toEqual(['schema_drift', 'schema_drift']);
    expect(held.findings.map((finding: { message: string }) => finding.message).sort()).toEqual([
      'loyalty_tier came as number, which it never did before',
      'the source stopped sending phone',
    ]);
  });
});

describe('an approved run whose read stopped short (e2e)', () => {
  let items: Record<string, unknown>[];
  let answer: (page: number, limit: number) => PageAnswer;
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => answer(page, limit), {
      SOURCE_PAGE_LIMIT: '10',
      INGEST_MAX_PAGES: '2',
      INGEST_MAX_INVALID_SHARE: '0.2',
    });
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    answer = (page, limit) => pageOf(items, page, limit);
    await resetPipelineData(pipeline.dataSource);
  });

  it('applies what it read and deletes nothing past the cap, which it never saw', async () => {
    items = sourceCustomers(20);
    await http().post('/api/ingest').expect(200);
    // New customers come first in the listing now: the two pages the cap allows hold only those.
    const newcomers = sourceCustomers(40).slice(20);
    for (let i = 0; i < 5; i++) newcomers[i] = { ...newcomers[i], email: 'not-an-email' };
    items = [...newcomers, ...items];

    const held = (await http().post('/api/ingest').expect(200)).body;
    expect(held).toMatchObject({ status: 'needs_review', records_processed: 20 });
    const approved = (await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(200)).body;
    expect(approved).toMatchObject({ status: 'success', inserted: 15, deleted: 0 });
    expect((await http().get('/api/customers?limit=1').expect(200)).body.total).toBe(35);
    // What the held read noticed, noticed again by the approved merge, is said once.
    expect((await http().get(`/api/ingest/runs/${held.run_id}`).expect(200)).body.notes).toBe(
      'stopped at the page cap (2 pages); deletes were not looked for: the run did not read the whole source; ' +
        'read 20 records but the source announced 40',
    );
  });

  it('applies what it read and deletes nothing past a repeated page, where it stopped', async () => {
    items = sourceCustomers(20);
    await http().post('/api/ingest').expect(200);
    const newcomers = sourceCustomers(30).slice(20);
    for (let i = 0; i < 5; i++) newcomers[i] = { ...newcomers[i], email: 'not-an-email' };
    // A source that announces two pages and answers the first one twice: the read stops at page 1.
    answer = (page, limit) => ({
      status: 200,
      body: { data: newcomers.slice(0, limit), total: 20, page, limit },
    });

    const held = (await http().post('/api/ingest').expect(200)).body;
    expect(held.status).toBe('needs_review');
    const approved = (await http().post(`/api/ingest/runs/${held.run_id}/approve`).expect(200)).body;
    expect(approved).toMatchObject({ status: 'success', inserted: 5, deleted: 0 });
    expect((await http().get('/api/customers?limit=1').expect(200)).body.total).toBe(25);
  });
});
