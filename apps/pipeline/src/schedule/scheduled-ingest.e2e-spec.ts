import { JobQueue } from '@customer-pipeline/data-access';
import { ChangingSource } from '../../test/changing-source';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { ScriptedSource, pageOf } from '../../test/scripted-source';
import { waitFor } from '../../test/wait-for';
import { INCREMENTAL_SCHEDULE_QUEUE } from '../ingest/engine/ingest-jobs';
import { IngestRunService } from '../ingest/engine/ingest-run.service';
import { PageSourceRegistry } from '../ingest/sources/page-source.registry';
import { ScheduledIngestService } from './scheduled-ingest.service';

interface ScheduledRun {
  id: number;
  status: string;
  minute: string;
}

describe('scheduled ingests (e2e)', () => {
  let source: ScriptedSource;
  const processes: PipelineTestApp[] = [];
  const settings = () => ({
    SOURCE_URL: source.url,
    SOURCE_PAGE_LIMIT: '4',
    INGEST_CRON: '* * * * *',
    INGEST_SCHEDULE_CHECK_S: '1',
    INGEST_JOB_POLL_MS: '100',
  });
  const scheduledRuns = (): Promise<ScheduledRun[]> =>
    processes[0].dataSource.query(
      `SELECT id::int, status, date_trunc('minute', started_at)::text AS minute
       FROM ingest_runs WHERE trigger = 'schedule' ORDER BY id`,
    );

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(sourceCustomers(12), page, limit)).start();
    source.latencyMs = 30;
    processes.push(await createPipelineApp(settings()));
    // Two more processes on the same database, as in a scaled-out deployment.
    for (let i = 0; i < 2; i++) processes.push(await createPipelineApp(settings(), processes[0].database));
  }, 60_000);

  afterAll(async () => {
    for (const process of processes.reverse()) await process.close();
    await source?.stop();
  });

  it('keeps INGEST_CRON as a pg-boss schedule in the database', async () => {
    expect(processes[0].app.get(ScheduledIngestService).schedule).toBe('* * * * *');
    expect(await processes[0].dataSource.query('SELECT name, cron, timezone FROM pgboss.schedule')).toEqual([
      { name: 'ingest-schedule', cron: '* * * * *', timezone: 'UTC' },
    ]);
  });

  it('starts one run per tick, whichever of the three processes takes it, recorded with trigger schedule', async () => {
    const [first] = await waitFor(async () => {
      const runs = await scheduledRuns();
      return runs.some((run) => run.status === 'success') ? runs : undefined;
    });
    // Three processes look at the schedule every second; the tick must not start a run in each.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const runs = await scheduledRuns();
    const minutes = runs.map((run) => run.minute);
    expect(new Set(minutes).size).toBe(minutes.length);
    expect(runs[0]).toEqual(first);
  }, 90_000);

  it('skips a tick while a run is going on, leaving that run alone', async () => {
    source.latencyMs = 300;
    const app = processes[1].app;
    const started = await app.get(IngestRunService).start('api', app.get(PageSourceRegistry).resolve('api'));
    const runs = () =>
      processes[0].dataSource.query('SELECT id::int, trigger FROM ingest_runs WHERE id >= $1', [
        started.run.id,
      ]);
    await processes[2].app.get(ScheduledIngestService).tick();
    expect(await runs()).toEqual([{ id: started.run.id, trigger: 'api' }]);
    await started.outcome();
    source.latencyMs = 30;
  });

  it('removes the schedule when a worker process starts without INGEST_CRON', async () => {
    const plain = await createPipelineApp({ SOURCE_URL: source.url }, processes[0].database);
    try {
      expect(plain.app.get(ScheduledIngestService).schedule).toBeNull();
      expect(await plain.dataSource.query('SELECT name FROM pgboss.schedule')).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe('scheduled incremental ingests (e2e)', () => {
  let source: ScriptedSource;
  let pipeline: PipelineTestApp;
  const changing = new ChangingSource(12);

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit, query) => changing.answer(page, limit, query)).start();
    pipeline = await createPipelineApp({
      SOURCE_URL: source.url,
      SOURCE_PAGE_LIMIT: '4',
      // Once a year each: no real tick falls inside the test, which sends the tick itself.
      INGEST_CRON: '0 3 1 1 *',
      INGEST_CRON_INCREMENTAL: '0 4 1 1 *',
      INGEST_JOB_POLL_MS: '100',
    });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.close();
    await source?.stop();
  });

  it('keeps INGEST_CRON_INCREMENTAL beside INGEST_CRON, and its ticks start incremental runs', async () => {
    expect(await pipeline.dataSource.query('SELECT name, cron FROM pgboss.schedule ORDER BY name')).toEqual([
      { name: 'ingest-schedule', cron: '0 3 1 1 *' },
      { name: INCREMENTAL_SCHEDULE_QUEUE, cron: '0 4 1 1 *' },
    ]);
    await pipeline.app
      .get(IngestRunService)
      .start('api', pipeline.app.get(PageSourceRegistry).resolve('api'));
    const first = await waitFor(async () => {
      const [run] = await pipeline.dataSource.query(`SELECT status FROM ingest_runs`);
      return run?.status === 'success' ? run : undefined;
    });
    expect(first).toEqual({ status: 'success' });
    changing.change('CUST004');
    // What pg-boss sends on a tick of the schedule.
    await pipeline.app.get(JobQueue).send(INCREMENTAL_SCHEDULE_QUEUE, { data: {} });
    const scheduled = await waitFor(async () => {
      const [run] = await pipeline.dataSource.query(
        `SELECT trigger, mode, status, records_updated FROM ingest_runs WHERE trigger = 'schedule'`,
      );
      return run?.status === 'success' ? run : undefined;
    });
    expect(scheduled).toEqual({
      trigger: 'schedule',
      mode: 'incremental',
      status: 'success',
      records_updated: 1,
    });
  }, 30_000);
});
