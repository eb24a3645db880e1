import { IngestRunRepository, JobQueue } from '@customer-pipeline/data-access';
import { sourceCustomer, sourceCustomers } from '../../../test/customer-fixtures';
import { ScriptedPipeline, createScriptedPipeline } from '../../../test/pipeline-app';
import { pageOf } from '../../../test/scripted-source';
import { waitFor } from '../../../test/wait-for';
import { PageSourceRegistry } from '../sources/page-source.registry';
import { RANGE_QUEUE, RangeJobData, rangeJobId } from './ingest-jobs';
import { RunInterruptedError } from './ingest-errors';
import { IngestRunService } from './ingest-run.service';
import { RangeWorker } from './range-worker';

/** A range job, taken by hand from a process that runs no jobs of its own (role `api`). */
describe('a range job delivered twice (e2e)', () => {
  // 20 customers on pages of 5, one of them invalid: every page staged carries its quarantined records.
  const items = [...sourceCustomers(19), sourceCustomer(20, { email: 'not-an-email' })];
  let pipeline: ScriptedPipeline;
  let jobs: JobQueue;

  beforeAll(async () => {
    pipeline = await createScriptedPipeline((page, limit) => pageOf(items, page, limit), {
      PIPELINE_ROLE: 'api',
      INGEST_RANGE_RETRIES: '1',
      SOURCE_PAGE_LIMIT: '5',
    });
    jobs = pipeline.app.get(JobQueue);
  });

  afterAll(() => pipeline?.close());

  it('stages each page of the range once, with its quarantined records once, however often it is read', async () => {
    const app = pipeline.app;
    const started = await app.get(IngestRunService).start('api', app.get(PageSourceRegistry).resolve('api'));
    await app.get(IngestRunRepository).markRunning(started.run.id);
    const data: RangeJobData = {
      run_id: started.run.id,
      attempt: 0,
      first_page: 1,
      last_page: 4,
      location: pipeline.source.url,
      limit: 5,
    };
    const id = rangeJobId(data.run_id, data.attempt, data.first_page);
    await jobs.insert(RANGE_QUEUE, [{ id, data }]);
    const worker = app.get(RangeWorker);
    const [first] = await jobs.fetch<RangeJobData>(RANGE_QUEUE, 1);
    // The first holder reads two pages and goes silent before it completes the job.
    let checks = 0;
    await expect(worker.read(first, () => ++checks > 2)).rejects.toThrow(RunInterruptedError);

    // The job expires (or the supervisor hands it on), and two holders end up reading it at once.
    expect(await jobs.failActive(RANGE_QUEUE, id, 'simulated expiry')).toBe(true);
    const again = await waitFor(async () => (await jobs.fetch<RangeJobData>(RANGE_QUEUE, 1))[0], 10_000);
    expect(again).toMatchObject({ id, retryCount: 1 });
    pipeline.source.requests.length = 0;
    await Promise.all([worker.read(again, () => false), worker.read(again, () => false)]);

    // Nothing staged before was read again; the pages left were read, by one holder or both.
    expect(pipeline.source.requests.filter((page) => page <= 2)).toEqual([]);
    const staged = await pipeline.dataSource.query(
      'SELECT page, record_count, failed_count FROM ingest_staged_pages ORDER BY page',
    );
    expect(staged).toEqual([
      { page: 1, record_count: 5, failed_count: 0 },
      { page: 2, record_count: 5, failed_count: 0 },
      { page: 3, record_count: 5, failed_count: 0 },
      { page: 4, record_count: 4, failed_count: 1 },
    ]);
    expect(await pipeline.dataSource.query('SELECT customer_id FROM ingest_failures')).toEqual([
      { customer_id: 'CUST020' },
    ]);
    expect((await jobs.states(RANGE_QUEUE, [id]))[0].state).toBe('completed');
  }, 30_000);
});
