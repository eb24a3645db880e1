import { Faker, base, en } from '@faker-js/faker';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import { Sfc32Randomizer } from './sfc32.randomizer';

const DAY_MS = 86_400_000;
// Fixed ranges, never relative to now: the same seed must yield the same customers next year too.
const BIRTH_DAYS = { min: Date.UTC(1935, 0, 1) / DAY_MS, max: Date.UTC(2006, 11, 31) / DAY_MS };
const CREATED_MS = { min: Date.UTC(2015, 0, 1), max: Date.UTC(2024, 11, 31, 23, 59, 59, 999) };
const BALANCE_CENTS = { min: -250_000, max: 5_000_000 };
const NO_PHONE_PROBABILITY = 0.1;
const NO_ADDRESS_PROBABILITY = 0.1;
const ZERO_BALANCE_PROBABILITY = 0.02;
const DOUBLE_BARRELLED_PROBABILITY = 0.05;
const APARTMENT_PROBABILITY = 0.15;
// RFC 2606 reserves these, so generated addresses can never reach a real mailbox.
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Third seed word of the stream that draws a revision's new balance and address, apart from the customer's own. */
const REVISION_STREAM = 0x7265_7631;

export const GENERATED_ID_PREFIX = 'CUST';
export const GENERATED_ID_DIGITS = 8;
/** The largest index an id holds: past it, string order would no longer be numeric order. */
export const MAX_GENERATED_INDEX = 10 ** GENERATED_ID_DIGITS - 1;

export function generatedCustomerId(index: number): string {
  return GENERATED_ID_PREFIX + String(index).padStart(GENERATED_ID_DIGITS, '0');
}

/** Lowercase ASCII letters and digits only, so any name yields a valid local part. */
function emailWord(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Produces customer number `index` of the dataset named by `seed`, on demand. Each customer is drawn from
 * a stream seeded with `[seed, index]` alone, so customer 42 is the same whether the dataset holds 50 or a
 * million, and no customer is ever kept in memory.
 *
 * Speed matters (a benchmark ingests a million of these), so fields avoid faker's template engine
 * (`lastName`, `streetAddress`, `city` each cost 4 to 20 µs through it) and draw from the same locale
 * definitions directly.
 *
 * A revision that changes a customer (see `DatasetHistory`) gives it a new `account_balance` and `address`,
 * drawn from `[seed, index, revision]`: its values are those of the last revision that changed it.
 */
export class CustomerGenerator {
  private readonly randomizer = new Sfc32Randomizer();
  private readonly faker = new Faker({ locale: [en, base], randomizer: this.randomizer });
  private readonly lastNames: readonly string[];
  private readonly streetSuffixes: readonly string[];
  private readonly cities: readonly string[];
  private readonly states: readonly string[];

  constructor(private readonly seed: number) {
    const { person, location } = this.faker.definitions;
    this.lastNames = person.last_name.generic ?? [];
    this.streetSuffixes = location.street_suffix;
    this.cities = location.city_name;
    this.states = location.state_abbr;
  }

  /** The customer as revision 0 has it, with the `updated_at` given. */
  customerAt(index: number, updatedAt: string): CustomerRecord {
    const faker = this.faker;
    faker.seed([this.seed, index]);
    const firstName = faker.person.firstName();
    const lastName = faker.datatype.boolean(DOUBLE_BARRELLED_PROBABILITY)
      ? `${this.lastName()}-${this.lastName()}`
      : this.lastName();
    const domain = faker.helpers.arrayElement(EMAIL_DOMAINS);
    const customer: CustomerRecord = {
      customer_id: generatedCustomerId(index),
      first_name: firstName,
      last_name: lastName,
      // The index makes every email unique however often a name repeats.
      email: `${emailWord(firstName)}.${emailWord(lastName)}.${index}@${domain}`,
      phone: faker.datatype.boolean(NO_PHONE_PROBABILITY) ? null : this.phone(),
      address: faker.datatype.boolean(NO_ADDRESS_PROBABILITY) ? null : this.address(),
      date_of_birth: new Date(faker.number.int(BIRTH_DAYS) * DAY_MS).toISOString().slice(0, 10),
      account_balance: this.balanceCents() / 100,
      created_at: new Date(faker.number.int(CREATED_MS)).toISOString(),
      updated_at: updatedAt,
    };
    return customer;
  }

  /**
   * Gives a customer of revision 0 (`customerAt`) the balance and address of its `ordinal`-th change, made by
   * `revision`. Both always differ from the version before, without drawing it: the n-th change's balance
   * in cents and house number have the parity of revision 0's plus n, so that two successive versions
   * never have the same parity.
   */
  applyChange(index: number, customer: CustomerRecord, revision: number, ordinal: number): void {
    const firstCents = Math.round((customer.account_balance ?? 0) * 100);
    const firstHouse = customer.address === null ? 0 : Number.parseInt(customer.address, 10);
    this.faker.seed([this.seed, index, REVISION_STREAM, revision]);
    const cents = this.balanceCents();
    customer.account_balance = (cents - (cents & 1) + ((firstCents + ordinal) & 1)) / 100;
    customer.address = this.address((firstHouse + ordinal) & 1);
  }

  /** Whole cents, divided once by the caller: the nearest double to an amount with at most 2 decimals. */
  private balanceCents(): number {
    const faker = this.faker;
    return faker.datatype.boolean(ZERO_BALANCE_PROBABILITY) ? 0 : faker.number.int(BALANCE_CENTS);
  }

  private lastName(): string {
    return this.faker.helpers.arrayElement(this.lastNames);
  }

  private digits(count: number): string {
    return String(this.faker.number.int({ min: 0, max: 10 ** count - 1 })).padStart(count, '0');
  }

  /** North American format in the 555 exchange: 15 characters, well inside the 20 the contract allows. */
  private phone(): string {
    return `+1-555-${this.digits(3)}-${this.digits(4)}`;
  }

  /** An address whose house number (1 to 9999) is odd or even as `houseParity` says, when it says. */
  private address(houseParity?: number): string {
    const faker = this.faker;
    const streetName = faker.datatype.boolean() ? faker.person.firstName() : this.lastName();
    const house =
      houseParity === undefined
        ? faker.number.int({ min: 1, max: 9999 })
        : 2 * faker.number.int({ min: 1, max: 4999 }) - houseParity;
    const street = `${house} ${streetName} ${faker.helpers.arrayElement(this.streetSuffixes)}`;
    const apartment = faker.datatype.boolean(APARTMENT_PROBABILITY)
      ? `, Apt. ${faker.number.int({ min: 1, max: 999 })}`
      : '';
    const city = faker.helpers.arrayElement(this.cities);
    const state = faker.helpers.arrayElement(this.states);
    return `${street}${apartment}, ${city}, ${state} ${this.digits(5)}`;
  }
}
