import request from 'supertest';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { ScriptedSource, pageOf } from '../../test/scripted-source';

/** What a resumed run may reuse: staged pages of the same source, young enough. */
describe('resuming a failed run (e2e)', () => {
  const items = sourceCustomers(30);
  let down = true;
  let first: ScriptedSource;
  let second: ScriptedSource;
  const apps: PipelineTestApp[] = [];

  /** A pipeline process on the shared database, reading `source`. */
  const pipelineOn = async (source: ScriptedSource, config: Record<string, string> = {}) => {
    const app = await createPipelineApp(
      { SOURCE_URL: source.url, SOURCE_PAGE_LIMIT: '5', SOURCE_RETRIES: '0', ...config },
      apps[0]?.database,
    );
    apps.push(app);
    return app;
  };
  const failARun = async (app: PipelineTestApp) => {
    down = true;
    const failed = await request(app.app.getHttpServer()).post('/api/ingest').expect(502);
    down = false;
    return failed.body.run_id as number;
  };
  const runs = () =>
    apps[0].dataSource.query('SELECT id::int, status, notes FROM ingest_runs ORDER BY id') as Promise<
      { id: number; status: string; notes: string | null }[]
    >;

  beforeAll(async () => {
    const answer = (page: number, limit: number) =>
      down && page === 4 ? { status: 503, body: {} } : pageOf(items, page, limit);
    first = await new ScriptedSource(answer).start();
    second = await new ScriptedSource(answer).start();
  });

  afterEach(async () => {
    for (const app of apps.splice(0).reverse()) await app.close();
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('resumes a failed run from the same source, within INGEST_RESUME_MAX_AGE', async () => {
    const app = await pipelineOn(first);
    const failed = await failARun(app);
    const resumed = await request(app.app.getHttpServer()).post('/api/ingest').expect(200);
    expect(resumed.body.run_id).toBe(failed);
  });

  it('does not resume a run of another SOURCE_URL: it starts afresh, and the old run says why', async () => {
    const failed = await failARun(await pipelineOn(first));
    const other = await pipelineOn(second);
    const fresh = await request(other.app.getHttpServer()).post('/api/ingest').expect(200);
    expect(fresh.body.run_id).not.toBe(failed);
    expect(second.requests).toContain(3);
    expect(await runs()).toEqual([
      {
        id: failed,
        status: 'failed',
        notes: `not resumed: it read api ${first.url}, this ingest reads api ${second.url}`,
      },
      { id: fresh.body.run_id, status: 'success', notes: null },
    ]);
  });

  it('does not reuse staged pages older than INGEST_RESUME_MAX_AGE', async () => {
    const app = await pipelineOn(first, { INGEST_RESUME_MAX_AGE: '1s' });
    const failed = await failARun(app);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    first.requests.length = 0;
    const fresh = await request(app.app.getHttpServer()).post('/api/ingest').expect(200);
    expect(fresh.body.run_id).not.toBe(failed);
    // Every page was read again.
    expect([...new Set(first.requests)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await runs())[0].notes).toBe(
      'not resumed: its staged pages were read more than INGEST_RESUME_MAX_AGE (1s) ago',
    );
  });

  it('refuses an INGEST_RESUME_MAX_AGE that is not a duration', async () => {
    await expect(pipelineOn(first, { INGEST_RESUME_MAX_AGE: '90 minutes' })).rejects.toThrow(
      'INGEST_RESUME_MAX_AGE must be a duration such as 90s, 30m, 6h or 2d',
    );
  });
});
