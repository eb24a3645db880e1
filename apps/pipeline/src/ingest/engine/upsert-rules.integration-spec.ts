import type { CustomerRecord } from '@customer-pipeline/contracts';
import { CustomerEntity, CustomerUpsertRepository } from '@customer-pipeline/data-access';
import { IngestFixture, createIngestFixture } from '../../../test/ingest-fixture';

function customer(id: string, overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    customer_id: id,
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: `${id.toLowerCase()}@example.com`,
    phone: '+44 20 7946 0018',
    address: '12 St James Square',
    date_of_birth: '1985-12-10',
    account_balance: 1520.75,
    created_at: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

// The rules are exercised the way production applies them: pages staged one by one, then the run merged
// by the engine's RunMerge, which applies them with `upsertStagedPages` and quarantines email conflicts.
describe('CustomerUpsertRepository rules, through staged runs (PostgreSQL)', () => {
  let fixture: IngestFixture;

  const stored = (id: string) =>
    fixture.dataSource.getRepository(CustomerEntity).findOneByOrFail({ customer_id: id });

  /** Ingests one run whose source served these pages, in this order. */
  const ingest = (...pages: CustomerRecord[][]) => fixture.ingest(...pages.map((records) => ({ records })));

  async function conflictsOf(runId: number) {
    const { rows } = await fixture.failures.findPage({ runId, page: 1, limit: 100 });
    return rows.map(({ customer_id, page, reason, record }) => ({ customer_id, page, reason, record }));
  }

  beforeAll(async () => (fixture = await createIngestFixture()));
  afterAll(() => fixture?.close());
  beforeEach(() => fixture.reset());

  it('inserts new customers with their values exactly as given', async () => {
    const result = await ingest([customer('C1'), customer('C2', { phone: null, account_balance: -0.5 })]);
    expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, duplicates: 0, conflicts: 0 });
    const row = await stored('C2');
    expect(row).toMatchObject({ phone: null, account_balance: -0.5, date_of_birth: '1985-12-10' });
    expect(row.created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });

  it('rule 1: writes created_at on insert and never overwrites it', async () => {
    await ingest([customer('C1', { created_at: '2024-01-15T10:30:00.000Z' })]);
    const result = await ingest([
      customer('C1', { created_at: '2025-06-01T00:00:00.000Z', first_name: 'Augusta' }),
    ]);
    expect(result.updated).toBe(1);
    const row = await stored('C1');
    expect(row.first_name).toBe('Augusta');
    expect(row.created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });

  it('rule 2: a null or missing source value never erases a stored one', async () => {
    await ingest([customer('C1')]);
    const result = await ingest([
      customer('C1', {
        phone: null,
        address: null,
        date_of_birth: null,
        account_balance: null,
        created_at: null,
      }),
    ]);
    expect(result.unchanged).toBe(1);
    expect(await stored('C1')).toMatchObject({
      phone: '+44 20 7946 0018',
      address: '12 St James Square',
      date_of_birth: '1985-12-10',
      account_balance: 1520.75,
    });
  });

  it('rule 3: an identical record is not rewritten; updated_at moves only on a real change', async () => {
    await ingest([customer('C1')]);
    const before = await stored('C1');
    const xmin = () => fixture.dataSource.query(`SELECT xmin::text FROM customers WHERE customer_id = 'C1'`);
    const xminBefore = await xmin();

    const same = await ingest([customer('C1')]);
    expect(same).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect((await stored('C1')).updated_at).toEqual(before.updated_at);
    expect(await xmin()).toEqual(xminBefore);

    const changed = await ingest([customer('C1', { account_balance: 99.99 })]);
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await stored('C1')).updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('rule 4: two records with one customer_id on a page do not fail the merge; the later one wins', async () => {
    const result = await ingest([
      customer('C1', { first_name: 'First' }),
      customer('C1', { first_name: 'Later' }),
    ]);
    expect(result).toMatchObject({ inserted: 1, duplicates: 1, conflicts: 0 });
    expect((await stored('C1')).first_name).toBe('Later');
  });

  it('rule 4: across pages the record of the later page wins, whatever its place on its page', async () => {
    const result = await ingest(
      [customer('C2'), customer('C1', { first_name: 'First' })],
      [customer('C1', { first_name: 'Later' }), customer('C3')],
    );
    expect(result).toMatchObject({ inserted: 3, duplicates: 1, conflicts: 0 });
    expect((await stored('C1')).first_name).toBe('Later');
  });

  it('rule 5: a record whose email belongs to another customer is quarantined and the rest applied', async () => {
    await ingest([customer('C1', { email: 'shared@example.com' })]);
    const newcomer = customer('C2', { email: 'SHARED@example.com' });
    const result = await ingest(
      [customer('C3')],
      [newcomer, customer('C1', { email: 'shared@example.com', first_name: 'Still C1' })],
    );
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 0, conflicts: 1 });
    expect(await conflictsOf(result.runId)).toEqual([
      { customer_id: 'C2', page: 2, reason: 'email_conflict', record: newcomer },
    ]);
    expect(await fixture.runs.findById(result.runId)).toMatchObject({ records_failed: 1, status: 'success' });
    expect(await fixture.dataSource.getRepository(CustomerEntity).countBy({ customer_id: 'C2' })).toBe(0);
    expect((await stored('C1')).first_name).toBe('Still C1');
  });

  it('rule 5: within one run the first record to claim an email keeps it, across pages too', async () => {
    const claimant = customer('C1', { email: 'Twin@Example.com' });
    const result = await ingest([customer('C9', { email: 'twin@example.com' })], [claimant]);
    expect(result).toMatchObject({ inserted: 1, conflicts: 1 });
    expect(await conflictsOf(result.runId)).toEqual([
      { customer_id: 'C1', page: 2, reason: 'email_conflict', record: claimant },
    ]);
    expect((await stored('C9')).email).toBe('twin@example.com');
  });

  it('keeps the email with its stored owner even when a newcomer comes first in the run', async () => {
    await ingest([customer('C1', { email: 'owner@example.com' })]);
    const result = await ingest([
      customer('C2', { email: 'owner@example.com' }),
      customer('C1', { email: 'owner@example.com', last_name: 'Byron' }),
    ]);
    expect((await conflictsOf(result.runId)).map((c) => c.customer_id)).toEqual(['C2']);
    expect((await stored('C1')).last_name).toBe('Byron');
  });

  it('counts inserted, updated and unchanged truthfully in one mixed run', async () => {
    await ingest([customer('C1'), customer('C2')]);
    const result = await ingest([customer('C1')], [customer('C2', { last_name: 'King' }), customer('C3')]);
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, duplicates: 0, conflicts: 0 });
    expect(await fixture.runs.findById(result.runId)).toMatchObject({
      records_processed: 3,
      records_inserted: 1,
      records_updated: 1,
      records_unchanged: 1,
      records_failed: 0,
    });
  });

  describe('a first load, where new customers are inserted before the full rules run', () => {
    afterEach(() => jest.restoreAllMocks());

    it('merges a batch of only new customers with the insert alone', async () => {
      const fullRules = jest.spyOn(CustomerUpsertRepository.prototype, 'upsertStagedPages');
      const result = await ingest([customer('C1'), customer('C2')], [customer('C3')]);
      expect(result).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, duplicates: 0, conflicts: 0 });
      expect(fullRules).not.toHaveBeenCalled();
      expect((await stored('C3')).created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
    });

    it('still quarantines a newcomer whose email a stored customer holds, and inserts the rest', async () => {
      await ingest([customer('C1', { email: 'owner@example.com' })]);
      const newcomer = customer('C3', { email: 'Owner@Example.com' });
      const result = await ingest([customer('C2'), newcomer, customer('C4')]);
      expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, conflicts: 1 });
      expect(await conflictsOf(result.runId)).toEqual([
        { customer_id: 'C3', page: 1, reason: 'email_conflict', record: newcomer },
      ]);
      expect(await fixture.dataSource.getRepository(CustomerEntity).countBy({})).toBe(3);
    });

    it('lets a stored customer that moves to an email first keep it against a later newcomer', async () => {
      await ingest([customer('C1', { email: 'old@example.com' })]);
      const newcomer = customer('C2', { email: 'new@example.com' });
      const result = await ingest([customer('C1', { email: 'new@example.com' }), newcomer]);
      expect(result).toMatchObject({ inserted: 0, updated: 1, conflicts: 1 });
      expect((await stored('C1')).email).toBe('new@example.com');
      expect((await conflictsOf(result.runId)).map((c) => c.customer_id)).toEqual(['C2']);
    });

    it('applies a run whose first range holds no new customer and whose second holds only new ones', async () => {
      const known = Array.from({ length: 50 }, (_, i) => [customer(`K${i}`)]);
      await ingest(...known);
      const result = await ingest(...known, [customer('N1')], [customer('N2', { phone: null })]);
      expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 50, conflicts: 0 });
      expect((await stored('N2')).phone).toBeNull();
    });
  });

  it('stores timestamps with an offset as the UTC instant', async () => {
    await ingest([customer('C1', { created_at: '2024-01-15T12:30:00+02:00' })]);
    expect((await stored('C1')).created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });
});
