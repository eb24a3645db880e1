import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsStorableText, PaginationQueryDto } from '@customer-pipeline/contracts';
import { IsOptional, IsString, Length } from 'class-validator';
import { CustomerFilterQueryDto } from './customer-filter.query.dto';

export class ListCustomersQueryDto extends IntersectionType(PaginationQueryDto, CustomerFilterQueryDto) {
  @ApiPropertyOptional({
    description:
      'Keyset paging: the customers after this customer_id, in customer_id order. Pass the `next_cursor` ' +
      'of the previous answer; costs the same at any depth. Not combined with `page`.',
    minLength: 1,
    maxLength: 50,
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @IsStorableText()
  after?: string;
}
