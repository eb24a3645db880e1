import { checkCustomerRecord } from '@customer-pipeline/contracts';
import shippedCustomers from '../../data/customers.json';
import { FixtureCustomerSource } from './fixture-customer.source';

const valid = {
  customer_id: 'CUST900',
  first_name: 'Test',
  last_name: 'Person',
  email: 'test.person@example.com',
  phone: null,
  address: null,
  date_of_birth: '1990-01-01',
  account_balance: 1,
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-06-01T00:00:00.000Z',
};

describe('the shipped customer fixture', () => {
  const records = shippedCustomers as Record<string, unknown>[];

  it('holds CUST001 to CUST021 in order', () => {
    expect(records.map((record) => record.customer_id)).toEqual(
      Array.from({ length: 21 }, (_, i) => `CUST${String(i + 1).padStart(3, '0')}`),
    );
  });

  it.each(records.map((record) => [record.customer_id, record]))('%s passes the contract', (_id, record) => {
    expect(checkCustomerRecord(record)).toEqual({ valid: true, customer: record });
  });

  it('writes created_at and updated_at exactly as Date.prototype.toISOString prints them', () => {
    for (const { created_at, updated_at } of records) {
      expect(created_at).toBe(new Date(created_at as string).toISOString());
      expect(updated_at).toBe(new Date(updated_at as string).toISOString());
    }
  });

  it('updates no customer before it was created, and many at one instant', () => {
    expect(records.filter((record) => (record.updated_at as string) < (record.created_at as string))).toEqual(
      [],
    );
    const sharing = new Map<unknown, number>();
    for (const { updated_at } of records) sharing.set(updated_at, (sharing.get(updated_at) ?? 0) + 1);
    expect(Math.max(...sharing.values())).toBeGreaterThanOrEqual(5);
  });

  it('has no email twice, ignoring case', () => {
    const emails = records.map((record) => (record.email as string).toLowerCase());
    expect(new Set(emails).size).toBe(records.length);
  });

  it('exercises the edge cases the pipeline must handle', () => {
    const has = (predicate: (record: Record<string, unknown>) => boolean) => records.some(predicate);
    expect(has((r) => r.phone === null)).toBe(true);
    expect(has((r) => r.address === null)).toBe(true);
    expect(has((r) => r.phone === null && r.address === null)).toBe(true);
    expect(has((r) => (r.account_balance as number) < 0)).toBe(true);
    expect(has((r) => r.account_balance === 0)).toBe(true);
    expect(has((r) => typeof r.address === 'string' && r.address.length > 200)).toBe(true);
    expect(has((r) => /[^\x20-\x7e]/.test(`${r.first_name}${r.last_name}`))).toBe(true);
    expect(has((r) => /[\u3040-\u9fff]/.test(`${r.first_name}${r.last_name}`))).toBe(true);
    expect(has((r) => (r.email as string).includes('+'))).toBe(true);
    expect(has((r) => (r.email as string) !== (r.email as string).toLowerCase())).toBe(true);
    expect(has((r) => (r.date_of_birth as string).endsWith('-02-29'))).toBe(true);
    expect(has((r) => r.first_name === 'Zoë')).toBe(true);
    expect(has((r) => r.last_name === 'Ñúñez')).toBe(true);
  });
});

describe('FixtureCustomerSource', () => {
  const source = new FixtureCustomerSource();

  it('serves the shipped fixture', () => {
    expect(source.kind).toBe('fixture');
    expect(source.total).toBe(21);
    expect(source.findById('CUST005')?.last_name).toBe('Ñúñez');
  });

  it('slices in customer_id order and returns nothing past the end', () => {
    expect(source.slice(5, 5).map((c) => c.customer_id)).toEqual([
      'CUST006',
      'CUST007',
      'CUST008',
      'CUST009',
      'CUST010',
    ]);
    expect(source.slice(20, 10).map((c) => c.customer_id)).toEqual(['CUST021']);
    expect(source.slice(21, 10)).toEqual([]);
  });

  it('lists the customers updated at or after a time by (updated_at, customer_id), ties included', () => {
    const listing = source.updatedSince(Date.parse('2025-03-01T09:00:00.000Z'));
    expect(listing.total).toBe(10);
    expect(listing.slice(0, 10).map((c) => `${c.updated_at} ${c.customer_id}`)).toEqual([
      '2025-03-01T09:00:00.000Z CUST001',
      '2025-03-01T09:00:00.000Z CUST004',
      '2025-03-01T09:00:00.000Z CUST009',
      '2025-03-01T09:00:00.000Z CUST013',
      '2025-03-01T09:00:00.000Z CUST020',
      '2025-03-01T09:00:00.001Z CUST019',
      '2025-06-15T12:30:00.000Z CUST002',
      '2025-06-15T12:30:00.000Z CUST007',
      '2025-06-15T12:30:00.000Z CUST016',
      '2025-09-30T23:59:59.999Z CUST015',
    ]);
    expect(listing.slice(4, 2).map((c) => c.customer_id)).toEqual(['CUST020', 'CUST019']);
    expect(listing.slice(10, 10)).toEqual([]);
    expect(source.updatedSince(Date.parse('2025-03-01T09:00:00.001Z')).total).toBe(5);
    expect(source.updatedSince(Date.parse('2025-09-30T23:59:59.999Z')).slice(0, 10)).toEqual([
      source.findById('CUST015'),
    ]);
    expect(source.updatedSince(Date.parse('2025-10-01T00:00:00.000Z'))).toMatchObject({ total: 0 });
    expect(source.updatedSince(0).total).toBe(21);
  });

  it('finds nothing for an unknown or differently cased id', () => {
    expect(source.findById('CUST022')).toBeUndefined();
    expect(source.findById('cust001')).toBeUndefined();
  });

  it('orders records given out of order by customer_id', () => {
    const shuffled = new FixtureCustomerSource([
      { ...valid, customer_id: 'B', email: 'b@example.com' },
      { ...valid, customer_id: 'A', email: 'a@example.com' },
    ]);
    expect(shuffled.slice(0, 10).map((c) => c.customer_id)).toEqual(['A', 'B']);
  });

  it('refuses to start on a record that breaks the contract, naming the field', () => {
    expect(
      () => new FixtureCustomerSource([valid, { ...valid, customer_id: 'X', phone: '1'.repeat(21) }]),
    ).toThrow(/record 1: phone must be shorter than or equal to 20 characters/);
  });

  it('refuses to start on a record without updated_at, which its listing by updated_at needs', () => {
    expect(
      () =>
        new FixtureCustomerSource([
          valid,
          { ...valid, customer_id: 'X', email: 'x@example.com', updated_at: null },
        ]),
    ).toThrow(/record 1: no updated_at/);
  });

  it('refuses duplicate ids and emails that differ only in case', () => {
    expect(() => new FixtureCustomerSource([valid, { ...valid, email: 'other@example.com' }])).toThrow(
      /record 1: duplicate CUST900/,
    );
    expect(
      () =>
        new FixtureCustomerSource([
          valid,
          { ...valid, customer_id: 'CUST901', email: 'Test.Person@Example.com' },
        ]),
    ).toThrow(/record 1: duplicate email Test.Person@Example.com/);
  });
});
