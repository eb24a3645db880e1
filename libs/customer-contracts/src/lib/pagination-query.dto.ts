import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 100;
/**
 * A billion pages: past the end of any source this system reads (the mock API's largest generated set is
 * 10^8 customers, 10^8 pages at `limit=1`), while the offset `(page - 1) * limit` stays an exact integer
 * (about 10^11, far below 2^53) that PostgreSQL takes as OFFSET. Without a bound, `page=1e20` would reach
 * the SQL as `OFFSET 1e+21` and fail there with a 500 instead of a 400 here.
 */
export const MAX_PAGE = 1_000_000_000;

/**
 * Query strings arrive as text. Only plain decimal integers become numbers: anything else ('1.5', 'abc',
 * '0x10', '1e2', a repeated parameter) is left as it came so that validation rejects it by name, instead of
 * being coerced into some other page.
 */
export const toStrictInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** Only the words true and false become booleans; anything else is left for validation to refuse by name. */
export const toStrictBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class PaginationQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE,
    default: 1,
    description: '1-based page number',
    example: 1,
  })
  @Transform(toStrictInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: 'Items per page, at most 100',
    example: 10,
  })
  @Transform(toStrictInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;
}
