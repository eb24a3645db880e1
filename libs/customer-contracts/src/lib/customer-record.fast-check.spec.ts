import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { CustomerDto, MAX_ACCOUNT_BALANCE } from './customer.dto';
import { isEvidentlyValidCustomer } from './customer-record.fast-check';

function meetsContract(record: Record<string, unknown>): boolean {
  return validateSync(plainToInstance(CustomerDto, record)).length === 0;
}

const absent = fc.constantFrom(undefined, null);

/**
 * Mostly values that the fast check accepts, drawn right up to the edges of what it accepts (lengths,
 * characters, separators), with the odd value beyond them: a property over values it refuses would prove
 * nothing.
 */
function mostly<T>(plausible: fc.Arbitrary<T>, ...odd: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: plausible },
    ...odd.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

const character = fc.oneof(
  { weight: 300, arbitrary: fc.constantFrom('a', 'Z', '9', ' ', '-', "'", '.', ',', '+', '/') },
  { weight: 1, arbitrary: fc.constantFrom('é', '😀', '\0', '\uD800', '\uDC00', '\t', '\n') },
);

function text(maxLength: number): fc.Arbitrary<unknown> {
  return mostly(
    fc.oneof(
      fc.string({ unit: character, maxLength: maxLength + 2, size: 'max' }),
      fc.constantFrom('a'.repeat(maxLength), 'a'.repeat(maxLength + 1)),
    ),
    fc.string({ unit: 'binary', maxLength: maxLength + 2 }),
    fc.constantFrom('😀'.repeat(Math.ceil(maxLength / 2) + 1), 42),
  );
}

/** A plain address of exactly `length` characters: `isEmail` refuses one longer than 254. */
function plainEmailOfLength(length: number): string {
  const domain = ['b', 'c', 'd', 'e'].map((letter) => letter.repeat(60)).join('.') + '.com';
  return `${'a'.repeat(length - domain.length - 1)}@${domain}`;
}

/** Letter-and-digit words joined by one separator, up to and past the 64-character local part and label. */
const plainEmail = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-zA-Z0-9]{1,20}$/), { minLength: 1, maxLength: 5 }),
    fc.constantFrom('.', '_', '+', '-'),
    fc.array(fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}[a-zA-Z0-9])?$/), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.stringMatching(/^[a-zA-Z]{1,8}$/),
  )
  .map(([local, separator, labels, tld]) => `${local.join(separator)}@${[...labels, tld].join('.')}`);

const emailLike = mostly(
  plainEmail,
  fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._+-]{0,66}@[a-zA-Z0-9][a-zA-Z0-9.-]{0,70}\.[a-zA-Z0-9]{1,4}$/),
  fc.emailAddress(),
  fc.constantFrom('a..b@c.com', '.a@b.com', 'a@-b.com', 'a@b-.com', 'a@b.c', 'a@b.123', 'a@b..com'),
  fc.constantFrom(`${'a'.repeat(64)}@b.com`, `${'a'.repeat(65)}@b.com`, `a@${'b'.repeat(64)}.com`),
  fc.constantFrom(plainEmailOfLength(254), plainEmailOfLength(255)),
);

const instant = fc.date({ min: new Date(-62_000_000_000_000), max: new Date(4_000_000_000_000) });
const iso = (date: Date) => (Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString());

const calendarDate = mostly(
  instant.map((date) => iso(date).slice(0, 10)),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  fc.constantFrom('2023-02-29', '2024-02-29', '0000-01-01', '2999-12-31', '1985-12-10T00:00:00Z'),
);

const balance = mostly(
  fc.integer({ min: -1_000_000_000_000_000, max: 1_000_000_000_000_000 }).map((cents) => cents / 100),
  fc.double(),
  fc.constantFrom(1e-7, Number.MIN_VALUE, 1.005, 0.1 + 0.2, -0, MAX_ACCOUNT_BALANCE, 1e13, 1e21),
  fc.constantFrom(MAX_ACCOUNT_BALANCE + 0.01, Number.NaN, Number.POSITIVE_INFINITY, '12.50', true),
);

const timestamp = mostly(
  instant.map(iso),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/),
  fc.constantFrom('2023-02-29T10:00:00.000Z', '2024-01-15T24:00:00.000Z', 1705314600000),
);

const optional = (value: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 1, arbitrary: absent }, { weight: 6, arbitrary: value });

const record = fc.record({
  customer_id: text(50),
  first_name: text(100),
  last_name: text(100),
  email: emailLike,
  phone: optional(text(20)),
  address: optional(text(300)),
  date_of_birth: optional(calendarDate),
  account_balance: optional(balance),
  created_at: optional(timestamp),
  updated_at: optional(timestamp),
});

describe('isEvidentlyValidCustomer', () => {
  it('never accepts a record that the contract refuses', () => {
    fc.assert(
      fc.property(record, (raw) => !isEvidentlyValidCustomer(raw) || meetsContract(raw)),
      { numRuns: 20_000 },
    );
  });

  it('accepts the records sources usually send, so that they skip the full rules', () => {
    const usual = {
      customer_id: 'CUST00000042',
      first_name: 'Ada',
      last_name: "O'Neil-Lovelace",
      email: 'ada.o-neil_lovelace+42@mail.example-domain.co.uk',
      phone: '+1-555-326-0519',
      address: '6796 Oswald Mills, Buena Park, CA 71257',
      date_of_birth: '1963-05-29',
      account_balance: 7066.57,
      created_at: '2022-02-05T13:18:34.710Z',
      updated_at: '2025-01-01T00:00:00.000Z',
    };
    expect(isEvidentlyValidCustomer(usual)).toBe(true);
    expect(isEvidentlyValidCustomer({ ...usual, phone: null, address: undefined, account_balance: -3 })).toBe(
      true,
    );
  });

  it.each([
    ['an email with a quoted local part', { email: '"ada lovelace"@example.com' }],
    ['an emoji name', { first_name: 'Ada 😀' }],
    ['an accented local part', { email: 'josé@example.com' }],
  ])('leaves %s to the full rules', (_label, change) => {
    const raw = {
      customer_id: 'C1',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      ...change,
    };
    expect(isEvidentlyValidCustomer(raw)).toBe(false);
    expect(meetsContract(raw)).toBe(true);
  });
});
