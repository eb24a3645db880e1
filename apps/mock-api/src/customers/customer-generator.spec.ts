import { CustomerRecord, checkCustomerRecord } from '@customer-pipeline/contracts';
import { CustomerGenerator } from './customer-generator';

const COUNT = 2000;
const UPDATED_AT = '2025-01-01T00:00:00.000Z';

/** Customer `index` after the changes of `revisions`, the n-th of which is its n-th change. */
function changedBy(generator: CustomerGenerator, index: number, revisions: number[]): CustomerRecord {
  const customer = generator.customerAt(index, UPDATED_AT);
  const last = revisions.length;
  if (last > 0) generator.applyChange(index, customer, revisions[last - 1], last);
  return customer;
}

describe('CustomerGenerator', () => {
  const generator = new CustomerGenerator(42);
  const indexes = Array.from({ length: COUNT }, (_, position) => position + 1);

  it('serves the updated_at it is given', () => {
    expect(generator.customerAt(7, '2025-01-02T03:00:00.000Z').updated_at).toBe('2025-01-02T03:00:00.000Z');
  });

  describe('applyChange', () => {
    /** Each customer changed by revisions 1, 3, 4 and 7 in turn: its five versions. */
    const versions = indexes.map((index) =>
      [[], [1], [1, 3], [1, 3, 4], [1, 3, 4, 7]].map((revisions) => changedBy(generator, index, revisions)),
    );

    it('changes the balance and the address, and nothing else', () => {
      for (const [first, ...changed] of versions) {
        for (const version of changed) {
          expect({ ...version, account_balance: first.account_balance, address: first.address }).toEqual(
            first,
          );
        }
      }
    });

    it('always changes both from the version before, also when revision 0 had no address or a zero balance', () => {
      const unchanged = versions.flatMap((customer) =>
        customer.slice(1).flatMap((version, position) => {
          const before = customer[position];
          const same = (['account_balance', 'address'] as const).filter(
            (field) => version[field] === before[field],
          );
          return same.length > 0 ? [{ customer_id: version.customer_id, version: position + 1, same }] : [];
        }),
      );
      expect(unchanged).toEqual([]);
      expect(versions.some(([first]) => first.address === null)).toBe(true);
      expect(versions.some(([first]) => first.account_balance === 0)).toBe(true);
    });

    it('draws the new values from the revision that makes the change', () => {
      const second = indexes.map((index) => changedBy(generator, index, [2]));
      const alike = second.filter((customer, position) => customer.address === versions[position][1].address);
      expect(alike).toEqual([]);
    });

    it('keeps changed customers within the contract, as served', () => {
      const failures = versions
        .flat()
        .map((customer) => ({ customer, check: checkCustomerRecord(customer) }))
        .filter(
          ({ customer, check }) =>
            !check.valid || JSON.stringify(check.customer) !== JSON.stringify(customer),
        );
      expect(failures).toEqual([]);
    });

    it('yields the same change, byte for byte, from another generator', () => {
      const again = new CustomerGenerator(42);
      expect(JSON.stringify(indexes.map((index) => changedBy(again, index, [1, 3])))).toBe(
        JSON.stringify(versions.map((customer) => customer[2])),
      );
    });

    it('draws other values for another seed', () => {
      const other = new CustomerGenerator(43);
      const first = (of: CustomerGenerator) => changedBy(of, 1, [1]).address;
      expect(first(other)).not.toBe(first(generator));
    });
  });
});
