import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** What `toISOString()` prints; most sources send exactly this, and it needs no work. */
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/;

/** Milliseconds of that UTC midnight, or NaN when the date does not exist (31 April, 29 February 2023). */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 April over to 1 May; a real date survives the round trip.
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.getTime() : NaN;
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
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  return new Date(hasOffset ? value : `${value}Z`).toISOString();
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
