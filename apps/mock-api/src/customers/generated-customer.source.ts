import { CustomerDefects } from './customer-defects';
import {
  CustomerGenerator,
  DatasetRevision,
  FIRST_REVISION,
  GENERATED_ID_DIGITS,
  GENERATED_ID_PREFIX,
} from './customer-generator';
import { CustomerSource, ServedCustomer } from './customer-source';

const GENERATED_ID = new RegExp(`^${GENERATED_ID_PREFIX}(\\d{${GENERATED_ID_DIGITS}})$`);

/** How a generated dataset departs from the plain one: revised customers and contract-breaking ones. */
export interface GeneratedDatasetOptions extends DatasetRevision {
  /** Share of customers, from 0 to 1, served with one field that breaks the contract. */
  invalidRate: number;
}

export const PLAIN_DATASET: GeneratedDatasetOptions = { ...FIRST_REVISION, invalidRate: 0 };

/** `count` generated customers, `CUST00000001` onwards, each built only when a request asks for it. */
export class GeneratedCustomerSource extends CustomerSource {
  readonly kind = 'generated';
  private readonly generator: CustomerGenerator;
  /** Null when no customer is to be broken, which spares the plain dataset a draw per customer. */
  private readonly defects: CustomerDefects | null;

  constructor(
    readonly total: number,
    readonly seed: number,
    options: GeneratedDatasetOptions = PLAIN_DATASET,
  ) {
    super();
    this.generator = new CustomerGenerator(seed, options);
    this.defects = options.invalidRate > 0 ? new CustomerDefects(seed, options.invalidRate) : null;
  }

  slice(offset: number, limit: number): ServedCustomer[] {
    const end = Math.min(offset + limit, this.total);
    const customers: ServedCustomer[] = [];
    // Ids are 1-based: customer at offset 0 is CUST00000001.
    for (let index = offset + 1; index <= end; index++) customers.push(this.customerAt(index));
    return customers;
  }

  findById(customerId: string): ServedCustomer | undefined {
    const match = GENERATED_ID.exec(customerId);
    if (!match) return undefined;
    const index = Number(match[1]);
    return index >= 1 && index <= this.total ? this.customerAt(index) : undefined;
  }

  private customerAt(index: number): ServedCustomer {
    const customer = this.generator.customerAt(index);
    return this.defects ? this.defects.apply(index, customer) : customer;
  }
}
