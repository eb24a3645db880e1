import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { freePort } from '../../test/free-port';
import { MockApiProcess, startMockApi } from '../../test/mock-api-process';
import { PipelineProcess, startPipelineProcess } from '../../test/pipeline-process';
import { readAllFromSource } from '../../test/read-all-customers';
import { queryRows, waitFor } from '../../test/wait-for';

interface RunRow {
  id: number;
  status: string;
  pages_merged: number;
  coordinator_job_id: string;
}

interface Instance {
  pid: number;
  active_jobs: string[];
}

/** Several pipeline processes on one database, as replicas behind a load balancer run. */
describe('runs shared by several pipeline processes (e2e)', () => {
  let mock: MockApiProcess;
  let database: TestDatabase;
  let processes: PipelineProcess[] = [];

  const environment = (role: 'all' | 'api' | 'worker') => ({
    DATABASE_URL: database.url,
    SOURCE_URL: mock.url,
    PIPELINE_ROLE: role,
    INGEST_CONCURRENCY: '3',
    INGEST_RANGE_PAGES: '5',
    INGEST_JOB_POLL_MS: '100',
    INGEST_HEARTBEAT_MS: '200',
    INGEST_HOLDER_TIMEOUT_MS: '1000',
    INGEST_RANGE_RETRY_DELAY_S: '1',
    LOG_LEVEL: 'warn',
  });
  const run = async (id: number) =>
    (
      await queryRows<RunRow>(
        database.url,
        'SELECT id::int, status, pages_merged, coordinator_job_id FROM ingest_runs WHERE id = $1',
        [id],
      )
    )[0];
  const instances = () =>
    queryRows<Instance>(database.url, 'SELECT pid, active_jobs FROM pipeline_instances');
  const storedEqualsSource = async () => {
    const stored = await queryRows<{ customer_id: string; address: string | null }>(
      database.url,
      'SELECT customer_id, address FROM customers ORDER BY customer_id',
    );
    const source = (await readAllFromSource(mock.url)) as { customer_id: string; address: string | null }[];
    expect(stored).toEqual(source.map(({ customer_id, address }) => ({ customer_id, address })));
  };
  const succeeded = (id: number) =>
    waitFor(async () => ((await run(id)).status === 'success' ? true : undefined), 90_000);

  beforeAll(async () => {
    // 10,000 customers, 100 pages of 100, each answered after 60 ms: slow enough to act on mid-run, and
    // enough pages for the merge to take its first 50 while the rest are read.
    mock = await startMockApi({ MOCK_CUSTOMERS: '10000', MOCK_LATENCY_MS: '60', LOG_LEVEL: 'warn' });
  }, 60_000);

  beforeEach(async () => {
    database = await createTestDatabase();
    // One API process and two workers.
    processes = [
      await startPipelineProcess(environment('api')),
      await startPipelineProcess(environment('worker')),
      await startPipelineProcess(environment('worker')),
    ];
  }, 60_000);

  afterEach(async () => {
    for (const process of processes) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    await Promise.all(processes.map((process) => process.exited));
    await database?.drop();
  }, 30_000);

  afterAll(() => mock?.stop());

  const trigger = async (process: PipelineProcess) => {
    const response = await fetch(`${process.url}/api/ingest?wait=false`, { method: 'POST' });
    expect(response.status).toBe(202);
    return ((await response.json()) as { run_id: number }).run_id;
  };

  it('gives the ranges of one run to both workers, and the API process none, ending equal to the source', async () => {
    const [api, ...workers] = processes;
    const id = await trigger(api);
    const holders = new Set<string>();
    await waitFor(async () => {
      const shown = (await fetch(`${api.url}/api/ingest/runs/${id}`).then((r) => r.json())) as {
        status: string;
        progress: { ranges: { running_on: { process: string | null }[] } | null };
      };
      for (const range of shown.progress.ranges?.running_on ?? [])
        if (range.process) holders.add(range.process);
      return shown.status === 'success' ? true : undefined;
    }, 90_000);
    const pids = [...holders].map((holder) => Number(holder.split(':').pop()));
    expect(new Set(pids)).toEqual(new Set(workers.map((worker) => worker.child.pid)));
    await storedEqualsSource();
  }, 120_000);

  it('starts one run for 20 concurrent triggers spread over the three processes', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${processes[i % 3].url}/api/ingest?wait=false`, { method: 'POST' }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { run_id: number },
        })),
      ),
    );
    // Workers serve no ingest route: their answers are 404; of the API process's seven, one starts the run.
    const started = answers.filter((answer) => answer.status === 202);
    expect(started).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused.length).toBe(6);
    for (const answer of refused) expect(answer.body.run_id).toBe(started[0].body.run_id);
    expect(answers.filter((answer) => answer.status === 404)).toHaveLength(13);
    await succeeded(started[0].body.run_id);
    expect(await queryRows(database.url, 'SELECT id FROM ingest_runs')).toHaveLength(1);
  }, 120_000);

  it('finishes on the survivors, with no new trigger, after kill -9 of the coordinator mid-merge', async () => {
    const id = await trigger(processes[0]);
    // The first 50 pages are merged (in the open transaction) while the rest are read, or before the rest.
    const { coordinator_job_id } = await waitFor(async () => {
      const row = await run(id);
      if (row.status !== 'queued' && row.status !== 'running')
        throw new Error(`the run ended (${row.status}) before any of its pages showed as merged`);
      return row.pages_merged > 0 ? row : undefined;
    }, 60_000);
    const holder = await waitFor(async () =>
      (await instances()).find((instance) => instance.active_jobs.includes(coordinator_job_id)),
    );
    const coordinator = processes.find((process) => process.child.pid === holder.pid) as PipelineProcess;
    expect(coordinator).toBeDefined();
    coordinator.child.kill('SIGKILL');
    await succeeded(id);
    expect(
      (await queryRows<{ resumed_count: number }>(database.url, 'SELECT resumed_count FROM ingest_runs'))[0],
    ).toEqual({ resumed_count: 1 });
    await storedEqualsSource();
  }, 120_000);

  it('finishes with no new trigger after kill -9 of a worker that holds ranges', async () => {
    const id = await trigger(processes[0]);
    const { coordinator_job_id } = await waitFor(async () => {
      const row = await run(id);
      return row.status === 'running' ? row : undefined;
    });
    const reader = await waitFor(async () =>
      (await instances()).find(
        (instance) => instance.active_jobs.length > 0 && !instance.active_jobs.includes(coordinator_job_id),
      ),
    );
    const worker = processes.find((process) => process.child.pid === reader.pid) as PipelineProcess;
    worker.child.kill('SIGKILL');
    await succeeded(id);
    await storedEqualsSource();
  }, 120_000);
});

/** The source changes while a run is stopped: the run must not mix the two versions. */
describe('a run taken over after the source changed (e2e)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database?.drop());

  it('reads every page again when page 1 no longer reads as staged, and ends equal to the new source', async () => {
    const port = await freePort();
    const mockEnvironment = { MOCK_CUSTOMERS: '3000', MOCK_CHANGE_RATE: '0.1', LOG_LEVEL: 'warn' };
    let mock = await startMockApi({ ...mockEnvironment, MOCK_LATENCY_MS: '80' }, port);
    const pipelineEnvironment = {
      DATABASE_URL: database.url,
      SOURCE_URL: `http://127.0.0.1:${port}`,
      INGEST_CONCURRENCY: '2',
      INGEST_RANGE_PAGES: '3',
      INGEST_HEARTBEAT_MS: '200',
      INGEST_HOLDER_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    const first = await startPipelineProcess(pipelineEnvironment);
    const id = (
      (await fetch(`${first.url}/api/ingest?wait=false`, { method: 'POST' }).then((r) => r.json())) as {
        run_id: number;
      }
    ).run_id;
    await waitFor(async () => {
      const [{ pages }] = await queryRows<{ pages: number }>(
        database.url,
        'SELECT count(*)::int AS pages FROM ingest_staged_pages',
      );
      return pages >= 8 ? true : undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    await mock.stop();
    // The source moves on: a tenth of its customers get a new address and balance.
    mock = await startMockApi({ ...mockEnvironment, MOCK_REVISION: '1' }, port);
    const second = await startPipelineProcess(pipelineEnvironment);
    try {
      await waitFor(async () => {
        const [row] = await queryRows<{ status: string }>(database.url, 'SELECT status FROM ingest_runs');
        return row.status === 'success' ? true : undefined;
      }, 60_000);
      const [ended] = await queryRows<{ id: number; notes: string }>(
        database.url,
        'SELECT id::int, notes FROM ingest_runs',
      );
      expect(ended.id).toBe(id);
      expect(ended.notes).toMatch(
        /the source changed since the earlier attempt read it; its \d+ staged pages were read again/,
      );
      const stored = await queryRows<{ customer_id: string; address: string | null }>(
        database.url,
        'SELECT customer_id, address FROM customers ORDER BY customer_id',
      );
      const source = (await readAllFromSource(mock.url)) as { customer_id: string; address: string | null }[];
      expect(stored).toEqual(source.map(({ customer_id, address }) => ({ customer_id, address })));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      await mock.stop();
    }
  }, 120_000);
});
