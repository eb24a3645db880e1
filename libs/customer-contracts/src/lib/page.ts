import { ApiProperty } from '@nestjs/swagger';
import { CustomerDto } from './customer.dto';

/** Every list response: one page of items and where it sits in the whole. */
export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
}

export function toPage<T>(data: T[], total: number, query: { page: number; limit: number }): Page<T> {
  return { data, total, page: query.page, limit: query.limit };
}

/** The `Page` envelope for Swagger; subclasses declare what `data` holds. */
export abstract class PageDto<T> implements Page<T> {
  abstract data: T[];

  @ApiProperty({ example: 21, description: 'Number of items across all pages' })
  total!: number;

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 10 })
  limit!: number;
}

export class CustomerPageDto extends PageDto<CustomerDto> {
  @ApiProperty({ type: [CustomerDto] })
  data!: CustomerDto[];
}
