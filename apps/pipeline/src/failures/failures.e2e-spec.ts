import request from 'supertest';
import { sourceCustomer, sourceCustomers } from '../../test/customer-fixtures';
import { ScriptedPipeline, createScriptedPipeline } from '../../test/pipeline-app';
import { pageOf } from '../../test/scripted-source';

describe('GET /api/ingest/runs/:id/failures/summary (e2e)', () => {
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const summary = async (runId: number) =>
    (await http().get(`/api/ingest/runs/${runId}/failures/summary`).expect(200)).body;

  beforeAll(async () => {
    const records = [
      ...sourceCustomers(4),
      sourceCustomer(5, { email: 'no-at-sign' }),
      sourceCustomer(6, { email: 'also-no-at-sign' }),
      sourceCustomer(7, { first_name: '' }),
      sourceCustomer(8, { first_name: 'x'.repeat(101) }),
      sourceCustomer(9, { account_balance: 1.234, email: 'bad' }),
      // CUST001's email, in another case: an email conflict, found by the merge.
      sourceCustomer(10, { email: String(sourceCustomer(1).email).toUpperCase() }),
    ];
    pipeline = await createScriptedPipeline((page, limit) => pageOf(records, page, limit), {
      SOURCE_PAGE_LIMIT: '3',
    });
  });
  afterAll(() => pipeline?.close());

  it("groups a run's quarantined records by field and rule, the largest first, with an example", async () => {
    const run = (await http().post('/api/ingest').expect(200)).body;
    expect(run.failed).toBe(6);
    expect((await summary(run.run_id)).data).toEqual([
      {
        field: 'email',
        rule: 'isEmail',
        reason: 'validation',
        count: 3,
        example_customer_id: 'CUST005',
        example_message: 'email must be an email',
      },
      // Both messages of the length rule, "longer" and "shorter", are one rule.
      {
        field: 'first_name',
        rule: 'codePointLength',
        reason: 'validation',
        count: 2,
        example_customer_id: 'CUST007',
        example_message: 'first_name must be longer than or equal to 1 characters',
      },
      // Equal counts: by reason, then field.
      {
        field: 'email',
        rule: 'emailTaken',
        reason: 'email_conflict',
        count: 1,
        example_customer_id: 'CUST010',
        example_message: 'email belongs to another customer',
      },
      {
        field: 'account_balance',
        rule: 'maxDecimalPlaces',
        reason: 'validation',
        count: 1,
        example_customer_id: 'CUST009',
        example_message: 'account_balance must have at most 2 decimal places',
      },
    ]);
  });

  it('answers an empty list for a run without failures, and 404 for no run', async () => {
    const clean = await createScriptedPipeline((page, limit) => pageOf(sourceCustomers(2), page, limit));
    try {
      const run = (await request(clean.app.getHttpServer()).post('/api/ingest').expect(200)).body;
      const answer = await request(clean.app.getHttpServer())
        .get(`/api/ingest/runs/${run.run_id}/failures/summary`)
        .expect(200);
      expect(answer.body).toEqual({ data: [] });
    } finally {
      await clean.close();
    }
    const missing = await http().get('/api/ingest/runs/424242/failures/summary').expect(404);
    expect(missing.body.message).toBe('Ingest run 424242 not found');
  });
});
