import { checkCustomerRecord } from '@customer-pipeline/contracts';
import { CustomerEntity } from '@customer-pipeline/data-access';
import { IngestFixture, ValidatedPageContent, createIngestFixture } from '../../../test/ingest-fixture';

function sourceRecord(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer_id: id,
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: `${id.toLowerCase()}@example.com`,
    ...overrides,
  };
}

// What a source may send and PostgreSQL may refuse, in the places it refuses it: text columns, the
// JSONB of staged pages and of quarantined records, and VARCHAR(n) counted in code points.
describe('RunMerge with text PostgreSQL cannot store as sent (PostgreSQL)', () => {
  let fixture: IngestFixture;

  /** Checks one source page against the contract the way an ingest does, then ingests it as a run. */
  async function ingestPage(raws: Record<string, unknown>[]): Promise<number> {
    const page: Required<ValidatedPageContent> = { records: [], failures: [] };
    for (const raw of raws) {
      const check = checkCustomerRecord(raw);
      if (check.valid) {
        page.records.push(check.customer);
        continue;
      }
      const customer_id = String(raw['customer_id']);
      page.failures.push({ customer_id, record: raw, errors: check.errors, reason: 'validation' });
    }
    return (await fixture.ingest(page)).runId;
  }

  const quarantined = async (runId: number) =>
    (await fixture.failures.findPage({ runId, page: 1, limit: 10 })).rows;

  beforeAll(async () => (fixture = await createIngestFixture()));
  afterAll(() => fixture?.close());
  beforeEach(() => fixture.reset());

  it('merges a page whose names fill their columns in code points, and quarantines longer ones', async () => {
    const runId = await ingestPage([
      sourceRecord('C1', { first_name: '❤️'.repeat(50), last_name: '😀'.repeat(100) }),
      sourceRecord('C2', { first_name: '❤️'.repeat(60) }),
    ]);

    const customers = fixture.dataSource.getRepository(CustomerEntity);
    expect(await customers.findOneByOrFail({ customer_id: 'C1' })).toMatchObject({
      first_name: '❤️'.repeat(50),
      last_name: '😀'.repeat(100),
    });
    expect(
      (await quarantined(runId)).map((row) => [row.customer_id, row.errors.map((e) => e.field)]),
    ).toEqual([['C2', ['first_name']]]);
  });

  it('quarantines records holding U+0000 or unpaired surrogates, with those characters as U+FFFD', async () => {
    const runId = await ingestPage([
      sourceRecord('C1'),
      sourceRecord('C2\u0000', { first_name: 'Ada\u0000', email: 'c2@example.com' }),
      sourceRecord('C3', { last_name: 'Love\uD83Dlace', 'note\uDE00': ['\u0000', 7, null, { x: '\uD83D' }] }),
    ]);

    expect(await fixture.dataSource.getRepository(CustomerEntity).countBy({})).toBe(1);
    const rows = await quarantined(runId);
    expect(rows.map(({ customer_id, record }) => ({ customer_id, record }))).toEqual([
      {
        customer_id: 'C2\uFFFD',
        record: sourceRecord('C2\uFFFD', { first_name: 'Ada\uFFFD', email: 'c2@example.com' }),
      },
      {
        customer_id: 'C3',
        record: sourceRecord('C3', {
          last_name: 'Love\uFFFDlace',
          'note\uFFFD': ['\uFFFD', 7, null, { x: '\uFFFD' }],
        }),
      },
    ]);
    expect(rows[0].errors).toEqual([
      {
        field: 'customer_id',
        messages: ['customer_id must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate'],
      },
      {
        field: 'first_name',
        messages: ['first_name must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate'],
      },
    ]);
  });
});

describe('RunMerge (PostgreSQL)', () => {
  let fixture: IngestFixture;

  beforeAll(async () => (fixture = await createIngestFixture()));
  afterAll(() => fixture?.close());
  beforeEach(() => fixture.reset());

  /** A run with 100 staged pages of 50 customers: two merge statements of 50 pages each. */
  async function stagedRun() {
    const run = await fixture.startRun();
    for (let page = 1; page <= 100; page++) {
      const records = Array.from({ length: 50 }, (_, i) => {
        const check = checkCustomerRecord(sourceRecord(`C${page}-${i}`));
        if (!check.valid) throw new Error('fixture record is invalid');
        return check.customer;
      });
      await fixture.stage(run, page, { records });
    }
    return run;
  }

  it('leaves the run row unlocked while it merges, so progress updates and readers are not held up', async () => {
    const run = await stagedRun();
    const merge = await fixture.merges.open(run);
    for (let page = 1; page <= 100; page++) merge.pageStaged(page);
    await merge.settled();
    const probe = await fixture.dataSource.transaction((manager) =>
      manager.query('SELECT id::int FROM ingest_runs WHERE id = $1 FOR UPDATE NOWAIT', [run.id]),
    );
    expect(probe).toEqual([{ id: run.id }]);
    await merge.complete(async () => undefined);
  });

  it('stamps finished_at when the merge ends, not when it began', async () => {
    const run = await stagedRun();
    const merge = await fixture.merges.open(run);
    for (let page = 1; page <= 50; page++) merge.pageStaged(page);
    await merge.settled();
    const firstRangeMerged = Date.now();
    await merge.complete(async () => undefined);
    const stored = await fixture.runs.findById(run.id);
    expect(stored?.finished_at?.getTime()).toBeGreaterThanOrEqual(firstRangeMerged);
  });

  it('commits nothing when what the merge finalizes with fails, and leaves the staged pages', async () => {
    const run = await stagedRun();
    const merge = await fixture.merges.open(run);
    await expect(
      merge.complete(async () => {
        throw new Error('the job could not be completed');
      }),
    ).rejects.toThrow('the job could not be completed');
    await merge.abort();
    expect(await fixture.dataSource.getRepository(CustomerEntity).countBy({})).toBe(0);
    expect(await fixture.stagedPages.count(run.id)).toBe(100);
    expect((await fixture.runs.findById(run.id))?.status).toBe('running');
  });
});
