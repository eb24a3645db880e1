import { CustomerRecord, checkCustomerRecord } from '@customer-pipeline/contracts';
import shippedCustomers from '../../data/customers.json';
import { CustomerSource } from './customer-source';

/** Plain code-unit order, the same on every machine and locale (unlike `localeCompare`). */
function byCustomerId(left: CustomerRecord, right: CustomerRecord): number {
  if (left.customer_id === right.customer_id) return 0;
  return left.customer_id < right.customer_id ? -1 : 1;
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
    if (ids.has(customer.customer_id)) problems.push(`record ${position}: duplicate ${customer.customer_id}`);
    if (emails.has(email)) problems.push(`record ${position}: duplicate email ${customer.email}`);
    ids.add(customer.customer_id);
    emails.add(email);
    customers.push(customer);
  });
  if (problems.length > 0) throw new Error(`Invalid customer fixture:\n  - ${problems.join('\n  - ')}`);
  return customers.sort(byCustomerId);
}

/** The hand-written customers shipped in `data/customers.json`, bundled into the build. */
export class FixtureCustomerSource extends CustomerSource {
  readonly kind = 'fixture';
  readonly seed = null;
  private readonly customers: readonly CustomerRecord[];
  private readonly byId: ReadonlyMap<string, CustomerRecord>;

  constructor(records: readonly unknown[] = shippedCustomers) {
    super();
    this.customers = checkFixture(records);
    this.byId = new Map(this.customers.map((customer) => [customer.customer_id, customer]));
  }

  get total(): number {
    return this.customers.length;
  }

  slice(offset: number, limit: number): CustomerRecord[] {
    return this.customers.slice(offset, offset + limit);
  }

  findById(customerId: string): CustomerRecord | undefined {
    return this.byId.get(customerId);
  }
}
