import { PageAnswer } from './scripted-source';
import { sourceCustomer } from './customer-fixtures';

type Customer = Record<string, unknown> & { customer_id: string; updated_at: string };

/**
 * A source whose customers change between and during reads, and that lists them as the mock API does: by
 * `customer_id`, or with `updated_since` by `(updated_at, customer_id)`, in offset pages with a total.
 */
export class ChangingSource {
  private readonly customers = new Map<string, Customer>();
  /** The source's clock: every change happens one millisecond after the one before, unless told when. */
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  /** Called before each page is answered: a test changes the source mid-read here. */
  beforePage: (page: number, query: URLSearchParams) => void = () => undefined;

  constructor(count: number, options: { sameTime?: boolean } = {}) {
    for (let n = 1; n <= count; n++) {
      const customer = sourceCustomer(n, { updated_at: this.tick(options.sameTime ? 0 : 1) }) as Customer;
      this.customers.set(customer.customer_id, customer);
    }
  }

  /** Changes a customer's balance now (or at `at`), as a source that stamps updated_at does. */
  change(customerId: string, at?: string): void {
    const customer = this.customers.get(customerId) as Customer;
    const balance = Number(customer['account_balance'] ?? 0) + 1;
    this.customers.set(customerId, { ...customer, account_balance: balance, updated_at: at ?? this.tick(1) });
  }

  /** Adds customer `n` (or brings it back) now, or at `at`. */
  add(n: number, at?: string): void {
    const customer = sourceCustomer(n, { updated_at: at ?? this.tick(1) }) as Customer;
    this.customers.set(customer.customer_id, customer);
  }

  /** The next instant of the source's clock: changes stamped with one instant are ties in the listing. */
  now(): string {
    return this.tick(1);
  }

  remove(customerId: string): void {
    this.customers.delete(customerId);
  }

  /** Every customer the source holds, by customer_id: what the stored table must equal. */
  all(): Customer[] {
    return [...this.customers.values()].sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1));
  }

  answer(page: number, limit: number, query: URLSearchParams): PageAnswer {
    this.beforePage(page, query);
    const since = query.get('updated_since');
    const listing =
      since === null
        ? this.all()
        : this.all()
            .filter((customer) => customer.updated_at >= new Date(since).toISOString())
            .sort((a, b) =>
              a.updated_at === b.updated_at
                ? a.customer_id < b.customer_id
                  ? -1
                  : 1
                : a.updated_at < b.updated_at
                  ? -1
                  : 1,
            );
    const data = listing.slice((page - 1) * limit, page * limit);
    return { status: 200, body: { data, total: listing.length, page, limit } };
  }

  private tick(ms: number): string {
    this.clock += ms;
    return new Date(this.clock).toISOString();
  }
}
