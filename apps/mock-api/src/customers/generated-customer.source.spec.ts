import { createHash } from 'node:crypto';
import { checkCustomerRecord } from '@customer-pipeline/contracts';
import { CustomerGenerator } from './customer-generator';
import { ServedCustomer } from './customer-source';
import { GeneratedCustomerSource, PLAIN_DATASET } from './generated-customer.source';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const withoutUpdatedAt = (customers: ServedCustomer[]) => customers.map(({ updated_at: _, ...rest }) => rest);
const ids = (customers: ServedCustomer[]) => customers.map((customer) => customer.customer_id);
const FIRST_UPDATED_AT = '2025-01-01T00:00:00.000Z';

describe('GeneratedCustomerSource', () => {
  it('yields byte-identical pages from separate instances with the same size and seed', () => {
    const first = new GeneratedCustomerSource(1000, 42);
    const second = new GeneratedCustomerSource(1000, 42);
    for (const offset of [0, 100, 990]) {
      expect(JSON.stringify(second.slice(offset, 100))).toBe(JSON.stringify(first.slice(offset, 100)));
    }
  });

  it('yields the same bytes for seed 42 on every machine and run', () => {
    const source = new GeneratedCustomerSource(1_000_000, 42);
    expect(source.findById('CUST00000001')).toEqual({
      customer_id: 'CUST00000001',
      first_name: 'Luisa',
      last_name: 'Dach',
      email: 'luisa.dach.1@example.net',
      phone: '+1-555-326-0519',
      address: '6796 Oswald Mills, Buena Park, CA 71257',
      date_of_birth: '1963-05-29',
      account_balance: 7066.57,
      created_at: '2022-02-05T13:18:34.710Z',
      updated_at: FIRST_UPDATED_AT,
    });
    // Pins every field of 200 customers: a faker upgrade or a change to the generator shows up here. These
    // are the hashes from before customers had an updated_at, which revision 0 gives them all alike.
    expect(sha256(withoutUpdatedAt(source.slice(0, 100)))).toBe(
      '52e375bd2c28da84bbd1a7681d80069be4ec248752d84b0006dabfed70efe28e',
    );
    expect(sha256(withoutUpdatedAt(source.slice(999_900, 100)))).toBe(
      '628621d44f67a43fa80f1ff2c680643ab26d47ea76d97b1ac5dc63c5bfc6c8f1',
    );
    expect(new Set(source.slice(0, 100).map((customer) => customer.updated_at))).toEqual(
      new Set([FIRST_UPDATED_AT]),
    );
  });

  it('yields other customers for another seed', () => {
    const page = (seed: number) => JSON.stringify(new GeneratedCustomerSource(100, seed).slice(0, 10));
    expect(page(43)).not.toBe(page(42));
  });

  it('keeps every customer whatever the dataset size, so smaller datasets are prefixes of larger ones', () => {
    const small = new GeneratedCustomerSource(50, 42);
    const large = new GeneratedCustomerSource(500, 42);
    expect(large.slice(0, 50)).toEqual(small.slice(0, 50));
    expect(small.slice(0, 100)).toHaveLength(50);
    // Customers are built independently, so the order they are asked for cannot change them.
    expect(large.slice(40, 1)).toEqual([large.findById('CUST00000041')]);
    expect(large.findById('CUST00000042')).toEqual(small.slice(41, 1)[0]);
  });

  it('numbers ids from CUST00000001 so that string order is numeric order', () => {
    const source = new GeneratedCustomerSource(12_345, 42);
    const ids = source.slice(0, 12).map((customer) => customer.customer_id);
    expect(ids[0]).toBe('CUST00000001');
    expect(ids[11]).toBe('CUST00000012');
    const edges = [...ids, ...source.slice(12_340, 10).map((customer) => customer.customer_id)];
    expect(edges.at(-1)).toBe('CUST00012345');
    expect([...edges].sort()).toEqual(edges);
  });

  it('pages up to the end and returns nothing past it', () => {
    const source = new GeneratedCustomerSource(25, 42);
    expect(source.total).toBe(25);
    expect(source.slice(20, 10).map((customer) => customer.customer_id)).toEqual([
      'CUST00000021',
      'CUST00000022',
      'CUST00000023',
      'CUST00000024',
      'CUST00000025',
    ]);
    expect(source.slice(25, 10)).toEqual([]);
    expect(source.slice(Number.MAX_SAFE_INTEGER, 100)).toEqual([]);
    expect(new GeneratedCustomerSource(0, 42).slice(0, 10)).toEqual([]);
  });

  it('finds a customer by parsing its id', () => {
    const source = new GeneratedCustomerSource(50, 42);
    expect(source.findById('CUST00000050')?.customer_id).toBe('CUST00000050');
    expect(source.findById('CUST00000001')).toEqual(source.slice(0, 1)[0]);
  });

  it.each([
    'CUST00000000',
    'CUST00000051',
    'CUST99999999',
    'CUST0000001',
    'CUST000000001',
    'cust00000001',
    'CUST001',
    'CUST0000004a',
    ' CUST00000001',
    '',
  ])('finds nothing for %p in a dataset of 50', (id) => {
    expect(new GeneratedCustomerSource(50, 42).findById(id)).toBeUndefined();
  });

  describe('at a revision', () => {
    const options = {
      ...PLAIN_DATASET,
      revision: 3,
      changeRate: 0.3,
      deleteRate: 0.1,
      restoreRate: 0.3,
      addRate: 0.02,
    };
    const source = new GeneratedCustomerSource(1000, 42, options);
    const all = source.slice(0, 2000);
    const byUpdatedAt = [...all].sort(
      (left, right) =>
        (left.updated_at ?? '').localeCompare(right.updated_at ?? '') ||
        left.customer_id.localeCompare(right.customer_id),
    );

    it('lists only the customers present, in id order, after the added ones past the first 1000', () => {
      expect(source.total).toBe(all.length);
      expect(all.length).toBeLessThan(1000);
      expect(ids(all)).toEqual([...ids(all)].sort());
      expect(ids(all).at(-1)).toBe('CUST00001060');
      expect(ids(all).filter((id) => id > 'CUST00001000').length).toBeGreaterThan(50);
    });

    it('finds each listed customer by id, as listed, and none of the deleted', () => {
      for (const customer of all) expect(source.findById(customer.customer_id)).toEqual(customer);
      const listed = new Set(ids(all));
      const missing = Array.from(
        { length: 1060 },
        (_, position) => `CUST${String(position + 1).padStart(8, '0')}`,
      ).filter((id) => !listed.has(id));
      expect(missing.length).toBe(1060 - all.length);
      for (const id of missing) expect(source.findById(id)).toBeUndefined();
      expect(source.findById('CUST00001061')).toBeUndefined();
    });

    it('serves each customer as revision 0 has it, but for the balance and address of a change and updated_at', () => {
      const plain = new GeneratedCustomerSource(1060, 42);
      const changedFields = all.map((customer) => {
        const first = plain.findById(customer.customer_id) as ServedCustomer;
        return (Object.keys(first) as (keyof ServedCustomer)[]).filter(
          (field) => customer[field] !== first[field],
        );
      });
      const shapes = new Set(changedFields.map((fields) => fields.join()));
      expect(shapes).toEqual(new Set(['', 'updated_at', 'address,account_balance,updated_at']));
    });

    it('lists the customers updated at or after a time by (updated_at, customer_id), ties included', () => {
      const since = Date.parse('2025-01-03T01:00:00.000Z');
      const listing = source.updatedSince(since);
      const expected = byUpdatedAt.filter((customer) => Date.parse(customer.updated_at ?? '') >= since);
      expect(listing.total).toBe(expected.length);
      expect(listing.slice(0, 2000)).toEqual(expected);
      expect(listing.slice(7, 5)).toEqual(expected.slice(7, 12));
      expect(listing.slice(expected.length, 10)).toEqual([]);
      expect(source.updatedSince(0).slice(0, 2000)).toEqual(byUpdatedAt);
      expect(source.updatedSince(Date.parse('2025-01-04T03:00:00.001Z')).total).toBe(0);
    });

    it('builds only the customers of the page asked for, even at a million', () => {
      const million = new GeneratedCustomerSource(1_000_000, 42, options);
      const built = jest.spyOn(CustomerGenerator.prototype, 'customerAt');
      try {
        expect(million.slice(500_000, 100)).toHaveLength(100);
        const listing = million.updatedSince(Date.parse('2025-01-03T00:00:00.000Z'));
        expect(listing.total).toBeGreaterThan(100_000);
        expect(listing.slice(100_000, 100)).toHaveLength(100);
        expect(million.findById('CUST00999999')?.customer_id ?? 'deleted').toMatch(
          /^CUST00999999$|^deleted$/,
        );
        expect(built).toHaveBeenCalledTimes(201);
      } finally {
        built.mockRestore();
      }
    });
  });

  describe('a sample of 2000 customers', () => {
    const sample = new GeneratedCustomerSource(1_000_000, 42);
    const customers = [...sample.slice(0, 1000), ...sample.slice(998_999, 1000)];

    it('all pass the customer contract unchanged', () => {
      const failures = customers
        .map((customer) => ({ customer, check: checkCustomerRecord(customer) }))
        .filter(
          ({ customer, check }) =>
            !check.valid || JSON.stringify(check.customer) !== JSON.stringify(customer),
        );
      expect(failures).toEqual([]);
    });

    it('have unique, lowercase ASCII emails that carry the index', () => {
      const emails = customers.map((customer) => customer.email);
      expect(new Set(emails.map((email) => email.toLowerCase())).size).toBe(customers.length);
      for (const [position, email] of emails.entries()) {
        expect(email).toMatch(/^[a-z0-9]+\.[a-z0-9]+\.\d+@example\.(com|net|org)$/);
        expect(email).toContain(`.${Number(customers[position].customer_id.slice(4))}@`);
      }
    });

    it('include missing phones and addresses, and zero and negative balances, but mostly complete records', () => {
      const share = (predicate: (customer: (typeof customers)[number]) => boolean) =>
        customers.filter(predicate).length / customers.length;
      expect(share((c) => c.phone === null)).toBeGreaterThan(0.05);
      expect(share((c) => c.phone === null)).toBeLessThan(0.15);
      expect(share((c) => c.address === null)).toBeGreaterThan(0.05);
      expect(share((c) => c.address === null)).toBeLessThan(0.15);
      expect(share((c) => c.account_balance === 0)).toBeGreaterThan(0);
      expect(share((c) => typeof c.account_balance === 'number' && c.account_balance < 0)).toBeGreaterThan(0);
      expect(share((c) => c.last_name.includes('-'))).toBeGreaterThan(0);
    });

    it('spread created_at over a fixed past range and birthdays over real past dates', () => {
      // A missing value sorts last as 'missing' and fails the upper bound.
      const created = customers.map((customer) => customer.created_at ?? 'missing').sort();
      const born = customers.map((customer) => customer.date_of_birth ?? 'missing').sort();
      expect([created[0], created[created.length - 1]]).toEqual([
        expect.stringMatching(/^20(1[5-9]|2[0-4])-/),
        expect.stringMatching(/^20(1[5-9]|2[0-4])-/),
      ]);
      expect(born[0] >= '1935-01-01').toBe(true);
      expect(born[born.length - 1] <= '2006-12-31').toBe(true);
      expect(new Set(born).size).toBeGreaterThan(1500);
    });
  });
});
