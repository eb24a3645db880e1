import { CustomerRecord, checkCustomerRecord } from '@customer-pipeline/contracts';
import shippedCustomers from '../../data/customers.json';
import { CustomerListing, CustomerSource } from './customer-source';

/** Plain code-unit order, the same on every machine and locale (unlike `localeCompare`). */
function byCustomerId(left: CustomerRecord, right: CustomerRecord): number {
  if (left.customer_id === right.customer_id) return 0;
  return left.customer_id < right.customer_id ? -1 : 1;
}

/** `updated_at`, then `customer_id` among equal ones; `checkFixture` makes sure every customer has one. */
function byUpdatedAt(left: FixtureCustomer, right: FixtureCustomer): number {
  return left.updatedAt - right.updatedAt || byCustomerId(left.customer, right.customer);
}

interface FixtureCustomer {
  customer: CustomerRecord;
  /** Its `updated_at` in ms. */
  updatedAt: number;
}

/**
 * Fails at start-up rather than serving a record the pipeline would have to quarantine: the fixture is
 * ours, so a bad record in it is our bug.
 */
function checkFixture(records: readonly unknown[]): CustomerRecord[] {
  const problems: string[] = [];
  const customers: CustomerRecord[] = [];
  const ids = new Set<string>();
  const emails = new Set<string>();
  records.forEach((record, position) => {
    const check = checkCustomerRecord(record);
    if (!check.valid) {
      const fields = check.errors.flatMap((error) => error.messages).join('; ');
      problems.push(`record ${position}: ${fields}`);
      return;
    }
    const { customer } = check;
    const email = customer.email.toLowerCase();
    if (!customer.updated_at) problems.push(`record ${position}: no updated_at`);
    if (ids.has(customer.customer_id)) problems.push(`record ${position}: duplicate ${customer.customer_id}`);
    if (emails.has(email)) problems.push(`record ${position}: duplicate email ${customer.email}`);
    ids.add(customer.customer_id);
    emails.add(email);
    customers.push(customer);
  });
  if (problems.length > 0) throw new Error(`Invalid customer fixture:\n  - ${problems.join('\n  - ')}`);
  return customers.sort(byCustomerId);
}

/**
 * The hand-written customers shipped in `data/customers.json`, bundled into the build. Their `updated_at` is
 * a field of the file; the revision settings of generated customers do not apply to them.
 */
export class FixtureCustomerSource extends CustomerSource {
  readonly kind = 'fixture';
  readonly seed = null;
  private readonly customers: readonly CustomerRecord[];
  private readonly byId: ReadonlyMap<string, CustomerRecord>;
  private readonly byUpdatedAt: readonly FixtureCustomer[];

  constructor(records: readonly unknown[] = shippedCustomers) {
    super();
    this.customers = checkFixture(records);
    this.byId = new Map(this.customers.map((customer) => [customer.customer_id, customer]));
    this.byUpdatedAt = this.customers
      .map((customer) => ({ customer, updatedAt: Date.parse(customer.updated_at ?? '') }))
      .sort(byUpdatedAt);
  }

  get total(): number {
    return this.customers.length;
  }

  slice(offset: number, limit: number): CustomerRecord[] {
    return this.customers.slice(offset, offset + limit);
  }

  updatedSince(since: number): CustomerListing {
    const first = this.byUpdatedAt.findIndex(({ updatedAt }) => updatedAt >= since);
    const listed = first === -1 ? [] : this.byUpdatedAt.slice(first).map(({ customer }) => customer);
    return { total: listed.length, slice: (offset, limit) => listed.slice(offset, offset + limit) };
  }

  findById(customerId: string): CustomerRecord | undefined {
    return this.byId.get(customerId);
  }
}
