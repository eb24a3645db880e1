import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CustomerPageDto } from '@customer-pipeline/contracts';

/** The seed's `{data,total,page,limit}`, and how to go on from it. */
export class CustomerListPageDto extends CustomerPageDto {
  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    description: 'The page number with offset paging; null with `after`, which has none',
  })
  declare page: number;

  @ApiProperty({ example: true, description: 'Whether customers follow this page' })
  has_more!: boolean;

  @ApiPropertyOptional({
    example: 'CUST00000010',
    nullable: true,
    type: String,
    description: 'When more follows: pass it as `after` for the next page (the last customer_id of this one)',
  })
  next_cursor!: string | null;
}
