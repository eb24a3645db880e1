import type { CustomerRecord } from '@customer-pipeline/contracts';
import { DataSource } from 'typeorm';
import { TestDatabase, createMigratedDatabase } from '../../testing';
import { CustomerEntity } from './customer.entity';
import { CustomerUpsertRepository } from './customer-upsert.repository';

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

describe('CustomerUpsertRepository (PostgreSQL)', () => {
  let dataSource: DataSource;
  let database: TestDatabase;
  let upserts: CustomerUpsertRepository;

  const stored = (id: string) =>
    dataSource.getRepository(CustomerEntity).findOneByOrFail({ customer_id: id });

  beforeAll(async () => {
    ({ dataSource, database } = await createMigratedDatabase());
    upserts = new CustomerUpsertRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  beforeEach(() => dataSource.query('TRUNCATE customers'));

  it('inserts new customers with their values exactly as given', async () => {
    const result = await upserts.upsert([
      customer('C1'),
      customer('C2', { phone: null, account_balance: -0.5 }),
    ]);
    expect(result).toEqual({
      received: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      conflicts: [],
    });
    const row = await stored('C2');
    expect(row).toMatchObject({ phone: null, account_balance: -0.5, date_of_birth: '1985-12-10' });
    expect(row.created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });

  it('rule 1: writes created_at on insert and never overwrites it', async () => {
    await upserts.upsert([customer('C1', { created_at: '2024-01-15T10:30:00.000Z' })]);
    const result = await upserts.upsert([
      customer('C1', { created_at: '2025-06-01T00:00:00.000Z', first_name: 'Augusta' }),
    ]);
    expect(result.updated).toBe(1);
    const row = await stored('C1');
    expect(row.first_name).toBe('Augusta');
    expect(row.created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });

  it('rule 2: a null or missing source value never erases a stored one', async () => {
    await upserts.upsert([customer('C1')]);
    const result = await upserts.upsert([
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
    await upserts.upsert([customer('C1')]);
    const before = await stored('C1');
    const xminBefore = await dataSource.query(`SELECT xmin::text FROM customers WHERE customer_id = 'C1'`);

    const same = await upserts.upsert([customer('C1')]);
    expect(same).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect((await stored('C1')).updated_at).toEqual(before.updated_at);
    expect(await dataSource.query(`SELECT xmin::text FROM customers WHERE customer_id = 'C1'`)).toEqual(
      xminBefore,
    );

    const changed = await upserts.upsert([customer('C1', { account_balance: 99.99 })]);
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await stored('C1')).updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('rule 4: two records with one customer_id in a batch do not fail; the later one wins', async () => {
    const result = await upserts.upsert([
      customer('C1', { first_name: 'First' }),
      customer('C1', { first_name: 'Later' }),
    ]);
    expect(result).toMatchObject({ received: 2, inserted: 1, duplicates: 1, conflicts: [] });
    expect((await stored('C1')).first_name).toBe('Later');
  });

  it('rule 5: a record whose email belongs to another customer is reported and the rest applied', async () => {
    await upserts.upsert([customer('C1', { email: 'shared@example.com' })]);
    const result = await upserts.upsert([
      customer('C2', { email: 'SHARED@example.com' }),
      customer('C3'),
      customer('C1', { email: 'shared@example.com', first_name: 'Still C1' }),
    ]);
    expect(result.conflicts).toEqual([{ customer_id: 'C2', page: 0, position: 1 }]);
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(await dataSource.getRepository(CustomerEntity).countBy({ customer_id: 'C2' })).toBe(0);
    expect((await stored('C1')).first_name).toBe('Still C1');
  });

  it('rule 5: within one batch the first record to claim an email keeps it', async () => {
    const result = await upserts.upsert([
      customer('C9', { email: 'twin@example.com' }),
      customer('C1', { email: 'Twin@Example.com' }),
    ]);
    expect(result.conflicts).toEqual([{ customer_id: 'C1', page: 0, position: 2 }]);
    expect(result.inserted).toBe(1);
    expect((await stored('C9')).email).toBe('twin@example.com');
  });

  it('keeps the email with its stored owner even when a newcomer comes first in the batch', async () => {
    await upserts.upsert([customer('C1', { email: 'owner@example.com' })]);
    const result = await upserts.upsert([
      customer('C2', { email: 'owner@example.com' }),
      customer('C1', { email: 'owner@example.com', last_name: 'Byron' }),
    ]);
    expect(result.conflicts.map((c) => c.customer_id)).toEqual(['C2']);
    expect((await stored('C1')).last_name).toBe('Byron');
  });

  it('counts inserted, updated and unchanged truthfully in one mixed batch', async () => {
    await upserts.upsert([customer('C1'), customer('C2')]);
    const result = await upserts.upsert([
      customer('C1'),
      customer('C2', { last_name: 'King' }),
      customer('C3'),
    ]);
    expect(result).toEqual({
      received: 3,
      inserted: 1,
      updated: 1,
      unchanged: 1,
      duplicates: 0,
      conflicts: [],
    });
  });

  it('stores timestamps with an offset as the UTC instant', async () => {
    await upserts.upsert([customer('C1', { created_at: '2024-01-15T12:30:00+02:00' })]);
    expect((await stored('C1')).created_at?.toISOString()).toBe('2024-01-15T10:30:00.000Z');
  });
});
