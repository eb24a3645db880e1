import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PIPELINE_MAIN, PipelineProcess, startPipelineProcess } from '../../test/pipeline-process';
import { CustomerListPage, readAllCustomers } from '../../test/read-all-customers';
import { ScriptedSource, pageOf } from '../../test/scripted-source';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The built pipeline as an operator runs it: its start-up checks and what it writes to its logs. */
describe('the pipeline process (e2e)', () => {
  it('refuses to start on bad configuration with one message naming every bad variable, and no stack', () => {
    const result = spawnSync(process.execPath, [PIPELINE_MAIN], {
      env: {
        PATH: process.env['PATH'],
        PIPELINE_PORT: 'eighty',
        SOURCE_PAGE_LIMIT: '500',
        LOG_FORMAT: 'xml',
      },
      encoding: 'utf8',
      timeout: 20_000,
      cwd: tmpdir(),
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status).toBe(1);
    expect(output).toContain('Invalid pipeline configuration');
    for (const variable of ['PIPELINE_PORT', 'SOURCE_PAGE_LIMIT', 'LOG_FORMAT', 'DATABASE_URL']) {
      expect(output).toContain(`- ${variable}:`);
    }
    expect(output).not.toMatch(/^\s+at /m);
  });

  describe('running', () => {
    const customers = sourceCustomers(12);
    let database: TestDatabase;
    let source: ScriptedSource;
    let pipeline: PipelineProcess;

    beforeAll(async () => {
      database = await createTestDatabase();
      source = await new ScriptedSource((page, limit) => pageOf(customers, page, limit)).start();
      pipeline = await startPipelineProcess({
        DATABASE_URL: database.url,
        SOURCE_URL: source.url,
        SOURCE_PAGE_LIMIT: '5',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        // Far from UTC, and not by whole hours: dates and timestamps must still round-trip unchanged.
        TZ: 'Pacific/Chatham',
      });
    });

    afterAll(async () => {
      pipeline?.child.kill('SIGTERM');
      await pipeline?.exited;
      await source?.stop();
      await database?.drop();
    });

    const logLines = () => pipeline.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofRequest = (id: string) =>
      logLines().filter((line) => (line['req'] as { id?: string } | undefined)?.id === id);

    it('writes JSON lines that carry the request id, and the run id in ingest lines', async () => {
      const response = await fetch(`${pipeline.url}/api/ingest`, {
        method: 'POST',
        headers: { 'x-request-id': 'ingest-1' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('ingest-1');
      const { run_id } = (await response.json()) as { run_id: number };

      // The request's own line is written as its answer finishes, so it may trail the answer a little.
      await until(() => ofRequest('ingest-1').some((line) => line['msg'] === 'request completed'));
      const lines = ofRequest('ingest-1');
      expect(lines.map((line) => line['msg'])).toEqual(
        expect.arrayContaining(['run queued', 'request completed']),
      );
      expect(lines.find((line) => line['msg'] === 'run queued')).toMatchObject({ run_id, trigger: 'api' });
      // The run itself is a job, which any process may take: its lines carry the run id, not the request's.
      const ofRun = logLines().filter((line) => line['run_id'] === run_id);
      expect(ofRun.find((line) => line['msg'] === 'run started')).toMatchObject({ trigger: 'api' });
      expect(ofRun.find((line) => line['msg'] === 'run succeeded')).toMatchObject({ inserted: 12 });
    });

    it('reads every customer back as the source served it, in a process far from UTC', async () => {
      await until(() => ofRequest('ingest-1').length > 0);
      const stored = await readAllCustomers((path) =>
        fetch(`${pipeline.url}${path}`).then((response) => response.json() as Promise<CustomerListPage>),
      );
      // The scripted source sends no updated_at: it reads back as null.
      expect(stored).toStrictEqual(customers.map((customer) => ({ ...customer, updated_at: null })));
    });

    it('writes no customer personal data at the default level', async () => {
      await fetch(`${pipeline.url}/api/customers?email=customer3@example.com`, {
        headers: { 'x-request-id': 'lookup-1' },
      });
      await fetch(`${pipeline.url}/api/customers/CUST003`);
      await until(() => ofRequest('lookup-1').length === 1);
      const text = pipeline.stdout.join('\n');
      for (const customer of customers) {
        for (const field of ['email', 'phone', 'address', 'date_of_birth']) {
          if (customer[field] !== null) expect(text).not.toContain(String(customer[field]));
        }
      }
    });
  });
});
