import { ValidateBy, ValidationOptions, buildMessage, isEmail } from 'class-validator';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** What `toISOString()` prints; most sources send exactly this, and it needs no work. */
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/;
/**
 * What PostgreSQL refuses in text and in JSONB: U+0000, and a UTF-16 surrogate without its partner, which
 * JSON can spell (`"\ud800"`) but which names no Unicode character.
 */
const UNSTORABLE_CHARACTER = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Milliseconds of that UTC midnight, or NaN when the date does not exist (31 April, 29 February 2023).
 * Plain arithmetic rather than a Date round trip: the ingest checks two dates per record, a million times.
 */
function utcDay(year: number, month: number, day: number): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  // Date.UTC reads years 0 to 99 as 1900 to 1999.
  return year >= 100 ? Date.UTC(year, month - 1, day) : new Date(0).setUTCFullYear(year, month - 1, day);
}

/** `YYYY-MM-DD`, a date that exists, and not after today (UTC). */
export function isPastCalendarDate(value: unknown, now: number = Date.now()): boolean {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  return utcDay(Number(match[1]), Number(match[2]), Number(match[3])) <= now;
}

/** An ISO-8601 date-time with a real calendar date; the offset is optional. */
export function isIsoTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  return !Number.isNaN(utcDay(Number(match[1]), Number(match[2]), Number(match[3])));
}

/**
 * The instant an ISO timestamp names, as `toISOString()` prints it; a timestamp without an offset is UTC.
 * Callers validate with `isIsoTimestamp` first.
 */
export function normalizeIsoTimestamp(value: string): string {
  if (CANONICAL_TIMESTAMP.test(value)) return value;
  return new Date(hasUtcOffset(value) ? value : `${value}Z`).toISOString();
}

/** Whether an ISO timestamp names its offset from UTC (`Z` or `+02:00`); without one, it is read as UTC. */
export function hasUtcOffset(value: string): boolean {
  return /(Z|[+-]\d{2}:?\d{2})$/.test(value);
}

/**
 * At most `places` digits after the point in the number's shortest decimal form, the form JSON carries.
 * A fraction small enough to print in exponent form ('1e-7') has more than any sensible `places`.
 */
export function hasAtMostDecimalPlaces(value: number, places: number): boolean {
  if (Number.isInteger(value)) return true;
  const text = String(value);
  if (text.includes('e')) return false;
  return text.length - text.indexOf('.') - 1 <= places;
}

/** True when PostgreSQL can store the text as it is, in a text column or inside JSONB. */
export function isStorableText(value: string): boolean {
  return value.search(UNSTORABLE_CHARACTER) === -1;
}

/** The text with every character PostgreSQL cannot store replaced by U+FFFD, the replacement character. */
export function toStorableText(value: string): string {
  return value.replace(UNSTORABLE_CHARACTER, '\uFFFD');
}

/**
 * The length PostgreSQL checks against VARCHAR(n): code points, not UTF-16 units and not the graphemes
 * validator.js counts, for which '❤️' (U+2764 U+FE0F) is one character where PostgreSQL sees two.
 */
export function codePointLength(value: string): number {
  return value.length - (value.match(SURROGATE_PAIR)?.length ?? 0);
}

export function IsPastCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPastCalendarDate',
      validator: {
        validate: (value: unknown) => isPastCalendarDate(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a real calendar date in YYYY-MM-DD format, not in the future`,
          options,
        ),
      },
    },
    options,
  );
}

export function IsIsoTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoTimestamp',
      validator: {
        validate: (value: unknown) => isIsoTimestamp(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an ISO-8601 timestamp`, options),
      },
    },
    options,
  );
}

/** Text PostgreSQL can store. Only strings are checked: their type is for `IsString` to report. */
/**
 * A number with at most `places` decimals. class-validator's own `maxDecimalPlaces` throws a TypeError on a
 * number printed in exponent form, which would fail a whole ingest instead of one record. Only numbers are
 * checked: their type is for `IsNumber` to report.
 */
export function MaxDecimalPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value: unknown) => typeof value !== 'number' || hasAtMostDecimalPlaces(value, places),
        defaultMessage: buildMessage(
          (each) => `${each}$property must have at most $constraint1 decimal places`,
          options,
        ),
      },
    },
    options,
  );
}

export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isStorableText(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * class-validator's `Length`, counted as the column will count it (see `codePointLength`), so that a
 * record the contract accepts always fits. Only strings are measured: their type is for `IsString` or
 * `IsEmail` to report.
 */
export function CodePointLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true;
          const length = codePointLength(value);
          return length >= min && length <= max;
        },
        defaultMessage: buildMessage(
          (each, args) =>
            codePointLength(String(args?.value)) > max
              ? `${each}$property must be shorter than or equal to $constraint2 characters`
              : `${each}$property must be longer than or equal to $constraint1 characters`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * class-validator's `IsEmail`, except that an unpaired surrogate is refused instead of thrown on:
 * validator.js measures the address with `encodeURI`, which throws a URIError on one.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isStorableText(value) && isEmail(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an email`, options),
      },
    },
    options,
  );
}
