import { CustomerDefects } from './customer-defects';
import { CustomerGenerator, GENERATED_ID_DIGITS, GENERATED_ID_PREFIX } from './customer-generator';
import { CustomerListing, CustomerSource, ServedCustomer } from './customer-source';
import { DatasetHistory, DatasetRevision, FIRST_REVISION } from './dataset-history';

const GENERATED_ID = new RegExp(`^${GENERATED_ID_PREFIX}(\\d{${GENERATED_ID_DIGITS}})$`);

/** How a generated dataset departs from the plain one: its revision, and contract-breaking customers. */
export interface GeneratedDatasetOptions extends DatasetRevision {
  /** Share of customers, from 0 to 1, served with one field that breaks the contract. */
  invalidRate: number;
}

export const PLAIN_DATASET: GeneratedDatasetOptions = { ...FIRST_REVISION, invalidRate: 0 };

/**
 * `customers` generated customers, `CUST00000001` onwards, as revised up to the revision asked for, each
 * built only when a request asks for it.
 */
export class GeneratedCustomerSource extends CustomerSource {
  readonly kind = 'generated';
  readonly total: number;
  private readonly generator: CustomerGenerator;
  private readonly history: DatasetHistory;
  /** Null when no customer is to be broken, which spares the plain dataset a draw per customer. */
  private readonly defects: CustomerDefects | null;

  constructor(
    customers: number,
    readonly seed: number,
    options: GeneratedDatasetOptions = PLAIN_DATASET,
  ) {
    super();
    this.generator = new CustomerGenerator(seed);
    this.history = new DatasetHistory(seed, customers, options);
    this.total = this.history.total;
    this.defects = options.invalidRate > 0 ? new CustomerDefects(seed, options.invalidRate) : null;
  }

  slice(offset: number, limit: number): ServedCustomer[] {
    return this.build(offset, limit, this.total, (position) => this.history.indexAt(position));
  }

  updatedSince(since: number): CustomerListing {
    const first = this.history.firstUpdatedSince(since);
    const total = this.total - first;
    return {
      total,
      slice: (offset, limit) =>
        this.build(offset, limit, total, (position) => this.history.indexByUpdatedAt(first + position)),
    };
  }

  findById(customerId: string): ServedCustomer | undefined {
    const match = GENERATED_ID.exec(customerId);
    if (!match) return undefined;
    const index = Number(match[1]);
    return this.history.isPresent(index) ? this.customerAt(index) : undefined;
  }

  /** The customers at positions `offset` to `offset + limit - 1` of a listing of `total`. */
  private build(
    offset: number,
    limit: number,
    total: number,
    indexAt: (position: number) => number,
  ): ServedCustomer[] {
    const end = Math.min(offset + limit, total);
    const customers: ServedCustomer[] = [];
    for (let position = offset; position < end; position++)
      customers.push(this.customerAt(indexAt(position)));
    return customers;
  }

  private customerAt(index: number): ServedCustomer {
    const { history } = this;
    const customer = this.generator.customerAt(index, history.updatedAtOf(index));
    const changedIn = history.lastChangeOf(index);
    if (changedIn > 0) this.generator.applyChange(index, customer, changedIn, history.changeCountOf(index));
    return this.defects ? this.defects.apply(index, customer) : customer;
  }
}
