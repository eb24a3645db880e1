import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import {
  ScriptedPipeline,
  createPipelineApp,
  createScriptedPipeline,
  resetPipelineData,
} from '../../test/pipeline-app';
import { PageAnswer, pageOf } from '../../test/scripted-source';

type Answer = (page: number, limit: number) => PageAnswer;

describe('POST /api/ingest and the run history (e2e)', () => {
  let answer: Answer;
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const serve =
    (items: unknown[]): Answer =>
    (page, limit) =>
      pageOf(items, page, limit);

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => answer(page, limit), {
      SOURCE_PAGE_LIMIT: '4',
      SOURCE_TIMEOUT_MS: '500',
      SOURCE_RETRIES: '1',
      SOURCE_RETRY_BASE_MS: '10',
    });
  });

  afterAll(() => pipeline?.close());

  beforeEach(async () => {
    pipeline.source.requests.length = 0;
    await resetPipelineData(pipeline.dataSource);
  });

  it('reads every page, stores valid customers, quarantines invalid ones and answers the run summary', async () => {
    const items = [
      ...sourceCustomers(8),
      sourceCustomer(9, { email: 'not-an-email' }),
      sourceCustomer(10, { account_balance: '12.50' }),
    ];
    answer = serve(items);

    const response = await http().post('/api/ingest').expect(200);

    // The seed's fields, then what incremental runs, deletes and the guards added.
    expect(Object.keys(response.body).sort()).toEqual(
      [
        'duration_ms',
        'failed',
        'inserted',
        'records_processed',
        'run_id',
        'status',
        'unchanged',
        'updated',
        'mode',
        'deleted',
        'restored',
        'cursor_from',
        'cursor_to',
        'findings',
      ].sort(),
    );
    expect(response.body).toMatchObject({
      status: 'success',
      records_processed: 10,
      inserted: 8,
      updated: 0,
      unchanged: 0,
      failed: 2,
    });
    expect(response.body.duration_ms).toEqual(expect.any(Number));
    expect(pipeline.source.requests).toEqual([1, 2, 3]);

    const stored = await http().get('/api/customers?limit=100').expect(200);
    expect(stored.body.total).toBe(8);

    const failures = await http().get(`/api/ingest/failures?run_id=${response.body.run_id}`).expect(200);
    expect(failures.body.total).toBe(2);
    expect(failures.body.data.map((f: { customer_id: string }) => f.customer_id)).toEqual([
      'CUST009',
      'CUST010',
    ]);
    expect(failures.body.data[0]).toMatchObject({
      run_id: response.body.run_id,
      page: 3,
      reason: 'validation',
      record: items[8],
      errors: [{ field: 'email', messages: ['email must be an email'] }],
    });
  });

  it('reports unchanged records on a second ingest of the same data, and updates on a change', async () => {
    const items = sourceCustomers(6);
    answer = serve(items);
    await http().post('/api/ingest').expect(200);

    const again = await http().post('/api/ingest').expect(200);
    expect(again.body).toMatchObject({
      records_processed: 6,
      inserted: 0,
      updated: 0,
      unchanged: 6,
      failed: 0,
    });

    answer = serve([...items.slice(0, 5), sourceCustomer(6, { last_name: 'Changed' })]);
    const changed = await http().post('/api/ingest').expect(200);
    expect(changed.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
  });

  it('quarantines a record whose email belongs to another customer with reason email_conflict', async () => {
    answer = serve([sourceCustomer(1), sourceCustomer(2, { email: 'CUSTOMER1@example.com' })]);
    const response = await http().post('/api/ingest').expect(200);
    expect(response.body).toMatchObject({ inserted: 1, failed: 1 });
    const failures = await http().get(`/api/ingest/failures?run_id=${response.body.run_id}`).expect(200);
    expect(failures.body.data).toEqual([
      expect.objectContaining({ customer_id: 'CUST002', reason: 'email_conflict', page: 1 }),
    ]);
  });

  describe('when the source fails', () => {
    const before = sourceCustomers(8);
    const after = sourceCustomers(12).map((c) => ({ ...c, last_name: 'Rewritten' }));

    beforeEach(async () => {
      answer = serve(before);
      await http().post('/api/ingest').expect(200);
    });

    async function expectStoredUnchanged(): Promise<void> {
      const stored = await http().get('/api/customers?limit=100').expect(200);
      expect(stored.body.total).toBe(8);
      expect(stored.body.data.every((c: { last_name: string }) => c.last_name !== 'Rewritten')).toBe(true);
    }

    it.each<[string, (page: number, limit: number) => PageAnswer, string]>([
      [
        'answers 503 mid-run',
        (page, limit) => (page === 3 ? { status: 503, body: {} } : pageOf(after, page, limit)),
        'source answered HTTP 503 for page 3',
      ],
      [
        'sends garbage',
        (page, limit) => (page === 2 ? { raw: '<html>oops' } : pageOf(after, page, limit)),
        'source sent an invalid page 2: the body is not JSON',
      ],
      [
        'sends JSON of the wrong shape',
        (page, limit) => (page === 2 ? { status: 200, body: { items: [] } } : pageOf(after, page, limit)),
        'source sent an invalid page 2: expected JSON {data: [...], total}',
      ],
      [
        'times out',
        (page, limit) => (page === 2 ? { hang: true } : pageOf(after, page, limit)),
        'source timed out after 500 ms on page 2',
      ],
    ])(
      '%s: 502 naming the cause, the run stored as failed, no customer changed',
      async (_label, failing, cause) => {
        answer = failing;
        const response = await http().post('/api/ingest').expect(502);
        expect(response.body).toEqual({
          statusCode: 502,
          error: 'Bad Gateway',
          message: cause,
          run_id: expect.any(Number),
          request_id: expect.any(String),
        });

        // The body names the failed run, which holds the same cause.
        const run = await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200);
        expect(run.body).toMatchObject({ status: 'failed', error: cause });
        await expectStoredUnchanged();
      },
    );

    it('is down: 502 naming the cause', async () => {
      const down = await createPipelineApp({ SOURCE_URL: 'http://127.0.0.1:9', SOURCE_RETRIES: '0' });
      try {
        const response = await request(down.app.getHttpServer()).post('/api/ingest').expect(502);
        expect(response.body.message).toBe(
          'source unreachable at http://127.0.0.1:9 (SOURCE_URL) on page 1: ECONNREFUSED',
        );
      } finally {
        await down.close();
      }
    });
  });

  describe('run history', () => {
    it('lists runs newest first with paging, and shows one run', async () => {
      answer = serve(sourceCustomers(2));
      const first = await http().post('/api/ingest').expect(200);
      const second = await http().post('/api/ingest').expect(200);

      const list = await http().get('/api/ingest/runs?limit=1').expect(200);
      expect(list.body).toMatchObject({ total: 2, page: 1, limit: 1 });
      expect(list.body.data.map((r: { id: number }) => r.id)).toEqual([second.body.run_id]);

      const run = await http().get(`/api/ingest/runs/${first.body.run_id}`).expect(200);
      expect(run.body).toMatchObject({
        id: first.body.run_id,
        trigger: 'api',
        status: 'success',
        pages_total: 1,
        pages_fetched: 1,
        source_total: 2,
        records_processed: 2,
        records_inserted: 2,
      });
    });

    it('answers 404 for an unknown run', async () => {
      expect((await http().get('/api/ingest/runs/999999').expect(404)).body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Ingest run 999999 not found',
        request_id: expect.any(String),
      });
    });

    it.each([
      ['abc', 'id must be an integer number'],
      ['1.5', 'id must be an integer number'],
      ['0', 'id must not be less than 1'],
      ['99999999999999999999', 'id must not be greater than 9007199254740991'],
    ])('answers 400 for runs/%s', async (id, message) => {
      const response = await http().get(`/api/ingest/runs/${id}`).expect(400);
      expect(response.body.message).toContain(message);
    });

    it.each([
      ['run_id=abc', 'run_id must be an integer number'],
      ['run_id=0', 'run_id must not be less than 1'],
      ['run_id=99999999999999999999', 'run_id must not be greater than 9007199254740991'],
      ['page=100000000000000000000', 'page must not be greater than 1000000000'],
      ['limit=101', 'limit must not be greater than 100'],
      ['colour=blue', 'property colour should not exist'],
    ])('answers 400 for failures?%s', async (query, message) => {
      const response = await http().get(`/api/ingest/failures?${query}`).expect(400);
      expect(response.body.message).toContain(message);
    });

    it('answers 400 for runs?page past the last page it allows', async () => {
      const response = await http().get('/api/ingest/runs?page=100000000000000000000').expect(400);
      expect(response.body.message).toContain('page must not be greater than 1000000000');
    });
  });
});
