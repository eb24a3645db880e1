import type { CustomerRecord } from '@customer-pipeline/contracts';
import type { ServedCustomer } from './customer-source';
import { Sfc32Randomizer } from './sfc32.randomizer';

/** Third seed word of the stream that picks defects, apart from the streams that build customers. */
const DEFECT_STREAM = 0x6465_6631;

/** One way a record can break the customer contract: a single field, never `customer_id`. */
export interface CustomerDefect {
  /** What is wrong, in a few words. */
  readonly name: string;
  /** The one field the defect breaks. */
  readonly field: Exclude<keyof CustomerRecord, 'customer_id'>;
  /** The customer with that field broken; every other field is left as it was. */
  apply(customer: CustomerRecord): ServedCustomer;
}

function birthDate(customer: CustomerRecord): { year: number; month: string; day: string } {
  const [year, month, day] = (customer.date_of_birth ?? '1970-01-01').split('-');
  return { year: Number(year), month, day };
}

/** Every defect breaks a rule of `checkCustomerRecord`; the spec checks each against it. */
export const CUSTOMER_DEFECTS: readonly CustomerDefect[] = [
  {
    name: 'email without @',
    field: 'email',
    apply: (customer) => ({ ...customer, email: customer.email.replace('@', ' at ') }),
  },
  {
    name: 'balance with 3 decimals',
    field: 'account_balance',
    // From whole cents again, so that the printed number ends in exactly one extra digit: 7066.575.
    apply: (customer) => ({
      ...customer,
      account_balance: (Math.round((customer.account_balance ?? 0) * 100) * 10 + 5) / 1000,
    }),
  },
  {
    name: 'balance as a numeric string',
    field: 'account_balance',
    apply: (customer) => ({ ...customer, account_balance: (customer.account_balance ?? 0).toFixed(2) }),
  },
  {
    name: 'date_of_birth in the future',
    field: 'date_of_birth',
    apply: (customer) => {
      const { year, month, day } = birthDate(customer);
      return { ...customer, date_of_birth: `${year + 1000}-${month}-${day}` };
    },
  },
  {
    name: 'date_of_birth that does not exist',
    field: 'date_of_birth',
    apply: (customer) => ({ ...customer, date_of_birth: `${birthDate(customer).year}-02-30` }),
  },
  {
    name: 'date_of_birth not in YYYY-MM-DD',
    field: 'date_of_birth',
    apply: (customer) => {
      const { year, month, day } = birthDate(customer);
      return { ...customer, date_of_birth: `${day}/${month}/${year}` };
    },
  },
  {
    name: 'empty first_name',
    field: 'first_name',
    apply: (customer) => ({ ...customer, first_name: '' }),
  },
  {
    name: 'last_name over 100 characters',
    field: 'last_name',
    apply: (customer) => ({
      ...customer,
      last_name: customer.last_name.padEnd(101, ` ${customer.last_name}`),
    }),
  },
  {
    name: 'phone over 20 characters',
    field: 'phone',
    apply: (customer) => ({ ...customer, phone: `${customer.phone ?? '+1-555-010-0000'} ext. 4321` }),
  },
  {
    name: 'created_at in month 13',
    field: 'created_at',
    apply: (customer) => {
      const createdAt = customer.created_at ?? '2020-01-01T00:00:00.000Z';
      return { ...customer, created_at: `${createdAt.slice(0, 5)}13${createdAt.slice(7)}` };
    },
  },
];

/**
 * Breaks a share of generated customers, each in one field. Whether customer `index` is broken, and how, is
 * drawn from `[seed, index]` alone: the same customer is broken the same way whatever the dataset size and
 * whichever page or route serves it.
 */
export class CustomerDefects {
  private readonly randomizer = new Sfc32Randomizer();

  constructor(
    private readonly seed: number,
    /** Share of customers to break, from 0 to 1. */
    private readonly rate: number,
  ) {}

  /** The defect customer `index` carries, if any. */
  defectAt(index: number): CustomerDefect | undefined {
    this.randomizer.seed([this.seed, index, DEFECT_STREAM]);
    if (this.randomizer.next() >= this.rate) return undefined;
    return CUSTOMER_DEFECTS[Math.floor(this.randomizer.next() * CUSTOMER_DEFECTS.length)];
  }

  apply(index: number, customer: CustomerRecord): ServedCustomer {
    const defect = this.defectAt(index);
    return defect ? defect.apply(customer) : customer;
  }
}
