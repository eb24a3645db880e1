import request from 'supertest';
import { sourceCustomers } from '../../test/customer-fixtures';
import { ScriptedPipeline, createScriptedPipeline } from '../../test/pipeline-app';
import { PageAnswer, pageOf } from '../../test/scripted-source';

describe('GET /api/stats (e2e)', () => {
  let answer: (page: number, limit: number) => PageAnswer;
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => answer(page, limit), {
      SOURCE_PAGE_LIMIT: '5',
      SOURCE_RETRIES: '1',
    });
  });

  afterAll(() => pipeline?.close());

  it('starts empty', async () => {
    expect((await http().get('/api/stats').expect(200)).body).toEqual({
      customers: 0,
      runs: 0,
      records_processed: 0,
      records_deleted: 0,
      records_restored: 0,
      last_success: null,
      last_failure: null,
      freshness: expect.objectContaining({ state: 'unscheduled', last_success_at: null }),
    });
  });

  it('counts customers, runs and records, and names the last success and the last failure', async () => {
    answer = (page, limit) => pageOf(sourceCustomers(7), page, limit);
    const success = await http().post('/api/ingest').expect(200);
    answer = (page, limit) =>
      page === 2 ? { status: 500, body: {} } : pageOf(sourceCustomers(7), page, limit);
    await http().post('/api/ingest').expect(502);

    const stats = (await http().get('/api/stats').expect(200)).body;
    expect(stats).toMatchObject({
      customers: 7,
      runs: 2,
      records_processed: 12,
      last_success: { run_id: success.body.run_id, error: null },
      last_failure: { run_id: success.body.run_id + 1, error: 'source answered HTTP 500 for page 2' },
    });
    expect(Date.parse(stats.last_success.finished_at)).not.toBeNaN();
  });
});
