import { MAX_ACCOUNT_BALANCE } from './customer.dto';
import { isIsoTimestamp, isPastCalendarDate } from './customer-rules';

/** NUL or any UTF-16 surrogate: text without them is storable, and its length counts code points. */
const NEEDS_CAREFUL_CHECK = /[\0\uD800-\uDFFF]/;

/**
 * A plain ASCII address, every part of which `isEmail` accepts: a local part of at most 64 characters made of
 * letters and digits joined by single `.`, `_`, `+` or `-`, and a domain of letter-or-digit labels with inner
 * hyphens and an alphabetic top-level label.
 */
const PLAIN_EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const MAX_EMAIL_LENGTH = 254;

function isPlainText(value: unknown, min: number, max: number): boolean {
  return (
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    !NEEDS_CAREFUL_CHECK.test(value)
  );
}

function isAbsentOr(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

/** A finite number within the balance range with at most two decimals, i.e. k/100 for an integer k. */
function isPlainBalance(value: unknown): boolean {
  return (
    typeof value === 'number' &&
    Math.abs(value) <= MAX_ACCOUNT_BALANCE &&
    Math.round(value * 100) / 100 === value
  );
}

/**
 * True only for records that certainly meet the contract (`CustomerDto`), checked with a handful of
 * comparisons and simple expressions; false means "not sure", and the caller runs the full rules. Sources
 * send almost only such records, and the full rules cost about 15 µs a record (validator.js's `isEmail`
 * alone about 4), which was the largest single cost of ingesting a million customers. The spec checks,
 * over generated records, that nothing is accepted here that the full rules refuse.
 */
export function isEvidentlyValidCustomer(record: Record<string, unknown>): boolean {
  const email = record['email'];
  return (
    isPlainText(record['customer_id'], 1, 50) &&
    isPlainText(record['first_name'], 1, 100) &&
    isPlainText(record['last_name'], 1, 100) &&
    typeof email === 'string' &&
    email.length <= MAX_EMAIL_LENGTH &&
    PLAIN_EMAIL.test(email) &&
    isAbsentOr(record['phone'], (phone) => isPlainText(phone, 0, 20)) &&
    isAbsentOr(record['address'], (address) => isPlainText(address, 0, Infinity)) &&
    isAbsentOr(record['date_of_birth'], (date) => isPastCalendarDate(date)) &&
    isAbsentOr(record['account_balance'], isPlainBalance) &&
    isAbsentOr(record['created_at'], isIsoTimestamp) &&
    isAbsentOr(record['updated_at'], isIsoTimestamp)
  );
}
