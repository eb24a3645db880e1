import { createHash } from 'node:crypto';
import { checkCustomerRecord } from '@customer-pipeline/contracts';
import { GeneratedCustomerSource } from './generated-customer.source';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

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
    });
    // Pins every field of 200 customers: a faker upgrade or a change to the generator shows up here.
    expect(sha256(source.slice(0, 100))).toBe(
      '52e375bd2c28da84bbd1a7681d80069be4ec248752d84b0006dabfed70efe28e',
    );
    expect(sha256(source.slice(999_900, 100))).toBe(
      '628621d44f67a43fa80f1ff2c680643ab26d47ea76d97b1ac5dc63c5bfc6c8f1',
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
