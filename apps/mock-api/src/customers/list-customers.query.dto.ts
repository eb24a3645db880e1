import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto, hasUtcOffset, isIsoTimestamp } from '@customer-pipeline/contracts';
import { IsOptional, ValidateBy } from 'class-validator';

/** Digits past the milliseconds, which `Date.parse` drops. */
const SUB_MILLISECONDS = /\.\d{3}(\d+)/;

/**
 * An ISO-8601 timestamp that names its offset (`Z` or `+02:00`). One without is refused, not read as UTC:
 * the client's zone is unknown here, and a guess would shift its checkpoint by hours, silently.
 */
function IsTimestampWithOffset(): PropertyDecorator {
  return ValidateBy({
    name: 'isTimestampWithOffset',
    validator: {
      validate: (value) => isIsoTimestamp(value) && hasUtcOffset(value as string),
      defaultMessage: (args) =>
        `${args?.property} must be an ISO-8601 timestamp with an offset or Z, such as 2025-03-01T09:00:00.000Z`,
    },
  });
}

/**
 * The instant of a valid `updated_since`, in whole milliseconds, rounded up: every `updated_at` is a whole
 * millisecond, so one at or after 09:00:00.0005 is one at or after 09:00:00.001.
 */
export function updatedSinceMs(updatedSince: string): number {
  const finer = SUB_MILLISECONDS.exec(updatedSince)?.[1] ?? '';
  return Date.parse(updatedSince) + (/[1-9]/.test(finer) ? 1 : 0);
}

export class ListCustomersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2025-03-01T09:00:00.000Z',
    description:
      'Only customers with updated_at at or after this instant, ordered by (updated_at, customer_id). ' +
      'An ISO-8601 timestamp with an offset or Z; one without an offset is ambiguous and refused',
  })
  @IsOptional()
  @IsTimestampWithOffset()
  updated_since?: string;
}
