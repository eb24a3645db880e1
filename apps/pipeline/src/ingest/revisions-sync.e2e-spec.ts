import request from 'supertest';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { freePort } from '../../test/free-port';
import { MockApiProcess, startMockApi } from '../../test/mock-api-process';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { readAllCustomers, readAllFromSource } from '../../test/read-all-customers';

/** Revisions of the real mock API: changes on shared instants, deletes, restores and additions. */
const MOCK = {
  MOCK_CUSTOMERS: '2000',
  MOCK_CHANGE_RATE: '0.05',
  MOCK_DELETE_RATE: '0.01',
  MOCK_RESTORE_RATE: '0.3',
  MOCK_ADD_RATE: '0.01',
  LOG_LEVEL: 'silent',
};

type Customer = { customer_id: string };

/**
 * Incremental runs over any sequence of the mock's revisions, then one full run: what the source holds
 * is stored exactly, after each incremental run already, and after the full run nothing else is live.
 */
describe('incremental and full runs over revisions of the real mock API (e2e)', () => {
  let port: number;
  let database: TestDatabase;
  let mock: MockApiProcess | undefined;
  let pipeline: PipelineTestApp | undefined;

  const serveRevision = async (revision: number) => {
    await mock?.stop();
    // The same URL each time: the pipeline sees one source that changes.
    mock = await startMockApi({ ...MOCK, MOCK_REVISION: String(revision) }, port);
  };
  const ingest = async (mode: 'full' | 'incremental') =>
    (await request(pipeline?.app.getHttpServer()).post(`/api/ingest?mode=${mode}`).expect(200)).body;
  const stored = (): Promise<Customer[]> =>
    readAllCustomers((path) =>
      request(pipeline?.app.getHttpServer())
        .get(path)
        .expect(200)
        .then((answer) => answer.body),
    ) as Promise<Customer[]>;
  const byId = (customers: Customer[]) =>
    new Map(customers.map((customer) => [customer.customer_id, customer]));

  beforeAll(async () => {
    port = await freePort();
    database = await createTestDatabase();
    // Revision 0 has every customer on one instant, which an inclusive checkpoint reads again whole: the
    // runs start from revision 1, whose changes spread over instants as a live source's do.
    await serveRevision(1);
    pipeline = await createPipelineApp({
      SOURCE_URL: (mock as MockApiProcess).url,
      SOURCE_PAGE_LIMIT: '100',
      INGEST_LOOKBACK: '0s',
    });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.close();
    await mock?.stop();
    await database?.drop();
  });

  it('stores what each revision holds after its incremental run, and drops the deleted with the full run', async () => {
    expect(await ingest('full')).toMatchObject({ deleted: 0, failed: 0 });
    for (const revision of [2, 3, 5]) {
      await serveRevision(revision);
      const run = await ingest('incremental');
      expect(run).toMatchObject({ mode: 'incremental', deleted: 0, failed: 0 });
      // Only what changed was read: a revision touches about 5% of the customers, plus its additions.
      expect(run.records_processed).toBeLessThan(600);
      const source = (await readAllFromSource((mock as MockApiProcess).url)) as Customer[];
      const kept = byId(await stored());
      expect(source.map((customer) => kept.get(customer.customer_id))).toStrictEqual(source);
    }
    const full = await ingest('full');
    expect(full.deleted).toBeGreaterThan(0);
    expect(await stored()).toStrictEqual(await readAllFromSource((mock as MockApiProcess).url));
  }, 120_000);
});
