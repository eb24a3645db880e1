import { CustomerRecord, checkCustomerRecord } from '@customer-pipeline/contracts';
import { CustomerGenerator, DatasetRevision } from './customer-generator';

const COUNT = 10_000;

function dataset(seed: number, count: number, revision?: DatasetRevision): CustomerRecord[] {
  const generator = new CustomerGenerator(seed, revision);
  return Array.from({ length: count }, (_, position) => generator.customerAt(position + 1));
}

/** The positions at which `revised` differs from `original`. */
function changedPositions(original: CustomerRecord[], revised: CustomerRecord[]): number[] {
  return revised.flatMap((customer, position) =>
    JSON.stringify(customer) === JSON.stringify(original[position]) ? [] : [position],
  );
}

describe('CustomerGenerator revisions', () => {
  const original = dataset(42, COUNT);
  const first = dataset(42, COUNT, { revision: 1, changeRate: 0.1 });
  const changedByFirst = changedPositions(original, first);

  it('yields the plain dataset, byte for byte, at revision 0 whatever the change rate', () => {
    expect(JSON.stringify(dataset(42, COUNT, { revision: 0, changeRate: 0.5 }))).toBe(
      JSON.stringify(original),
    );
  });

  it('changes a share of about the change rate of 10,000 customers', () => {
    expect(changedByFirst.length / COUNT).toBeGreaterThan(0.09);
    expect(changedByFirst.length / COUNT).toBeLessThan(0.11);
  });

  it('changes both the balance and the address of a changed customer, and nothing else', () => {
    for (const position of changedByFirst) {
      const [before, after] = [original[position], first[position]];
      expect(after.account_balance).not.toBe(before.account_balance);
      expect(after.address).not.toBe(before.address);
      expect({ ...after, account_balance: before.account_balance, address: before.address }).toEqual(before);
    }
  });

  it('keeps changed customers within the contract', () => {
    expect(first.filter((customer) => !checkCustomerRecord(customer).valid)).toEqual([]);
  });

  it('yields the same revision, byte for byte, from another generator', () => {
    expect(JSON.stringify(dataset(42, COUNT, { revision: 1, changeRate: 0.1 }))).toBe(JSON.stringify(first));
  });

  it('makes each revision its own variation of revision 0, not of the revision before', () => {
    const changedBySecond = changedPositions(original, dataset(42, COUNT, { revision: 2, changeRate: 0.1 }));
    // Built on revision 1, revision 2 would differ from revision 0 in about 19% of customers, not 10%.
    expect(changedBySecond.length / COUNT).toBeGreaterThan(0.09);
    expect(changedBySecond.length / COUNT).toBeLessThan(0.11);
    // Drawn apart from revision 1's picks: the two overlap in about 10% of 10%.
    const both = changedBySecond.filter((position) => changedByFirst.includes(position));
    expect(both.length / COUNT).toBeGreaterThan(0.005);
    expect(both.length / COUNT).toBeLessThan(0.015);
  });

  it('picks other customers for another seed', () => {
    const changedForSeed43 = changedPositions(
      dataset(43, 1000),
      dataset(43, 1000, { revision: 1, changeRate: 0.1 }),
    );
    expect(changedForSeed43).not.toEqual(changedByFirst.filter((position) => position < 1000));
  });

  it('changes none at rate 0 and every customer at rate 1', () => {
    expect(changedPositions(original, dataset(42, 1000, { revision: 1, changeRate: 0 }))).toEqual([]);
    expect(changedPositions(original, dataset(42, 1000, { revision: 1, changeRate: 1 }))).toHaveLength(1000);
  });
});
