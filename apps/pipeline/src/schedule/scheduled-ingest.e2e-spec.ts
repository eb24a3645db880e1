import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { ScriptedSource, pageOf } from '../../test/scripted-source';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IngestLockRepository } from '@customer-pipeline/data-access';
import { ScheduledIngestService } from './scheduled-ingest.service';

describe('scheduled ingests (e2e)', () => {
  let source: ScriptedSource;
  let pipeline: PipelineTestApp;
  let other: PipelineTestApp;

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(sourceCustomers(12), page, limit)).start();
    source.latencyMs = 30;
    pipeline = await createPipelineApp({
      SOURCE_URL: source.url,
      SOURCE_PAGE_LIMIT: '4',
      INGEST_CRON: '0 3 * * *',
    });
    // A second process on the same database, as in a scaled-out deployment.
    other = await createPipelineApp(
      { SOURCE_URL: source.url, SOURCE_PAGE_LIMIT: '4', INGEST_CRON: '0 3 * * *' },
      pipeline.database,
    );
  });

  afterAll(async () => {
    await other.close();
    await pipeline.close();
    await source.stop();
  });

  it('registers the INGEST_CRON schedule', () => {
    expect(pipeline.app.get(ScheduledIngestService).schedule).toBe('0 3 * * *');
    const job = pipeline.app.get(SchedulerRegistry).getCronJob('scheduled-ingest');
    expect(job.nextDate().toUTC().toFormat('HH:mm')).toBe('03:00');
  });

  it('runs one ingest per tick across processes, recorded with trigger schedule', async () => {
    const tick = new Date();
    await Promise.all([
      pipeline.app.get(ScheduledIngestService).tick(tick),
      other.app.get(ScheduledIngestService).tick(tick),
    ]);
    const runs = await pipeline.dataSource.query('SELECT trigger, status FROM ingest_runs');
    expect(runs).toEqual([{ trigger: 'schedule', status: 'success' }]);
  });

  it('runs one ingest for a tick that a second process reaches only after the first run ended', async () => {
    await pipeline.dataSource.query('TRUNCATE customers, ingest_runs, ingest_staged_pages CASCADE');
    const tick = new Date();
    const first = pipeline.app.get(ScheduledIngestService).tick(tick);
    // The second process gets the lock only once the first run is over: whatever it decided before
    // waiting must not let it run the same tick again.
    const lock = other.app.get(IngestLockRepository);
    const tryAcquire = lock.tryAcquire.bind(lock);
    const spy = jest.spyOn(lock, 'tryAcquire').mockImplementation(async () => {
      await first;
      return tryAcquire();
    });
    try {
      await Promise.all([first, other.app.get(ScheduledIngestService).tick(tick)]);
    } finally {
      spy.mockRestore();
    }
    const runs = await pipeline.dataSource.query('SELECT trigger FROM ingest_runs');
    expect(runs).toEqual([{ trigger: 'schedule' }]);
  });

  it('is off without INGEST_CRON', async () => {
    const plain = await createPipelineApp({ SOURCE_URL: source.url });
    try {
      expect(plain.app.get(ScheduledIngestService).schedule).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
