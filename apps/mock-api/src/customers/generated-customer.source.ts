import type { CustomerRecord } from '@customer-pipeline/contracts';
import { CustomerGenerator, GENERATED_ID_DIGITS, GENERATED_ID_PREFIX } from './customer-generator';
import { CustomerSource } from './customer-source';

const GENERATED_ID = new RegExp(`^${GENERATED_ID_PREFIX}(\\d{${GENERATED_ID_DIGITS}})$`);

/** `count` generated customers, `CUST00000001` onwards, each built only when a request asks for it. */
export class GeneratedCustomerSource extends CustomerSource {
  readonly kind = 'generated';
  private readonly generator: CustomerGenerator;

  constructor(
    readonly total: number,
    readonly seed: number,
  ) {
    super();
    this.generator = new CustomerGenerator(seed);
  }

  slice(offset: number, limit: number): CustomerRecord[] {
    const end = Math.min(offset + limit, this.total);
    const customers: CustomerRecord[] = [];
    // Ids are 1-based: customer at offset 0 is CUST00000001.
    for (let index = offset + 1; index <= end; index++) customers.push(this.generator.customerAt(index));
    return customers;
  }

  findById(customerId: string): CustomerRecord | undefined {
    const match = GENERATED_ID.exec(customerId);
    if (!match) return undefined;
    const index = Number(match[1]);
    return index >= 1 && index <= this.total ? this.generator.customerAt(index) : undefined;
  }
}
