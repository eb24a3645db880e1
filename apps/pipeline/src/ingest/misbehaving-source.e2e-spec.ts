import request from 'supertest';
import { createTestDatabase } from '@customer-pipeline/data-access/testing';
import { checkCustomerRecord } from '@customer-pipeline/contracts';
import { MockApiProcess, startMockApi } from '../../test/mock-api-process';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { readAllCustomers, readAllFromSource } from '../../test/read-all-customers';

const CUSTOMERS = '3000';

interface Customer {
  customer_id: string;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Successful customers requests the mock API has answered, from its own /metrics. */
async function pagesServed(mock: MockApiProcess): Promise<number> {
  const metrics = await fetch(`${mock.url}/metrics`).then((response) => response.text());
  const line = metrics
    .split('\n')
    .find((candidate) =>
      candidate.startsWith('http_requests_total{method="GET",route="/api/customers",status_code="200"}'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The engine's guarantees against the real mock API, with its failure modes switched on. */
describe('ingesting from a misbehaving mock API (e2e)', () => {
  let mock: MockApiProcess;
  let pipeline: PipelineTestApp;
  const http = () => request(pipeline.app.getHttpServer());
  const stored = () =>
    readAllCustomers((path) =>
      http()
        .get(path)
        .expect(200)
        .then((r) => r.body),
    );

  async function start(mockEnvironment: Record<string, string>, pipelineConfig: Record<string, string> = {}) {
    mock = await startMockApi({ MOCK_CUSTOMERS: CUSTOMERS, ...mockEnvironment });
    pipeline = await createPipelineApp({ SOURCE_URL: mock.url, ...pipelineConfig });
  }

  afterEach(async () => {
    await pipeline?.close();
    await mock?.stop();
  });

  it('ends equal to the source when 20% of source requests fail, and counts the retries', async () => {
    await start({ MOCK_FAILURE_RATE: '0.2' }, { SOURCE_RETRIES: '10' });
    const clean = await startMockApi({ MOCK_CUSTOMERS: CUSTOMERS });
    try {
      const response = await http().post('/api/ingest').expect(200);
      expect(response.body).toMatchObject({ status: 'success', records_processed: 3000, inserted: 3000 });
      const run = await http().get(`/api/ingest/runs/${response.body.run_id}`).expect(200);
      expect(run.body.retries).toBeGreaterThan(0);
      expect(await stored()).toStrictEqual(await readAllFromSource(clean.url));
    } finally {
      await clean.stop();
    }
  }, 60_000);

  it('quarantines invalid records with their field errors while every valid one lands', async () => {
    await start({ MOCK_INVALID_RATE: '0.05' });
    const served = (await readAllFromSource(mock.url)) as Customer[];
    const valid = served.filter((customer) => checkCustomerRecord(customer).valid);
    const invalidIds = served.filter((customer) => !valid.includes(customer)).map((c) => c.customer_id);
    expect(invalidIds.length).toBeGreaterThan(50);

    const response = await http().post('/api/ingest').expect(200);
    expect(response.body).toMatchObject({
      records_processed: 3000,
      inserted: valid.length,
      failed: invalidIds.length,
    });
    expect(await stored()).toStrictEqual(valid);

    const failures = await readAllCustomers((path) =>
      http()
        .get(path.replace('/api/customers', '/api/ingest/failures').concat(`&run_id=${response.body.run_id}`))
        .expect(200)
        .then((r) => r.body),
    );
    expect(failures.map((failure) => (failure as Customer).customer_id).sort()).toEqual(invalidIds);
    for (const failure of failures as { reason: string; errors: unknown[] }[]) {
      expect(failure.reason).toBe('validation');
      expect(failure.errors.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('fails a run whose source goes down mid-run without touching customers, then resumes it', async () => {
    await start({ MOCK_LATENCY_MS: '100' }, { INGEST_CONCURRENCY: '2', SOURCE_RETRIES: '1' });
    const started = await http().post('/api/ingest?wait=false').expect(202);
    const runUrl = `/api/ingest/runs/${started.body.run_id}`;
    await waitFor(async () => ((await http().get(runUrl)).body.progress.pages_done >= 5 ? true : undefined));
    await fetch(`${mock.url}/api/admin/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });

    const failed = await waitFor(async () => {
      const run = (await http().get(runUrl)).body;
      return run.status === 'failed' ? run : undefined;
    });
    expect(failed.error).toMatch(/503/);
    expect(failed.pages_fetched).toBeGreaterThanOrEqual(5);
    expect((await http().get('/api/customers').expect(200)).body.total).toBe(0);

    await fetch(`${mock.url}/api/admin/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: false }),
    });
    const servedBefore = await pagesServed(mock);
    const resumed = await http().post('/api/ingest').expect(200);
    expect(resumed.body).toMatchObject({
      run_id: started.body.run_id,
      records_processed: 3000,
      inserted: 3000,
    });
    // The resumed run fetched only the pages the failed attempt had not staged, page 1 again (to see that
    // the source still serves what is staged), and, the 30th page being full, one that finds nothing.
    expect(failed.pages_fetched).toBeLessThan(30);
    expect((await pagesServed(mock)) - servedBefore).toBeLessThanOrEqual(30 - failed.pages_fetched + 2);
    expect(await stored()).toStrictEqual(await readAllFromSource(mock.url));
  }, 60_000);

  it('rides out a 5 s outage of the source mid-run at the default retry settings', async () => {
    await start(
      { MOCK_LATENCY_MS: '50' },
      // The production pace of retries, not the tests' quick one.
      { INGEST_CONCURRENCY: '2', SOURCE_RETRY_BASE_MS: '1000', SOURCE_RETRY_MAX_MS: '10000' },
    );
    const started = await http().post('/api/ingest?wait=false').expect(202);
    const runUrl = `/api/ingest/runs/${started.body.run_id}`;
    await waitFor(async () => ((await http().get(runUrl)).body.progress.pages_done >= 5 ? true : undefined));
    await fetch(`${mock.url}/api/admin/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true, for_ms: 5000 }),
    });
    const ended = await waitFor(async () => {
      const run = (await http().get(runUrl)).body;
      return run.status === 'success' || run.status === 'failed' ? run : undefined;
    }, 60_000);
    expect(ended).toMatchObject({ status: 'success', records_processed: 3000 });
    expect(ended.retries).toBeGreaterThan(0);
    expect(await stored()).toStrictEqual(await readAllFromSource(mock.url));
  }, 90_000);

  it('applies a revision of the source as updates to the changed customers only', async () => {
    const database = await createTestDatabase();
    mock = await startMockApi({ MOCK_CUSTOMERS: CUSTOMERS });
    pipeline = await createPipelineApp({ SOURCE_URL: mock.url }, database);
    await http().post('/api/ingest').expect(200);
    await pipeline.close();
    await mock.stop();

    // The same URL: a customer read from another source would count as updated, its lineage changed.
    mock = await startMockApi(
      { MOCK_CUSTOMERS: CUSTOMERS, MOCK_REVISION: '1', MOCK_CHANGE_RATE: '0.1' },
      Number(new URL(mock.url).port),
    );
    pipeline = await createPipelineApp({ SOURCE_URL: mock.url }, database);
    try {
      const response = await http().post('/api/ingest').expect(200);
      expect(response.body.updated).toBeGreaterThan(200);
      expect(response.body.updated).toBeLessThan(400);
      expect(response.body).toMatchObject({ inserted: 0, unchanged: 3000 - response.body.updated });
      expect(await stored()).toStrictEqual(await readAllFromSource(mock.url));
    } finally {
      await database.drop();
    }
  }, 60_000);
});
